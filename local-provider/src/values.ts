/**
 * Values the stand-in makes up for what the real provider would compute: deterministic (the same
 * configuration gives the same values in every run, so plans are stable and tests can name them),
 * shaped like the provider's own (hcloud ids parse as numbers, Coolify uuids look like Coolify's),
 * and overridable by a test through pins.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isObject, type ObjectValue, sameValue, type Value } from "./cty";
import { type CtyType, SchemaFileError } from "./schema";

/** One pin: for resources (or data sources) of a type whose values match `match`, use `values`. */
export interface Pin {
  readonly resource?: string;
  readonly data_source?: string;
  readonly match?: ObjectValue;
  readonly values: ObjectValue;
}

/** Environment variable naming a JSON file with a list of pins. */
export const PINS_VARIABLE = "LOCAL_PROVIDER_PINS";

export const readPins = (file: string | undefined): Pin[] => {
  if (!file) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new SchemaFileError(`local provider: cannot read pins file ${file} (${PINS_VARIABLE}): ${(error as Error).message}`);
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (pin) =>
        isObject(pin as Value) && isObject((pin as Pin).values) && (typeof (pin as Pin).resource === "string" || typeof (pin as Pin).data_source === "string"),
    );
  if (!valid) throw new SchemaFileError(`local provider: pins file ${file} must be a JSON list of { "resource" | "data_source", "match"?, "values" }`);
  return parsed as Pin[];
};

export const pinnedValues = (pins: readonly Pin[], kind: "resource" | "data_source", typeName: string, object: ObjectValue): ObjectValue =>
  Object.assign(
    {},
    ...pins
      .filter((pin) => pin[kind] === typeName && Object.entries(pin.match ?? {}).every(([key, expected]) => sameValue(object[key] ?? null, expected)))
      .map((pin) => pin.values),
  );

/** How a provider shapes the strings it computes. */
type IdStyle = "number" | "hex32" | "cuid";

/**
 * hcloud and null ids are integers (hcloud's API ids are int64, hetznercloud/hcloud-go `hcloud/schema`;
 * null_resource's id is a random integer, hashicorp/terraform-provider-null v3.2.4
 * `internal/provider/resource.go`); Cloudflare's are 32 hex digits; Coolify's uuids are cuid2 strings
 * (coollabsio/coolify v4.3.9 `new Cuid2` in its models).
 */
const ID_STYLE: Record<string, IdStyle> = { hcloud: "number", null: "number", cloudflare: "hex32", coolify: "cuid" };

export class ValueMaker {
  constructor(
    private readonly providerType: string,
    private readonly seed: string,
  ) {}

  private digest(path: string): Buffer {
    return createHash("sha256").update(`${this.seed}\u0000${path}`).digest();
  }

  private integer(path: string): number {
    return (this.digest(path).readUInt32BE(0) % 9_999_999) + 1;
  }

  private idString(path: string, style: IdStyle): string {
    const bytes = this.digest(path);
    if (style === "number") return String(this.integer(path));
    if (style === "hex32") return bytes.toString("hex").slice(0, 32);
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    return [...bytes.subarray(0, 24)].map((byte, index) => (index === 0 ? alphabet[byte % 26] : alphabet[byte % 36])).join("");
  }

  private string(path: string, name: string, sibling: ObjectValue): string {
    const bytes = this.digest(path);
    const style = ID_STYLE[this.providerType] ?? "hex32";
    if (name === "id") return this.idString(path, style);
    if (/(^|_)uuid$/.test(name)) return this.idString(path, "cuid");
    if (style !== "cuid" && /_id$/.test(name)) return this.idString(path, style);
    if (/ipv6_network$/.test(name)) return `2001:db8:${bytes.readUInt16BE(0).toString(16)}::/64`;
    if (/ipv6/.test(name) || (name === "ip_address" && sibling.type === "ipv6")) return `2001:db8:${bytes.readUInt16BE(0).toString(16)}::1`;
    // Addresses from TEST-NET-3 (RFC 5737): plausible, never anyone's real server.
    if (/(^|_)ip(v4)?(_address)?$/.test(name)) return `203.0.113.${(bytes[0] % 254) + 1}`;
    return `${name}-${bytes.toString("hex").slice(0, 8)}`;
  }

  /** A known value of `type` for the attribute at `path` (its last step is `name`). */
  make(type: CtyType, path: string, name: string, sibling: ObjectValue): Value {
    if (type === "string") return this.string(path, name, sibling);
    if (type === "number") return this.integer(path);
    if (type === "bool") return false;
    if (type === "dynamic") return null;
    const [kind, element] = type;
    if (kind === "list" || kind === "set") return [this.make(element as CtyType, `${path}[0]`, name, {})];
    if (kind === "map") return {};
    if (kind === "tuple") return (element as CtyType[]).map((item, index) => this.make(item, `${path}[${index}]`, name, {}));
    const attributes = element as Record<string, CtyType>;
    const made: ObjectValue = {};
    for (const [key, attributeType] of Object.entries(attributes)) made[key] = this.make(attributeType, `${path}.${key}`, key, made);
    return made;
  }
}
