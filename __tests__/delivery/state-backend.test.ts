import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { applyStateBackend, resolveStateStore } from "../../stacks/state-backend";
import { problemsFrom } from "../support/config";
import { describeWithTools, findTool } from "../support/tools";

const ENVIRONMENTS = [{ name: "staging" }, { name: "staging-eu" }, { name: "production" }];
const R2_ACCOUNT = "0123456789abcdef0123456789abcdef";

/** Synthesizes the app as `cdktf synth` does and returns the `terraform` block of every stack. */
const synthTerraformBlocks = (variables: NodeJS.ProcessEnv, stacks: readonly string[]): Record<string, Record<string, unknown>> => {
  const app = Testing.app();
  for (const id of stacks) new TerraformStack(app, id);
  applyStateBackend(app, ENVIRONMENTS, variables);
  app.synth();
  const read = (id: string): Record<string, unknown> => JSON.parse(readFileSync(join(app.outdir, "stacks", id, "cdk.tf.json"), "utf8")).terraform;
  return Object.fromEntries(stacks.map((id) => [id, read(id)]));
};

const SKIP_FLAGS = {
  skip_credentials_validation: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  skip_requesting_account_id: true,
};

const problemsOf = (variables: NodeJS.ProcessEnv): readonly string[] => problemsFrom(() => resolveStateStore(variables));

describe("state backend selection", () => {
  it("keeps cdktf's local state file per stack when nothing is configured", () => {
    const blocks = synthTerraformBlocks({}, ["staging-infra"]);
    expect(blocks["staging-infra"].backend).toEqual({ local: { path: `${process.cwd()}/terraform.staging-infra.tfstate` } });
    expect(synthTerraformBlocks({ STATE_BACKEND: "local" }, ["staging-infra"])).toEqual(blocks);
  });

  it("puts every stack of every environment under its own key in Hetzner Object Storage, with S3 locking", () => {
    const blocks = synthTerraformBlocks({ STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "fsn1" }, [
      "staging-infra",
      "staging-apps",
      "staging-eu-infra",
      "production-infra",
    ]);
    const hetzner = (key: string): unknown => ({
      s3: {
        bucket: "acme-tf-state",
        key,
        region: "fsn1",
        endpoints: { s3: "https://fsn1.your-objectstorage.com" },
        use_path_style: true,
        use_lockfile: true,
        ...SKIP_FLAGS,
      },
    });
    expect(blocks["staging-infra"].backend).toEqual(hetzner("staging/staging-infra.tfstate"));
    expect(blocks["staging-apps"].backend).toEqual(hetzner("staging/staging-apps.tfstate"));
    expect(blocks["staging-eu-infra"].backend).toEqual(hetzner("staging-eu/staging-eu-infra.tfstate"));
    expect(blocks["production-infra"].backend).toEqual(hetzner("production/production-infra.tfstate"));
  });

  it("uses R2's account endpoint, region auto and no SDK checksums, with S3 locking", () => {
    const blocks = synthTerraformBlocks({ STATE_BACKEND: "r2", STATE_BUCKET: "acme-tf-state", STATE_R2_ACCOUNT_ID: R2_ACCOUNT }, ["production-infra"]);
    expect(blocks["production-infra"].backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "production/production-infra.tfstate",
        region: "auto",
        endpoints: { s3: `https://${R2_ACCOUNT}.r2.cloudflarestorage.com` },
        use_path_style: true,
        use_lockfile: true,
        skip_s3_checksum: true,
        ...SKIP_FLAGS,
      },
    });
  });

  it("never writes credentials into the synthesized stack", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "staging-infra");
    const secret = "very-secret-access-key-value";
    applyStateBackend(app, ENVIRONMENTS, {
      STATE_BACKEND: "r2",
      STATE_BUCKET: "acme-tf-state",
      STATE_R2_ACCOUNT_ID: R2_ACCOUNT,
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEYID",
      AWS_SECRET_ACCESS_KEY: secret,
    });
    const json = Testing.synth(stack);
    expect(json).not.toContain(secret);
    expect(json).not.toContain("AKIAEXAMPLEKEYID");
    expect(json).not.toMatch(/access_key|secret_key/);
  });

  it("names the variable and the allowed values for an unknown backend", () => {
    expect(problemsOf({ STATE_BACKEND: "s3" })).toEqual(['STATE_BACKEND: "s3" is not a known state backend (allowed: local, hetzner, r2)']);
  });

  it("reports every missing or wrong S3 setting at once", () => {
    expect(problemsOf({ STATE_BACKEND: "hetzner", STATE_LOCATION: "ash" })).toEqual([
      "STATE_BUCKET: must be a non-empty string, got undefined",
      'STATE_LOCATION: "ash" is not a known Hetzner Object Storage location (allowed: fsn1, nbg1, hel1)',
    ]);
    expect(problemsOf({ STATE_BACKEND: "r2", STATE_BUCKET: "Bad_Bucket", STATE_R2_ACCOUNT_ID: "acme" })).toEqual([
      'STATE_BUCKET: "Bad_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)',
      'STATE_R2_ACCOUNT_ID: "acme" is not a Cloudflare account id (32 lowercase hex characters)',
    ]);
  });

  it("refuses a stack that belongs to no configured environment", () => {
    const app = Testing.app();
    new TerraformStack(app, "qa-infra");
    expect(() => applyStateBackend(app, ENVIRONMENTS, { STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "nbg1" })).toThrow(
      'stack "qa-infra" is not named <env>-<kind> for any configured environment (allowed: staging, staging-eu, production)',
    );
  });
});

describeWithTools("the synthesized S3 backend in real terraform", { terraform: findTool("terraform") }, () => {
  /**
   * Runs `terraform init` on a stack's synthesized backend block with the endpoint moved to a closed
   * local port: Terraform must accept every argument and fail only when it connects.
   */
  const initAgainstClosedPort = (variables: NodeJS.ProcessEnv): string => {
    const block = synthTerraformBlocks(variables, ["staging-infra"])["staging-infra"].backend as { s3: Record<string, unknown> };
    const dir = mkdtempSync(join(tmpdir(), "s3-backend-"));
    try {
      const s3 = { ...block.s3, endpoints: { s3: "http://127.0.0.1:9" } };
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { backend: { s3 } } }));
      const result = spawnSync("terraform", ["init", "-input=false", "-no-color", "-backend-config=max_retries=1"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1", AWS_ACCESS_KEY_ID: "test-key", AWS_SECRET_ACCESS_KEY: "test-secret" },
      });
      expect(result.status).toBe(1);
      return result.stdout + result.stderr;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it.each([
    ["Hetzner", { STATE_BACKEND: "hetzner", STATE_BUCKET: "acme-tf-state", STATE_LOCATION: "fsn1" }],
    ["R2", { STATE_BACKEND: "r2", STATE_BUCKET: "acme-tf-state", STATE_R2_ACCOUNT_ID: R2_ACCOUNT }],
  ])("%s: terraform accepts every argument and addresses the bucket path-style", (_name, variables) => {
    const output = initAgainstClosedPort(variables);
    expect(output).not.toMatch(/Extraneous JSON object property|Unsupported argument|Invalid value/);
    expect(output).toContain('Get "http://127.0.0.1:9/acme-tf-state?list-type=2');
    expect(output).toContain("connection refused");
  });
});
