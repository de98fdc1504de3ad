/**
 * The secrets the workflows hand to Terraform, each by name to the one step that needs it (never
 * `toJSON(secrets)`). GitHub stores secret names in upper case while Terraform variable names are
 * case-sensitive (ours are lower case), so a workflow maps `secrets.TF_VAR_SECRET_NPM_TOKEN` to
 * `TF_VAR_secret_npm_token` itself. docs/security.md explains who holds which secret.
 *
 * CLI: node -r @swc-node/register tools/ci-secrets.ts <stack>
 *   prints the `env:` lines a deploy step needs for the stack's required variables.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUDFLARE_TOKEN_ENV } from "../providers/cloudflare";
import { COOLIFY_TOKEN_ENV } from "../providers/coolify";
import { HCLOUD_TOKEN_ENV } from "../providers/hcloud";
import type { StateBackendKind } from "../stacks/state-backend";

export interface CiSecret {
  /** The secret's name in the GitHub environment. */
  readonly name: string;
  /** The environment variable the step sets from it. */
  readonly variable: string;
  /** Whether a holder can change infrastructure, Coolify or state with it. */
  readonly writes: boolean;
  /**
   * State backends whose stores cannot issue the read-only key this secret should be: there it
   * writes, and the GitHub environment holding it needs required reviewers (tools/repo-settings.ts).
   */
  readonly writesWith?: readonly StateBackendKind[];
  readonly what: string;
}

/**
 * What a pull request's plan may hold (the `<env>-plan` GitHub environments): credentials that can
 * only read, except where the store has no read-only key (`writesWith`). Bootstrap and application secrets are not among them; plans get placeholders
 * (tools/plan-placeholders.ts).
 */
export const PLAN_SECRETS: readonly CiSecret[] = [
  {
    name: "HCLOUD_READ_TOKEN",
    variable: HCLOUD_TOKEN_ENV,
    writes: false,
    what: "Hetzner Cloud API token of the environment's project with the Read permission",
  },
  {
    name: "CLOUDFLARE_READ_TOKEN",
    variable: CLOUDFLARE_TOKEN_ENV,
    writes: false,
    what: "Cloudflare API token with Zone Read, Zone Settings Read and DNS Read on the zone (and Access: Apps and Policies Read when its records are proxied)",
  },
  {
    name: "COOLIFY_READ_TOKEN",
    variable: COOLIFY_TOKEN_ENV,
    writes: false,
    what: "Coolify API token with only the read ability (the bootstrap variable coolify_read_token)",
  },
  {
    name: "STATE_READ_ACCESS_KEY_ID",
    variable: "AWS_ACCESS_KEY_ID",
    writes: false,
    writesWith: ["hetzner"],
    what: "state store key: with R2 an API token with Object Read on the environment's state bucket only; Hetzner has no read-only key, so with Hetzner it can write every bucket of the project (docs/security.md)",
  },
  {
    name: "STATE_READ_SECRET_ACCESS_KEY",
    variable: "AWS_SECRET_ACCESS_KEY",
    writes: false,
    writesWith: ["hetzner"],
    what: "secret of STATE_READ_ACCESS_KEY_ID",
  },
];

/** What a deploy's plan and apply hold (the `<env>` GitHub environments, only for commits on main). */
export const DEPLOY_SECRETS: readonly CiSecret[] = [
  { name: "HCLOUD_TOKEN", variable: HCLOUD_TOKEN_ENV, writes: true, what: "Hetzner Cloud API token (Read & Write) of the environment's own project" },
  {
    name: "CLOUDFLARE_API_TOKEN",
    variable: CLOUDFLARE_TOKEN_ENV,
    writes: true,
    what: "Cloudflare API token with DNS Edit on the zone (and Access: Apps and Policies Edit when its records are proxied)",
  },
  { name: "STATE_ACCESS_KEY_ID", variable: "AWS_ACCESS_KEY_ID", writes: true, what: "state store key scoped to the environment's own state bucket" },
  { name: "STATE_SECRET_ACCESS_KEY", variable: "AWS_SECRET_ACCESS_KEY", writes: true, what: "secret of STATE_ACCESS_KEY_ID" },
  { name: "PLAN_ENCRYPTION_KEY", variable: "PLAN_ENCRYPTION_KEY", writes: false, what: "key that seals the saved plan between the plan and the apply job" },
  {
    name: "OUTPUTS_SIGNING_KEY",
    variable: "OUTPUTS_SIGNING_KEY",
    writes: false,
    what: "Ed25519 private key (PEM) that signs the published outputs; application repositories keep the public key",
  },
];

/** A required Terraform variable comes from the secret named after `TF_VAR_<name>` in upper case. */
export const secretForVariable = (variable: string): CiSecret => ({
  name: `TF_VAR_${variable}`.toUpperCase(),
  variable: `TF_VAR_${variable}`,
  writes: true,
  what: `Terraform variable ${variable}`,
});

interface StackJson {
  readonly variable?: Readonly<Record<string, { readonly default?: unknown }>>;
}

/** The variables of a synthesized stack that have no default: a deploy must be given each one. */
export const requiredVariables = (stackDir: string): string[] => {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackJson;
  return Object.entries(stack.variable ?? {})
    .filter(([, definition]) => !("default" in definition))
    .map(([name]) => name)
    .sort();
};

if (require.main === module) {
  const stack = process.argv[2];
  if (!stack) throw new Error("usage: ci-secrets.ts <stack>");
  const lines = requiredVariables(join(process.env.CDKTF_OUTDIR ?? "cdktf.out", "stacks", stack))
    .map(secretForVariable)
    .map((secret) => `${secret.variable}: \${{ secrets.${secret.name} }}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
