/**
 * A pull request's plan holds no bootstrap secret (docs/security.md): through the real Terraform
 * and the local providers, `npm run diff` plans the infra stack with none of them, while a deploy
 * still requires them and still checks them; and the saved plans leave nothing behind.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { exampleEnvironment } from "./environment-harness";

const BOOTSTRAP_VARIABLES = [
  "coolify_read_token",
  "coolify_root_email",
  "coolify_root_password",
  "coolify_ssh_host_key",
  "coolify_ssh_private_key",
  "coolify_token",
];

describeWithTools("plans without bootstrap secrets", TERRAFORM_TOOLS, () => {
  let project: CdktfProject;
  let scratch: string;
  const stack = "staging-infra";

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "plan-scratch-"));
    const env = { ...exampleEnvironment("staging"), apps: undefined };
    project = new CdktfProject({ environments: [env] }, [], { TMPDIR: scratch });
    for (const name of BOOTSTRAP_VARIABLES) delete project.env[`TF_VAR_${name}`];
  });

  it("plans the infra stack with placeholders and leaves no saved plan behind", async () => {
    const diff = await project.script("tools/stack-plan.ts", ["diff", stack]);
    expect({ code: diff.code, output: diff.output }).toEqual({
      code: 0,
      output: expect.stringContaining(`planning with placeholders for values this plan is not given: ${BOOTSTRAP_VARIABLES.join(", ")}`),
    });
    expect(diff.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(readdirSync(scratch)).toEqual([]);
  }, 300_000);

  it("still requires the real values to deploy", async () => {
    const deploy = await project.script("tools/stack-plan.ts", ["deploy", stack]);
    expect(deploy.code).toBe(1);
    expect(deploy.output).toContain("No value for required variable");
    expect(deploy.output).toContain(`terraform plan failed in`);
    expect(readdirSync(scratch)).toEqual([]);
  }, 300_000);

  it("saves a deploy's plan owner-only for the apply job, and apply takes only a saved plan", async () => {
    const planDir = mkdtempSync(join(scratch, "saved-"));
    const planFile = join(planDir, "tfplan");
    const secrets = {
      TF_VAR_coolify_root_email: "root-7f3a9c@corp.test",
      TF_VAR_coolify_root_password: "Plan-Only-Passw0rd-1!",
      TF_VAR_coolify_ssh_private_key: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
      TF_VAR_coolify_ssh_host_key: "-----BEGIN OPENSSH PRIVATE KEY-----\nBBBB\n-----END OPENSSH PRIVATE KEY-----",
      TF_VAR_coolify_token: "t".repeat(40),
      TF_VAR_coolify_read_token: "r".repeat(40),
    };
    const plan = await project.script("tools/stack-plan.ts", ["plan", stack, planFile], secrets);
    expect(plan.code).toBe(0);
    expect(plan.output).not.toContain("placeholders");
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    const shown = await project.terraform(stack, ["show", planFile]);
    expect(shown.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    for (const value of Object.values(secrets)) expect(shown.output + plan.output).not.toContain(value);
    const missing = await project.script("tools/stack-plan.ts", ["apply", stack, join(planDir, "absent")]);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 1,
      stderr: `${join(planDir, "absent")} does not exist: apply takes the saved plan of the plan job\n`,
    });
    const environmentWide = await project.script("tools/stack-plan.ts", ["plan", "staging", planFile]);
    expect(environmentWide.stderr).toBe("plan takes one stack, not an environment\n");
    rmSync(planDir, { recursive: true, force: true });
  }, 300_000);

  it("still checks them when they are given", async () => {
    const deploy = await project.script("tools/stack-plan.ts", ["deploy", stack], {
      TF_VAR_coolify_root_email: "ops@example.com",
      TF_VAR_coolify_root_password: "weak",
      TF_VAR_coolify_ssh_private_key: "not a key",
      TF_VAR_coolify_ssh_host_key: "ssh-ed25519 AAAA the public half",
      TF_VAR_coolify_token: "short",
      TF_VAR_coolify_read_token: "short",
    });
    expect(deploy.code).toBe(1);
    // Terraform wraps long messages.
    const output = deploy.output.replace(/\s+/g, " ");
    expect(output).toContain('Environment "staging": coolify_root_password must be at least 16 characters long.');
    expect(output).toContain('Environment "staging": coolify_ssh_private_key must be a PEM/OpenSSH private key');
    expect(output).toContain('Environment "staging": coolify_ssh_host_key must be an OpenSSH private key');
    expect(deploy.output).not.toContain("Apply complete");
  }, 300_000);
});

describeWithTools("proxied records and the zone's SSL mode", TERRAFORM_TOOLS, () => {
  const proxiedStaging = { ...exampleEnvironment("staging"), apps: undefined, dns: { ...exampleEnvironment("staging").dns, proxied: true } };
  const planWithSslMode = async (value: string) => {
    const project = new CdktfProject({ environments: [proxiedStaging] }, [
      { data_source: "cloudflare_zone_setting", match: { setting_id: "ssl" }, values: { value } },
    ]);
    return project.script("tools/stack-plan.ts", ["diff", "staging-infra"]);
  };

  it("fails the plan unless the zone is on Full (strict)", async () => {
    const flexible = await planWithSslMode("full");
    expect(flexible.code).toBe(1);
    expect(flexible.output.replace(/\s+/g, " ")).toContain(
      'Environment "staging": proxied records need the SSL/TLS mode of zone example.com set to Full (strict) ("strict")',
    );
    const strict = await planWithSslMode("strict");
    expect({ code: strict.code, plan: /Plan: \d+ to add/.test(strict.output) }).toEqual({ code: 0, plan: true });
    // Terraform checked the Access application against Cloudflare's real schema to plan it.
    expect(strict.output).toContain("cloudflare_zero_trust_access_application.admin-edge-access_dashboard_");
    expect(strict.output.replace(/\s+/g, " ")).toContain('decision = "bypass"');
  }, 300_000);
});
