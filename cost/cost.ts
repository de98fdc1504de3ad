/**
 * The monthly cost of Terraform resources, from their attributes as Terraform sees them (a
 * synthesized stack, or the before/after of a planned change) and the price catalog. A price the
 * catalog does not have makes its line unpriced; it is never guessed.
 */
import {
  FREE_RESOURCE_PREFIX,
  FREE_RESOURCE_TYPES,
  NEW_ORDER_PRICES_FROM,
  type PriceCatalog,
  type PriceListName,
  type PriceRow,
  readPriceCatalog,
} from "../catalog/prices";

/** A resource as Terraform sees it: `hcloud_server.web`, its type and its attributes (snake_case). */
export interface PricedResource {
  readonly address: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface CostLine {
  readonly address: string;
  /** What is charged, e.g. `server cx33 in fsn1`. */
  readonly item: string;
  /** Net EUR per month; `null` when the catalog has no figure. */
  readonly monthly: number | null;
  /** Where the figure comes from, or why there is none. */
  readonly source: string;
  /** For a server (and its backups): the price list the figure comes from. */
  readonly list?: PriceListName;
}

export interface CostTotal {
  /** Sum of the priced lines; a lower bound when some are unpriced. */
  readonly monthly: number;
  readonly lines: readonly CostLine[];
  readonly unpriced: readonly CostLine[];
}

let defaultCatalog: PriceCatalog | undefined;
/** The committed catalog, read once per process. */
export const priceCatalog = (): PriceCatalog => {
  defaultCatalog ??= readPriceCatalog();
  return defaultCatalog;
};

/** A literal string attribute; Terraform expressions (`${...}`) and unknown values are not. */
const literal = (value: unknown): string | undefined => (typeof value === "string" && !value.includes("${") ? value : undefined);

const notFound = (address: string, item: string, why: string): CostLine => ({ address, item, monthly: null, source: why });

const fromRow = (address: string, item: string, row: PriceRow | undefined, multiplier = 1): CostLine =>
  row
    ? { address, item, monthly: row.monthlyNet === null ? null : row.monthlyNet * multiplier, source: row.source }
    : notFound(address, item, "not in the price catalog");

type ByLocation = Readonly<Record<string, Readonly<Record<string, PriceRow>>>>;
const rowIn =
  (table: ByLocation) =>
  (kind: string, where: string): PriceRow | undefined =>
    table[kind]?.[where];

const located = (address: string, what: string, lookup: (kind: string, where: string) => PriceRow | undefined, name: unknown, location: unknown): CostLine => {
  const [kind, where] = [literal(name), literal(location)];
  const item = `${what} ${kind ?? "?"} in ${where ?? "?"}`;
  if (!kind || !where) return notFound(address, item, "its type or location is known only when Terraform applies");
  return fromRow(address, item, lookup(kind, where));
};

/** `2026-06-15 list`: how a server's figure names the list it comes from. */
export const listLabel = (catalog: PriceCatalog, list: PriceListName): string => `${catalog.lists[list].effective} list`;

const serverLines = (resource: PricedResource, catalog: PriceCatalog, list: PriceListName): CostLine[] => {
  const { address, attributes } = resource;
  const priced = located(address, "server", (kind, where) => catalog.serverTypes[kind]?.[where]?.[list], attributes.server_type, attributes.location);
  const server: CostLine = { ...priced, item: `${priced.item} (${listLabel(catalog, list)})`, list };
  if (attributes.backups !== true) return [server];
  const { percentage, source } = catalog.serverBackupPercentage;
  const backup: CostLine = {
    address,
    item: `backups (${percentage}% of the server price)`,
    monthly: server.monthly === null ? null : (server.monthly * percentage) / 100,
    source: server.monthly === null ? server.source : source,
    list,
  };
  return [server, backup];
};

const volumeLine = ({ address, attributes }: PricedResource, catalog: PriceCatalog): CostLine => {
  const size = attributes.size;
  if (typeof size !== "number") return notFound(address, "volume", "its size is known only when Terraform applies");
  return fromRow(address, `volume ${size} GB`, catalog.volumePerGbMonth, size);
};

const primaryIpLine = ({ address, attributes }: PricedResource, catalog: PriceCatalog): CostLine => {
  const type = literal(attributes.type);
  const table = type === "ipv4" || type === "ipv6" ? { [type]: catalog.primaryIps[type] } : {};
  return located(address, "primary IP", rowIn(table), type, attributes.location);
};

/**
 * The charged items of one resource; free resources have none. A server is priced at `list`: the
 * list for new orders and rescales unless the caller knows it runs under the older one.
 */
export const costLines = (resource: PricedResource, catalog: PriceCatalog = priceCatalog(), list: PriceListName = "newOrder"): CostLine[] => {
  const { type, address, attributes } = resource;
  if (FREE_RESOURCE_TYPES.has(type) || type.startsWith(FREE_RESOURCE_PREFIX)) return [];
  switch (type) {
    case "hcloud_server":
      return serverLines(resource, catalog, list);
    case "hcloud_primary_ip":
      return [primaryIpLine(resource, catalog)];
    case "hcloud_volume":
      return [volumeLine(resource, catalog)];
    case "hcloud_load_balancer":
      return [located(address, "load balancer", rowIn(catalog.loadBalancerTypes), attributes.load_balancer_type, attributes.location)];
    default:
      return [notFound(address, type, `no price known for resource type ${type}`)];
  }
};

export const totalOf = (lines: readonly CostLine[]): CostTotal => ({
  monthly: lines.reduce((sum, line) => sum + (line.monthly ?? 0), 0),
  lines,
  unpriced: lines.filter((line) => line.monthly === null),
});

export const costOf = (resources: readonly PricedResource[], catalog: PriceCatalog = priceCatalog()): CostTotal =>
  totalOf(resources.flatMap((resource) => costLines(resource, catalog)));

/** `€12.34`; cent fractions are rounded for display only. */
export const eur = (amount: number): string => `€${amount.toFixed(2)}`;

/** `+€1.20`, `-€0.60`, `±€0.00`. */
export const signedEur = (amount: number): string => {
  const cents = Math.round(amount * 100);
  return `${cents > 0 ? "+" : cents < 0 ? "-" : "±"}${eur(Math.abs(cents) / 100)}`;
};

/** `€12.34` or `≥ €12.34 (2 items unpriced)`. */
export const describeTotal = (total: CostTotal): string =>
  total.unpriced.length === 0
    ? eur(total.monthly)
    : `≥ ${eur(total.monthly)} (${total.unpriced.length} item${total.unpriced.length === 1 ? "" : "s"} unpriced)`;

/** `; servers at the 2026-06-15 list (…)`: which lists the servers of a total are priced at, or nothing without servers. */
export const listsOf = (total: CostTotal, catalog: PriceCatalog = priceCatalog()): string => {
  const used = [...new Set(total.lines.flatMap((line) => (line.list ? [line.list] : [])))];
  const role: Record<PriceListName, string> = { running: `servers ordered before ${NEW_ORDER_PRICES_FROM}`, newOrder: "new orders and rescales" };
  return used.map((list) => `; servers at the ${listLabel(catalog, list)} (${role[list]})`).join("");
};

/** One line per charged item: `hcloud_server.web: server cx33 in fsn1 €6.49`. */
export const itemized = (total: CostTotal): string[] =>
  total.lines.map((line) => `${line.address}: ${line.item} ${line.monthly === null ? `unpriced (${line.source})` : eur(line.monthly)}`);
