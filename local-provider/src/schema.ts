/**
 * A provider's schema as `terraform providers schema -json` prints it, read from one file, checked
 * enough to serve, and turned into the plugin protocol's `Schema` messages.
 */
import { readFileSync } from "node:fs";

/** A cty type in its JSON form: "string", ["list", "string"], ["object", {...}], "dynamic", ... */
export type CtyType = string | [string, CtyType] | ["object", Record<string, CtyType>] | ["object", Record<string, CtyType>, string[]] | ["tuple", CtyType[]];

export type NestingMode = "single" | "list" | "set" | "map" | "group";

export interface AttributeSchema {
  readonly type?: CtyType;
  readonly nested_type?: { readonly attributes?: Record<string, AttributeSchema>; readonly nesting_mode: Exclude<NestingMode, "group"> };
  readonly description?: string;
  readonly description_kind?: "plain" | "markdown";
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  readonly write_only?: boolean;
}

export interface BlockTypeSchema {
  readonly nesting_mode: NestingMode;
  readonly block: BlockSchema;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface BlockSchema {
  readonly attributes?: Record<string, AttributeSchema>;
  readonly block_types?: Record<string, BlockTypeSchema>;
  readonly description?: string;
  readonly description_kind?: "plain" | "markdown";
  readonly deprecated?: boolean;
}

export interface TypeSchema {
  readonly version: number;
  readonly block: BlockSchema;
}

export interface ProviderSchema {
  readonly provider: TypeSchema;
  readonly resource_schemas?: Record<string, TypeSchema>;
  readonly data_source_schemas?: Record<string, TypeSchema>;
}

export interface SchemaFile {
  readonly format_version?: string;
  readonly provider_schemas: Record<string, ProviderSchema>;
  readonly provider_versions?: Record<string, string>;
}

/** A user's mistake in what the provider was asked to serve: printed as one line, never a trace. */
export class SchemaFileError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const readSchemaFile = (file: string): SchemaFile => {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new SchemaFileError(`local provider: cannot read schema file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SchemaFileError(`local provider: schema file ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed) || !isRecord(parsed.provider_schemas)) {
    throw new SchemaFileError(
      `local provider: schema file ${file} has no "provider_schemas" object; expected the output of \`terraform providers schema -json\``,
    );
  }
  for (const [address, provider] of Object.entries(parsed.provider_schemas)) {
    if (!isRecord(provider) || !isRecord(provider.provider) || !isRecord(provider.provider.block)) {
      throw new SchemaFileError(`local provider: schema file ${file}: provider ${address} has no "provider.block" schema`);
    }
  }
  return parsed as unknown as SchemaFile;
};

/** The one provider of `address` in the file; with no address, the file's only provider. */
export const pickProvider = (file: string, schemas: SchemaFile, address?: string): { address: string; schema: ProviderSchema } => {
  const addresses = Object.keys(schemas.provider_schemas);
  const chosen = address ?? (addresses.length === 1 ? addresses[0] : undefined);
  const schema = chosen === undefined ? undefined : schemas.provider_schemas[chosen];
  if (chosen === undefined || !schema) {
    const which = address ? `provider ${address}` : "a provider (the file holds several; name one)";
    throw new SchemaFileError(`local provider: schema file ${file} has no schema for ${which}; it has: ${addresses.join(", ") || "none"}`);
  }
  return { address: chosen, schema };
};

const STRING_KIND = { plain: 0, markdown: 1 } as const;
const BLOCK_NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;

const protoAttribute = (name: string, attribute: AttributeSchema): object => ({
  name,
  type: attribute.type === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(attribute.type)),
  nested_type: attribute.nested_type && {
    attributes: Object.entries(attribute.nested_type.attributes ?? {}).map(([key, value]) => protoAttribute(key, value)),
    nesting: BLOCK_NESTING[attribute.nested_type.nesting_mode],
  },
  description: attribute.description ?? "",
  description_kind: STRING_KIND[attribute.description_kind ?? "plain"],
  required: attribute.required ?? false,
  optional: attribute.optional ?? false,
  computed: attribute.computed ?? false,
  sensitive: attribute.sensitive ?? false,
  deprecated: attribute.deprecated ?? false,
  write_only: attribute.write_only ?? false,
});

const protoBlock = (block: BlockSchema, version: number): object => ({
  version,
  attributes: Object.entries(block.attributes ?? {}).map(([name, attribute]) => protoAttribute(name, attribute)),
  block_types: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({
    type_name: name,
    block: protoBlock(nested.block, 0),
    nesting: BLOCK_NESTING[nested.nesting_mode],
    min_items: nested.min_items ?? 0,
    max_items: nested.max_items ?? 0,
  })),
  description: block.description ?? "",
  description_kind: STRING_KIND[block.description_kind ?? "plain"],
  deprecated: block.deprecated ?? false,
});

export const protoSchema = (schema: TypeSchema): object => ({ version: schema.version, block: protoBlock(schema.block, schema.version) });

const mapValues = <T, U>(record: Record<string, T> | undefined, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, map(value)]));

/**
 * What the real providers announce that the local one honours. All four are served by
 * terraform-plugin-framework (providerserver.Serve in main.go of coolify v0.1.17, cloudflare v5.14.0
 * and null v3.2.4; hcloud v1.59.0 through terraform-plugin-mux v0.21.0's tf6muxserver), and both
 * announce GetProviderSchemaOptional (framework v1.14.1–v1.19.0 internal/fwserver/server_capabilities.go,
 * mux v0.21.0 tf6muxserver/server_capabilities.go): Terraform then asks one instance of a provider for
 * its schema per command, not every instance it starts (hashicorp/terraform internal/plugin6/grpc_provider.go,
 * GetProviderSchema's global SchemaCache). PlanDestroy and MoveResourceState, which they
 * announce too, stay off: the local provider does not implement destroy plans or state moves.
 */
export const SERVER_CAPABILITIES = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false } as const;

export const protoProviderSchema = (schema: ProviderSchema): object => ({
  provider: protoSchema(schema.provider),
  resource_schemas: mapValues(schema.resource_schemas, protoSchema),
  data_source_schemas: mapValues(schema.data_source_schemas, protoSchema),
  server_capabilities: SERVER_CAPABILITIES,
  diagnostics: [],
});
