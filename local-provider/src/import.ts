/**
 * `terraform import` and import blocks: the state a resource has right after ImportResourceState,
 * before Terraform reads it. Like the real providers, only the attributes the import id names are
 * set; the rest is null (nested blocks empty), and the read that follows keeps it (this stand-in
 * has nothing behind it to read from). A malformed id is refused with the real provider's rule.
 */
import type { ObjectValue, Value } from "./cty";
import type { BlockSchema } from "./schema";

type IdFields = (id: string) => ObjectValue;

const parts = (id: string, count: number, format: string): string[] => {
  const split = id.split(":");
  if (split.length !== count || split.some((part) => part === "")) throw new Error(`Invalid import ID ${JSON.stringify(id)}: expected "${format}"`);
  return split;
};

/** A parent-child id: `<parent kind>:<parent uuid>:<child uuid>` sets `<parent kind>_uuid` and `uuid`. */
const parentChild =
  (kinds: readonly string[]): IdFields =>
  (id) => {
    const [kind, parent, child] = parts(id, 3, `${kinds.join("|")}:{parent_uuid}:{uuid}`);
    if (!kinds.includes(kind)) throw new Error(`Invalid import ID type ${JSON.stringify(kind)}: expected one of ${kinds.join(", ")}`);
    return { [`${kind}_uuid`]: parent, uuid: child };
  };

/**
 * terraform-provider-coolify v0.1.17, each resource's ImportState: environments take
 * `<project uuid>:<name>` (internal/service/environment/resource.go), backups
 * `<database uuid>:<backup id>` (database/backup/resource.go), variables and scheduled tasks a
 * parent-child id (internal/validate/uuid.go ImportParentChild), team notifications the fixed id
 * `current` (notificationcommon/common.go); the others their UUID (ImportStatePassthroughID on
 * `uuid`, or ParseCompoundImportID's one-part form).
 */
const COOLIFY_IDS: Readonly<Record<string, IdFields>> = {
  coolify_environment: (id) => {
    const [project, name] = parts(id, 2, "project_uuid:environment_name");
    return { project_uuid: project, name };
  },
  coolify_database_backup: (id) => {
    const [database, backup] = parts(id, 2, "database_uuid:backup_id");
    if (!/^[1-9]\d*$/.test(backup)) throw new Error(`Invalid import ID: backup_id must be a positive integer, got ${JSON.stringify(backup)}`);
    return { database_uuid: database, id: Number(backup) };
  },
  coolify_environment_variable: parentChild(["application", "service", "database"]),
  coolify_scheduled_task: parentChild(["application", "service"]),
};

/**
 * cloudflare/terraform-provider-cloudflare v5.14.0: a DNS record is imported by
 * `<zone_id>/<dns_record_id>` (internal/services/dns_record/resource.go ImportState, ParseImportID).
 */
const CLOUDFLARE_IDS: Readonly<Record<string, IdFields>> = {
  cloudflare_dns_record: (id) => {
    const split = id.split("/");
    if (split.length !== 2 || split.some((part) => part === ""))
      throw new Error(`invalid ID ${JSON.stringify(id)}: expected an import ID of the form "<zone_id>/<dns_record_id>"`);
    return { zone_id: split[0], id: split[1] };
  },
};

const NOTIFICATION_ID = "current";

/** The resources with a place (applications, services, databases): their schema holds all of these. */
const PLACE_ATTRIBUTES = ["project_uuid", "server_uuid", "environment_name", "uuid"];

/**
 * What an application's import sets besides its id (application/common_crud.go setImportDefaults and
 * the defaults of application/common.go): the health check and flag defaults, so that the read that
 * follows fills them from Coolify (common_flatten.go reads those fields only "if configured").
 */
const APPLICATION_IMPORT_DEFAULTS: ObjectValue = {
  health_check_enabled: false,
  health_check_path: "/",
  health_check_interval: 5,
  health_check_timeout: 5,
  health_check_retries: 10,
  health_check_start_period: 5,
  is_auto_deploy_enabled: true,
  redirect: "both",
  health_check_type: "http",
  health_check_method: "GET",
  health_check_scheme: "http",
  health_check_return_code: 200,
  health_check_host: "localhost",
  static_image: "nginx:alpine",
  connect_to_docker_network: false,
  is_http_basic_auth_enabled: false,
  is_static: false,
  is_spa: false,
  is_force_https_enabled: true,
  is_container_label_escape_enabled: true,
  is_preserve_repository_enabled: false,
  use_build_server: false,
  is_preview_deployments_enabled: false,
  use_build_secrets: false,
};

/**
 * An application, service or database: its UUID, or `<project uuid>:<server uuid>:<environment
 * name>:<uuid>`, which also sets the three place attributes (internal/validate/uuid.go
 * ParseCompoundImportID; application/common_crud.go importApplicationState, which without the place
 * sets environment_name "production"; database/common.go ImportDatabaseState; service/resource.go).
 */
const placedFields = (typeName: string, id: string): ObjectValue => {
  const split = id.split(":");
  if (split.length !== 1 && split.length !== 4)
    throw new Error(`Invalid Import ID: expected UUID or project_uuid:server_uuid:environment_name:uuid, got: ${id}`);
  if (split.some((part) => part === "")) throw new Error(`Invalid Import ID: empty segment in ${JSON.stringify(id)}`);
  const application = typeName.startsWith("coolify_application");
  const defaults = application ? APPLICATION_IMPORT_DEFAULTS : {};
  if (split.length === 1) return { ...defaults, ...(application ? { environment_name: "production" } : {}), uuid: id };
  const [project_uuid, server_uuid, environment_name, uuid] = split;
  return { ...defaults, project_uuid, server_uuid, environment_name, uuid };
};

/** Whether a resource type is imported as a placed resource (placedFields). */
export const isPlaced = (typeName: string, block: BlockSchema): boolean =>
  typeName.startsWith("coolify_") && PLACE_ATTRIBUTES.every((name) => block.attributes?.[name] !== undefined);

const idFields = (typeName: string, id: string, block: BlockSchema): ObjectValue => {
  const special = COOLIFY_IDS[typeName] ?? CLOUDFLARE_IDS[typeName];
  if (special) return special(id);
  if (isPlaced(typeName, block)) return placedFields(typeName, id);
  if (typeName.startsWith("coolify_notification_")) {
    if (id !== NOTIFICATION_ID) throw new Error(`Invalid import ID ${JSON.stringify(id)}: ${typeName} is imported by the id "${NOTIFICATION_ID}"`);
    return { id };
  }
  // Other providers (hcloud, Cloudflare) pass the id through to `id`; Coolify's others to `uuid`, or a
  // server's settings without one (Sentinel, proxy, log drains, Docker cleanup, Cloudflare tunnel) to
  // `server_uuid` (internal/service/server{sentinel,proxy,logdrain,dockercleanup,cftunnel}/resource.go ImportState).
  const coolifyAttribute = block.attributes?.uuid ? "uuid" : block.attributes?.server_uuid ? "server_uuid" : "id";
  const attribute = typeName.startsWith("coolify_") ? coolifyAttribute : "id";
  if (attribute !== "id" && id.includes(":")) throw new Error(`Invalid import ID ${JSON.stringify(id)}: expected the resource's UUID`);
  return { [attribute]: id };
};

/** The imported state of a resource of `block`'s shape: the id's attributes set, everything else empty. */
export const importedState = (typeName: string, id: string, block: BlockSchema): ObjectValue => {
  const empty: ObjectValue = {};
  for (const name of Object.keys(block.attributes ?? {})) empty[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const none: Value = nested.nesting_mode === "list" || nested.nesting_mode === "set" ? [] : nested.nesting_mode === "map" ? {} : null;
    empty[name] = none;
  }
  const fields = idFields(typeName, id, block);
  for (const name of Object.keys(fields)) {
    if (!(name in empty)) throw new Error(`${typeName} has no attribute ${name} to import into`);
  }
  return { ...empty, ...fields };
};
