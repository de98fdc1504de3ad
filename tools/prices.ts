/**
 * `npm run prices`: refreshes the new-order list of the Hetzner price catalog (catalog/hetzner-prices.json)
 * from Hetzner's pricing API, every location it prices. Without `HCLOUD_TOKEN` it changes nothing
 * and the committed catalog stays in use. On any error the catalog is left as it was.
 *
 * API: `GET /v1/pricing` with `Authorization: Bearer <token>` (docs.hetzner.cloud, "Pricing"); the
 * response shape is hetznercloud/hcloud-go hcloud/schema/pricing.go (`PricingGetResponse`); errors
 * as tools/hetzner-api.ts reads them.
 *
 * CLI: node -r @swc-node/register tools/prices.ts [--catalog <file>]
 */
import { renameSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { HETZNER_PRICES_FILE, type PriceCatalog, type PriceRow, readPriceCatalog } from "../catalog/prices";
import { DEFAULT_ENDPOINT, HetznerApiError, hetznerGet } from "./hetzner-api";

const money = z.object({ net: z.string(), gross: z.string() });
const monthlyAt = z.object({ location: z.string(), price_monthly: money });
const pricingResponse = z.object({
  pricing: z.object({
    currency: z.literal("EUR"),
    primary_ips: z.array(z.object({ type: z.string(), prices: z.array(monthlyAt) })),
    server_backup: z.object({ percentage: z.string() }),
    server_types: z.array(z.object({ name: z.string(), prices: z.array(monthlyAt) })),
    load_balancer_types: z.array(z.object({ name: z.string(), prices: z.array(monthlyAt) })),
    volume: z.object({ price_per_gb_month: money }),
  }),
});
type Pricing = z.infer<typeof pricingResponse>["pricing"];

const amount = (text: string, what: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || text.trim() === "")
    throw new HetznerApiError(`the pricing API gave ${what} as ${JSON.stringify(text)}, not an amount`);
  return value;
};

/** Asks the API; every failure becomes a HetznerApiError that says what happened and what to do. */
export const fetchPricing = async (endpoint: string, token: string): Promise<Pricing> =>
  (await hetznerGet(endpoint, token, "/pricing", pricingResponse, "the Hetzner pricing API", "its pricing document")).pricing;

/**
 * The catalog with the API's answer as its list for new orders and rescales: every row the API gives
 * (all locations) cites the API and the day. The older list, for servers ordered before
 * 2026-06-15, is not in the API: its rows stay as sourced by hand.
 */
export const catalogFromPricing = (pricing: Pricing, previous: PriceCatalog, today: string): PriceCatalog => {
  const source = (field: string): string => `Hetzner Cloud API GET /v1/pricing (${field}, net), fetched ${today}`;
  const atLocations = (prices: readonly z.infer<typeof monthlyAt>[], what: string): Record<string, PriceRow> =>
    Object.fromEntries(
      prices.map((price) => [price.location, { monthlyNet: amount(price.price_monthly.net, `${what} in ${price.location}`), source: source("price_monthly") }]),
    );
  const byName = (items: readonly { name: string; prices: z.infer<typeof monthlyAt>[] }[], what: string): Record<string, Record<string, PriceRow>> =>
    Object.fromEntries(items.map((item) => [item.name, atLocations(item.prices, `${what} ${item.name}`)]));
  const ip = (type: "ipv4" | "ipv6"): Record<string, PriceRow> =>
    atLocations(pricing.primary_ips.find((p) => p.type === type)?.prices ?? [], `primary ${type}`);
  const fetched = byName(pricing.server_types, "server type");
  const notInApi: PriceRow = {
    monthlyNet: null,
    source: `not found: the pricing API gives only the prices of the day (${today}), and no hand-sourced row exists`,
  };
  const serverTypes: PriceCatalog["serverTypes"] = structuredClone(previous.serverTypes);
  for (const [name, rows] of Object.entries(fetched)) {
    for (const [location, newOrder] of Object.entries(rows)) {
      const running = serverTypes[name]?.[location]?.running ?? { ...notInApi, asOf: today };
      serverTypes[name] = { ...serverTypes[name], [location]: { running, newOrder: { ...newOrder, asOf: today } } };
    }
  }
  return {
    currency: "EUR",
    lists: {
      running: previous.lists.running,
      newOrder: {
        name: `Hetzner Cloud API prices fetched ${today}: what a new server or a rescale costs that day`,
        effective: today,
        billedTo: `servers ordered or rescaled at the prices of ${today}`,
        origin: "hetzner-api",
        checked: today,
      },
    },
    serverTypes,
    primaryIps: { ipv4: { ...previous.primaryIps.ipv4, ...ip("ipv4") }, ipv6: { ...previous.primaryIps.ipv6, ...ip("ipv6") } },
    volumePerGbMonth: { monthlyNet: amount(pricing.volume.price_per_gb_month.net, "the volume price"), source: source("volume.price_per_gb_month") },
    serverBackupPercentage: { percentage: amount(pricing.server_backup.percentage, "the backup percentage"), source: source("server_backup.percentage") },
    // Object Storage is not in /v1/pricing; its row stays as sourced by hand.
    objectStorageBaseMonthly: previous.objectStorageBaseMonthly,
    loadBalancerTypes: { ...previous.loadBalancerTypes, ...byName(pricing.load_balancer_types, "load balancer type") },
  };
};

/** Writes next to the catalog and renames over it, so a failure never leaves half a file. */
const writeCatalog = (file: string, catalog: PriceCatalog): void => {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(catalog, null, 2)}\n`);
  renameSync(temporary, file);
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { catalog: { type: "string", default: HETZNER_PRICES_FILE } } });
  const file = values.catalog;
  const previous = readPriceCatalog(file);
  const token = process.env.HCLOUD_TOKEN;
  if (!token) {
    process.stdout.write(`HCLOUD_TOKEN is not set: nothing fetched; the committed catalog stays in use (${previous.lists.newOrder.name}).\n`);
    return;
  }
  const pricing = await fetchPricing(process.env.HCLOUD_ENDPOINT ?? DEFAULT_ENDPOINT, token);
  const today = new Date().toISOString().slice(0, 10);
  const catalog = catalogFromPricing(pricing, previous, today);
  writeCatalog(file, catalog);
  process.stdout.write(`${file}: new-order prices of ${pricing.server_types.length} server types (${catalog.lists.newOrder.name}).\n`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    if (!(error instanceof HetznerApiError)) throw error;
    process.stderr.write(`npm run prices: ${error.message}; the catalog is unchanged.\n`);
    process.exitCode = 1;
  });
}
