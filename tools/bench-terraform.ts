/**
 * The real-Terraform rows of `npm run bench`: a local provider's start-up, `terraform validate` of
 * every stack, `cdktf diff` of an unchanged (deployed) environment and the real-Terraform tests.
 * They reuse the test harness (local providers, sshd and the bootstrap fakes), so the numbers are
 * those of the same work the tests do.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CdktfProject, LOCAL_PROVIDER_ENTRY, PROVIDER_SCHEMAS } from "../__tests__/support/terraform";
import { DeployedEnvironment, exampleEnvironment } from "../__tests__/terraform/environment-harness";
import { exampleConfig } from "../config";
import { TERRAFORM_PLUGIN_ENV } from "../local-provider/src/handshake";

const ROOT = resolve(__dirname, "..");
const deployments: DeployedEnvironment[] = [];

export const stopDeployments = (): void => {
  for (const deployment of deployments.splice(0)) deployment.stop();
};

/** Time from starting a local provider (the largest schema, Cloudflare's) to its handshake line, and its peak memory. */
const pluginStart = (): Promise<{ seconds: number; peakKiB: number }> =>
  new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const plugin = spawn(process.execPath, [LOCAL_PROVIDER_ENTRY, "--schema", join(PROVIDER_SCHEMAS, "cloudflare-5.14.0.json")], {
      env: { ...process.env, ...TERRAFORM_PLUGIN_ENV },
      stdio: ["ignore", "pipe", "inherit"],
    });
    plugin.once("error", fail);
    plugin.stdout.once("data", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${plugin.pid}/status`, "utf8"))?.[1] ?? 0);
      plugin.kill();
      done({ seconds, peakKiB });
    });
  });

/** Every stack of the example synthesized and initialized once, in a project of its own. */
const initializedExample = async (): Promise<{ cwd: string; env: Record<string, string> }> => {
  const project = new CdktfProject(exampleConfig);
  const synth = await project.script("main.ts", []);
  if (synth.code !== 0) throw new Error(synth.output);
  for (const env of exampleConfig.environments) {
    for (const stack of [`${env.name}-infra`, `${env.name}-apps`]) {
      const init = await project.terraform(stack, ["init", "-input=false"]);
      if (init.code !== 0) throw new Error(init.output);
    }
  }
  return { cwd: join(project.dir, "cdktf.out", "stacks"), env: project.env as Record<string, string> };
};

/** The example's staging deployed (bootstrap included) in a project of its own. */
const deployedStaging = async (): Promise<{ cwd: string; env: Record<string, string> }> => {
  const deployment = new DeployedEnvironment(exampleEnvironment("staging"), "127.0.0.4");
  deployments.push(deployment);
  await deployment.start();
  await deployment.synth();
  const deploy = await deployment.deploy();
  if (deploy.code !== 0) throw new Error(deploy.output);
  return { cwd: deployment.project.dir, env: deployment.project.env as Record<string, string> };
};

export const realTerraformRows = (runs: number | undefined) => {
  const stacks = exampleConfig.environments.flatMap((env) => [`${env.name}-infra`, `${env.name}-apps`]);
  const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
  return [
    { id: "plugin-start", label: "local provider start-up to handshake (Cloudflare schema, 2.2 MB)", command: "", runs: runs ?? 10, sample: pluginStart },
    {
      id: "validate",
      label: `\`terraform validate\` of every example stack (${stacks.length}, initialized)`,
      command: stacks.map((stack) => `terraform -chdir=${stack} validate -no-color >/dev/null`).join(" && "),
      runs: runs ?? 3,
      prepare: initializedExample,
    },
    {
      id: "diff-unchanged",
      label: "`cdktf diff` of an unchanged environment (staging, both stacks)",
      command: ["staging-infra", "staging-apps"].map((stack) => `${cdktf} diff ${stack} --skip-provider-lock >/dev/null`).join(" && "),
      runs: runs ?? 3,
      prepare: deployedStaging,
    },
    {
      id: "terraform-tests",
      label: "real-Terraform tests (`npx jest __tests__/terraform __tests__/bootstrap/bootstrap-e2e`)",
      command: `${join(ROOT, "node_modules", ".bin", "jest")} __tests__/terraform __tests__/bootstrap/bootstrap-e2e --silent`,
      runs: runs ?? 1,
    },
  ];
};
