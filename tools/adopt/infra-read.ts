/**
 * What the infrastructure adoption reads from Hetzner Cloud and Cloudflare, with only the fields it
 * uses (the APIs send more). Hetzner's shapes are hcloud-go v2.35.0's, the version
 * hetznercloud/terraform-provider-hcloud v1.59.0 pins in go.mod (hcloud/schema/server.go,
 * primary_ip.go, volume.go, firewall.go, placement_group.go, ssh_key.go, network.go); Cloudflare's
 * are its v4 API's envelope (`success`, `result`) and DNS record fields, as
 * cloudflare/terraform-provider-cloudflare v5.14.0 reads them (internal/services/dns_record/model.go).
 */
import { z } from "zod";

const labels = z.record(z.string(), z.string());
const named = z.looseObject({ name: z.string() });

export const hetznerServer = z.looseObject({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  server_type: named,
  location: named,
  // Null for a server whose image was deleted; `name` is null for a snapshot or backup.
  image: z.looseObject({ id: z.number(), name: z.string().nullable() }).nullable(),
  protection: z.looseObject({ delete: z.boolean(), rebuild: z.boolean() }),
  labels,
  volumes: z.array(z.number()),
  placement_group: z.looseObject({ id: z.number() }).nullable(),
  public_net: z.looseObject({
    ipv4: z.looseObject({ id: z.number(), ip: z.string() }).nullable(),
    ipv6: z.looseObject({ id: z.number(), ip: z.string() }).nullable(),
    firewalls: z.array(z.looseObject({ id: z.number() })),
  }),
  private_net: z.array(z.looseObject({ network: z.number(), ip: z.string() })),
});

export const hetznerPrimaryIp = z.looseObject({
  id: z.number(),
  name: z.string(),
  ip: z.string(),
  type: z.string(),
  assignee_id: z.number().nullable(),
  assignee_type: z.string(),
  auto_delete: z.boolean(),
  protection: z.looseObject({ delete: z.boolean() }),
  labels,
  location: named,
});

export const hetznerVolume = z.looseObject({
  id: z.number(),
  name: z.string(),
  server: z.number().nullable(),
  size: z.number(),
  location: named,
  linux_device: z.string(),
  protection: z.looseObject({ delete: z.boolean() }),
  labels,
});

export const hetznerFirewallRule = z.looseObject({
  direction: z.string(),
  protocol: z.string(),
  port: z.string().nullable(),
  source_ips: z.array(z.string()),
  destination_ips: z.array(z.string()),
  description: z.string().nullable(),
});

export const hetznerFirewall = z.looseObject({ id: z.number(), name: z.string(), labels, rules: z.array(hetznerFirewallRule) });

export const hetznerPlacementGroup = z.looseObject({ id: z.number(), name: z.string(), labels, type: z.string(), servers: z.array(z.number()) });

export const hetznerSshKey = z.looseObject({ id: z.number(), name: z.string(), fingerprint: z.string(), public_key: z.string(), labels });

export const hetznerNetwork = z.looseObject({
  id: z.number(),
  name: z.string(),
  ip_range: z.string(),
  labels,
  protection: z.looseObject({ delete: z.boolean() }),
  subnets: z.array(z.looseObject({ type: z.string(), ip_range: z.string(), network_zone: z.string() })),
});

/** The list answer of one Hetzner collection: `{"<collection>": [...]}` (hcloud-go schema `<Kind>ListResponse`). */
export const hetznerList = <T extends z.ZodType>(collection: string, item: T) => z.looseObject({ [collection]: z.array(item) });

/** The answer for one Hetzner resource: `{"<kind>": {...}}` (hcloud-go schema `<Kind>GetResponse`). */
export const hetznerOne = <T extends z.ZodType>(kind: string, item: T) => z.looseObject({ [kind]: item });

export type HetznerServer = z.infer<typeof hetznerServer>;
export type HetznerPrimaryIp = z.infer<typeof hetznerPrimaryIp>;
export type HetznerVolume = z.infer<typeof hetznerVolume>;
export type HetznerFirewall = z.infer<typeof hetznerFirewall>;
export type HetznerFirewallRule = z.infer<typeof hetznerFirewallRule>;

/** Cloudflare v4's envelope: `success` and the `result`. */
export const cloudflareResult = <T extends z.ZodType>(result: T) => z.looseObject({ success: z.literal(true), result });

export const cloudflareZone = z.looseObject({ id: z.string(), name: z.string() });

export const cloudflareRecord = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  content: z.string().nullish(),
  proxied: z.boolean().nullish(),
  ttl: z.number(),
  comment: z.string().nullish(),
  priority: z.number().nullish(),
  data: z.looseObject({ tag: z.string().optional(), value: z.string().optional() }).nullish(),
});

export type CloudflareRecord = z.infer<typeof cloudflareRecord>;
