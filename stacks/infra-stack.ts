import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { applicationDnsNames, coolifyHost } from "../config/naming";
import type { EnvironmentConfig } from "../config/schema";
import { CoolifyBootstrap } from "../constructs/coolify/coolify-bootstrap";
import { DnsZoneRecords } from "../constructs/dns/dns-zone-records";
import { CoolifyFirewall } from "../constructs/hetzner/coolify-firewall";
import { CoolifyServer } from "../constructs/hetzner/coolify-server";
import { PrivateNetwork } from "../constructs/hetzner/private-network";
import { SshKeys } from "../constructs/hetzner/ssh-keys";
import { cloudflareProvider } from "../providers/cloudflare";
import { hcloudProvider } from "../providers/hcloud";
import { nullProvider } from "../providers/null";

export interface InfraStackProps {
  readonly env: EnvironmentConfig;
}

/**
 * `<env>-infra`: the servers of one environment, their network and firewall, their DNS records,
 * and Coolify installed on the host once all of those exist.
 */
export class InfraStack extends TerraformStack {
  readonly servers: CoolifyServer[];
  readonly host: CoolifyServer;
  readonly dns: DnsZoneRecords;
  readonly bootstrap: CoolifyBootstrap;

  constructor(scope: Construct, id: string, { env }: InfraStackProps) {
    super(scope, id);
    hcloudProvider(this);
    cloudflareProvider(this);
    nullProvider(this);

    const sshKeys = new SshKeys(this, "ssh-keys", { env });
    const firewall = new CoolifyFirewall(this, "firewall", { env });
    const network = env.servers.length > 1 ? new PrivateNetwork(this, "private-network", { env }) : undefined;

    this.servers = env.servers.map(
      (server, index) =>
        new CoolifyServer(this, server.name, {
          env,
          server,
          sshKeyIds: sshKeys.ids,
          firewallId: firewall.firewall.id,
          privateNetwork: network && { network, ip: PrivateNetwork.addressOf(index) },
        }),
    );
    const byName = new Map(env.servers.map((server, index) => [server.name, this.servers[index]]));
    const serverNamed = (name: string): CoolifyServer => byName.get(name) as CoolifyServer;
    this.host = serverNamed(coolifyHost(env).name);

    this.dns = new DnsZoneRecords(this, "dns", {
      env,
      ipv4: this.host.ipv4.ipAddress,
      ipv6: this.host.server.ipv6Address,
      applicationNames: applicationDnsNames(env).map(({ host, server }) => ({
        name: host,
        ipv4: serverNamed(server).ipv4.ipAddress,
        ipv6: serverNamed(server).server.ipv6Address,
      })),
    });

    this.bootstrap = new CoolifyBootstrap(this, "coolify-bootstrap", {
      env,
      serverId: this.host.server.id,
      host: this.host.ipv4.ipAddress,
      dependsOn: [this.host.server, firewall.firewall, ...this.dns.records],
    });
  }
}
