/**
 * `npm run new-environment -- <name> [<domain>]`: scaffolds an environment that synthesizes on the
 * first run. It writes `config/environments/<name>.ts` (the staging environment's zone, location,
 * server type, admin networks and people's keys; its own domain, `<name>.<zone>` unless given; no
 * applications, so no names of another environment are reused), adds it to `config/index.ts`, and
 * generates the environment's own deploy key pair: the public half goes into the file, the private
 * half into `.secrets/<name>/ci-deploy` (git-ignored, mode 600), the value of its
 * `TF_VAR_COOLIFY_SSH_PRIVATE_KEY`; likewise its SSH host key: the public half is the file's
 * `sshHostKey`, the private half `.secrets/<name>/ssh-host-key`, the value of its
 * `TF_VAR_COOLIFY_SSH_HOST_KEY`. The new configuration is parsed before anything is written.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig } from "../config";
import { parseConfig } from "../config/parse";
import { ConfigError, quote } from "../config/problems";
import { ENVIRONMENT_NAME_PATTERN, type EnvironmentConfig } from "../config/schema";

const ROOT = join(__dirname, "..");
export const SECRETS_DIR = ".secrets";
const DEPLOY_KEY_NAME = "ci-deploy";
const HOST_KEY_NAME = "ssh-host-key";

class UsageError extends Error {}

/** A fresh ed25519 pair from ssh-keygen, in OpenSSH's format: `[private key, public key line]`. */
export const keyPair = (comment: string): readonly [string, string] => {
  const dir = mkdtempSync(join(tmpdir(), "deploy-key-"));
  try {
    const file = join(dir, "key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], { stdio: "ignore" });
    return [readFileSync(file, "utf8"), readFileSync(`${file}.pub`, "utf8").trim()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const exportName = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const environmentFile = (env: EnvironmentConfig, template: EnvironmentConfig): string => `import { COOLIFY_VERSION } from "../../catalog/coolify";
import type { EnvironmentConfig } from "../schema";
import { ADMIN_CIDRS, TEAM_SSH_KEYS } from "./shared";

/** Scaffolded by \`npm run new-environment\`; the private halves of the deploy key and the host key are in ${SECRETS_DIR}/${env.name}/. */
export const ${exportName(env.name)}: EnvironmentConfig = {
  name: ${quote(env.name)},
  domain: ${quote(env.domain)},
  dns: { zone: ${quote(env.dns.zone)} },
  hetzner: ${JSON.stringify(template.hetzner)
    .replace(/"(\w+)":/g, "$1: ")
    .replace(/,/g, ", ")
    .replace(/\{/, "{ ")
    .replace(/\}$/, " }")},
  sshPublicKeys: [
    { name: ${quote(DEPLOY_KEY_NAME)}, purpose: "deploy", publicKey: ${quote(env.sshPublicKeys[0].publicKey)} },
    ...TEAM_SSH_KEYS,
  ],
  sshHostKey: ${quote(env.sshHostKey)},
  adminCidrs: ADMIN_CIDRS,
  coolify: { version: COOLIFY_VERSION },
  servers: [{ name: "coolify", role: "coolify-host" }],
  production: false,
};
`;

/** `config/index.ts` with the new environment imported and listed last. */
const indexWith = (index: string, name: string): string => {
  const list = /exampleConfig: PlatformConfig = \{ environments: \[([^\]]*)\] \};/;
  if (!list.test(index))
    throw new UsageError(
      "config/index.ts does not list the environments as `exampleConfig: PlatformConfig = { environments: [...] }`; add the new one by hand",
    );
  const imports = /^(?:import \{ \w+ \} from "\.\/environments\/[^"]+";\n)+/m;
  const importLine = `import { ${exportName(name)} } from "./environments/${name}";\n`;
  const byPath = (line: string): string => line.slice(line.indexOf('"'));
  return index
    .replace(list, (_, names: string) => `exampleConfig: PlatformConfig = { environments: [${names}, ${exportName(name)}] };`)
    .replace(imports, (lines) => [...lines.split(/(?<=\n)/).filter(Boolean), importLine].sort((a, b) => byPath(a).localeCompare(byPath(b))).join(""));
};

/**
 * The environment `npm run new-environment` writes, next to `existing`: the first non-production
 * environment's zone, location, server type and admin networks, its own domain, deploy key and SSH
 * host key, one Coolify host and nothing else. `template` is the environment it was taken from.
 */
export const scaffoldEnvironment = (
  existing: readonly EnvironmentConfig[],
  name: string,
  keys: { readonly deployPublicKey: string; readonly hostPublicKey: string },
  domainArg?: string,
): { readonly env: EnvironmentConfig; readonly template: EnvironmentConfig } => {
  const template = existing.find((env) => !env.production) ?? existing[0];
  const env: EnvironmentConfig = {
    ...template,
    name,
    domain: domainArg ?? `${name}.${template.dns.zone}`,
    dns: { zone: template.dns.zone },
    sshPublicKeys: [{ name: DEPLOY_KEY_NAME, purpose: "deploy", publicKey: keys.deployPublicKey }],
    sshHostKey: keys.hostPublicKey,
    servers: [{ name: "coolify", role: "coolify-host" }],
    production: false,
    apps: undefined,
    labels: undefined,
    guardrailExceptions: undefined,
    observability: undefined,
    coolifyBackup: undefined,
    monthlyBudgetEur: undefined,
  };
  return { env, template };
};

export const newEnvironment = (name: string, domainArg?: string): string[] => {
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new UsageError(`${quote(name)} is not an environment name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 20)`);
  }
  const file = join(ROOT, "config", "environments", `${name}.ts`);
  const keyFile = join(ROOT, SECRETS_DIR, name, DEPLOY_KEY_NAME);
  const hostKeyFile = join(ROOT, SECRETS_DIR, name, HOST_KEY_NAME);
  if (existsSync(file) || exampleConfig.environments.some((env) => env.name === name)) throw new UsageError(`environment ${quote(name)} exists already`);
  for (const secret of [keyFile, hostKeyFile]) {
    if (existsSync(secret)) throw new UsageError(`${secret} exists already; remove it or choose another name`);
  }
  const [privateKey, deployPublicKey] = keyPair(`${DEPLOY_KEY_NAME}@${name}`);
  const [hostPrivateKey, hostPublicKey] = keyPair(`host@${name}`);
  const { env, template } = scaffoldEnvironment(exampleConfig.environments, name, { deployPublicKey, hostPublicKey }, domainArg);
  // Every problem (a domain outside the zone, a name taken) is reported before anything is written.
  parseConfig({ environments: [...exampleConfig.environments, env] });
  const indexFile = join(ROOT, "config", "index.ts");
  const index = indexWith(readFileSync(indexFile, "utf8"), name);
  mkdirSync(join(ROOT, SECRETS_DIR, name), { recursive: true, mode: 0o700 });
  for (const [path, content] of [
    [keyFile, privateKey],
    [hostKeyFile, hostPrivateKey],
  ]) {
    writeFileSync(`${path}.tmp`, content, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
  writeFileSync(file, environmentFile(env, template));
  writeFileSync(indexFile, index);
  return [
    `wrote config/environments/${name}.ts and listed it in config/index.ts`,
    `wrote the deploy key's private half to ${SECRETS_DIR}/${name}/${DEPLOY_KEY_NAME} (git-ignored): set it as TF_VAR_COOLIFY_SSH_PRIVATE_KEY of ${name}`,
    `wrote the SSH host key's private half to ${SECRETS_DIR}/${name}/${HOST_KEY_NAME} (git-ignored): set it as TF_VAR_COOLIFY_SSH_HOST_KEY of ${name}`,
    `next: npm run synth (${name}-infra and ${name}-apps appear), then docs/runbook/first-deploy.md`,
  ];
};

if (require.main === module) {
  const [name, domain] = process.argv.slice(2);
  try {
    if (name === undefined) throw new UsageError("usage: npm run new-environment -- <name> [<domain>]");
    process.stdout.write(`${newEnvironment(name, domain).join("\n")}\n`);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
