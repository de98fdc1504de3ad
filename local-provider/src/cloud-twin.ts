/**
 * The local hcloud and Cloudflare providers reading and changing resources through a stand-in of
 * the Hetzner Cloud API and Cloudflare's v4 API (LOCAL_PROVIDER_HCLOUD_TWIN /
 * LOCAL_PROVIDER_CLOUDFLARE_TWIN: the APIs' base URLs), the way the real providers do, for the
 * resource types the infra stack holds:
 *
 * - reads map an API object to attributes as the providers' read paths do: hetznercloud/
 *   terraform-provider-hcloud v1.59.0 getServerAttributes, getPrimaryIPAttributes,
 *   getVolumeAttributes, getFirewallAttributes (with toTFRule), the placement group's getAttributes
 *   and the SSH key's model (internal/<resource>/resource.go); cloudflare/terraform-provider-cloudflare
 *   v5.14.0 unmarshals the record into its model (internal/services/dns_record/resource.go Read,
 *   model.go), keeping `zone_id` from the state;
 * - plans follow the two plugin frameworks where the schema-only stand-in cannot: hcloud (SDKv2)
 *   fills each unset optional attribute with its `Default` and keeps computed attributes as they are
 *   in the state; Cloudflare (plugin framework) leaves a resource whose configured values match the
 *   state untouched;
 * - updates call what the providers' update functions call: PUT of name and labels (and a primary
 *   IP's auto_delete), `change_protection` when a protection changes, the firewall's `set_rules`, a
 *   record's PUT; creates POST the object.
 *
 * A resource the stand-in does not hold (404) is gone, as for the providers.
 */
import { isObject, isUnknown, type ObjectValue, sameValue, type Value } from "./cty";
import type { BlockSchema } from "./schema";

export const HCLOUD_TWIN_VARIABLE = "LOCAL_PROVIDER_HCLOUD_TWIN";
export const CLOUDFLARE_TWIN_VARIABLE = "LOCAL_PROVIDER_CLOUDFLARE_TWIN";

type Json = Record<string, unknown>;

/** Resource type → the Hetzner collection and the key of one object in its answers (hcloud-go schema `<Kind>GetResponse`). */
const HCLOUD_COLLECTIONS: Readonly<Record<string, readonly [string, string]>> = {
  hcloud_server: ["servers", "server"],
  hcloud_primary_ip: ["primary_ips", "primary_ip"],
  hcloud_volume: ["volumes", "volume"],
  hcloud_firewall: ["firewalls", "firewall"],
  hcloud_placement_group: ["placement_groups", "placement_group"],
  hcloud_ssh_key: ["ssh_keys", "ssh_key"],
};

/**
 * The SDKv2 `Default` of each optional attribute (hcloud v1.59.0, internal/server/resource.go,
 * internal/primaryip/resource.go, internal/volume/resource.go): the plan sets it where the
 * configuration does not, and a read after an import leaves those the API does not give unset.
 */
const HCLOUD_DEFAULTS: Readonly<Record<string, ObjectValue>> = {
  hcloud_server: {
    keep_disk: false,
    allow_deprecated_images: false,
    backups: false,
    ignore_remote_firewall_ids: false,
    delete_protection: false,
    rebuild_protection: false,
    shutdown_before_deletion: false,
  },
  hcloud_primary_ip: { delete_protection: false },
  hcloud_volume: { delete_protection: false },
};

/**
 * Blocks the SDKv2 schema marks Optional and Computed, which the schema's JSON cannot say: an unset
 * one keeps what the state holds (hcloud v1.59.0 internal/firewall/resource.go, `apply_to`).
 */
const HCLOUD_COMPUTED_BLOCKS: Readonly<Record<string, readonly string[]>> = { hcloud_firewall: ["apply_to"] };

/** Whether a planned value agrees with the state, an unknown agreeing with anything. */
const agrees = (planned: Value, prior: Value): boolean => {
  if (isUnknown(planned)) return true;
  if (Array.isArray(planned)) return Array.isArray(prior) && planned.length === prior.length && planned.every((item, index) => agrees(item, prior[index]));
  if (isObject(planned)) return isObject(prior) && Object.entries(planned).every(([key, value]) => agrees(value, prior[key] ?? null));
  return sameValue(planned, prior);
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const labels = (value: unknown): Value => (isRecord(value) ? (value as ObjectValue) : {});
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const named = (value: unknown): string | null => (isRecord(value) ? text(value.name) : null);
/** hcloud-go keeps an IPv6 network as an IP and a mask; net.IP's String of the network's address. */
const ipv6Address = (network: unknown): string => String(network ?? "").replace(/\/\d+$/, "");

/** hcloud v1.59.0's attributes of one API object, by resource type. */
const HCLOUD_READ: Readonly<Record<string, (row: Json, state: ObjectValue) => ObjectValue>> = {
  hcloud_server: (row, state) => {
    const net = isRecord(row.public_net) ? row.public_net : {};
    const ipv4 = isRecord(net.ipv4) ? net.ipv4 : undefined;
    const ipv6 = isRecord(net.ipv6) ? net.ipv6 : undefined;
    const image = isRecord(row.image) ? row.image : undefined;
    const protection = isRecord(row.protection) ? row.protection : {};
    const backupWindow = text(row.backup_window) ?? "";
    const attributes: ObjectValue = {
      id: String(row.id),
      name: text(row.name),
      location: named(row.location),
      status: text(row.status),
      server_type: named(row.server_type),
      ipv6_network: ipv6 ? text(ipv6.ip) : "<nil>",
      backup_window: backupWindow,
      backups: backupWindow !== "",
      labels: labels(row.labels),
      delete_protection: protection.delete === true,
      rebuild_protection: protection.rebuild === true,
      firewall_ids: (Array.isArray(net.firewalls) ? net.firewalls : []).map((firewall) => Number((firewall as Json).id)),
      primary_disk_size: Number(row.primary_disk_size ?? 0),
      ipv4_address: ipv4 ? text(ipv4.ip) : null,
      ipv6_address: ipv6 ? `${ipv6Address(ipv6.ip)}1` : null,
      // The image's name unless the configuration names it by id (getServerAttributes).
      image: image ? (text(image.name) && String(image.id) !== state.image ? text(image.name) : String(image.id)) : (state.image ?? null),
      placement_group_id: isRecord(row.placement_group) ? Number(row.placement_group.id) : null,
    };
    if (isRecord(row.datacenter)) attributes.datacenter = text(row.datacenter.name);
    // `network` only when the state holds it (getServerAttributes).
    if (Array.isArray(state.network) && state.network.length > 0) {
      attributes.network = (Array.isArray(row.private_net) ? row.private_net : []).map((entry) => {
        const net = entry as Json;
        return { network_id: Number(net.network), ip: text(net.ip), mac_address: text(net.mac_address) ?? "", alias_ips: (net.alias_ips as Value[]) ?? [] };
      });
    }
    return attributes;
  },
  hcloud_primary_ip: (row) => ({
    id: String(row.id),
    ip_address: row.type === "ipv6" ? ipv6Address(row.ip) : text(row.ip),
    assignee_id: typeof row.assignee_id === "number" ? row.assignee_id : 0,
    assignee_type: text(row.assignee_type),
    name: text(row.name),
    type: text(row.type),
    location: named(row.location),
    labels: labels(row.labels),
    delete_protection: isRecord(row.protection) && row.protection.delete === true,
    auto_delete: row.auto_delete === true,
    ...(row.type === "ipv6" ? { ip_network: text(row.ip) } : {}),
    ...(isRecord(row.datacenter) ? { datacenter: text(row.datacenter.name) } : {}),
  }),
  hcloud_volume: (row) => ({
    id: String(row.id),
    name: text(row.name),
    size: Number(row.size),
    location: named(row.location),
    labels: labels(row.labels),
    linux_device: text(row.linux_device),
    delete_protection: isRecord(row.protection) && row.protection.delete === true,
    ...(typeof row.server === "number" ? { server_id: row.server } : {}),
  }),
  hcloud_firewall: (row) => ({
    id: String(row.id),
    name: text(row.name),
    labels: labels(row.labels),
    // toTFRule: port and description only when the API gives them.
    rule: (Array.isArray(row.rules) ? row.rules : []).map((entry) => {
      const rule = entry as Json;
      return {
        direction: text(rule.direction),
        protocol: text(rule.protocol),
        port: text(rule.port),
        description: text(rule.description),
        source_ips: (rule.source_ips as Value[]) ?? [],
        destination_ips: (rule.destination_ips as Value[]) ?? [],
      };
    }),
    apply_to: (Array.isArray(row.applied_to) ? row.applied_to : []).map((entry) => {
      const applied = entry as Json;
      return applied.type === "server" && isRecord(applied.server)
        ? { label_selector: null, server: Number(applied.server.id) }
        : { label_selector: isRecord(applied.label_selector) ? text(applied.label_selector.selector) : null, server: null };
    }),
  }),
  hcloud_placement_group: (row) => ({
    id: String(row.id),
    name: text(row.name),
    labels: labels(row.labels),
    type: text(row.type),
    servers: (row.servers as Value[]) ?? [],
  }),
  hcloud_ssh_key: (row) => ({
    id: String(row.id),
    name: text(row.name),
    public_key: text(row.public_key),
    fingerprint: text(row.fingerprint),
    labels: labels(row.labels),
  }),
};

/** The nested `data` and `settings` objects of a record, every attribute of the schema present. */
const nestedObject = (block: BlockSchema | undefined, name: string, value: unknown): Value => {
  const nested = block?.attributes?.[name]?.nested_type?.attributes ?? {};
  if (!isRecord(value)) return null;
  return Object.fromEntries(Object.keys(nested).map((key) => [key, (value[key] as Value) ?? null]));
};

/** cloudflare v5.14.0's model of one record (model.go: each field from the JSON of the same name). */
const cloudflareRecord = (row: Json, state: ObjectValue, block: BlockSchema | undefined): ObjectValue => ({
  id: text(row.id),
  zone_id: state.zone_id ?? null,
  name: text(row.name),
  type: text(row.type),
  comment: text(row.comment),
  content: text(row.content),
  priority: typeof row.priority === "number" ? row.priority : null,
  data: nestedObject(block, "data", row.data),
  proxied: typeof row.proxied === "boolean" ? row.proxied : null,
  ttl: typeof row.ttl === "number" ? row.ttl : null,
  tags: (row.tags as Value[]) ?? null,
  settings: nestedObject(block, "settings", row.settings),
  comment_modified_on: text(row.comment_modified_on),
  created_on: text(row.created_on),
  modified_on: text(row.modified_on),
  proxiable: typeof row.proxiable === "boolean" ? row.proxiable : null,
  tags_modified_on: text(row.tags_modified_on),
  meta: row.meta === undefined ? null : JSON.stringify(row.meta),
});

/**
 * SDKv2 keeps a collection the configuration and state leave null as null when the API answers it
 * empty (terraform-plugin-sdk v2, grpc_provider.go normalizeNullValues, on every read).
 */
const keepNullEmpties = (read: Value, prior: Value): Value => {
  if (Array.isArray(read)) {
    if (read.length === 0 && (prior === null || prior === undefined)) return null;
    return read.map((item, index) =>
      keepNullEmpties(item, Array.isArray(prior) ? (prior.find((p) => isObject(p) && isObject(item) && sameKeys(p, item)) ?? prior[index] ?? null) : null),
    );
  }
  if (isObject(read)) {
    const priorObject = isObject(prior) ? prior : {};
    return Object.fromEntries(Object.entries(read).map(([key, value]) => [key, keepNullEmpties(value, priorObject[key] ?? null)]));
  }
  return read;
};

/** Set elements line up by their scalar attributes. */
const sameKeys = (a: ObjectValue, b: ObjectValue): boolean =>
  Object.entries(b).every(([key, value]) => Array.isArray(value) || isObject(value) || sameValue(value, a[key] ?? null));

/** A plan as the twin's provider makes it: the planned object and the attribute paths that force replacement. */
export interface TwinPlan {
  readonly planned: Value;
  readonly requiresReplace: readonly string[][];
}

/** What the provider service asks of a twin: the Coolify one (coolify-twin.ts) or this one. */
export interface ProviderTwin {
  configure(config: Value): void;
  read(typeName: string, state: Value, block?: BlockSchema): Promise<Value | undefined>;
  handles(typeName: string, prior: Value, planned: Value): Promise<boolean>;
  apply(typeName: string, prior: Value, planned: Value, config: Value, block?: BlockSchema): Promise<Value>;
  readDataSource(typeName: string, config: Value, block: BlockSchema): Promise<Value | undefined>;
  checkImport(typeName: string, imported: ObjectValue): Promise<void>;
  plan?(typeName: string, prior: Value, planned: Value, block: BlockSchema, requiresReplace: readonly string[][]): TwinPlan;
  /** Whether the provider answers this type's plans and applies as a legacy (SDKv2) provider, which Terraform holds to looser checks. */
  legacyTypeSystem?(typeName: string): boolean;
}

/** The twin of an hcloud or Cloudflare provider when its variable names a stand-in; else none. */
export const cloudTwin = (providerType: string, env: Readonly<Record<string, string | undefined>>): CloudTwin | undefined => {
  const url = providerType === "hcloud" ? env[HCLOUD_TWIN_VARIABLE] : providerType === "cloudflare" ? env[CLOUDFLARE_TWIN_VARIABLE] : undefined;
  return url ? new CloudTwin(providerType as "hcloud" | "cloudflare", url) : undefined;
};

export class CloudTwin implements ProviderTwin {
  private token = "";

  constructor(
    private readonly provider: "hcloud" | "cloudflare",
    private readonly url: string,
  ) {}

  /**
   * terraform-plugin-sdk v2 sets UnsafeToUseLegacyTypeSystem in every PlanResourceChange and
   * ApplyResourceChange answer (helper/schema/grpc_provider.go); hcloud v1.59.0 serves its SSH keys
   * with the plugin framework (internal/sshkey/resource.go), which never does.
   */
  legacyTypeSystem(typeName: string): boolean {
    return this.provider === "hcloud" && typeName !== "hcloud_ssh_key";
  }

  /** The provider block's token (hcloud `token`, Cloudflare `api_token`). */
  configure(config: Value): void {
    const token = isObject(config) ? (this.provider === "hcloud" ? config.token : config.api_token) : null;
    if (typeof token === "string") this.token = token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Json | undefined> {
    const response = await fetch(`${this.url.replace(/\/+$/, "")}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Json;
  }

  private twinned(typeName: string): boolean {
    return this.provider === "hcloud" ? HCLOUD_COLLECTIONS[typeName] !== undefined : typeName === "cloudflare_dns_record";
  }

  private path(typeName: string, state: ObjectValue): string {
    if (this.provider === "cloudflare") return `/zones/${String(state.zone_id)}/dns_records${typeof state.id === "string" ? `/${state.id}` : ""}`;
    const [collection] = HCLOUD_COLLECTIONS[typeName];
    return `/${collection}${typeof state.id === "string" ? `/${state.id}` : ""}`;
  }

  private async object(typeName: string, state: ObjectValue): Promise<Json | undefined> {
    const answer = await this.call("GET", this.path(typeName, state));
    if (!answer) return undefined;
    const found = this.provider === "hcloud" ? answer[HCLOUD_COLLECTIONS[typeName][1]] : answer.result;
    return isRecord(found) ? found : undefined;
  }

  private mapped(typeName: string, row: Json, state: ObjectValue, block?: BlockSchema): ObjectValue {
    if (this.provider === "cloudflare") return cloudflareRecord(row, state, block);
    const read = HCLOUD_READ[typeName](row, state);
    return { ...state, ...(keepNullEmpties(read, state) as ObjectValue) };
  }

  /** The state as the API has it; null once the resource is gone; undefined for a type that is not twinned. */
  async read(typeName: string, state: Value, block?: BlockSchema): Promise<Value | undefined> {
    if (!this.twinned(typeName) || !isObject(state) || typeof state.id !== "string") return undefined;
    const row = await this.object(typeName, state);
    return row ? this.mapped(typeName, row, state, block) : null;
  }

  /**
   * The planned object as the provider's framework would have it (see the file's comment); an
   * attribute forces replacement only where the planned value still differs from the state.
   */
  plan(typeName: string, prior: Value, planned: Value, block: BlockSchema, requiresReplace: readonly string[][]): TwinPlan {
    const adjusted = this.planned(typeName, prior, planned, block);
    const priorObject = isObject(prior) ? prior : {};
    const stillDiffers = (steps: readonly string[]) => !isObject(adjusted) || !sameValue(priorObject[steps[0]] ?? null, adjusted[steps[0]] ?? null);
    return { planned: adjusted, requiresReplace: requiresReplace.filter(stillDiffers) };
  }

  private planned(typeName: string, prior: Value, planned: Value, block: BlockSchema): Value {
    if (!this.twinned(typeName) || !isObject(planned)) return planned;
    if (this.provider === "hcloud") {
      const withDefaults: ObjectValue = { ...planned };
      for (const [key, value] of Object.entries(HCLOUD_DEFAULTS[typeName] ?? {})) if (withDefaults[key] === null) withDefaults[key] = value;
      if (isObject(prior)) {
        for (const [key, attribute] of Object.entries(block.attributes ?? {})) {
          if (attribute.computed && isUnknown(withDefaults[key] ?? null) && (prior[key] ?? null) === null) withDefaults[key] = null;
        }
        for (const key of HCLOUD_COMPUTED_BLOCKS[typeName] ?? []) {
          const value = withDefaults[key] ?? null;
          if (value === null || (Array.isArray(value) && value.length === 0)) withDefaults[key] = prior[key] ?? null;
        }
      }
      return withDefaults;
    }
    return isObject(prior) && agrees(planned, prior) ? prior : planned;
  }

  async handles(typeName: string): Promise<boolean> {
    return this.twinned(typeName);
  }

  /** Creates, updates or deletes through the API; unknown planned values take what the API answers. */
  async apply(typeName: string, prior: Value, planned: Value, _config: Value, block?: BlockSchema): Promise<Value> {
    if (!isObject(planned)) {
      if (isObject(prior)) await this.call("DELETE", this.path(typeName, prior));
      return null;
    }
    const row = isObject(prior) ? await this.update(typeName, prior, planned) : await this.create(typeName, planned);
    return filledIn(planned, this.mapped(typeName, row, planned, block));
  }

  private async create(typeName: string, planned: ObjectValue): Promise<Json> {
    const body = this.provider === "cloudflare" ? recordBody(planned) : known(planned, ["id"]);
    const answer = await this.call("POST", this.path(typeName, { ...planned, id: null }), body);
    const row = this.provider === "cloudflare" ? answer?.result : answer?.[HCLOUD_COLLECTIONS[typeName][1]];
    if (!isRecord(row)) throw new Error(`POST ${this.path(typeName, planned)}: no object in the answer`);
    return row;
  }

  private async update(typeName: string, prior: ObjectValue, planned: ObjectValue): Promise<Json> {
    const path = this.path(typeName, prior);
    if (this.provider === "cloudflare") {
      const answer = await this.call("PUT", path, recordBody(planned));
      return isRecord(answer?.result) ? answer.result : {};
    }
    const changed = (key: string) => !sameValue(prior[key] ?? null, planned[key] ?? null);
    if (changed("name") || changed("labels") || changed("auto_delete")) {
      const body: Json = { name: planned.name, labels: planned.labels ?? {} };
      if (typeName === "hcloud_primary_ip") body.auto_delete = planned.auto_delete;
      await this.call("PUT", path, body);
    }
    if (changed("delete_protection") || changed("rebuild_protection")) {
      const body: Json = { delete: planned.delete_protection === true };
      if (typeName === "hcloud_server") body.rebuild = planned.rebuild_protection === true;
      await this.call("POST", `${path}/actions/change_protection`, body);
    }
    if (typeName === "hcloud_server" && changed("public_net")) await this.updatePublicNet(path, prior, planned);
    if (typeName === "hcloud_firewall" && changed("rule")) {
      const rules = (Array.isArray(planned.rule) ? planned.rule : []).filter(isObject).map((rule) => ({
        direction: rule.direction,
        protocol: rule.protocol,
        source_ips: rule.source_ips ?? [],
        destination_ips: rule.destination_ips ?? [],
        port: rule.port ?? null,
        description: rule.description ?? null,
      }));
      await this.call("POST", `${path}/actions/set_rules`, { rules });
    }
    const row = await this.object(typeName, prior);
    if (!row) throw new Error(`${typeName} ${String(prior.id)} is gone`);
    return row;
  }

  /**
   * hcloud v1.59.0 updatePublicNet (internal/server/resource.go lines 735-821): the server powered
   * off, then for each family with a primary IP configured (publicNetUpdateDecision, lines 834-848)
   * the one it has unassigned, deleted unless the prior state named it, the configured one assigned;
   * then powered on.
   */
  private async updatePublicNet(path: string, prior: ObjectValue, planned: ObjectValue): Promise<void> {
    const ids = (value: Value, family: string): number => {
      const [element] = Array.isArray(value) ? value.filter(isObject) : [];
      return typeof element?.[family] === "number" ? (element[family] as number) : 0;
    };
    const server = await this.object("hcloud_server", prior);
    await this.call("POST", `${path}/actions/poweroff`, {});
    for (const family of ["ipv4", "ipv6"]) {
      const wanted = ids(planned.public_net ?? null, family);
      const net = isRecord(server?.public_net) ? server.public_net[family] : undefined;
      const current = isRecord(net) && typeof net.id === "number" ? net.id : 0;
      if (wanted === 0) continue;
      if (current !== 0) {
        await this.call("POST", `/primary_ips/${current}/actions/unassign`, {});
        if (ids(prior.public_net ?? null, family) === 0) await this.call("DELETE", `/primary_ips/${current}`);
      }
      await this.call("POST", `/primary_ips/${wanted}/actions/assign`, { assignee_id: Number(prior.id), assignee_type: "server" });
    }
    await this.call("POST", `${path}/actions/poweron`, {});
  }

  /** `data.cloudflare_zone` by its `filter.name`, every other attribute null. */
  async readDataSource(typeName: string, config: Value, block: BlockSchema): Promise<Value | undefined> {
    if (this.provider !== "cloudflare" || typeName !== "cloudflare_zone" || !isObject(config) || !isObject(config.filter)) return undefined;
    const answer = await this.call("GET", `/zones?name=${encodeURIComponent(String(config.filter.name))}`);
    const [zone] = Array.isArray(answer?.result) ? (answer.result as Json[]) : [];
    if (!zone) throw new Error(`no zone ${String(config.filter.name)}`);
    const empty = Object.fromEntries(Object.keys(block.attributes ?? {}).map((key) => [key, null]));
    return { ...empty, filter: config.filter, id: text(zone.id), zone_id: text(zone.id), name: text(zone.name), status: text(zone.status) };
  }

  async checkImport(): Promise<void> {}
}

/** A planned value with each unknown, however deep, replaced by what the API answered there. */
const filledIn = (planned: Value, answered: Value): Value => {
  if (isUnknown(planned)) return answered ?? null;
  if (Array.isArray(planned)) return planned.map((item, index) => filledIn(item, Array.isArray(answered) ? (answered[index] ?? null) : null));
  if (isObject(planned))
    return Object.fromEntries(Object.entries(planned).map(([key, value]) => [key, filledIn(value, isObject(answered) ? (answered[key] ?? null) : null)]));
  return planned;
};

/** A value without its unknowns and nulls, however deep: what a request body carries. */
const knownPart = (value: Value): unknown => {
  if (Array.isArray(value)) return value.filter((item) => !isUnknown(item)).map(knownPart);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (item === null || isUnknown(item) ? [] : [[key, knownPart(item)]])));
  return value;
};

/** The attributes with a known, non-null value, but the ones left out. */
const known = (planned: ObjectValue, without: readonly string[]): Json =>
  knownPart(Object.fromEntries(Object.entries(planned).filter(([key]) => !without.includes(key)))) as Json;

/** The JSON of a record's PUT and POST: the model's fields the API takes (apijson.MarshalRoot of DNSRecordModel). */
const recordBody = (planned: ObjectValue): Json =>
  known(
    planned,
    Object.keys(planned).filter((key) => !["name", "type", "content", "proxied", "ttl", "comment", "priority", "data", "tags", "settings"].includes(key)),
  );
