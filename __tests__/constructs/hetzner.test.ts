import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { Firewall } from "../../.gen/providers/hcloud/firewall";
import { Network } from "../../.gen/providers/hcloud/network";
import { NetworkSubnet } from "../../.gen/providers/hcloud/network-subnet";
import { PlacementGroup } from "../../.gen/providers/hcloud/placement-group";
import { SshKey } from "../../.gen/providers/hcloud/ssh-key";
import { CLOUDFLARE_IP_RANGES } from "../../catalog/cloudflare";
import { cidrProblem } from "../../config/network-values";
import type { EnvironmentConfig } from "../../config/schema";
import { HARDENING_CLOUD_INIT } from "../../constructs/hetzner/cloud-init";
import { CoolifyFirewall } from "../../constructs/hetzner/coolify-firewall";
import { HetznerServer } from "../../constructs/hetzner/hetzner-server";
import { PrivateNetwork } from "../../constructs/hetzner/private-network";
import { SshKeys } from "../../constructs/hetzner/ssh-keys";
import { environmentModel, privateAddress } from "../../model/environment";
import { live, trial } from "../fixtures/config";
import "../support/cdktf-matchers";

/** One server, with a database on a public port. */
const single: EnvironmentConfig = { ...trial, apps: { projects: [{ name: "p", databases: [{ kind: "redis", name: "cache", publicPort: 15432 }] }] } };
/** A production host with a data volume, and a worker. */
const multi: EnvironmentConfig = { ...live, servers: [{ ...live.servers[0], volumeSizeGb: 50 }, live.servers[1]] };
const labels = (env: EnvironmentConfig, role: string) => ({ ...env.labels, environment: env.name, role, "managed-by": "cdktf" });
const privateNetwork = (scope: Construct, env: EnvironmentConfig): PrivateNetwork => {
  const model = environmentModel(env);
  return new PrivateNetwork(scope, "net", {
    networkName: model.resourceName("private"),
    placementGroupName: model.resourceName("spread"),
    networkZone: model.hetzner.networkZone,
    withNetwork: env.servers.length > 1,
    labels: model.labels,
    deleteProtection: model.production,
    protectionLifted: new Set(),
  });
};
const parse = (json: string) =>
  JSON.parse(json) as { resource: Record<string, Record<string, Record<string, unknown>>>; output?: Record<string, Record<string, unknown>> };

describe("SshKeys", () => {
  it("registers every team key with the environment's name and labels", () => {
    const json = Testing.synthScope((scope) => new SshKeys(scope, "keys", { keys: environmentModel(single).sshKeys, labels: labels(single, "ssh-key") }));
    for (const key of single.sshPublicKeys) {
      expect(json).toHaveResourceWithProperties(SshKey, { name: `trial-${key.name}`, public_key: key.publicKey, labels: labels(single, "ssh-key") });
    }
    expect(Object.keys(parse(json).resource.hcloud_ssh_key)).toHaveLength(single.sshPublicKeys.length);
  });
});

describe("CoolifyFirewall", () => {
  const rules = (proxied = false) => {
    const json = Testing.synthScope(
      (scope) =>
        new CoolifyFirewall(scope, "fw", {
          name: "trial-coolify",
          labels: labels(single, "firewall"),
          adminCidrs: single.adminCidrs,
          publicDatabasePorts: environmentModel(single).publicDatabasePorts,
          proxied,
        }),
    );
    const [firewall] = Object.values(parse(json).resource.hcloud_firewall);
    return { json, rules: firewall.rule as { port?: string; protocol: string; source_ips: string[] }[] };
  };

  it("opens web ports and ICMP to everyone", () => {
    const { json, rules: all } = rules();
    expect(json).toHaveResourceWithProperties(Firewall, { name: "trial-coolify", labels: labels(single, "firewall") });
    for (const port of ["80", "443"]) {
      expect(all).toContainEqual(expect.objectContaining({ direction: "in", protocol: "tcp", port, source_ips: ["0.0.0.0/0", "::/0"] }));
    }
    expect(all).toContainEqual(expect.objectContaining({ protocol: "udp", port: "443", source_ips: ["0.0.0.0/0", "::/0"] }));
    expect(all).toContainEqual(expect.objectContaining({ protocol: "icmp", source_ips: ["0.0.0.0/0", "::/0"] }));
  });

  it("opens web ports only to Cloudflare's published ranges when the records are proxied", () => {
    const { rules: all } = rules(true);
    const web = all.filter((r) => r.port === "80" || r.port === "443");
    expect(web.map((r) => `${r.protocol} ${r.port}`)).toEqual(["tcp 80", "tcp 443", "udp 443"]);
    for (const rule of web) {
      expect(rule.source_ips).toEqual([...CLOUDFLARE_IP_RANGES]);
      expect(rule.source_ips).not.toContain("0.0.0.0/0");
    }
    expect(CLOUDFLARE_IP_RANGES.filter((cidr) => cidrProblem(cidr) !== undefined)).toEqual([]);
    expect(CLOUDFLARE_IP_RANGES.filter((cidr) => cidr.includes(":"))).toHaveLength(7);
    expect(all).toContainEqual(expect.objectContaining({ protocol: "icmp", source_ips: ["0.0.0.0/0", "::/0"] }));
  });

  it("opens SSH only to admin CIDRs, and Coolify's plain-HTTP dashboard, realtime and terminal ports to nobody", () => {
    const { rules: all } = rules();
    expect(all.filter((r) => r.port === "22")).toEqual([expect.objectContaining({ protocol: "tcp", source_ips: [...single.adminCidrs] })]);
    for (const port of ["8000", "6001", "6002"]) expect(all.filter((r) => r.port === port)).toEqual([]);
    expect(all).toHaveLength(6);
  });

  it("lets only admin CIDRs reach a database's public port", () => {
    const { rules: all } = rules();
    expect(all.filter((r) => r.port === "15432")).toEqual([expect.objectContaining({ protocol: "tcp", source_ips: [...single.adminCidrs] })]);
  });
});

describe("PrivateNetwork", () => {
  it("creates a spread placement group, and with more than one server a network and a subnet in the location's zone", () => {
    const alone = parse(Testing.synthScope((scope) => privateNetwork(scope, single)));
    expect(Object.keys(alone.resource)).toEqual(["hcloud_placement_group"]);
    const json = Testing.synthScope((scope) => privateNetwork(scope, multi));
    expect(json).toHaveResourceWithProperties(Network, { name: "live-private", ip_range: "10.42.0.0/16", delete_protection: true });
    expect(json).toHaveResourceWithProperties(NetworkSubnet, { type: "cloud", network_zone: "eu-central", ip_range: "10.42.1.0/24" });
    expect(json).toHaveResourceWithProperties(PlacementGroup, { name: "live-spread", type: "spread", labels: labels(multi, "placement-group") });
    expect(privateAddress({ name: "main", role: "coolify-host" })).toBe("10.42.1.10");
    expect(privateAddress({ name: "batch", role: "worker" })).toMatch(/^10\.42\.1\.(1[1-9]|[2-9]\d|1\d\d|2[0-4]\d|250)$/);
  });
});

describe("HetznerServer", () => {
  const synthServer = (env: EnvironmentConfig, index: number) =>
    parse(
      Testing.synthScope((scope) => {
        const model = environmentModel(env);
        new HetznerServer(scope, env.servers[index].name, {
          server: model.servers[index],
          placement: model.hetzner,
          production: model.production,
          protectionLifted: new Set(),
          labels: model.labels,
          sshKeyIds: ["1", "2"],
          firewallId: "7",
          userData: HARDENING_CLOUD_INIT,
          privateNetwork: privateNetwork(scope, env),
        });
      }),
    );

  it("builds an unprotected host with primary IPs, hardening cloud-init and stable outputs", () => {
    const tf = synthServer(single, 0);
    const [server] = Object.values(tf.resource.hcloud_server);
    expect(server).toMatchObject({
      name: "trial-main",
      server_type: "cpx22",
      image: "ubuntu-24.04",
      location: "ash",
      user_data: HARDENING_CLOUD_INIT,
      labels: labels(single, "coolify-host"),
      delete_protection: false,
      rebuild_protection: false,
      ssh_keys: ["1", "2"],
    });
    expect(server.lifecycle).toEqual({ ignore_changes: ["user_data", "ssh_keys", "placement_group_id"] });
    expect(server.network).toBeUndefined();
    const ips = Object.values(tf.resource.hcloud_primary_ip);
    expect(ips.map((ip) => ip.type).sort()).toEqual(["ipv4", "ipv6"]);
    for (const ip of ips) {
      expect(ip).toMatchObject({
        assignee_type: "server",
        auto_delete: false,
        location: "ash",
        delete_protection: false,
        lifecycle: { prevent_destroy: false },
      });
    }
    expect(server.public_net).toEqual([
      expect.objectContaining({
        ipv4_enabled: true,
        ipv6_enabled: true,
        ipv4: expect.stringMatching(/hcloud_primary_ip\.main_ipv4_.*\.id/),
        ipv6: expect.stringMatching(/hcloud_primary_ip\.main_ipv6_.*\.id/),
      }),
    ]);
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(["server_main_ipv4", "server_main_ipv6", "server_main_name"]);
  });

  it("cloud-init allows SSH by key only and turns on unattended upgrades", () => {
    expect(HARDENING_CLOUD_INIT).toMatch(/^#cloud-config\n/);
    expect(HARDENING_CLOUD_INIT).toContain("PasswordAuthentication no");
    expect(HARDENING_CLOUD_INIT).toContain("PermitRootLogin prohibit-password");
    expect(HARDENING_CLOUD_INIT).toContain('APT::Periodic::Unattended-Upgrade "1";');
  });

  it("protects a production host and its volume, and guards against needless replacement", () => {
    const tf = synthServer(multi, 0);
    const [server] = Object.values(tf.resource.hcloud_server);
    expect(server).toMatchObject({
      delete_protection: true,
      rebuild_protection: true,
      lifecycle: { ignore_changes: ["image", "user_data", "ssh_keys", "placement_group_id"] },
      network: [{ ip: "10.42.1.10", network_id: expect.stringContaining("hcloud_network.net_") }],
      placement_group_id: expect.stringContaining("hcloud_placement_group.net_placement-group"),
      depends_on: [expect.stringContaining("hcloud_network_subnet.net_subnet")],
    });
    for (const ip of Object.values(tf.resource.hcloud_primary_ip)) {
      expect(ip).toMatchObject({ delete_protection: true, lifecycle: { prevent_destroy: true } });
    }
    const [volume] = Object.values(tf.resource.hcloud_volume);
    expect(volume).toMatchObject({
      name: "live-main-data",
      size: 50,
      delete_protection: true,
      lifecycle: { prevent_destroy: true },
      labels: labels(multi, "volume"),
    });
  });

  it("uses a worker's own server type and private address", () => {
    const tf = synthServer(multi, 1);
    const [server] = Object.values(tf.resource.hcloud_server);
    expect(server).toMatchObject({
      name: "live-batch",
      server_type: "cpx32",
      labels: labels(multi, "worker"),
      network: [expect.objectContaining({ ip: privateAddress({ name: "batch", role: "worker" }) })],
    });
    expect(tf.resource.hcloud_volume).toBeUndefined();
    expect(Object.keys(tf.output ?? {})).toContain("server_batch_ipv4");
  });
});
