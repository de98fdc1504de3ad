/**
 * A production host built by hand in the Hetzner Console and its records made in Cloudflare's
 * dashboard, in the stand-in (cloud-stand-in.ts): the server with a data volume, the primary IPs
 * Hetzner made with it (auto-named, auto_delete on), a firewall of its own rules, one of the team's
 * SSH keys under another name, and the dashboard, wildcard and SPF records. No placement group, no
 * DMARC or CAA records. And the one-server production configuration it is adopted into.
 */
import { exampleConfig } from "../../config";
import type { EnvironmentConfig } from "../../config/schema";
import { sshKeyFingerprint } from "../../tools/adopt/infra-match";
import { CloudStandIn } from "./cloud-stand-in";

export const HCLOUD_TOKEN = "hcloud-read-token-0123456789abcdef0123456789abcdef0123456789abcdef0123";
export const CLOUDFLARE_TOKEN = "cf-read-token-0123456789abcdef0123";
export const ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
export const IDS = { server: 4711, ipv4: 91001, ipv6: 91002, volume: 5150, firewall: 880, adminKey: 301 } as const;
export const IPV4 = "203.0.113.17";
export const IPV6_NETWORK = "2001:db8:1c1e:4711::/64";

/** Production with one server (the host, with its volume) and nothing inside Coolify. */
export const productionEnvironment = (): EnvironmentConfig => {
  const production = exampleConfig.environments.find((env) => env.name === "production") as EnvironmentConfig;
  const { apps: _apps, coolifyBackup: _backup, ...rest } = production;
  return { ...rest, servers: production.servers.filter((server) => server.role === "coolify-host") };
};

const created = "2026-06-01T10:00:00+00:00";

export const handBuiltWorld = async (): Promise<CloudStandIn> => {
  const env = productionEnvironment();
  const world = new CloudStandIn(HCLOUD_TOKEN, CLOUDFLARE_TOKEN);
  const location = { id: 2, name: "nbg1", network_zone: "eu-central" };
  world.hetzner.servers.push({
    id: IDS.server,
    name: "production-coolify",
    status: "running",
    created,
    server_type: { id: 96, name: "ccx23", cores: 4, memory: 16 },
    location,
    datacenter: null,
    image: { id: 161547269, name: "ubuntu-24.04", type: "system" },
    protection: { delete: false, rebuild: false },
    labels: {},
    volumes: [IDS.volume],
    placement_group: null,
    backup_window: null,
    rescue_enabled: false,
    locked: false,
    iso: null,
    primary_disk_size: 80,
    load_balancers: [],
    included_traffic: 21990232555520,
    public_net: {
      ipv4: { id: IDS.ipv4, ip: IPV4, blocked: false, dns_ptr: "static.17.113.0.203.clients.your-server.de" },
      ipv6: { id: IDS.ipv6, ip: IPV6_NETWORK, blocked: false, dns_ptr: [] },
      floating_ips: [],
      firewalls: [{ id: IDS.firewall, status: "applied" }],
    },
    private_net: [],
  });
  const primaryIp = (id: number, type: "ipv4" | "ipv6", ip: string) => ({
    id,
    name: `primary_ip-${id}`,
    ip,
    type,
    assignee_id: IDS.server,
    assignee_type: "server",
    auto_delete: true,
    blocked: false,
    created,
    dns_ptr: [],
    labels: {},
    location,
    datacenter: null,
    protection: { delete: false },
  });
  world.hetzner.primary_ips.push(primaryIp(IDS.ipv4, "ipv4", IPV4), primaryIp(IDS.ipv6, "ipv6", IPV6_NETWORK));
  world.hetzner.volumes.push({
    id: IDS.volume,
    name: "coolify-data",
    server: IDS.server,
    status: "available",
    size: 80,
    format: "ext4",
    location,
    linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${IDS.volume}`,
    protection: { delete: false },
    labels: {},
    created,
  });
  world.hetzner.firewalls.push({
    id: IDS.firewall,
    name: "web",
    labels: {},
    created,
    rules: [
      { direction: "in", protocol: "tcp", port: "22", source_ips: ["0.0.0.0/0", "::/0"], destination_ips: [], description: null },
      { direction: "in", protocol: "tcp", port: "443", source_ips: ["0.0.0.0/0", "::/0"], destination_ips: [], description: null },
    ],
    applied_to: [{ type: "server", server: { id: IDS.server } }],
  });
  const admin = env.sshPublicKeys.find((key) => key.purpose === "admin");
  world.hetzner.ssh_keys.push({
    id: IDS.adminKey,
    name: "my laptop",
    fingerprint: sshKeyFingerprint(admin?.publicKey ?? ""),
    public_key: admin?.publicKey ?? "",
    labels: {},
    created,
  });
  world.zones.push({ id: ZONE_ID, name: env.dns.zone, status: "active" });
  const record = (id: string, name: string, type: string, content: string) =>
    world.records.push({
      id,
      zone_id: ZONE_ID,
      name,
      type,
      content,
      proxied: false,
      proxiable: type !== "TXT",
      ttl: 1,
      comment: null,
      tags: [],
      settings: {},
      meta: {},
      created_on: created,
      modified_on: created,
    });
  record("rec-dash-a", `coolify.${env.domain}`, "A", IPV4);
  record("rec-dash-aaaa", `coolify.${env.domain}`, "AAAA", "2001:db8:1c1e:4711::1");
  record("rec-wild-a", `*.${env.domain}`, "A", IPV4);
  record("rec-wild-aaaa", `*.${env.domain}`, "AAAA", "2001:db8:1c1e:4711::1");
  record("rec-spf", env.domain, "TXT", '"v=spf1 -all"');
  return world;
};
