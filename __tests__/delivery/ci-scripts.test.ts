import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { resolveStateStore, type S3StateStore } from "../../stacks/state-backend";
import { DEPLOY_SECRETS, PLAN_SECRETS, secretForVariable } from "../../tools/ci-secrets";
import { MIN_KEY_LENGTH, open, PlanArtifactError, seal } from "../../tools/plan-artifact";
import { planPlaceholders } from "../../tools/plan-placeholders";
import { publishCommand } from "../../tools/publish-outputs";
import { stackMatrix } from "../../tools/stack-matrix";
import { localStateInCi } from "../../tools/stack-plan";
import { TS_NODE_ARGS } from "../support/tools";

const ROOT = join(__dirname, "..", "..");

const runScript = (script: string, args: readonly string[], env: NodeJS.ProcessEnv) =>
  spawnSync("node", [...TS_NODE_ARGS, `tools/${script}`, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });

describe("secrets handed to Terraform in a workflow", () => {
  it("names each required variable's secret after TF_VAR_<name> in upper case", () => {
    expect(secretForVariable("secret_npm_token")).toMatchObject({ name: "TF_VAR_SECRET_NPM_TOKEN", variable: "TF_VAR_secret_npm_token", writes: true });
  });

  it("gives plans only credentials that cannot write", () => {
    expect(PLAN_SECRETS.filter((secret) => secret.writes)).toEqual([]);
    // Except where the store has no read-only keys: Hetzner's project-wide keys write.
    expect(PLAN_SECRETS.filter((secret) => secret.writesWith?.length).map((s) => [s.name, s.writesWith])).toEqual([
      ["STATE_READ_ACCESS_KEY_ID", ["hetzner"]],
      ["STATE_READ_SECRET_ACCESS_KEY", ["hetzner"]],
    ]);
    expect(DEPLOY_SECRETS.filter((secret) => secret.writes).map((s) => s.name)).toEqual([
      "HCLOUD_TOKEN",
      "CLOUDFLARE_API_TOKEN",
      "STATE_ACCESS_KEY_ID",
      "STATE_SECRET_ACCESS_KEY",
    ]);
  });

  it("prints a stack's variable secrets as step env lines, names only", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "staging-apps");
    new TerraformVariable(stack, "secret_shop_database_url", { type: "string", sensitive: true });
    new TerraformVariable(stack, "coolify_root_username", { type: "string", default: "root" });
    app.synth();
    const result = runScript("ci-secrets.ts", ["staging-apps"], { CDKTF_OUTDIR: app.outdir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("TF_VAR_secret_shop_database_url: ${{ secrets.TF_VAR_SECRET_SHOP_DATABASE_URL }}\n");
  });
});

describe("placeholders for a pull request's plan", () => {
  const required = ["coolify_root_email", "coolify_root_password", "coolify_ssh_host_key", "coolify_ssh_private_key", "coolify_token", "secret_npm_token"];

  it("stands in for every required value the plan is not given, fresh each time", () => {
    const first = planPlaceholders(required, { TF_VAR_secret_npm_token: "given" });
    expect(Object.keys(first).sort()).toEqual([
      "TF_VAR_coolify_root_email",
      "TF_VAR_coolify_root_password",
      "TF_VAR_coolify_ssh_host_key",
      "TF_VAR_coolify_ssh_private_key",
      "TF_VAR_coolify_token",
    ]);
    // The shape the host key's precondition asks for (constructs/hetzner/ssh-host-key.ts).
    expect(first.TF_VAR_coolify_ssh_host_key).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(first.TF_VAR_coolify_ssh_private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(first.TF_VAR_coolify_root_email).toMatch(/^plan-[0-9a-f]{8}@placeholder\.invalid$/);
    expect(first.TF_VAR_coolify_root_password).toMatch(/^Plan-[0-9a-f]{24}!A1$/);
    expect(first.TF_VAR_coolify_token).toMatch(/^[0-9a-f]{64}$/);
    expect(planPlaceholders(required, {}).TF_VAR_coolify_token).not.toBe(first.TF_VAR_coolify_token);
    expect(planPlaceholders(required, {}).TF_VAR_secret_npm_token).toMatch(/^[0-9a-f]{48}$/);
  });
});

describe("CI and local state", () => {
  it("refuses to plan or deploy in CI without STATE_BACKEND", () => {
    for (const ci of [{ CI: "true" }, { GITHUB_ACTIONS: "true" }]) {
      expect(localStateInCi(ci)).toMatch(/^STATE_BACKEND is not set: CI refuses to plan or deploy against local state/);
      expect(localStateInCi({ ...ci, STATE_BACKEND: "" })).toBeDefined();
      expect(localStateInCi({ ...ci, STATE_BACKEND: "r2" })).toBeUndefined();
    }
    expect(localStateInCi({})).toBeUndefined();
  });

  it("stops the script before synth, with one line", () => {
    const result = runScript("stack-plan.ts", ["deploy", "staging"], { CI: "true", STATE_BACKEND: "" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("STATE_BACKEND is not set");
  });
});

describe("sealed saved plans", () => {
  const key = "k".repeat(MIN_KEY_LENGTH);
  const plan = Buffer.from("PK\u0003\u0004 a saved plan with db_password=hunter2-secret");

  it("opens only with the key, and not once changed", () => {
    const sealed = seal(plan, key);
    expect(sealed.includes(Buffer.from("hunter2-secret"))).toBe(false);
    expect(open(sealed, key)).toEqual(plan);
    expect(() => open(sealed, "x".repeat(MIN_KEY_LENGTH))).toThrow(PlanArtifactError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => open(tampered, key)).toThrow("the sealed plan does not open with this key, or it was changed after it was sealed");
    expect(() => seal(plan, "short")).toThrow(`PLAN_ENCRYPTION_KEY must be at least ${MIN_KEY_LENGTH} characters`);
  });

  it("deletes the plain plan when sealing and writes the opened one owner-only", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-artifact-"));
    try {
      writeFileSync(join(dir, "tfplan"), plan);
      const env = { PLAN_ENCRYPTION_KEY: key };
      expect(runScript("plan-artifact.ts", ["seal", join(dir, "tfplan"), join(dir, "tfplan.sealed")], env).status).toBe(0);
      expect(existsSync(join(dir, "tfplan"))).toBe(false);
      const opened = runScript("plan-artifact.ts", ["open", join(dir, "tfplan.sealed"), join(dir, "opened")], env);
      expect(opened.status).toBe(0);
      expect(readFileSync(join(dir, "opened"))).toEqual(plan);
      expect(statSync(join(dir, "opened")).mode & 0o777).toBe(0o600);
      const wrong = runScript("plan-artifact.ts", ["open", join(dir, "tfplan.sealed"), join(dir, "other")], { PLAN_ENCRYPTION_KEY: "w".repeat(40) });
      expect({ status: wrong.status, stderr: wrong.stderr }).toEqual({
        status: 1,
        stderr: "the sealed plan does not open with this key, or it was changed after it was sealed\n",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("stack matrix for pull-request diffs", () => {
  it("lists every synthesized stack with its environment", () => {
    const app = Testing.app();
    for (const id of ["staging-infra", "staging-apps", "staging-eu-infra", "production-infra"]) new TerraformStack(app, id);
    app.synth();
    expect(stackMatrix(app.outdir, [{ name: "staging" }, { name: "staging-eu" }, { name: "production" }])).toEqual([
      { stack: "production-infra", environment: "production" },
      { stack: "staging-apps", environment: "staging" },
      { stack: "staging-eu-infra", environment: "staging-eu" },
      { stack: "staging-infra", environment: "staging" },
    ]);
  });
});

describe("publishing outputs to a bucket of their own", () => {
  const store = (variables: NodeJS.ProcessEnv): S3StateStore => {
    const resolved = resolveStateStore(variables);
    if (resolved.kind === "local") throw new Error("expected an S3 store");
    return resolved;
  };

  it("copies outputs/<env>.json to the outputs bucket in the state's store, never to the state bucket", () => {
    const hetzner = store({ STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "hel1" });
    expect(() => publishCommand(hetzner, "acme-tf-state", "staging", "outputs/staging.json")).toThrow(
      "OUTPUTS_BUCKET is the state bucket acme-tf-state: whoever reads the outputs would need read access to state",
    );
    expect(() => publishCommand(hetzner, undefined, "staging", "outputs/staging.json")).toThrow("OUTPUTS_BUCKET is not set");
    expect(publishCommand(hetzner, "acme-outputs", "staging", "outputs/staging.json")).toEqual({
      args: [
        "s3",
        "cp",
        "outputs/staging.json",
        "s3://acme-outputs/staging/outputs.json",
        "--endpoint-url",
        "https://hel1.your-objectstorage.com",
        "--region",
        "hel1",
        "--content-type",
        "application/json",
      ],
      env: {},
    });
  });

  it("asks the AWS CLI for R2-compatible checksums", () => {
    const command = publishCommand(
      store({ STATE_BACKEND: "r2", STATE_BUCKET: "acme-tf-state", STATE_R2_ACCOUNT_ID: "0123456789abcdef0123456789abcdef" }),
      "acme-outputs",
      "production",
      "outputs/production.json",
    );
    expect(command.args.slice(3)).toEqual([
      "s3://acme-outputs/production/outputs.json",
      "--endpoint-url",
      "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
      "--region",
      "auto",
      "--content-type",
      "application/json",
    ]);
    expect(command.env).toEqual({ AWS_REQUEST_CHECKSUM_CALCULATION: "when_required", AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" });
  });

  it("has nothing to publish with local state", () => {
    const result = runScript("publish-outputs.ts", ["staging"], { STATE_BACKEND: "local" });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("state is local: nothing to publish (the workflow artifact has the outputs)\n");
  });
});
