/**
 * Hands a GitHub environment's secrets to Terraform in a workflow. GitHub stores secret names in
 * upper case while Terraform variable names are case-sensitive (ours are lower case), so
 * `TF_VAR_COOLIFY_ROOT_PASSWORD` becomes `TF_VAR_coolify_root_password`. Provider tokens keep their
 * names; the state store's keys become the AWS variables the S3 backend reads. Values are written
 * to $GITHUB_ENV only, never printed.
 *
 * CLI (in a workflow step with `env: SECRETS: ${{ toJSON(secrets) }}`):
 *   node -r @swc-node/register scripts/ci-secrets.ts
 */
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { CLOUDFLARE_TOKEN_ENV } from "../providers/cloudflare";
import { COOLIFY_TOKEN_ENV } from "../providers/coolify";
import { HCLOUD_TOKEN_ENV } from "../providers/hcloud";

const RENAMED: Readonly<Record<string, string>> = {
  STATE_ACCESS_KEY_ID: "AWS_ACCESS_KEY_ID",
  STATE_SECRET_ACCESS_KEY: "AWS_SECRET_ACCESS_KEY",
  [HCLOUD_TOKEN_ENV]: HCLOUD_TOKEN_ENV,
  [CLOUDFLARE_TOKEN_ENV]: CLOUDFLARE_TOKEN_ENV,
  [COOLIFY_TOKEN_ENV]: COOLIFY_TOKEN_ENV,
};

const TF_VAR = "TF_VAR_";

/** The environment variables a deploy or diff gets from the secrets; other secrets are left out. */
export const terraformEnvironment = (secrets: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(secrets).flatMap(([name, value]): [string, string][] => {
      if (name.startsWith(TF_VAR) && name.length > TF_VAR.length) return [[`${TF_VAR}${name.slice(TF_VAR.length).toLowerCase()}`, value]];
      const renamed = RENAMED[name];
      return renamed ? [[renamed, value]] : [];
    }),
  );

/** $GITHUB_ENV lines; the heredoc form carries multi-line values such as SSH private keys. */
export const githubEnvLines = (variables: Readonly<Record<string, string>>, delimiter = `EOF_${randomBytes(16).toString("hex")}`): string =>
  Object.entries(variables)
    .map(([name, value]) => {
      if (value.includes(delimiter)) throw new Error(`secret ${name} contains the delimiter; run again`);
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");

if (require.main === module) {
  const file = process.env.GITHUB_ENV;
  if (!file) throw new Error("GITHUB_ENV is not set: this runs inside a GitHub Actions step");
  const variables = terraformEnvironment(JSON.parse(process.env.SECRETS ?? "{}") as Record<string, string>);
  appendFileSync(file, githubEnvLines(variables));
  process.stdout.write(`exported ${Object.keys(variables).length} secret(s): ${Object.keys(variables).sort().join(", ") || "none"}\n`);
}
