/**
 * Installs local providers where `terraform init` finds them: a filesystem mirror with one wrapper
 * executable per provider (`terraform-provider-<type>_v<version>`, which starts the compiled
 * stand-in on one schema) and a CLI configuration that points Terraform at it. Terraform reads that
 * configuration from the file named by `TF_CLI_CONFIG_FILE`.
 *
 *   node mirror.js <output dir> <schema file or dir>...   prints the CLI configuration's path
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pickProvider, readSchemaFile, SchemaFileError } from "./schema";

export interface MirroredProvider {
  /** e.g. registry.terraform.io/hetznercloud/hcloud */
  readonly address: string;
  readonly version: string;
  readonly schemaFile: string;
}

export interface Mirror {
  readonly providers: readonly MirroredProvider[];
  /** The CLI configuration file to name in TF_CLI_CONFIG_FILE. */
  readonly cliConfigFile: string;
}

export const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

const schemaFiles = (paths: readonly string[]): string[] =>
  paths.flatMap((path) => {
    const absolute = resolve(path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      throw new SchemaFileError(`local provider: schema file or directory ${absolute} does not exist`);
    }
    if (!isDirectory) return [absolute];
    const found = readdirSync(absolute)
      .filter((name) => name.endsWith(".json"))
      .map((name) => join(absolute, name));
    if (found.length === 0) throw new SchemaFileError(`local provider: no schema files (*.json) in ${absolute}`);
    return found;
  });

/** Every provider the files describe, with the version each file records for it. */
export const providersIn = (paths: readonly string[]): MirroredProvider[] =>
  schemaFiles(paths).flatMap((schemaFile) => {
    const schemas = readSchemaFile(schemaFile);
    return Object.keys(schemas.provider_schemas).map((address) => {
      pickProvider(schemaFile, schemas, address);
      const version = schemas.provider_versions?.[address];
      if (!version) throw new SchemaFileError(`local provider: schema file ${schemaFile} records no version for provider ${address} ("provider_versions")`);
      return { address, version, schemaFile };
    });
  });

/** The environment variable naming the port of a running daemon.js on 127.0.0.1. */
export const DAEMON_VARIABLE = "LOCAL_PROVIDER_DAEMON";

/**
 * The executable Terraform starts: with a daemon (daemon.ts) reachable, an instance of it, else the
 * provider in a process of its own. The provider's schema and address are fixed here; the port is
 * read when Terraform starts it, so the mirror (and the lock file's checksum of it) is the same with
 * or without a daemon.
 */
const wrapperScript = (entry: string, schemaFile: string, address: string): string => {
  const [schema, provider] = [JSON.stringify(schemaFile), JSON.stringify(address)];
  return `#!/bin/bash
if [ -n "\${${DAEMON_VARIABLE}:-}" ] && { exec 3<>"/dev/tcp/127.0.0.1/\${${DAEMON_VARIABLE}}"; } 2>/dev/null; then
  printf '%s\\n%s\\n%s\\n' ${schema} ${provider} "$(env -0 | base64 -w0)" >&3
  IFS= read -r answer <&3 || exit 1
  case "$answer" in
    error\\ *) printf 'local provider daemon: %s\\n' "\${answer#error }" >&2; exit 1 ;;
  esac
  printf '%s\\n' "$answer"
  read -r _ <&3
  exit 0
fi
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(entry)} --schema ${schema} --provider ${provider}
`;
};

export const buildMirror = (outputDir: string, schemaPaths: readonly string[], entry = join(__dirname, "main.js")): Mirror => {
  const providers = providersIn(schemaPaths);
  const mirrorDir = join(resolve(outputDir), "mirror");
  for (const { address, version, schemaFile } of providers) {
    const type = address.split("/").pop() ?? address;
    const dir = join(mirrorDir, address, version, PLATFORM);
    mkdirSync(dir, { recursive: true });
    const wrapper = join(dir, `terraform-provider-${type}_v${version}`);
    writeFileSync(wrapper, wrapperScript(entry, schemaFile, address));
    chmodSync(wrapper, 0o755);
  }
  const cliConfigFile = join(resolve(outputDir), "terraform.rc");
  const include = providers.map(({ address }) => JSON.stringify(address)).join(", ");
  writeFileSync(
    cliConfigFile,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir)}\n    include = [${include}]\n  }\n}\n`,
  );
  return { providers, cliConfigFile };
};

if (require.main === module) {
  const [outputDir, ...schemaPaths] = process.argv.slice(2);
  try {
    if (!outputDir || schemaPaths.length === 0) throw new SchemaFileError("local provider: usage: mirror.js <output dir> <schema file or dir>...");
    process.stdout.write(`${buildMirror(outputDir, schemaPaths).cliConfigFile}\n`);
  } catch (error) {
    if (!(error instanceof SchemaFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
