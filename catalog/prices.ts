/**
 * What the stacks' resources cost per month, net, in EUR. Hetzner's figures live in
 * `hetzner-prices.json` (one row per price, each with its source; `npm run prices` rewrites it from
 * Hetzner's pricing API); what costs nothing is listed here with the reason.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const HETZNER_PRICES_FILE = join(__dirname, "hetzner-prices.json");

/** Hetzner's price change of 2026-06-15 applies to new orders and rescales only; running servers keep their price (pastebin.com/GPkzvM77, Hetzner's notice of 2026-05-27). */
export const NEW_ORDER_PRICES_FROM = "2026-06-15";

const row = z.strictObject({
  /** `null` where no source gave the figure: the cost then says the item is unpriced instead of guessing. */
  monthlyNet: z.number().nonnegative().nullable(),
  source: z.string().min(1),
});
const byLocation = z.record(z.string(), row);

export const priceCatalogSchema = z.strictObject({
  currency: z.literal("EUR"),
  list: z.strictObject({
    name: z.string().min(1),
    /** The day the list took effect (or, fetched from the API, the day it was fetched). */
    effective: z.iso.date(),
    origin: z.enum(["hand-sourced", "hetzner-api"]),
    checked: z.iso.date(),
  }),
  serverTypes: z.record(z.string(), byLocation),
  primaryIps: z.strictObject({ ipv4: byLocation, ipv6: byLocation }),
  volumePerGbMonth: row,
  serverBackupPercentage: z.strictObject({ percentage: z.number().nonnegative(), source: z.string().min(1) }),
  objectStorageBaseMonthly: row,
  loadBalancerTypes: z.record(z.string(), byLocation),
});

export type PriceCatalog = z.infer<typeof priceCatalogSchema>;
export type PriceRow = z.infer<typeof row>;

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
