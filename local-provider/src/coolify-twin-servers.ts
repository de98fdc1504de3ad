/**
 * The servers a stack registers in Coolify, their Sentinel settings and the SSH private keys Coolify
 * reaches them with, applied, read and deleted through the API as coolify-terraform/terraform-provider-coolify
 * v0.1.17 does (file per type below). Registered in ./coolify-twin.ts (TWINNED). A Sentinel setting is
 * twinned while Coolify lists its server. Private keys go only into the requests and into the
 * sensitive attribute the provider keeps them in; nothing here logs them.
 */
import { type Api, fill, type Json, known, path, pick, str, type TwinnedType } from "./coolify-twin";
import { isUnknown, type ObjectValue, sameValue, type Value } from "./cty";

type Answer = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === "string" ? value : "");
/** internal/flex/flex.go StringToFramework: "" is null. */
const stringOrNull = (value: unknown): Value => (text(value) === "" ? null : text(value));
/** The client's Go structs decode a missing number as 0 and a missing bool as false. */
const int = (value: unknown): number => (typeof value === "number" ? Math.trunc(value) : 0);
const bool = (value: unknown): boolean => value === true;
const isRecord = (value: unknown): value is Answer => typeof value === "object" && value !== null && !Array.isArray(value);

/** ServerSettings fields the provider reads into attributes of the same name (internal/service/server/common.go flattenExtendedSettings). */
const SETTINGS_STRINGS = [
  "wildcard_domain",
  "server_timezone",
  "docker_cleanup_frequency",
  "sentinel_token",
  "sentinel_custom_url",
  "logdrain_axiom_api_key",
  "logdrain_axiom_dataset_name",
  "logdrain_custom_config",
  "logdrain_custom_config_parser",
  "logdrain_highlight_project_id",
  "logdrain_newrelic_base_uri",
  "logdrain_newrelic_license_key",
  "compose_version",
  "compose_version_checked_at",
  "docker_version",
  "docker_version_checked_at",
];
const SETTINGS_BOOLS = [
  "is_cloudflare_tunnel",
  "is_metrics_enabled",
  "is_terminal_enabled",
  "is_sentinel_enabled",
  "force_docker_cleanup",
  "delete_unused_volumes",
  "delete_unused_networks",
  "generate_exact_labels",
  "force_disabled",
  "is_jump_server",
  "is_swarm_manager",
  "is_swarm_worker",
  "is_sentinel_debug_enabled",
  "disable_application_image_retention",
  "is_logdrain_axiom_enabled",
  "is_logdrain_custom_enabled",
  "is_logdrain_highlight_enabled",
  "is_logdrain_newrelic_enabled",
];
const SETTINGS_INTS = [
  "concurrent_builds",
  "dynamic_timeout",
  "deployment_queue_limit",
  "server_disk_usage_notification_threshold",
  "sentinel_metrics_history_days",
  "sentinel_metrics_refresh_rate_seconds",
  "sentinel_push_interval_seconds",
  "docker_cleanup_threshold",
];

/**
 * internal/service/server/common.go FlattenServerCommon: the row's fields (the key only when the answer
 * names one, which GET /servers/{uuid} never does; `is_build_server`, `is_reachable` and `is_usable` at
 * the top level of the answer, where Coolify 4.3.9's server_by_uuid has none, so false), then with
 * `settings` every setting (a connection timeout of 0 is 10).
 */
const flattenServer = (state: ObjectValue, found: Answer): ObjectValue => {
  const flattened: ObjectValue = {
    ...state,
    uuid: text(found.uuid),
    name: text(found.name),
    description: stringOrNull(found.description),
    ip: text(found.ip),
    port: int(found.port),
    user: text(found.user),
    is_build_server: bool(found.is_build_server),
    is_reachable: bool(found.is_reachable),
    is_usable: bool(found.is_usable),
  };
  if (text(found.private_key_uuid) !== "") flattened.private_key_uuid = text(found.private_key_uuid);
  const settings = found.settings;
  if (!isRecord(settings)) return flattened;
  for (const name of SETTINGS_INTS) flattened[name] = int(settings[name]);
  flattened.connection_timeout = int(settings.connection_timeout) === 0 ? 10 : int(settings.connection_timeout);
  flattened.server_disk_usage_check_frequency = stringOrNull(settings.server_disk_usage_check_frequency);
  for (const name of SETTINGS_STRINGS) flattened[name] = stringOrNull(settings[name]);
  for (const name of SETTINGS_BOOLS) flattened[name] = bool(settings[name]);
  // settings.force_disabled is read into `force_disabled` (the client's IsForceDisabled); a missing percentage is null.
  flattened.backup_compression_cpu_percentage =
    typeof settings.backup_compression_cpu_percentage === "number" ? settings.backup_compression_cpu_percentage : null;
  return flattened;
};

/** internal/service/server/common.go HasNonDefaultSettings and BuildPostCreateSettingsInput: the settings the create cannot take, when not Coolify's defaults. */
const POST_CREATE_SETTINGS: Readonly<Record<string, Value>> = {
  concurrent_builds: 2,
  dynamic_timeout: 3600,
  deployment_queue_limit: 25,
  connection_timeout: 10,
  server_disk_usage_notification_threshold: 80,
  server_disk_usage_check_frequency: "",
};

/** internal/service/server/common.go BuildServerUpdateInput: each field whose planned value differs from the state's. */
const SERVER_UPDATED = [
  "name",
  "description",
  "ip",
  "port",
  "user",
  "private_key_uuid",
  "is_build_server",
  "concurrent_builds",
  "dynamic_timeout",
  "deployment_queue_limit",
  "connection_timeout",
  "server_disk_usage_notification_threshold",
  "server_disk_usage_check_frequency",
];

/**
 * internal/service/server/resource.go with internal/client/servers.go: create is POST /servers (name,
 * description when set, ip, port, user when set, the key, is_build_server when known), then a PATCH of
 * the settings that are not Coolify's defaults, then GET; update PATCHes what changed, then GET;
 * delete is DELETE /servers/{uuid}?force=true, which makes Coolify delete every resource on the
 * server too (a 404 is success); read drops it on 404.
 */
const server: TwinnedType = {
  async create(api, planned) {
    const body: Json = { name: planned.name, ip: planned.ip, port: planned.port, private_key_uuid: planned.private_key_uuid };
    if (text(planned.description) !== "") body.description = planned.description;
    if (text(planned.user) !== "") body.user = planned.user;
    if (known(planned.is_build_server)) body.is_build_server = planned.is_build_server;
    const created = await api.call("POST", "/servers", body);
    const uuid = str(created?.uuid as string);
    const settings = Object.entries(POST_CREATE_SETTINGS).filter(([name, fallback]) => known(planned[name]) && !sameValue(planned[name], fallback));
    if (settings.length > 0) await api.call("PATCH", path("servers", uuid), Object.fromEntries(settings.map(([name]) => [name, planned[name]])));
    return flattenServer(fill(planned, { uuid }), (await api.call("GET", path("servers", uuid))) ?? {});
  },
  async update(api, prior, planned) {
    const uuid = str(prior.uuid);
    const changed = SERVER_UPDATED.filter((name) => known(planned[name]) && !sameValue(planned[name], prior[name] ?? null));
    await api.call("PATCH", path("servers", uuid), pick(planned, changed));
    return flattenServer({ ...planned, uuid }, (await api.call("GET", path("servers", uuid))) ?? {});
  },
  async remove(api, prior) {
    await api.call("DELETE", `${path("servers", str(prior.uuid))}?force=true`, undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("servers", str(state.uuid)), undefined, true);
    return found ? flattenServer(state, found) : null;
  },
};

const SENTINEL_BOOLS = ["is_sentinel_enabled", "is_metrics_enabled", "is_sentinel_debug_enabled"];
const SENTINEL_INTS = ["sentinel_metrics_refresh_rate_seconds", "sentinel_metrics_history_days", "sentinel_push_interval_seconds"];

/** internal/service/serversentinel/resource.go toInput: the known switches and numbers, the token and URL when not empty. */
const sentinelBody = (planned: ObjectValue): Json => {
  const body = pick(planned, [...SENTINEL_BOOLS, ...SENTINEL_INTS]);
  for (const name of ["sentinel_token", "sentinel_custom_url"]) if (known(planned[name]) && text(planned[name]) !== "") body[name] = planned[name];
  return body;
};

/**
 * internal/service/serversentinel/resource.go flatten: the switches and numbers from Coolify (a
 * switch it does not answer is false where the plan left it unknown, a number null); the token and
 * the URL follow a non-empty answer only where they are set.
 */
const flattenSentinel = (state: ObjectValue, found: Answer): ObjectValue => {
  const flattened: ObjectValue = { ...state };
  for (const name of SENTINEL_BOOLS) {
    if (typeof found[name] === "boolean") flattened[name] = found[name] as boolean;
    else if (isUnknown(state[name] ?? null)) flattened[name] = false;
  }
  for (const name of SENTINEL_INTS) {
    if (typeof found[name] === "number") flattened[name] = found[name] as number;
    else if (isUnknown(state[name] ?? null)) flattened[name] = null;
  }
  for (const name of ["sentinel_token", "sentinel_custom_url"]) {
    if (text(found[name]) !== "" && (state[name] ?? null) !== null) flattened[name] = text(found[name]);
  }
  return flattened;
};

const sentinelPath = (value: ObjectValue): string => `${path("servers", str(value.server_uuid))}/sentinel`;

/**
 * internal/service/serversentinel/resource.go with internal/client/server_control.go: create and
 * update PATCH /servers/{uuid}/sentinel with the planned settings and keep the answer; delete PATCHes
 * `is_sentinel_enabled: false` (a 404 is success); read is GET, keeping the stored token when Coolify
 * shows none, and drops it on 404.
 */
const sentinel: TwinnedType = {
  server: (value) => str(value.server_uuid),
  async create(api, planned) {
    return flattenSentinel(planned, (await api.call("PATCH", sentinelPath(planned), sentinelBody(planned))) ?? {});
  },
  async update(api, _prior, planned) {
    return flattenSentinel(planned, (await api.call("PATCH", sentinelPath(planned), sentinelBody(planned))) ?? {});
  },
  async remove(api, prior) {
    await api.call("PATCH", sentinelPath(prior), { is_sentinel_enabled: false }, true);
  },
  async read(api, state) {
    const found = await api.call("GET", sentinelPath(state), undefined, true);
    if (!found) return null;
    const flattened = flattenSentinel(state, found);
    return text(found.sentinel_token) === "" ? { ...flattened, sentinel_token: state.sentinel_token ?? null } : flattened;
  },
};

/**
 * internal/service/privatekey/resource.go flattenPrivateKey, keeping the configured key: Coolify
 * answers it reformatted (formatPrivateKey) or not at all, and the provider keeps the planned or
 * stored value (Create, Read, Update).
 */
const flattenPrivateKey = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  uuid: text(found.uuid),
  name: text(found.name),
  description: stringOrNull(found.description),
  private_key: known(state.private_key) ? state.private_key : text(found.private_key) !== "" ? text(found.private_key) : (state.private_key ?? null),
  public_key: stringOrNull(found.public_key),
  fingerprint: stringOrNull(found.fingerprint),
  is_git_related: bool(found.is_git_related),
});

const keyPath = (uuid: Value | undefined): string => path("security", "keys", str(uuid));

/**
 * internal/service/privatekey/resource.go with internal/client/private_keys.go: create is POST
 * /security/keys (name, description when set, the key), then GET; update PATCHes
 * /security/keys/{uuid} with a changed name or description and always the key (Coolify requires it),
 * then GET; delete is DELETE (retried by the provider while Coolify says the key is in use, which the
 * twin's synchronous deletes make moot; a 404 is success); read drops it on 404.
 */
const privateKey: TwinnedType = {
  async create(api, planned) {
    const body: Json = { name: planned.name, private_key: planned.private_key };
    if (text(planned.description) !== "") body.description = planned.description;
    const created = await api.call("POST", "/security/keys", body);
    const uuid = str(created?.uuid as string);
    return flattenPrivateKey(fill(planned, { uuid }), (await api.call("GET", keyPath(uuid))) ?? {});
  },
  async update(api, prior, planned) {
    const body: Json = pick(
      planned,
      ["name", "description"].filter((name) => !sameValue(planned[name] ?? null, prior[name] ?? null)),
    );
    body.private_key = planned.private_key;
    await api.call("PATCH", keyPath(prior.uuid), body);
    return flattenPrivateKey({ ...planned, uuid: prior.uuid ?? null }, (await api.call("GET", keyPath(prior.uuid))) ?? {});
  },
  async remove(api, prior) {
    await api.call("DELETE", keyPath(prior.uuid), undefined, true);
  },
  async read(api: Api, state) {
    const found = await api.call("GET", keyPath(state.uuid), undefined, true);
    return found ? flattenPrivateKey(state, found) : null;
  },
};

export const SERVER_SIDE_TWINNED: Readonly<Record<string, TwinnedType>> = {
  coolify_private_key: privateKey,
  coolify_server: server,
  coolify_server_sentinel: sentinel,
};
