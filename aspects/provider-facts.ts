/**
 * What the guardrails need to know from the provider schemas: which attributes each provider marks
 * sensitive, and which resource types carry labels. The generated bindings do not carry these
 * facts, so they are read once per process from the schemas `npm run get` keeps beside the bindings.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface ProviderFacts {
  /** Keyed by `provider.<name>` for a provider's own configuration, by resource type (`hcloud_server`) otherwise. */
  readonly sensitive: ReadonlyMap<string, ReadonlySet<string>>;
  /** Resource types that have a `labels` attribute. */
  readonly labelled: ReadonlySet<string>;
}

export const providerKey = (providerType: string): string => `provider.${providerType}`;

/**
 * Cloudflare and null come prebuilt from npm without their schema. Null has no sensitive attribute;
 * of Cloudflare only the provider credentials are used here (cloudflare/cloudflare 5.14.0 schema).
 */
const PREBUILT_PROVIDERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [providerKey("cloudflare"), new Set(["api_key", "api_token", "api_user_service_key"])],
]);

export const SCHEMA_DIRECTORY = resolve(__dirname, "..", ".gen", "provider-schemas");

interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, { readonly sensitive?: boolean }>>;
}

interface ProviderSchemaFile {
  readonly provider_schemas: Readonly<
    Record<
      string,
      { readonly provider: { readonly block: SchemaBlock }; readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>> }
    >
  >;
}

const sensitiveNames = (block: SchemaBlock): Set<string> =>
  new Set(
    Object.entries(block.attributes ?? {})
      .filter(([, attribute]) => attribute.sensitive === true)
      .map(([name]) => name),
  );

/** Reads every `terraform providers schema -json` file in `directory`. */
export const readProviderFacts = (directory: string): ProviderFacts => {
  const sensitive = new Map(PREBUILT_PROVIDERS);
  const labelled = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith(".json"));
  } catch {
    throw new Error(`guardrails: provider schemas not found in ${directory} (run npm run get)`);
  }
  for (const file of files) {
    const schema = JSON.parse(readFileSync(join(directory, file), "utf8")) as ProviderSchemaFile;
    for (const [source, provider] of Object.entries(schema.provider_schemas)) {
      sensitive.set(providerKey(source.split("/").pop() ?? source), sensitiveNames(provider.provider.block));
      for (const [type, resource] of Object.entries(provider.resource_schemas ?? {})) {
        const names = sensitiveNames(resource.block);
        if (names.size > 0) sensitive.set(type, names);
        if (resource.block.attributes?.labels) labelled.add(type);
      }
    }
  }
  return { sensitive, labelled };
};

let loaded: ProviderFacts | undefined;

export const providerFacts = (): ProviderFacts => {
  loaded ??= readProviderFacts(SCHEMA_DIRECTORY);
  return loaded;
};
