/**
 * `npm run adopt -- --config <file.json> --environment <name> --url <Coolify URL>`: reads what an
 * existing Coolify holds (token in COOLIFY_TOKEN; the read ability is enough, `read:sensitive` is
 * needed for Dockerfiles and compose files) and writes it as that environment's `apps` in the JSON
 * configuration. The result must pass the configuration's own checks, and the file is replaced in
 * one rename: either the whole adoption is written or nothing is.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseConfig } from "../config/parse";
import { isRecord } from "../config/problems";
import { readConfigFile } from "../config/read";
import { requiredFlags, runAdoptionCommand } from "./adopt/command";
import { AdoptError, CoolifyReader, type Fetch, readCoolify } from "./adopt/coolify-read";
import { type AdoptedApps, appsFromSnapshot } from "./adopt/to-config";

export const USAGE = "usage: npm run adopt -- --config <file.json> --environment <name> --url <Coolify URL> (token in COOLIFY_TOKEN)";

export interface AdoptOptions {
  readonly config: string;
  readonly environment: string;
  readonly url: string;
  readonly token: string;
  readonly fetchImpl?: Fetch;
}

const FLAGS = ["--config", "--environment", "--url"] as const;

/** The options from the command line and COOLIFY_TOKEN; an AdoptError naming what is missing. */
export const optionsFromArgs = (args: readonly string[], env: NodeJS.ProcessEnv): AdoptOptions => {
  const values = requiredFlags(args, FLAGS, USAGE);
  const token = env.COOLIFY_TOKEN;
  if (!token) throw new AdoptError("COOLIFY_TOKEN is not set: create an API token in Coolify (Keys & Tokens; read is enough) and export it");
  const url = values["--url"];
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new AdoptError(`--url ${JSON.stringify(url)} is not a URL like https://coolify.staging.example.com`);
  return { config: values["--config"], environment: values["--environment"], url, token };
};

/** The configuration file with one environment's `apps` replaced. */
const withApps = (raw: unknown, file: string, environment: string, apps: AdoptedApps["apps"]): Record<string, unknown> => {
  const environments = isRecord(raw) && Array.isArray(raw.environments) ? raw.environments : undefined;
  const index = environments?.findIndex((entry) => isRecord(entry) && entry.name === environment) ?? -1;
  if (!isRecord(raw) || !environments || index < 0) {
    throw new AdoptError(
      `${file}: no environment ${JSON.stringify(environment)}: add it first (its infrastructure part, as README "Adding an environment" says), then adopt its apps`,
    );
  }
  return { ...raw, environments: environments.map((entry, i) => (i === index && isRecord(entry) ? { ...entry, apps } : entry)) };
};

/** Writes the file next to itself, then renames it over the old one. */
export const writeAtomically = (file: string, text: string): void => {
  const temporary = join(dirname(file), `.${basename(file)}.adopt-${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
};

/** Adopts the environment's Coolify into the file; returns what was adopted. */
export const adopt = async (options: AdoptOptions): Promise<AdoptedApps> => {
  const raw = readConfigFile(options.config);
  withApps(raw, options.config, options.environment, {});
  const snapshot = await readCoolify(new CoolifyReader(options.url, options.token, options.fetchImpl));
  const adopted = appsFromSnapshot(snapshot, options.environment);
  const updated = withApps(raw, options.config, options.environment, adopted.apps);
  parseConfig(updated);
  writeAtomically(options.config, `${JSON.stringify(updated, null, 2)}\n`);
  return adopted;
};

const report = (options: AdoptOptions, adopted: AdoptedApps): string => {
  const projects = Array.isArray(adopted.apps.projects) ? adopted.apps.projects.length : 0;
  const lines = [`Adopted ${projects} project(s) of ${options.url} into ${options.config}, environment ${JSON.stringify(options.environment)}.`];
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push("", title, ...items.map((item) => `  - ${item}`));
  };
  section("Set these variables before a plan (their values are in Coolify, never in the file):", adopted.variables);
  section("Renamed to fit the configuration's names (Coolify's name changes on the first apply):", adopted.renamed);
  section("Not expressed in the configuration (left as they are in Coolify, not managed):", adopted.notExpressed);
  section("Changed in place by the first apply, after the import (nothing is replaced):", adopted.firstApply);
  return lines.join("\n");
};

if (require.main === module) {
  void runAdoptionCommand(async () => {
    const options = optionsFromArgs(process.argv.slice(2), process.env);
    return report(options, await adopt(options));
  });
}
