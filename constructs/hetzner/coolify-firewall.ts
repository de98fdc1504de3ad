import { Construct } from "constructs";
import { Firewall, type FirewallRule } from "../../.gen/providers/hcloud/firewall";
import { CLOUDFLARE_IP_RANGES } from "../../catalog/cloudflare";
import { ADMIN_OPEN_PORTS, PORTS, PUBLIC_PORTS } from "../../catalog/ports";
import { WHOLE_INTERNET } from "../../config/network-values";
import type { PublicDatabasePort } from "../../model/environment";

export interface CoolifyFirewallProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly adminCidrs: readonly string[];
  readonly publicDatabasePorts: readonly PublicDatabasePort[];
  /** The environment's records go through Cloudflare's proxy: web traffic then comes only from Cloudflare. */
  readonly proxied: boolean;
}

/**
 * Inbound rules for every server of an environment: web traffic from anywhere (only from Cloudflare's
 * published ranges when the records are proxied, so nobody bypasses Cloudflare to reach the origin),
 * ICMP from anywhere; SSH only from the admin CIDRs. Coolify's dashboard, realtime and terminal
 * ports (8000/6001/6002, plain HTTP) stay closed: admins use the proxy on 443. Databases exposed
 * with a public port are reachable from the admin CIDRs too, never from the whole internet. Traffic
 * on the private network is not filtered by Hetzner firewalls, so Coolify reaches workers there.
 */
export class CoolifyFirewall extends Construct {
  readonly firewall: Firewall;

  constructor(scope: Construct, id: string, { name, labels, adminCidrs, publicDatabasePorts, proxied }: CoolifyFirewallProps) {
    super(scope, id);
    const rule = (port: number, protocol: "tcp" | "udp", sourceIps: readonly string[], description: string): FirewallRule => ({
      direction: "in",
      protocol,
      port: String(port),
      sourceIps: [...sourceIps],
      description,
    });
    const web = proxied ? CLOUDFLARE_IP_RANGES : WHOLE_INTERNET;
    const via = proxied ? " via Cloudflare" : "";
    const rules: FirewallRule[] = [
      ...PUBLIC_PORTS.map((port) => rule(port, "tcp", web, `web ${port}${via}`)),
      rule(PORTS.https, "udp", web, `web 443 (HTTP/3)${via}`),
      ...ADMIN_OPEN_PORTS.map((port) => rule(port, "tcp", adminCidrs, `admin ${port}`)),
      ...publicDatabasePorts.map((db) => rule(db.port, "tcp", adminCidrs, `database ${db.name}`)),
      { direction: "in", protocol: "icmp", sourceIps: [...WHOLE_INTERNET], description: "ping" },
    ];
    this.firewall = new Firewall(this, "firewall", { name, labels, rule: rules });
  }
}
