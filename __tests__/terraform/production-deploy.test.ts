/**
 * The production environment of the example, deployed with the real `cdktf deploy` (infra, whose
 * bootstrap really runs over SSH, then apps), and its protections proven by Terraform itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config/schema";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, deployedForSuite } from "./environment-harness";

type StackJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

describeWithTools("production: cdktf deploy, then what Terraform refuses or keeps", DEPLOY_TOOLS, () => {
  const deployed = deployedForSuite("production", "127.0.0.3");
  const { project, env: production } = deployed;
  const [infra, apps] = deployed.stacks();

  const plan = async (stack: string): Promise<string> => {
    const result = await project.terraform(stack, ["plan", "-input=false"]);
    if (result.code !== 0) throw new Error(result.output);
    return result.stdout;
  };
  const synthesize = async (env: EnvironmentConfig): Promise<void> => {
    project.writeConfig(deployed.config(env));
    const synth = await project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
  };

  it("deploys infra (running the bootstrap over SSH) and then apps with the real cdktf CLI", async () => {
    const deploy = await deployed.deploy();
    expect(deploy.output).toContain(`bootstrap: verify: the token works; Coolify ${production.coolify.version} is ready`);
    // cdktf plans the apps stack only once the infra stack (its dependency) is applied.
    expect(deploy.output.indexOf("bootstrap: verify:")).toBeLessThan(deploy.output.indexOf("coolify_project."));
    expect(deploy.code).toBe(0);
    expect(deployed.installerCalls()).toHaveLength(1);
    // The worker is usable (Coolify installed Docker and validated it) before anything is created on it.
    const position = (pattern: RegExp): number => deploy.output.search(pattern);
    const workerReady = position(/terraform_data\.servers_worker-1-ready_\w+: Creation complete/);
    expect(workerReady).toBeGreaterThan(0);
    for (const onWorker of [/coolify_application_private_git\.\S+app-api\S*: Creating\.\.\./, /coolify_database_mongodb\.\S+db-events\S*: Creating\.\.\./]) {
      expect(position(onWorker)).toBeGreaterThan(workerReady);
    }
  });

  // The staging suite drives `cdktf diff` itself; here Terraform's own exit code says "no changes".
  it("has nothing to change afterwards: a plan of each stack is empty", async () => {
    for (const stack of [infra, apps]) {
      const plan = await project.terraform(stack, ["plan", "-input=false", "-detailed-exitcode"]);
      expect({ stack, code: plan.code }).toEqual({ stack, code: 0 });
      expect(plan.stdout).toContain("No changes.");
    }
  });

  it("plans no replacement of a running server when its image, user data or SSH keys change", async () => {
    await synthesize({ ...production, hetzner: { ...production.hetzner, image: "debian-12" }, sshPublicKeys: production.sshPublicKeys.slice(0, 1) });
    const file = join(project.stackDir(infra), "cdk.tf.json");
    const tf = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    for (const server of Object.values(tf.resource.hcloud_server)) server.user_data = `${String(server.user_data)}# changed\n`;
    writeFileSync(file, JSON.stringify(tf, null, 2));

    const output = await plan(infra);
    expect(output).not.toMatch(/hcloud_server\.\S+ must be replaced/);
    expect(output).not.toMatch(/# hcloud_server\.\S+ will be (updated|destroyed)/);
    // Without ignore_changes the same change would replace both servers: the local provider knows these force replacement.
    for (const server of Object.values(tf.resource.hcloud_server)) delete (server.lifecycle as Record<string, unknown>).ignore_changes;
    writeFileSync(file, JSON.stringify(tf, null, 2));
    expect(await plan(infra)).toMatch(/# hcloud_server\.\S+ must be replaced/);
    await synthesize(production);
  });

  it("refuses cdktf destroy of production-infra (prevent_destroy) and destroys nothing", async () => {
    const before = await project.terraform(infra, ["state", "list"]);
    const destroy = await project.cdktf(["destroy", infra, "--auto-approve", "--ignore-missing-stack-dependencies"]);
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toContain("Invoking Terraform CLI failed with exit code 1");
    // cdktf does not always flush Terraform's error text before it exits; Terraform states the reason.
    const destroyPlan = await project.terraform(infra, ["plan", "-destroy", "-input=false"]);
    expect(destroyPlan.code).toBe(1);
    expect(destroyPlan.stderr).toContain("Error: Instance cannot be destroyed");
    expect(destroyPlan.stderr).toContain("lifecycle.prevent_destroy");
    expect((await project.terraform(infra, ["state", "list"])).stdout).toBe(before.stdout);
    expect(before.stdout.split("\n").filter(Boolean).length).toBeGreaterThan(20);
  });

  it("leaves, for the pull-request comment, the stack's monthly cost before and after its plan: figures, no secret", async () => {
    const costDir = mkdtempSync(join(tmpdir(), "plan-cost-"));
    const diff = await project.script("tools/stack-plan.ts", ["diff", infra], { PLAN_COST_DIR: costDir });
    expect(diff.code).toBe(0);
    const text = readFileSync(join(costDir, `${infra}.json`), "utf8");
    const cost = JSON.parse(text) as { before: { lines: { address: string }[] }; after: { lines: { address: string }[] }; changes: unknown[] };
    expect(cost.changes).toEqual([]);
    expect(cost.after.lines.map((line) => line.address)).toEqual(cost.before.lines.map((line) => line.address));
    expect(cost.after.lines.map((line) => line.address)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hcloud_server\./), expect.stringMatching(/^hcloud_volume\./)]),
    );
    for (const [name, value] of Object.entries(project.env)) if (name.startsWith("TF_VAR_") && value) expect(text).not.toContain(value);
  });

  it("refuses, before apply, a plan that deletes a database removed from the configuration; a reviewed exception lets it through", async () => {
    const projects = production.apps?.projects ?? [];
    const withoutDatabase: EnvironmentConfig = {
      ...production,
      apps: { ...production.apps, projects: projects.map((p) => ({ ...p, databases: p.databases?.filter((d) => d.kind !== "postgresql") })) },
    };
    expect(projects.some((p) => p.databases?.some((d) => d.kind === "postgresql"))).toBe(true);
    project.writeConfig(deployed.config(withoutDatabase));

    const refused = await project.script("tools/stack-plan.ts", ["deploy", apps]);
    expect(refused.code).toBe(1);
    const address = /- (production-apps\/coolify_database_postgresql\.\S+) would be deleted/.exec(refused.stdout)?.[1];
    expect(address).toBeDefined();
    expect(refused.stderr.trim()).toBe("production-apps: the plan deletes stateful production resources; nothing was applied");
    expect(refused.output).not.toContain("Apply complete");
    expect(refused.output).not.toMatch(/\n\s+at /);

    const excepted: EnvironmentConfig = {
      ...withoutDatabase,
      guardrailExceptions: [{ rule: "stateful-deletion", path: address ?? "", reason: "shop database retired after the export (OPS-7)", approvedBy: "alice" }],
    };
    project.writeConfig(deployed.config(excepted));
    const allowed = await project.script("tools/stack-plan.ts", ["deploy", apps]);
    expect(allowed.stdout).toContain(`- ${address} would be deleted: allowed by the exception approved by alice`);
    // The monitoring follows: the retired database's backup alert leaves its rules, and the service restarts.
    expect(allowed.stdout).toMatch(/Apply complete! Resources: \d+ added, \d+ changed, [1-9]\d* destroyed/);
    expect(allowed.code).toBe(0);
  });
});
