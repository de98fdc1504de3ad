import { Construct } from "constructs";
import { Firewall, type FirewallRule } from "../../.gen/providers/hcloud/firewall";
import { resourceName, standardLabels } from "../../config/naming";
import { WHOLE_INTERNET } from "../../config/network-values";
import { ADMIN_PORTS, PORTS, PUBLIC_PORTS } from "../../config/ports";
import type { EnvironmentConfig } from "../../config/schema";

/** Databases that ask for a public port, as `<project>/<database>`. */
const publicDatabasePorts = (env: EnvironmentConfig): { port: number; name: string }[] =>
  (env.apps?.projects ?? []).flatMap((project) =>
    (project.databases ?? []).flatMap((db) => (db.publicPort === undefined ? [] : [{ port: db.publicPort, name: `${project.name}/${db.name}` }])),
  );

export interface CoolifyFirewallProps {
  readonly env: EnvironmentConfig;
}

/**
 * Inbound rules for every server of an environment: web traffic and ICMP from anywhere; SSH and
 * Coolify's dashboard, realtime and terminal ports only from the admin CIDRs. Databases exposed
 * with a public port are reachable from the admin CIDRs too, never from the whole internet. Traffic
 * on the private network is not filtered by Hetzner firewalls, so Coolify reaches workers there.
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
      ...PUBLIC_PORTS.map((port) => rule(port, "tcp", WHOLE_INTERNET, `web ${port}`)),
      rule(PORTS.https, "udp", WHOLE_INTERNET, "web 443 (HTTP/3)"),
      ...ADMIN_PORTS.map((port) => rule(port, "tcp", env.adminCidrs, `admin ${port}`)),
      ...publicDatabasePorts(env).map(({ port, name }) => rule(port, "tcp", env.adminCidrs, `database ${name}`)),
      { direction: "in", protocol: "icmp", sourceIps: [...WHOLE_INTERNET], description: "ping" },
    ];
    this.firewall = new Firewall(this, "firewall", {
      name: resourceName(env, "coolify"),
      labels: standardLabels(env, "firewall"),
      rule: rules,
    });
  }
}
