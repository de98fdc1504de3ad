import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { githubEnvLines, terraformEnvironment } from "../../scripts/ci-secrets";
import { publishCommand } from "../../scripts/publish-outputs";
import { stackMatrix } from "../../scripts/stack-matrix";
import { resolveStateStore, type S3StateStore } from "../../stacks/state-backend";

const ROOT = join(__dirname, "..", "..");
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";

const runScript = (script: string, args: readonly string[], env: NodeJS.ProcessEnv) =>
  spawnSync("node", ["-r", "@swc-node/register", `scripts/${script}`, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });

describe("secrets handed to Terraform in a workflow", () => {
  const secrets = {
    HCLOUD_TOKEN: "hcloud-token-value",
    CLOUDFLARE_API_TOKEN: "cloudflare-token-value",
    COOLIFY_TOKEN: "coolify-token-value",
    STATE_ACCESS_KEY_ID: "state-key-id",
    STATE_SECRET_ACCESS_KEY: "state-secret",
    TF_VAR_COOLIFY_SSH_PRIVATE_KEY: SSH_KEY,
    TF_VAR_SECRET_SHOP_DB_PASSWORD: "db-password-value",
    github_token: "ghs_not-for-terraform",
    UNRELATED: "left out",
  };

  it("lower-cases TF_VAR_ names (GitHub upper-cases secret names), keeps provider tokens, maps the state keys", () => {
    expect(terraformEnvironment(secrets)).toEqual({
      HCLOUD_TOKEN: "hcloud-token-value",
      CLOUDFLARE_API_TOKEN: "cloudflare-token-value",
      COOLIFY_TOKEN: "coolify-token-value",
      AWS_ACCESS_KEY_ID: "state-key-id",
      AWS_SECRET_ACCESS_KEY: "state-secret",
      TF_VAR_coolify_ssh_private_key: SSH_KEY,
      TF_VAR_secret_shop_db_password: "db-password-value",
    });
  });

  it("writes multi-line values in GitHub's heredoc form", () => {
    expect(githubEnvLines({ TF_VAR_key: SSH_KEY, HCLOUD_TOKEN: "t" }, "EOF_x")).toBe(`TF_VAR_key<<EOF_x\n${SSH_KEY}\nEOF_x\nHCLOUD_TOKEN<<EOF_x\nt\nEOF_x\n`);
    expect(() => githubEnvLines({ HCLOUD_TOKEN: "a\nEOF_x\nb" }, "EOF_x")).toThrow("secret HCLOUD_TOKEN contains the delimiter; run again");
  });

  it("appends to $GITHUB_ENV as a CLI and prints names only, never values", () => {
    const dir = mkdtempSync(join(tmpdir(), "ci-secrets-"));
    try {
      const githubEnv = join(dir, "env");
      writeFileSync(githubEnv, "EXISTING=1\n");
      const result = runScript("ci-secrets.ts", [], { GITHUB_ENV: githubEnv, SECRETS: JSON.stringify(secrets) });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(
        "exported 7 secret(s): AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, CLOUDFLARE_API_TOKEN, COOLIFY_TOKEN, HCLOUD_TOKEN, TF_VAR_coolify_ssh_private_key, TF_VAR_secret_shop_db_password\n",
      );
      for (const value of Object.values(secrets)) expect(result.stdout + result.stderr).not.toContain(value);
      const written = readFileSync(githubEnv, "utf8");
      expect(written.startsWith("EXISTING=1\nHCLOUD_TOKEN<<EOF_")).toBe(true);
      expect(written).toContain(`\n${SSH_KEY}\n`);
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

describe("publishing outputs to the state bucket", () => {
  const store = (variables: NodeJS.ProcessEnv): S3StateStore => {
    const resolved = resolveStateStore(variables);
    if (resolved.kind === "local") throw new Error("expected an S3 store");
    return resolved;
  };

  it("copies outputs/<env>.json beside the state keys in Hetzner Object Storage", () => {
    expect(
      publishCommand(store({ STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "hel1" }), "staging", "outputs/staging.json"),
    ).toEqual({
      args: [
        "s3",
        "cp",
        "outputs/staging.json",
        "s3://acme-tf-state/staging/outputs.json",
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
      "production",
      "outputs/production.json",
    );
    expect(command.args.slice(3)).toEqual([
      "s3://acme-tf-state/production/outputs.json",
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
