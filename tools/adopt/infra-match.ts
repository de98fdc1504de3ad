/**
 * Matches the resources an environment's infra stack would create with what already exists in
 * Hetzner Cloud and Cloudflare, and says how the first plan treats each: imported (with the id the
 * provider's importer takes), added, or changed in place. Config values a hand-built host fixes
 * (location, image, server type, volume size) are taken from it, so that nothing is replaced.
 */
import { createHash } from "node:crypto";
import { App, TerraformResource, Testing } from "cdktf";
import { z } from "zod";
import { isRecord } from "../../config/problems";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { AdoptError } from "./coolify-read";
import {
  type CloudflareRecord,
  cloudflareRecord,
  cloudflareResult,
  cloudflareZone,
  type HetznerFirewallRule,
  type HetznerPrimaryIp,
  type HetznerServer,
  hetznerFirewall,
  hetznerList,
  hetznerNetwork,
  hetznerOne,
  hetznerPlacementGroup,
  hetznerPrimaryIp,
  hetznerServer,
  hetznerSshKey,
  hetznerVolume,
} from "./infra-read";
import type { JsonApi } from "./json-api";

/** What the first plan does with one resource of the infra stack. */
export interface PlannedResource {
  /** Construct path inside the stack, e.g. `host/server`. */
  readonly path: string;
  readonly type: string;
  /** The import id, when the resource exists. */
  readonly importId?: string;
  /** What the first apply changes in place on an imported resource. */
  readonly inPlace: readonly string[];
  /** Why it is added, when it does not exist. */
  readonly added?: string;
}

export interface InfraAdoption {
  /** The environment's configuration with the hand-built host's values and `adoptedInfra`. */
  readonly environment: Record<string, unknown>;
  readonly configChanges: readonly string[];
  readonly resources: readonly PlannedResource[];
}

/** A resource of the synthesized stack: its type, logical id, path and configuration. */
interface StackResource {
  readonly type: string;
  readonly logicalId: string;
  readonly path: string;
  readonly config: Record<string, unknown>;
}

/** The infra stack the configuration synthesizes, without imports, as Terraform JSON resources with their construct paths. */
const stackResources = (env: EnvironmentConfig): StackResource[] => {
  const model = environmentModel({ ...env, adoptedInfra: undefined });
  const stack = new InfraStack(new App({ skipValidation: true }), model.stackNames.infra, { environment: model });
  const json = JSON.parse(Testing.synth(stack)) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const prefix = `${stack.node.path}/`;
  return stack.node
    .findAll()
    .filter((node): node is TerraformResource => node instanceof TerraformResource)
    .map((resource) => {
      const logicalId = stack.getLogicalId(resource);
      const type = resource.terraformResourceType;
      return { type, logicalId, path: resource.node.path.slice(prefix.length), config: json.resource?.[type]?.[logicalId] ?? {} };
    });
};

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const sameLabels = (a: Record<string, string>, b: unknown): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(isRecord(b) ? b : {}).sort());

/**
 * Hetzner's SSH key fingerprint: the MD5 of the key's decoded blob in colon-separated hex
 * (hcloud-go v2.35.0 hcloud/ssh_key.go lists keys by `fingerprint`).
 */
export const sshKeyFingerprint = (publicKey: string): string =>
  (
    createHash("md5")
      .update(Buffer.from(publicKey.trim().split(/\s+/)[1] ?? "", "base64"))
      .digest("hex")
      .match(/../g) ?? []
  ).join(":");

/** A firewall rule compared as the provider sets them (a set of rules, each with a set of sources). */
const ruleKey = (rule: Readonly<Record<string, unknown>>): string =>
  JSON.stringify([rule.direction, rule.protocol, rule.port ?? null, [...((rule.source_ips as string[] | undefined) ?? [])].sort(), rule.description ?? null]);

const rulesDiffer = (configured: unknown, existing: readonly HetznerFirewallRule[]): boolean => {
  const wanted = (Array.isArray(configured) ? configured : [])
    .filter(isRecord)
    .map((rule) => ruleKey(rule))
    .sort();
  return JSON.stringify(wanted) !== JSON.stringify(existing.map((rule) => ruleKey(rule)).sort());
};

/** `${<type>.<logical id>.<attribute>}`: the resource and attribute a configured value refers to. */
const reference = (value: unknown): { logicalId: string; attribute: string } | undefined => {
  const found = typeof value === "string" ? /^\$\{[a-z_]+\.([A-Za-z0-9_-]+)\.([a-z_0-9]+)\}$/.exec(value) : null;
  return found ? { logicalId: found[1], attribute: found[2] } : undefined;
};

export class InfraMatcher {
  private readonly servers = new Map<string, HetznerServer>();
  private readonly primaryIps = new Map<string, HetznerPrimaryIp>();
  private zoneId = "";

  constructor(
    private readonly hetzner: JsonApi,
    private readonly cloudflare: JsonApi,
  ) {}

  private async byName<T>(collection: string, name: string, item: Parameters<typeof hetznerList>[1]): Promise<T[]> {
    const answer = await this.hetzner.get(`/${collection}?name=${encodeURIComponent(name)}`, hetznerList(collection, item));
    return answer[collection] as T[];
  }

  /** Phase one: the servers, which fix the configuration's location, image, server types and volume sizes. */
  async readServers(env: EnvironmentConfig, raw: Record<string, unknown>): Promise<{ environment: Record<string, unknown>; changes: string[] }> {
    const changes: string[] = [];
    const host = env.servers.find((server) => server.role === "coolify-host") ?? env.servers[0];
    const hetzner: Record<string, unknown> = { ...env.hetzner };
    const servers: Record<string, unknown>[] = [];
    for (const server of env.servers) {
      const name = `${env.name}-${server.name}`;
      const call = `GET /v1/servers?name=${name}`;
      const found = await this.byName<HetznerServer>("servers", name, hetznerServer);
      if (found.length !== 1) {
        throw new AdoptError(
          `${call}: no server named ${JSON.stringify(name)}: rename the hand-built server in Hetzner to the name the configuration gives it (<environment>-<server name>), or change servers[].name`,
        );
      }
      const [existing] = found;
      this.servers.set(server.name, existing);
      const set = (what: string, from: unknown, to: unknown, target: Record<string, unknown>, key: string) => {
        if (from === to) return;
        target[key] = to;
        changes.push(`${what}: ${JSON.stringify(from)} → ${JSON.stringify(to)} (as ${name} is)`);
      };
      const entry: Record<string, unknown> = { ...server };
      if (server === host) {
        set("hetzner.location", env.hetzner.location, existing.location.name, hetzner, "location");
        if (!existing.image?.name) {
          if (!env.production) {
            throw new AdoptError(
              `${call}: ${name} runs an image Hetzner no longer lists or a snapshot, and outside production a different image replaces the server (hcloud v1.59.0 internal/server/resource.go, image ForceNew): set production: true, whose servers keep their image`,
            );
          }
        } else {
          set("hetzner.image", env.hetzner.image, existing.image.name, hetzner, "image");
        }
        set("hetzner.serverType", env.hetzner.serverType, existing.server_type.name, hetzner, "serverType");
      } else if (existing.location.name !== (hetzner.location ?? env.hetzner.location)) {
        throw new AdoptError(
          `${call}: ${name} is in ${existing.location.name}, the host elsewhere: an environment's servers share one location (hetzner.location)`,
        );
      }
      const type = server.serverType ?? env.hetzner.serverType;
      if (server !== host && existing.server_type.name !== (hetzner.serverType ?? type))
        set(`servers.${server.name}.serverType`, type, existing.server_type.name, entry, "serverType");
      else if (server === host && server.serverType !== undefined) delete entry.serverType;
      if (existing.volumes.length > 1) {
        throw new AdoptError(
          `${call}: ${name} has ${existing.volumes.length} volumes; the configuration gives a server one data volume (servers[].volumeSizeGb)`,
        );
      }
      if (existing.volumes.length === 1) {
        const { volume } = await this.hetzner.get(`/volumes/${existing.volumes[0]}`, hetznerOne("volume", hetznerVolume));
        set(`servers.${server.name}.volumeSizeGb`, server.volumeSizeGb, volume.size, entry, "volumeSizeGb");
      }
      servers.push(entry);
    }
    return { environment: { ...raw, hetzner, servers }, changes };
  }

  /** The primary IP a resource refers to, by name or else the one its server uses; it must be that server's. */
  private async primaryIp(resource: StackResource, server: HetznerServer): Promise<HetznerPrimaryIp | undefined> {
    const name = text(resource.config.name) ?? "";
    const family = resource.config.type === "ipv6" ? "ipv6" : "ipv4";
    const [byName] = await this.byName<HetznerPrimaryIp>("primary_ips", name, hetznerPrimaryIp);
    const assigned = server.public_net[family]?.id;
    const found =
      byName ??
      (assigned === undefined ? undefined : (await this.hetzner.get(`/primary_ips/${assigned}`, hetznerOne("primary_ip", hetznerPrimaryIp))).primary_ip);
    if (found && found.id !== assigned) {
      throw new AdoptError(
        `GET /v1/primary_ips?name=${name}: ${name} is not the ${family} address ${server.name} uses: rename the primary IP ${server.name} has instead, or assign this one to it (an adopted server keeps its addresses)`,
      );
    }
    return found;
  }

  /** The DNS record of the zone a configured record stands for, if any. */
  private async record(resource: StackResource): Promise<CloudflareRecord | undefined> {
    const [name, type] = [text(resource.config.name) ?? "", text(resource.config.type) ?? ""];
    const path = `/zones/${this.zoneId}/dns_records?type=${type}&name=${encodeURIComponent(name)}&per_page=100`;
    const { result } = await this.cloudflare.get(path, cloudflareResult(z.array(cloudflareRecord)));
    const data = isRecord(resource.config.data) ? resource.config.data : undefined;
    const content = text(resource.config.content);
    const prefix = content?.replace(/^"/, "").split(/[\s;]/)[0];
    const candidates = result.filter((record) => {
      if (type === "CAA") return record.data?.tag === data?.tag;
      if (type === "TXT") return (record.content ?? "").replace(/^"/, "").startsWith(prefix ?? "\0");
      if (type === "MX") return record.content === content;
      return true;
    });
    if (candidates.length > 1) {
      throw new AdoptError(`GET /client/v4${path}: ${candidates.length} ${type} records for ${name}: keep one (the configuration manages one) and run again`);
    }
    return candidates[0];
  }

  /** The value a configured attribute has once its references are resolved against what exists. */
  private resolved(value: unknown, byLogicalId: ReadonlyMap<string, StackResource>): unknown {
    const ref = reference(value);
    if (!ref) return value;
    const target = byLogicalId.get(ref.logicalId);
    if (target?.type === "hcloud_primary_ip" && ref.attribute === "ip_address") return this.primaryIps.get(target.path)?.ip;
    if (target?.type === "hcloud_server" && ref.attribute === "ipv6_address") {
      // The provider's ipv6_address: the first address of the server's /64 (internal/server/resource.go, getServerAttributes).
      const network = this.servers.get(target.path.split("/")[0])?.public_net.ipv6?.ip;
      return network?.replace(/\/64$/, "").concat("1");
    }
    return value;
  }

  private async match(resource: StackResource, env: EnvironmentConfig, byLogicalId: ReadonlyMap<string, StackResource>): Promise<PlannedResource> {
    const { path, type, config } = resource;
    const owner = this.servers.get(path.split("/")[0]);
    const changes: string[] = [];
    const compare = (what: string, from: unknown, to: unknown) => {
      if (to !== undefined && JSON.stringify(from ?? null) !== JSON.stringify(to))
        changes.push(`${what} ${JSON.stringify(from ?? null)} → ${JSON.stringify(to)}`);
    };
    const hetznerCommon = (found: { name: string; labels: Record<string, string> }, protection?: boolean) => {
      compare("name", found.name, config.name);
      if (!sameLabels(found.labels, config.labels)) changes.push(`labels ${JSON.stringify(found.labels)} → ${JSON.stringify(config.labels ?? {})}`);
      if (protection !== undefined) compare("delete_protection", protection, config.delete_protection ?? false);
    };
    const imported = (importId: string): PlannedResource => ({ path, type, importId, inPlace: changes });
    const added = (why: string): PlannedResource => ({ path, type, inPlace: [], added: why });
    switch (type) {
      case "hcloud_server": {
        const server = this.servers.get(path.split("/")[0]);
        if (!server) return added("no such server");
        hetznerCommon(server, server.protection.delete);
        compare("rebuild_protection", server.protection.rebuild, config.rebuild_protection ?? false);
        return imported(String(server.id));
      }
      case "hcloud_primary_ip": {
        if (!owner) return added("its server is not adopted");
        const found = await this.primaryIp(resource, owner);
        if (!found) return added(`${owner.name} has no ${String(config.type)} address`);
        this.primaryIps.set(path, found);
        hetznerCommon(found, found.protection.delete);
        compare("auto_delete", found.auto_delete, config.auto_delete);
        return imported(String(found.id));
      }
      case "hcloud_volume": {
        const id = owner?.volumes[0];
        const [byName] = await this.byName<{ id: number }>("volumes", text(config.name) ?? "", hetznerVolume);
        const volumeId = byName?.id ?? id;
        if (volumeId === undefined) return added("the server has no volume");
        const { volume } = await this.hetzner.get(`/volumes/${volumeId}`, hetznerOne("volume", hetznerVolume));
        if (volume.server !== owner?.id)
          throw new AdoptError(`GET /v1/volumes/${volumeId}: ${volume.name} is not attached to ${owner?.name}: attach it in Hetzner first`);
        hetznerCommon(volume, volume.protection.delete);
        // Never read back by the provider (internal/volume/resource.go getVolumeAttributes); resourceVolumeUpdate makes no call for them.
        changes.push("automount and format written to the state (no call to Hetzner)");
        return imported(String(volume.id));
      }
      case "hcloud_firewall": {
        const [byName] = await this.byName<{ id: number }>("firewalls", text(config.name) ?? "", hetznerFirewall);
        const host = this.servers.get(env.servers.find((server) => server.role === "coolify-host")?.name ?? "");
        const applied = host?.public_net.firewalls ?? [];
        const id = byName?.id ?? (applied.length === 1 ? applied[0].id : undefined);
        if (id === undefined) return added("no firewall by that name, and the host has none (or several)");
        const { firewall } = await this.hetzner.get(`/firewalls/${id}`, hetznerOne("firewall", hetznerFirewall));
        hetznerCommon(firewall);
        if (rulesDiffer(config.rule, firewall.rules))
          changes.push(`rules: the configuration's ${Array.isArray(config.rule) ? config.rule.length : 0} rules replace the ${firewall.rules.length} it has`);
        return imported(String(firewall.id));
      }
      case "hcloud_placement_group": {
        const [byName] = await this.byName<{ id: number; name: string; labels: Record<string, string> }>(
          "placement_groups",
          text(config.name) ?? "",
          hetznerPlacementGroup,
        );
        if (!byName) return added("none by that name (an existing server is not moved into it)");
        hetznerCommon(byName);
        return imported(String(byName.id));
      }
      case "hcloud_ssh_key": {
        const fingerprint = sshKeyFingerprint(text(config.public_key) ?? "");
        const { ssh_keys } = await this.hetzner.get(`/ssh_keys?fingerprint=${encodeURIComponent(fingerprint)}`, hetznerList("ssh_keys", hetznerSshKey));
        const [found] = ssh_keys as { id: number; name: string; labels: Record<string, string> }[];
        if (!found) return added("Hetzner has no key with this fingerprint");
        hetznerCommon(found);
        return imported(String(found.id));
      }
      case "hcloud_network": {
        const [byName] = await this.byName<{ id: number; name: string; labels: Record<string, string>; protection: { delete: boolean } }>(
          "networks",
          text(config.name) ?? "",
          hetznerNetwork,
        );
        if (!byName) return added("none by that name");
        hetznerCommon(byName, byName.protection.delete);
        return imported(String(byName.id));
      }
      case "hcloud_network_subnet": {
        const network = [...byLogicalId.values()].find((candidate) => candidate.type === "hcloud_network");
        const [existing] = network
          ? await this.byName<{ id: number; subnets: { ip_range: string }[] }>("networks", text(network.config.name) ?? "", hetznerNetwork)
          : [];
        const range = text(config.ip_range) ?? "";
        if (!existing?.subnets.some((subnet) => subnet.ip_range === range)) return added(`the network has no subnet ${range}`);
        // internal/network/resource_subnet.go generateNetworkSubnetID: "<network id>-<ip range>".
        return imported(`${existing.id}-${range}`);
      }
      case "cloudflare_dns_record": {
        const found = await this.record(resource);
        if (!found) return added("the zone has no such record");
        for (const key of ["content", "proxied", "ttl", "priority", "comment"] as const) compare(key, found[key], this.resolved(config[key], byLogicalId));
        // cloudflare v5.14.0 internal/services/dns_record/resource.go ImportState: "<zone_id>/<dns_record_id>".
        return imported(`${this.zoneId}/${found.id}`);
      }
      default:
        return added(type.startsWith("null_") ? "runs on the first apply (see docs/runbook/adopt-existing-infrastructure.md)" : "not adopted by this command");
    }
  }

  /** Phase two: every resource of the stack, matched in dependency order (IPs before the records pointing at them). */
  async matchAll(env: EnvironmentConfig): Promise<PlannedResource[]> {
    const resources = stackResources(env);
    const byLogicalId = new Map(resources.map((resource) => [resource.logicalId, resource]));
    if (resources.some((resource) => resource.type.startsWith("cloudflare_"))) {
      const path = `/zones?name=${encodeURIComponent(env.dns.zone)}`;
      const { result } = await this.cloudflare.get(path, cloudflareResult(z.array(cloudflareZone)));
      if (result.length !== 1)
        throw new AdoptError(`GET /client/v4${path}: the token sees no zone ${env.dns.zone}: give it Zone:Read and DNS:Read on that zone`);
      this.zoneId = result[0].id;
    }
    const order = (type: string): number => (type === "cloudflare_dns_record" ? 1 : 0);
    const sorted = [...resources].sort((a, b) => order(a.type) - order(b.type));
    const planned: PlannedResource[] = [];
    for (const resource of sorted) planned.push(await this.match(resource, env, byLogicalId));
    return planned.sort((a, b) => a.path.localeCompare(b.path));
  }
}
