import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { importAdopted } from "../aspects/adoption";
import { MONITORING_UIS } from "../config/naming";
import { CoolifyBootstrap } from "../constructs/bootstrap/coolify-bootstrap";
import { WorkerDocker } from "../constructs/bootstrap/worker-docker";
import { AdminEdgeAccess, type AdminOnlyHost } from "../constructs/dns/admin-edge-access";
import { DnsZoneRecords } from "../constructs/dns/dns-zone-records";
import { CoolifyFirewall } from "../constructs/hetzner/coolify-firewall";
import { HetznerServer } from "../constructs/hetzner/hetzner-server";
import { PrivateNetwork } from "../constructs/hetzner/private-network";
import { SshHostKey } from "../constructs/hetzner/ssh-host-key";
import { SshKeys } from "../constructs/hetzner/ssh-keys";
import type { EnvironmentModel } from "../model/environment";
import { observabilityModel } from "../model/observability";
import { cloudflareProvider } from "../providers/cloudflare";
import { hcloudProvider } from "../providers/hcloud";
import { nullProvider } from "../providers/null";

/** The hosts only admins use: Coolify's dashboard (also the deploy runner's) and, when monitoring is on, its UIs. */
const adminOnlyHosts = (env: EnvironmentModel): AdminOnlyHost[] => {
  const monitoring = observabilityModel(env);
  return [
    { key: "dashboard", host: env.coolify.host, title: "Coolify dashboard", sources: env.coolify.adminSources, who: "admins and deploy runner" },
    ...(monitoring
      ? MONITORING_UIS.map((ui) => ({ key: ui, host: monitoring.uiHosts[ui], title: `Monitoring ${ui}`, sources: monitoring.adminCidrs, who: "admins" }))
      : []),
  ];
};

export interface InfraStackProps {
  readonly environment: EnvironmentModel;
}

/**
 * `<env>-infra`: the servers of one environment, their network and firewall, their DNS records,
 * and Coolify installed on the host once all of those exist.
 */
export class InfraStack extends TerraformStack {
  readonly servers: HetznerServer[];
  readonly host: HetznerServer;
  readonly dns: DnsZoneRecords;
  readonly bootstrap: CoolifyBootstrap;
  /** The pinned Docker on each worker, installed before the apps stack has Coolify validate it. */
  readonly workerDocker: WorkerDocker;
  readonly adminEdgeAccess?: AdminEdgeAccess;

  constructor(scope: Construct, id: string, { environment: env }: InfraStackProps) {
    super(scope, id);
    hcloudProvider(this);
    cloudflareProvider(this);
    nullProvider(this);
    importAdopted(this, env.name, env.adoptedInfra, "adoptedInfra", "npm run adopt-infra");

    const sshKeys = new SshKeys(this, "ssh-keys", { keys: env.sshKeys, labels: env.labels("ssh-key") });
    const hostKey = new SshHostKey(this, "ssh-host-key", { environment: env.name, publicKey: env.sshHostKey });
    const firewall = new CoolifyFirewall(this, "firewall", {
      name: env.resourceName("coolify"),
      labels: env.labels("firewall"),
      adminCidrs: env.adminCidrs,
      publicDatabasePorts: env.publicDatabasePorts,
      proxied: env.dns.proxied,
    });
    const protectionLifted = new Set(env.guardrailExceptions.filter((e) => e.rule === "production-protection").map((e) => e.path));
    const network = new PrivateNetwork(this, "private-network", {
      networkName: env.resourceName("private"),
      placementGroupName: env.resourceName("spread"),
      networkZone: env.hetzner.networkZone,
      withNetwork: env.servers.length > 1,
      labels: env.labels,
      deleteProtection: env.production,
      protectionLifted,
    });

    this.servers = env.servers.map(
      (server) =>
        new HetznerServer(this, server.name, {
          server,
          placement: env.hetzner,
          production: env.production,
          protectionLifted,
          labels: env.labels,
          sshKeyIds: sshKeys.ids,
          firewallId: firewall.firewall.id,
          userData: hostKey.userData,
          privateNetwork: network,
          adopted: env.adoptedInfra?.[`${server.name}/server`] !== undefined,
        }),
    );
    const byName = new Map(env.servers.map((server, index) => [server.name, this.servers[index]]));
    const serverNamed = (name: string): HetznerServer => byName.get(name) as HetznerServer;
    this.host = serverNamed(env.host.name);

    this.dns = new DnsZoneRecords(this, "dns", {
      dns: env.dns,
      environment: env.name,
      coolifyUrl: env.coolify.url,
      ipv4: this.host.ipv4.ipAddress,
      ipv6: this.host.server.ipv6Address,
      applicationNames: env.dns.applicationNames.map(({ host, server }) => ({
        name: host,
        ipv4: serverNamed(server).ipv4.ipAddress,
        ipv6: serverNamed(server).server.ipv6Address,
      })),
    });

    // Behind Cloudflare's proxy the origin sees only Cloudflare, so the admins are told apart at the edge.
    this.adminEdgeAccess = env.dns.proxied
      ? new AdminEdgeAccess(this, "admin-edge-access", { environment: env.name, zoneId: this.dns.zoneId, hosts: adminOnlyHosts(env) })
      : undefined;

    this.bootstrap = new CoolifyBootstrap(this, "coolify-bootstrap", {
      environment: env.name,
      coolify: env.coolify,
      serverId: this.host.server.id,
      host: this.host.ipv4.ipAddress,
      hostKey: hostKey.pinned,
      dataVolumeDevice: this.host.volume?.linuxDevice,
      authorizedKeys: env.sshKeys.map((key) => key.publicKey),
      dependsOn: [
        this.host.server,
        firewall.firewall,
        ...this.dns.records,
        ...(this.host.volume ? [this.host.volume] : []),
        ...(this.adminEdgeAccess?.applications ?? []),
      ],
    });

    const workers = env.servers.filter((server) => server.role === "worker");
    this.workerDocker = new WorkerDocker(this, "worker-docker", {
      workers: workers.map((worker) => {
        const server = serverNamed(worker.name);
        return { name: worker.name, serverId: server.server.id, host: server.ipv4.ipAddress };
      }),
      privateKey: this.bootstrap.variables.sshPrivateKey.stringValue,
      hostKey: hostKey.pinned,
      dependsOn: [firewall.firewall],
    });
  }
}
