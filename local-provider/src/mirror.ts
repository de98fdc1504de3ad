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

const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

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

export const buildMirror = (outputDir: string, schemaPaths: readonly string[], entry = join(__dirname, "main.js")): Mirror => {
  const providers = providersIn(schemaPaths);
  const mirrorDir = join(resolve(outputDir), "mirror");
  for (const { address, version, schemaFile } of providers) {
    const type = address.split("/").pop() ?? address;
    const dir = join(mirrorDir, address, version, PLATFORM);
    mkdirSync(dir, { recursive: true });
    const wrapper = join(dir, `terraform-provider-${type}_v${version}`);
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(entry)} --schema ${JSON.stringify(schemaFile)} --provider ${JSON.stringify(address)}\n`,
    );
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
