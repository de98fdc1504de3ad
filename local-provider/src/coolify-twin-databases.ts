/**
 * The data-side Coolify types the twin applies, reads and deletes through the API, as
 * coolify-terraform/terraform-provider-coolify v0.1.17 does (file per type below): the standalone
 * databases of every kind (generic, as the provider's internal/service/database/common.go is), their
 * scheduled backups, S3 storages with their validation, and the team's Discord notifications.
 * Registered in ./coolify-twin.ts (TWINNED).
 *
 * A database is twinned while the API holds its server (one the twin does not know, such as a worker
 * registered by a mocked `coolify_server`, leaves it a mock), a backup while the API holds its database.
 * Passwords, S3 keys and the webhook URL go only into the requests and into the sensitive attributes
 * the provider keeps them in; nothing here logs them.
 */
import { type Api, ApiError, fill, type Json, known, path, pick, str, type TwinnedType } from "./coolify-twin";
import { isUnknown, type ObjectValue, sameValue, type Value } from "./cty";

type Answer = Record<string, unknown>;

const unset = (value: Value | undefined): boolean => value === undefined || value === null || isUnknown(value);
const text = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
/** internal/flex/flex.go StringToFramework: "" is null. */
const stringOrNull = (value: unknown): Value => (text(value) === "" ? null : text(value));
/** internal/flex/flex.go Int64PtrToFramework (and Float64PtrToInt64Framework): a missing number is null. */
const numberOrNull = (value: unknown): Value => (typeof value === "number" ? Math.trunc(value) : null);
/** internal/flex/flex.go SetStringOrClear: a configured value follows the API, "" clears it; an unset one stays. */
const orClear = (prior: Value | undefined, value: unknown): Value => (unset(prior) ? (prior ?? null) : stringOrNull(value));
/** internal/flex/flex.go SetInt64IfConfigured. */
const intIfConfigured = (prior: Value | undefined, value: unknown): Value =>
  unset(prior) ? (prior ?? null) : typeof value === "number" ? value : (prior ?? null);
/** The flatten of a field the API hides without read:sensitive: its value when shown, else the stored one (null when unknown). */
const preserved = (prior: Value | undefined, value: unknown): Value => (text(value) !== "" ? text(value) : isUnknown(prior ?? null) ? null : (prior ?? null));

/**
 * A kind's own attributes (internal/service/database/<kind>/resource.go): `plain` strings Coolify
 * shows (flattened with StringToFramework), `passwords` (sent on create when set, kept from the
 * state while the API hides them), `conf` (Optional only: sent in the PATCH after the create,
 * SetStringOrClear on read), and what the create's PATCH also sends.
 */
interface KindFields {
  readonly plain: readonly string[];
  readonly passwords: readonly string[];
  readonly conf: readonly string[];
  readonly patchedAfterCreate?: readonly string[];
}

const KINDS: Readonly<Record<string, KindFields>> = {
  postgresql: {
    plain: ["postgres_user", "postgres_db"],
    passwords: ["postgres_password"],
    conf: ["postgres_conf", "postgres_initdb_args", "postgres_host_auth_method"],
  },
  mysql: { plain: ["mysql_user", "mysql_database"], passwords: ["mysql_password", "mysql_root_password"], conf: ["mysql_conf"] },
  mariadb: { plain: ["mariadb_user", "mariadb_database"], passwords: ["mariadb_password", "mariadb_root_password"], conf: ["mariadb_conf"] },
  mongodb: { plain: ["mongo_initdb_root_username", "mongo_initdb_database"], passwords: ["mongo_initdb_root_password"], conf: ["mongo_conf"] },
  redis: { plain: [], passwords: ["redis_password"], conf: ["redis_conf"] },
  keydb: { plain: [], passwords: ["keydb_password"], conf: ["keydb_conf"], patchedAfterCreate: ["keydb_password"] },
  dragonfly: { plain: [], passwords: ["dragonfly_password"], conf: [], patchedAfterCreate: ["dragonfly_password"] },
  // clickhouse_db is shown but never sent (internal/client/databases.go DatabaseUpdateDisallowedJSONKeys).
  clickhouse: { plain: ["clickhouse_admin_user", "clickhouse_db"], passwords: ["clickhouse_admin_password"], conf: [] },
};

const NOT_SENT = new Set(["clickhouse_db"]);

/** internal/client/databases.go CreateDatabaseBaseInput: what every create sends besides the kind's own fields. */
const BASE_CREATE = [
  "server_uuid",
  "destination_uuid",
  "project_uuid",
  "environment_name",
  "name",
  "description",
  "image",
  "is_public",
  "public_port",
  "instant_deploy",
];

/**
 * database/common.go PopulateBaseCreateInput and HasExtendedFields: the limits sent on create, and
 * every extended field, each with the value that counts as unset (null: any configured value counts).
 */
const CREATE_LIMITS: Readonly<Record<string, Value>> = {
  limits_memory: "0",
  limits_memory_swap: "0",
  limits_memory_swappiness: 60,
  limits_memory_reservation: "0",
  limits_cpus: "0",
  limits_cpuset: null,
  limits_cpu_shares: 1024,
};
const EXTENDED_DEFAULTS: Readonly<Record<string, Value>> = {
  ...CREATE_LIMITS,
  public_port_timeout: null,
  health_check_enabled: true,
  health_check_interval: 15,
  health_check_timeout: 5,
  health_check_retries: 5,
  health_check_start_period: 5,
};

/** Set to something other than its unset value (flex StringPtrNonDefault, Int64PtrNonDefault, BoolPtrNonDefault, *Configured). */
const nonDefault = (value: Value | undefined, unsetValue: Value): boolean => !unset(value) && !sameValue(value ?? null, unsetValue);

const kindOf = (typeName: string): { kind: string; fields: KindFields } => {
  const kind = typeName.replace(/^coolify_database_/, "");
  return { kind, fields: KINDS[kind] };
};

/**
 * database/common.go FlattenDatabaseCommon and FlattenDatabaseExtended, then the kind's flattenDatabase
 * (<kind>/resource.go). The place attributes follow the API only when its answer has them, which
 * Coolify's does not: they stay as the create or the import set them.
 */
const flattenDatabase = (typeName: string, state: ObjectValue, found: Answer): ObjectValue => {
  const { fields } = kindOf(typeName);
  const flattened: ObjectValue = {
    ...state,
    uuid: text(found.uuid),
    name: text(found.name),
    image: stringOrNull(found.image),
    is_public: found.is_public === true,
    public_port: numberOrNull(found.public_port),
    description: stringOrNull(found.description),
    limits_memory: stringOrNull(found.limits_memory),
    limits_memory_swap: stringOrNull(found.limits_memory_swap),
    limits_memory_reservation: stringOrNull(found.limits_memory_reservation),
    limits_cpus: stringOrNull(found.limits_cpus),
    limits_cpuset: text(found.limits_cpuset) !== "" ? text(found.limits_cpuset) : isUnknown(state.limits_cpuset ?? null) ? null : (state.limits_cpuset ?? null),
    limits_memory_swappiness: numberOrNull(found.limits_memory_swappiness),
    limits_cpu_shares: numberOrNull(found.limits_cpu_shares),
    ports_mappings: orClear(state.ports_mappings, found.ports_mappings),
    custom_docker_run_options: orClear(state.custom_docker_run_options, found.custom_docker_run_options),
    public_port_timeout: intIfConfigured(state.public_port_timeout, found.public_port_timeout),
    is_log_drain_enabled: found.is_log_drain_enabled === true,
    is_include_timestamps: found.is_include_timestamps === true,
    health_check_enabled: typeof found.health_check_enabled === "boolean" ? found.health_check_enabled : (state.health_check_enabled ?? null),
    health_check_interval: numberOrNull(found.health_check_interval),
    health_check_timeout: numberOrNull(found.health_check_timeout),
    health_check_retries: numberOrNull(found.health_check_retries),
    health_check_start_period: numberOrNull(found.health_check_start_period),
    status: stringOrNull(found.status),
    internal_db_url: stringOrNull(found.internal_db_url),
    // Create-only and never answered: false after an import.
    instant_deploy: unset(state.instant_deploy) ? false : (state.instant_deploy ?? null),
  };
  // WithSSL: every kind but ClickHouse has enable_ssl; ssl_mode only PostgreSQL, MySQL, MariaDB and MongoDB.
  if ("enable_ssl" in state) flattened.enable_ssl = found.enable_ssl === true;
  if ("ssl_mode" in state) flattened.ssl_mode = stringOrNull(found.ssl_mode);
  for (const name of fields.plain) flattened[name] = stringOrNull(found[name]);
  for (const name of fields.passwords) flattened[name] = preserved(state[name], found[name]);
  for (const name of fields.conf) flattened[name] = orClear(state[name], found[name]);
  if ("init_scripts" in state && text(found.init_scripts) !== "") flattened.init_scripts = orClear(state.init_scripts, found.init_scripts);
  return flattened;
};

/** The fields an update sends when they changed: the common ones, the kind's own, the extended ones (<kind>/resource.go Update, SetUpdateExtendedDiff). */
const updateFields = (fields: KindFields): string[] => [
  "name",
  "description",
  "image",
  "is_public",
  "public_port",
  ...[...fields.plain, ...fields.passwords, ...fields.conf].filter((name) => !NOT_SENT.has(name)),
  ...Object.keys(EXTENDED_DEFAULTS),
];

/**
 * internal/service/database/<kind>/resource.go with common.go and internal/client/databases.go:
 * create is POST /databases/<kind> (the base fields, the non-default limits, the kind's user,
 * password and database names), then, when an extended field or a configuration is set, one PATCH
 * of the extended fields and the configurations (SetUpdateExtended), then GET to read it back;
 * update PATCHes what changed; delete is DELETE /databases/{uuid} (a 404 is success); read drops it on
 * 404. Coolify restarts nothing on a PATCH, nor does the provider.
 */
const databaseType = (typeName: string): TwinnedType => ({
  async held(api, value) {
    if (!known(value.server_uuid)) return false;
    const servers = (await api.call("GET", "/servers")) as unknown;
    return Array.isArray(servers) && (servers as Json[]).some((server) => server.uuid === value.server_uuid);
  },
  async create(api, planned) {
    const { kind, fields } = kindOf(typeName);
    const limits = Object.keys(CREATE_LIMITS).filter((name) => nonDefault(planned[name], CREATE_LIMITS[name]));
    const own = [...fields.plain, ...fields.passwords].filter((name) => !NOT_SENT.has(name));
    const created = await api.call("POST", path("databases", kind), pick(planned, [...BASE_CREATE, ...limits, ...own]));
    const uuid = str(created?.uuid as string);
    if (uuid === "") throw new ApiError(`POST /api/v1/databases/${kind}: API returned empty UUID`);
    const extended = Object.keys(EXTENDED_DEFAULTS).some((name) => nonDefault(planned[name], EXTENDED_DEFAULTS[name]));
    if (extended || fields.conf.some((name) => known(planned[name]))) {
      await api.call(
        "PATCH",
        path("databases", uuid),
        pick(planned, [...Object.keys(EXTENDED_DEFAULTS), ...fields.conf, ...(fields.patchedAfterCreate ?? [])]),
      );
    }
    const found = await api.call("GET", path("databases", uuid));
    return flattenDatabase(typeName, fill(planned, { uuid }), found ?? {});
  },
  async update(api, prior, planned) {
    const uuid = str(prior.uuid);
    const changed = updateFields(kindOf(typeName).fields).filter((name) => known(planned[name]) && !sameValue(planned[name], prior[name] ?? null));
    await api.call("PATCH", path("databases", uuid), pick(planned, changed));
    const found = await api.call("GET", path("databases", uuid));
    return flattenDatabase(typeName, planned, found ?? {});
  },
  async remove(api, prior) {
    await api.call("DELETE", path("databases", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("databases", str(state.uuid)), undefined, true);
    return found ? flattenDatabase(typeName, state, found) : null;
  },
});

/** database/backup/resource.go: the attributes and Coolify's names for them (internal/client/databases.go DatabaseBackup). */
const BACKUP_FIELDS: Readonly<Record<string, string>> = {
  frequency: "frequency",
  enabled: "enabled",
  save_s3: "save_s3",
  s3_storage_uuid: "s3_storage_uuid",
  databases_to_backup: "databases_to_backup",
  dump_all: "dump_all",
  retain_amount_locally: "database_backup_retention_amount_locally",
  retain_days_locally: "database_backup_retention_days_locally",
  retain_max_storage_locally: "database_backup_retention_max_storage_locally",
  retain_amount_s3: "database_backup_retention_amount_s3",
  retain_days_s3: "database_backup_retention_days_s3",
  retain_max_storage_s3: "database_backup_retention_max_storage_s3",
  timeout: "timeout",
};

/** The body of a backup create or update: the attributes in `names` that are set, by Coolify's names. */
const backupBody = (planned: ObjectValue, names: readonly string[]): Json =>
  Object.fromEntries(names.filter((name) => known(planned[name])).map((name) => [BACKUP_FIELDS[name], planned[name]]));

/**
 * database/backup/resource.go flattenDatabaseBackup. Coolify's rows name the storage by
 * `s3_storage_id` and the database by `database_id`, not the `s3_storage_uuid` and `database_uuid` the
 * provider reads, so those stay as configured or imported.
 */
const flattenBackup = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  id: numberOrNull(found.id),
  uuid: text(found.uuid),
  frequency: text(found.frequency) !== "" ? text(found.frequency) : (state.frequency ?? null),
  enabled: found.enabled === true,
  description: stringOrNull(found.description),
  disable_local_backup: found.disable_local_backup === true,
  save_s3: found.save_s3 === true,
  s3_storage_uuid: text(found.s3_storage_uuid) !== "" && unset(state.s3_storage_uuid) ? text(found.s3_storage_uuid) : (state.s3_storage_uuid ?? null),
  databases_to_backup: stringOrNull(found.databases_to_backup),
  dump_all: found.dump_all === true,
  retain_amount_locally: numberOrNull(found.database_backup_retention_amount_locally),
  retain_days_locally: numberOrNull(found.database_backup_retention_days_locally),
  retain_max_storage_locally: numberOrNull(found.database_backup_retention_max_storage_locally),
  retain_amount_s3: numberOrNull(found.database_backup_retention_amount_s3),
  retain_days_s3: numberOrNull(found.database_backup_retention_days_s3),
  retain_max_storage_s3: numberOrNull(found.database_backup_retention_max_storage_s3),
  timeout: numberOrNull(found.timeout),
});

/** readBackup: the backup in GET /databases/{uuid}/backups by uuid, else by id. */
const findBackup = async (api: Api, state: ObjectValue): Promise<Answer | undefined> => {
  const list = (await api.call("GET", `${path("databases", str(state.database_uuid))}/backups`, undefined, true)) as unknown;
  if (!Array.isArray(list)) return undefined;
  return (list as Answer[]).find((backup) => (known(state.uuid) && backup.uuid === state.uuid) || (known(state.id) && backup.id === state.id));
};

/**
 * database/backup/resource.go: create is POST /databases/{uuid}/backups (frequency and enabled always,
 * the rest when set), then the list to read it back; update PATCHes the changed fields, and
 * `s3_storage_uuid` whenever it is set (flex.StringPtrForUpdate: "" when it was set and no longer
 * is), by the backup's uuid; delete is DELETE .../backups/{uuid}; read drops it when the list lacks it.
 */
const backup: TwinnedType = {
  async held(api, value) {
    return known(value.database_uuid) && (await api.call("GET", path("databases", str(value.database_uuid)), undefined, true)) !== undefined;
  },
  async create(api, planned) {
    const body = { ...backupBody(planned, Object.keys(BACKUP_FIELDS)), frequency: planned.frequency, enabled: planned.enabled === true };
    if (known(planned.backup_now)) Object.assign(body, { backup_now: planned.backup_now });
    const created = await api.call("POST", `${path("databases", str(planned.database_uuid))}/backups`, body);
    const found = await findBackup(api, { ...planned, uuid: str(created?.uuid as string), id: null });
    if (!found) throw new ApiError(`database backup ${str(created?.uuid as string)} created but not listed by GET /databases/{uuid}/backups`);
    return flattenBackup(planned, found);
  },
  async update(api, prior, planned) {
    const changed = Object.keys(BACKUP_FIELDS).filter(
      (name) => name !== "s3_storage_uuid" && known(planned[name]) && !sameValue(planned[name], prior[name] ?? null),
    );
    const body = backupBody(planned, changed);
    if (known(planned.s3_storage_uuid)) body.s3_storage_uuid = planned.s3_storage_uuid;
    else if (known(prior.s3_storage_uuid)) body.s3_storage_uuid = "";
    await api.call("PATCH", `${path("databases", str(prior.database_uuid), "backups", str(prior.uuid))}`, body);
    const found = await findBackup(api, prior);
    if (!found) throw new ApiError(`backup ${str(prior.id)} not found for database ${str(prior.database_uuid)}`);
    return flattenBackup(planned, found);
  },
  async remove(api, prior) {
    await api.call("DELETE", path("databases", str(prior.database_uuid), "backups", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await findBackup(api, state);
    return found ? flattenBackup(state, found) : null;
  },
};

const S3_FIELDS = ["name", "description", "endpoint", "bucket", "region", "key", "secret", "is_usable"];

/** s3storage/resource.go flattenS3Storage: the key and secret only when Coolify shows them, a description only when it has one or none is stored. */
const flattenS3Storage = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  uuid: text(found.uuid),
  name: text(found.name),
  description: text(found.description) !== "" || unset(state.description) ? stringOrNull(found.description) : (state.description ?? null),
  endpoint: text(found.endpoint),
  bucket: text(found.bucket),
  region: text(found.region),
  key: text(found.key) !== "" ? text(found.key) : (state.key ?? null),
  secret: text(found.secret) !== "" ? text(found.secret) : (state.secret ?? null),
  is_usable: typeof found.is_usable === "boolean" ? found.is_usable : unset(state.is_usable) ? false : (state.is_usable ?? null),
});

/**
 * s3storage/resource.go with internal/client/s3_storages.go: create is POST /s3-storages (every field;
 * `is_usable` when set), then GET; update PATCHes what changed, then GET; delete is DELETE
 * /s3-storages/{uuid} (a 404 is success); read drops it on 404.
 */
const s3Storage: TwinnedType = {
  async create(api, planned) {
    const body: Json = Object.fromEntries(S3_FIELDS.filter((name) => name !== "is_usable").map((name) => [name, known(planned[name]) ? planned[name] : ""]));
    if (known(planned.is_usable)) body.is_usable = planned.is_usable;
    if (body.description === "") delete body.description;
    const created = await api.call("POST", "/s3-storages", body);
    const uuid = str(created?.uuid as string);
    const found = await api.call("GET", path("s3-storages", uuid));
    return flattenS3Storage(fill(planned, { uuid }), found ?? {});
  },
  async update(api, prior, planned) {
    const changed = S3_FIELDS.filter((name) => known(planned[name]) && !sameValue(planned[name], prior[name] ?? null));
    await api.call("PATCH", path("s3-storages", str(prior.uuid)), pick(planned, changed));
    const found = await api.call("GET", path("s3-storages", str(prior.uuid)));
    return flattenS3Storage({ ...planned, uuid: prior.uuid ?? null }, found ?? {});
  },
  async remove(api, prior) {
    await api.call("DELETE", path("s3-storages", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("s3-storages", str(state.uuid)), undefined, true);
    return found ? flattenS3Storage(state, found) : null;
  },
};

/**
 * s3storagevalidate/resource.go with internal/client/s3_storages.go ValidateS3Storage: create is POST
 * /s3-storages/{uuid}/validate, and only a non-2xx answer fails it (the provider does not read the
 * answer's `valid`); update is refused (`triggers` replaces), read and delete do nothing.
 */
const s3StorageValidate: TwinnedType = {
  async create(api, planned) {
    await api.call("POST", `${path("s3-storages", str(planned.s3_storage_uuid))}/validate`);
    return planned;
  },
  async update() {
    throw new ApiError("coolify_s3_storage_validate does not support in-place updates");
  },
  async remove() {},
  async read(_api, state) {
    return state;
  },
};

/** notificationdiscord/resource.go with internal/client/notifications.go: each attribute and Coolify's field for it. */
const DISCORD_FIELDS: Readonly<Record<string, string>> = {
  enabled: "discord_enabled",
  webhook_url: "discord_webhook_url",
  ping_enabled: "discord_ping_enabled",
  ...Object.fromEntries(
    [
      "deployment_success",
      "deployment_failure",
      "status_change",
      "backup_success",
      "backup_failure",
      "scheduled_task_success",
      "scheduled_task_failure",
      "docker_cleanup_success",
      "docker_cleanup_failure",
      "server_disk_usage",
      "server_reachable",
      "server_unreachable",
      "server_patch",
      "traefik_outdated",
    ].map((event) => [event, `${event}_discord_notifications`]),
  ),
};

/** notificationdiscord/resource.go flatten: every switch from Coolify, the id `current`, the webhook URL kept while Coolify hides it (SetStringPreserveEmpty). */
const flattenDiscord = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  ...Object.fromEntries(Object.entries(DISCORD_FIELDS).map(([attribute, field]) => [attribute, found[field] === true])),
  id: "current",
  webhook_url: preserved(state.webhook_url, found.discord_webhook_url),
});

const discordBody = (planned: ObjectValue, names: readonly string[]): Json =>
  Object.fromEntries(names.filter((name) => known(planned[name]) && planned[name] !== "").map((name) => [DISCORD_FIELDS[name], planned[name]]));

/**
 * notificationdiscord/resource.go: one setting per team. Create and update PATCH /notifications/discord
 * (create: every switch that is set and the webhook URL; update: what changed) and keep its answer;
 * delete PATCHes `discord_enabled: false` only (the webhook URL stays); read is GET.
 */
const discord: TwinnedType = {
  async create(api, planned) {
    return flattenDiscord(planned, (await api.call("PATCH", "/notifications/discord", discordBody(planned, Object.keys(DISCORD_FIELDS)))) ?? {});
  },
  async update(api, prior, planned) {
    const changed = Object.keys(DISCORD_FIELDS).filter((name) => !sameValue(planned[name] ?? null, prior[name] ?? null));
    return flattenDiscord(planned, (await api.call("PATCH", "/notifications/discord", discordBody(planned, changed))) ?? {});
  },
  async remove(api) {
    await api.call("PATCH", "/notifications/discord", { discord_enabled: false }, true);
  },
  async read(api, state) {
    const found = await api.call("GET", "/notifications/discord", undefined, true);
    return found ? flattenDiscord(state, found) : null;
  },
};

export const DATA_TWINNED: Readonly<Record<string, TwinnedType>> = {
  ...Object.fromEntries(Object.keys(KINDS).map((kind) => [`coolify_database_${kind}`, databaseType(`coolify_database_${kind}`)])),
  coolify_database_backup: backup,
  coolify_s3_storage: s3Storage,
  coolify_s3_storage_validate: s3StorageValidate,
  coolify_notification_discord: discord,
};
