/**
 * `npm run adopt-infra -- --config <file.json> --environment <name>`: finds the Hetzner Cloud and
 * Cloudflare resources of a hand-built environment (read-only tokens in HCLOUD_TOKEN and
 * CLOUDFLARE_API_TOKEN) and writes into that environment's configuration the import id of each
 * (`adoptedInfra`) and the values the hand-built host fixes (location, image, server types, volume
 * sizes), so that the first plan imports them and replaces nothing. Either everything is written,
 * in one rename, or nothing is.
 */
import { parseConfig } from "../config/parse";
import { isRecord } from "../config/problems";
import { readConfigFile } from "../config/read";
import type { EnvironmentConfig } from "../config/schema";
import { writeAtomically } from "./adopt";
import { requiredFlags, runAdoptionCommand } from "./adopt/command";
import { AdoptError, type Fetch } from "./adopt/coolify-read";
import { InfraMatcher, type PlannedResource } from "./adopt/infra-match";
import { JsonApi } from "./adopt/json-api";

export const USAGE = "usage: npm run adopt-infra -- --config <file.json> --environment <name> (read-only tokens in HCLOUD_TOKEN and CLOUDFLARE_API_TOKEN)";

/** Where the APIs are: the providers' own defaults, overridable as for the providers. */
export const HETZNER_API = "https://api.hetzner.cloud/v1";
export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

export interface AdoptInfraOptions {
  readonly config: string;
  readonly environment: string;
  readonly hetznerToken: string;
  readonly cloudflareToken: string;
  readonly hetznerUrl?: string;
  readonly cloudflareUrl?: string;
  readonly fetchImpl?: Fetch;
}

export interface AdoptedInfra {
  readonly configChanges: readonly string[];
  readonly resources: readonly PlannedResource[];
}

const FLAGS = ["--config", "--environment"] as const;

export const optionsFromArgs = (args: readonly string[], env: NodeJS.ProcessEnv): AdoptInfraOptions => {
  const values = requiredFlags(args, FLAGS, USAGE);
  const [hetznerToken, cloudflareToken] = [env.HCLOUD_TOKEN, env.CLOUDFLARE_API_TOKEN];
  if (!hetznerToken) throw new AdoptError("HCLOUD_TOKEN is not set: create a Read token in the Hetzner Console (Security > API tokens) and export it");
  if (!cloudflareToken) throw new AdoptError("CLOUDFLARE_API_TOKEN is not set: create a token with Zone:Read and DNS:Read on the zone and export it");
  return {
    config: values["--config"],
    environment: values["--environment"],
    hetznerToken,
    cloudflareToken,
    hetznerUrl: env.HCLOUD_ENDPOINT,
    cloudflareUrl: env.CLOUDFLARE_BASE_URL,
  };
};

/** The file with one environment replaced. */
const withEnvironment = (raw: Record<string, unknown>, name: string, environment: Record<string, unknown>): Record<string, unknown> => ({
  ...raw,
  environments: (raw.environments as unknown[]).map((entry) => (isRecord(entry) && entry.name === name ? environment : entry)),
});

const environmentOf = (raw: unknown, file: string, name: string): { raw: Record<string, unknown>; env: EnvironmentConfig } => {
  const found = parseConfig(raw).environments.find((env) => env.name === name);
  if (!found || !isRecord(raw))
    throw new AdoptError(`${file}: no environment ${JSON.stringify(name)}: add it first (README "Adding an environment"), then adopt its infrastructure`);
  return { raw, env: found };
};

/** Adopts the environment's hand-built infrastructure into the file; returns what the first plan does. */
export const adoptInfra = async (options: AdoptInfraOptions): Promise<AdoptedInfra> => {
  const { raw, env } = environmentOf(readConfigFile(options.config), options.config, options.environment);
  const rawEnvironment = (raw.environments as unknown[]).find((entry) => isRecord(entry) && entry.name === options.environment) as Record<string, unknown>;
  const hetzner = new JsonApi(
    {
      name: "Hetzner Cloud",
      baseUrl: options.hetznerUrl ?? HETZNER_API,
      token: options.hetznerToken,
      refused: "the token was refused: create a Read token in the project's Hetzner Console (Security > API tokens) and set HCLOUD_TOKEN",
      forbidden: "the token may not read this: use a token of the project that holds the servers",
    },
    options.fetchImpl,
  );
  const cloudflare = new JsonApi(
    {
      name: "Cloudflare",
      baseUrl: options.cloudflareUrl ?? CLOUDFLARE_API,
      token: options.cloudflareToken,
      refused: "the token was refused: create an API token and set CLOUDFLARE_API_TOKEN",
      forbidden: "the token lacks Zone:Read or DNS:Read on this zone: add them to it",
    },
    options.fetchImpl,
  );
  const matcher = new InfraMatcher(hetzner, cloudflare);
  const { environment: fixed, changes } = await matcher.readServers(env, { ...rawEnvironment, adoptedInfra: undefined });
  const { env: fixedEnv } = environmentOf(withEnvironment(raw, options.environment, fixed), options.config, options.environment);
  const resources = await matcher.matchAll(fixedEnv);
  const adopted = Object.fromEntries(resources.flatMap((resource) => (resource.importId === undefined ? [] : [[resource.path, resource.importId]])));
  const updated = withEnvironment(raw, options.environment, { ...fixed, adoptedInfra: adopted });
  parseConfig(updated);
  writeAtomically(options.config, `${JSON.stringify(updated, null, 2)}\n`);
  return { configChanges: changes, resources };
};

const report = (options: AdoptInfraOptions, adopted: AdoptedInfra): string => {
  const imported = adopted.resources.filter((resource) => resource.importId !== undefined);
  const lines = [`Adopted ${imported.length} resource(s) of environment ${JSON.stringify(options.environment)} into ${options.config}.`];
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push("", title, ...items.map((item) => `  - ${item}`));
  };
  section("Configuration values taken from the hand-built servers:", adopted.configChanges);
  section(
    "Changed in place by the first apply (nothing is replaced):",
    imported.flatMap((resource) => resource.inPlace.map((change) => `${resource.path}: ${change}`)),
  );
  section(
    "Added by the first apply:",
    adopted.resources.flatMap((resource) => (resource.added === undefined ? [] : [`${resource.path} (${resource.type}): ${resource.added}`])),
  );
  return lines.join("\n");
};

if (require.main === module) {
  void runAdoptionCommand(async () => {
    const options = optionsFromArgs(process.argv.slice(2), process.env);
    return report(options, await adoptInfra(options));
  });
}
