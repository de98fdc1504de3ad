/**
 * What the stacks' resources cost per month, net, in EUR. Hetzner's figures live in
 * `hetzner-prices.json` (one row per price, each with its source; `npm run prices` rewrites it from
 * Hetzner's pricing API); what costs nothing is listed here with the reason.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const HETZNER_PRICES_FILE = join(__dirname, "hetzner-prices.json");

/**
 * Hetzner changed cloud prices twice in 2026: a list effective 2026-04-01 that also applied to running
 * servers, and one from 2026-06-15 that "appl[ies] exclusively to new orders and rescales of existing
 * servers" (Hetzner's announcement of 2026-05-27 as quoted in cloudtally.eu/blog/hetzner-june-2026-price-increase;
 * docs.hetzner.com/general/infrastructure-and-availability/price-adjustment as quoted in
 * github.com/robhunter/agentdeals PR #1324). A server is billed at the list it was ordered (or last
 * rescaled) under.
 */
export const NEW_ORDER_PRICES_FROM = "2026-06-15";

/** `running`: the 2026-04-01 list, for servers ordered before 2026-06-15; `newOrder`: the list for new orders and rescales. */
export type PriceListName = "running" | "newOrder";

const row = z.strictObject({
  /** `null` where no source gave the figure: the cost then says the item is unpriced instead of guessing. */
  monthlyNet: z.number().nonnegative().nullable(),
  source: z.string().min(1),
});
const byLocation = z.record(z.string(), row);
/** A server type's price in one location under each list, each row dated by its source. */
const datedRow = row.extend({ asOf: z.iso.date() });
const serverPrices = z.strictObject({ running: datedRow, newOrder: datedRow });

const priceList = z.strictObject({
  name: z.string().min(1),
  /** The day the list took effect (or, fetched from the API, the day it was fetched). */
  effective: z.iso.date(),
  /** Which servers it bills. */
  billedTo: z.string().min(1),
  origin: z.enum(["hand-sourced", "hetzner-api"]),
  checked: z.iso.date(),
});

export const priceCatalogSchema = z.strictObject({
  currency: z.literal("EUR"),
  lists: z.strictObject({ running: priceList, newOrder: priceList }),
  serverTypes: z.record(z.string(), z.record(z.string(), serverPrices)),
  primaryIps: z.strictObject({ ipv4: byLocation, ipv6: byLocation }),
  volumePerGbMonth: row,
  serverBackupPercentage: z.strictObject({ percentage: z.number().nonnegative(), source: z.string().min(1) }),
  objectStorageBaseMonthly: row,
  loadBalancerTypes: z.record(z.string(), byLocation),
});

export type PriceCatalog = z.infer<typeof priceCatalogSchema>;
export type PriceRow = z.infer<typeof row>;
export type ServerPrices = z.infer<typeof serverPrices>;

export const readPriceCatalog = (file: string = HETZNER_PRICES_FILE): PriceCatalog => priceCatalogSchema.parse(JSON.parse(readFileSync(file, "utf8")));

/**
 * Resource types that cost nothing by themselves. Hetzner's pricing API (hetznercloud/hcloud-go,
 * hcloud/schema/pricing.go) has no price for networks, subnets, firewalls, placement groups or SSH
 * keys; networks are free (docs.hetzner.com/cloud/networks/faq, 2024-12-11). Cloudflare's
 * authoritative DNS is free on every plan (cloudflare.com/products/dns). The rest are not billed
 * resources at all: Coolify objects inside the Coolify server, and Terraform's own helpers.
 */
export const FREE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "hcloud_network",
  "hcloud_network_subnet",
  "hcloud_firewall",
  "hcloud_placement_group",
  "hcloud_ssh_key",
  "cloudflare_dns_record",
  "null_resource",
  "terraform_data",
]);

/** Resources of this provider live inside the Coolify server the environment already pays for. */
export const FREE_RESOURCE_PREFIX = "coolify_";
