/**
 * What the stand-in does with resources and data sources, in the manner of Terraform's own test
 * `mock_provider`: it plans from the configuration (computed attributes left null become unknown;
 * an update keeps what was computed before), asks for replacement where the real provider would
 * (the table in ../replacements.ts), makes up deterministic values for unknowns on apply, reads
 * back what it stored, and answers data sources with made-up values.
 */
import { createHash } from "node:crypto";
import { REPLACEMENTS, type ReplacementRule } from "../replacements";
import { withDefaults } from "./coolify-defaults";
import { isObject, isUnknown, type ObjectValue, sameValue, UNKNOWN, type Value } from "./cty";
import type { AttributeSchema, BlockSchema, CtyType, ProviderSchema } from "./schema";
import { type Pin, pinnedValues, ValueMaker } from "./values";

type NestedAttributes = NonNullable<AttributeSchema["nested_type"]>;

/** Where an object sits in a nested value: a list or set index, a map key, or nothing (single, group). */
type ElementKey = number | string | undefined;

/** The path step of an element, for the paths that seed made-up values. */
const step = (key: ElementKey): string => (key === undefined ? "" : typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`);

/** Applies `each` to every object that a nested attribute or block value holds, by nesting mode. */
const mapNested = (value: Value, mode: string, each: (object: ObjectValue, key: ElementKey) => Value): Value => {
  if (value === null || isUnknown(value)) return value;
  if (mode === "single" || mode === "group") return isObject(value) ? each(value, undefined) : value;
  if (Array.isArray(value)) return value.map((item, index) => (isObject(item) ? each(item, index) : item));
  if (mode === "map" && isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isObject(item) ? each(item, key) : item]));
  return value;
};

const asBlock = (nested: NestedAttributes): BlockSchema => ({ attributes: nested.attributes ?? {} });

/**
 * The prior element of a set that `element` stands for: Terraform cannot line set elements up (their
 * identity is their value), so an element whose computed attributes are still null would look new.
 * Like the real providers, an element matches the prior one that agrees on every attribute it sets.
 */
const priorSetElement = (element: ObjectValue, prior: Value): ObjectValue | undefined =>
  Array.isArray(prior)
    ? (prior.find(
        (candidate) => isObject(candidate) && Object.entries(element).every(([key, value]) => value === null || sameValue(value, candidate[key] ?? null)),
      ) as ObjectValue | undefined)
    : undefined;

/** The prior value that corresponds to the element at `key` of a nested value (see mapNested). */
const priorElement = (prior: Value, mode: string, element: ObjectValue, key: ElementKey): ObjectValue | undefined => {
  if (mode === "set") return priorSetElement(element, prior);
  const item =
    key === undefined
      ? prior
      : Array.isArray(prior) && typeof key === "number"
        ? prior[key]
        : isObject(prior) && typeof key === "string"
          ? prior[key]
          : undefined;
  return item !== undefined && isObject(item) ? item : undefined;
};

/**
 * The planned object: computed attributes that neither the configuration nor the prior state set
 * become unknown. Terraform's proposed state already carries prior computed values, except inside
 * set elements, which are matched to their prior element here.
 */
const markComputed = (object: ObjectValue, block: BlockSchema, prior?: ObjectValue): ObjectValue => {
  const planned: ObjectValue = { ...object };
  const nestedPlan = (value: Value, mode: string, inner: BlockSchema, priorValue: Value): Value =>
    mapNested(value, mode, (item, key) => markComputed(item, inner, priorElement(priorValue, mode, item, key)));
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const value = planned[name] ?? null;
    if (value === null) {
      if (attribute.computed) planned[name] = prior?.[name] ?? UNKNOWN;
    } else if (attribute.nested_type) {
      planned[name] = nestedPlan(value, attribute.nested_type.nesting_mode, asBlock(attribute.nested_type), prior?.[name] ?? null);
    }
  }
  for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
    planned[name] = nestedPlan(planned[name] ?? null, blockType.nesting_mode, blockType.block, prior?.[name] ?? null);
  }
  return planned;
};

class Resolver {
  constructor(private readonly maker: ValueMaker) {}

  /** Replaces every unknown inside `value` of cty `type` with a made-up value. */
  private typed(value: Value, type: CtyType, path: string, name: string, sibling: ObjectValue): Value {
    if (isUnknown(value)) return this.maker.make(type, path, name, sibling);
    if (value === null || typeof type === "string") return value;
    const [kind, element] = type;
    if ((kind === "list" || kind === "set") && Array.isArray(value))
      return value.map((item, index) => this.typed(item, element as CtyType, `${path}[${index}]`, name, {}));
    if (kind === "tuple" && Array.isArray(value))
      return value.map((item, index) => this.typed(item, (element as CtyType[])[index], `${path}[${index}]`, name, {}));
    if (kind === "map" && isObject(value))
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.typed(item, element as CtyType, `${path}["${key}"]`, name, {})]));
    if (kind === "object" && isObject(value)) {
      const resolved: ObjectValue = { ...value };
      for (const [key, attributeType] of Object.entries(element as Record<string, CtyType>)) {
        resolved[key] = this.typed(resolved[key] ?? null, attributeType, `${path}.${key}`, key, resolved);
      }
      return resolved;
    }
    return value;
  }

  private madeNested(nested: NestedAttributes, path: string): Value {
    const made = (suffix: string): ObjectValue =>
      this.block(Object.fromEntries(Object.keys(nested.attributes ?? {}).map((key) => [key, UNKNOWN])), asBlock(nested), `${path}${suffix}`);
    if (nested.nesting_mode === "single") return made("");
    if (nested.nesting_mode === "map") return {};
    return [made("[0]")];
  }

  block(object: ObjectValue, block: BlockSchema, path: string): ObjectValue {
    const resolved: ObjectValue = { ...object };
    for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
      const value = resolved[name] ?? null;
      const at = path ? `${path}.${name}` : name;
      if (attribute.nested_type) {
        const nested = attribute.nested_type;
        resolved[name] = isUnknown(value)
          ? this.madeNested(nested, at)
          : mapNested(value, nested.nesting_mode, (item, key) => this.block(item, asBlock(nested), `${at}${step(key)}`));
      } else if (attribute.type !== undefined) {
        resolved[name] = this.typed(value, attribute.type, at, name, resolved);
      }
    }
    for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
      const at = path ? `${path}.${name}` : name;
      resolved[name] = mapNested(resolved[name] ?? null, blockType.nesting_mode, (item, key) => this.block(item, blockType.block, `${at}${step(key)}`));
    }
    return resolved;
  }
}

/** The values at a dotted path; lists, sets and maps on the way contribute all their elements. */
const valuesAt = (value: Value, steps: readonly string[]): Value => {
  if (steps.length === 0 || value === null || isUnknown(value)) return value;
  if (Array.isArray(value)) return value.map((item) => valuesAt(item, steps));
  if (!isObject(value)) return null;
  const [first, ...rest] = steps;
  return valuesAt(value[first] ?? null, rest);
};

/** The leading steps that address objects in `value`: Terraform cannot follow a name into a list or map. */
const objectSteps = (value: Value, steps: readonly string[]): string[] => {
  const kept: string[] = [];
  let current = value;
  for (const step of steps) {
    if (!isObject(current)) break;
    kept.push(step);
    current = current[step] ?? null;
  }
  return kept;
};

/** A stable text of a value, so that the same configuration always gives the same made-up values. */
const stableText = (value: Value): string => {
  if (isUnknown(value)) return "?";
  if (Array.isArray(value)) return `[${value.map(stableText).join(",")}]`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableText(value[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
};

/**
 * Providers built on terraform-plugin-framework mark the computed attributes the configuration leaves
 * null as unknown only when the proposed state differs from the prior one (hashicorp/terraform-plugin-framework
 * v1.19.0, the version coolify-terraform/terraform-provider-coolify v0.1.17's go.mod pins,
 * internal/fwserver/server_planresourcechange.go): an unchanged resource plans no change even where a
 * computed attribute is null, as one imported and read often has.
 */
const FRAMEWORK_PROVIDERS = new Set(["coolify"]);

export interface Plan {
  readonly planned: Value;
  /** Attribute paths (attribute names, outermost first) whose change forces replacement. */
  readonly requiresReplace: string[][];
}

export class MockResources {
  private readonly replacements: Readonly<Record<string, readonly ReplacementRule[]>>;

  constructor(
    private readonly providerType: string,
    private readonly schema: ProviderSchema,
    private readonly pins: readonly Pin[],
  ) {
    this.replacements = REPLACEMENTS[providerType] ?? {};
  }

  private resourceBlock(typeName: string): BlockSchema {
    const schema = this.schema.resource_schemas?.[typeName];
    if (!schema) throw new Error(`no resource type ${typeName} in this provider's schema`);
    return schema.block;
  }

  private dataSourceBlock(typeName: string): BlockSchema {
    const schema = this.schema.data_source_schemas?.[typeName];
    if (!schema) throw new Error(`no data source ${typeName} in this provider's schema`);
    return schema.block;
  }

  private maker(kind: string, typeName: string, basis: Value): ValueMaker {
    const seed = createHash("sha256")
      .update(`${kind}\u0000${typeName}\u0000${stableText(basis)}`)
      .digest("hex");
    return new ValueMaker(this.providerType, seed);
  }

  /** `config`: the resource's configuration, as Terraform sends it with the plan request. */
  plan(typeName: string, prior: Value, proposedByTerraform: Value, config: Value = null): Plan {
    const proposed = this.providerType === "coolify" ? withDefaults(typeName, proposedByTerraform, config) : proposedByTerraform;
    if (!isObject(proposed)) return { planned: proposed, requiresReplace: [] };
    if (FRAMEWORK_PROVIDERS.has(this.providerType) && isObject(prior) && sameValue(proposed, prior)) return { planned: proposed, requiresReplace: [] };
    const planned = markComputed(proposed, this.resourceBlock(typeName), isObject(prior) ? prior : undefined);
    if (!isObject(prior)) return { planned, requiresReplace: [] };
    const requiresReplace = (this.replacements[typeName] ?? [])
      .map((rule) => rule.path.split("."))
      .filter((steps) => !sameValue(valuesAt(prior, steps), valuesAt(planned, steps)))
      .map((steps) => objectSteps(prior, steps));
    return { planned, requiresReplace };
  }

  apply(typeName: string, planned: Value, config: Value): Value {
    if (!isObject(planned)) return null;
    const pinned = pinnedValues(this.pins, "resource", typeName, planned);
    const withPins: ObjectValue = { ...planned };
    for (const [key, value] of Object.entries(pinned)) if (isUnknown(withPins[key] ?? null)) withPins[key] = value;
    return new Resolver(this.maker("resource", typeName, config)).block(withPins, this.resourceBlock(typeName), "");
  }

  readDataSource(typeName: string, config: Value): Value {
    if (!isObject(config)) return config;
    const block = this.dataSourceBlock(typeName);
    const planned = markComputed(config, block);
    const pinned = pinnedValues(this.pins, "data_source", typeName, config);
    for (const [key, value] of Object.entries(pinned)) if (isUnknown(planned[key] ?? null)) planned[key] = value;
    return new Resolver(this.maker("data_source", typeName, config)).block(planned, block, "");
  }
}
