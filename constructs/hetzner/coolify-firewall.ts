import { Construct } from "constructs";
import { Firewall, type FirewallRule } from "../../.gen/providers/hcloud/firewall";
import { resourceName, standardLabels } from "../../config/naming";
import { ADMIN_PORTS, PORTS, PUBLIC_PORTS } from "../../config/ports";
import type { EnvironmentConfig } from "../../config/types";

export const EVERYWHERE = ["0.0.0.0/0", "::/0"];

export interface CoolifyFirewallProps {
  readonly env: EnvironmentConfig;
}

/**
 * Inbound rules for every server of an environment: web traffic and ICMP from anywhere; SSH and
 * Coolify's dashboard, realtime and terminal ports only from the admin CIDRs. Traffic on the
 * private network is not filtered by Hetzner firewalls, so Coolify reaches workers there.
 */
export class CoolifyFirewall extends Construct {
  readonly firewall: Firewall;

  constructor(scope: Construct, id: string, { env }: CoolifyFirewallProps) {
    super(scope, id);
    const rule = (port: number, protocol: "tcp" | "udp", sourceIps: readonly string[], description: string): FirewallRule => ({
      direction: "in",
      protocol,
      port: String(port),
      sourceIps: [...sourceIps],
      description,
    });
    const rules: FirewallRule[] = [
      ...PUBLIC_PORTS.map((port) => rule(port, "tcp", EVERYWHERE, `web ${port}`)),
      rule(PORTS.https, "udp", EVERYWHERE, "web 443 (HTTP/3)"),
      ...ADMIN_PORTS.map((port) => rule(port, "tcp", env.adminCidrs, `admin ${port}`)),
      { direction: "in", protocol: "icmp", sourceIps: EVERYWHERE, description: "ping" },
    ];
    this.firewall = new Firewall(this, "firewall", {
      name: resourceName(env, "coolify"),
      labels: standardLabels(env, "firewall"),
      rule: rules,
    });
  }
}
