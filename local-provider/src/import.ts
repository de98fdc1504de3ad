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

const NOTIFICATION_ID = "current";

const idFields = (typeName: string, id: string, block: BlockSchema): ObjectValue => {
  const special = COOLIFY_IDS[typeName];
  if (special) return special(id);
  if (typeName.startsWith("coolify_notification_")) {
    if (id !== NOTIFICATION_ID) throw new Error(`Invalid import ID ${JSON.stringify(id)}: ${typeName} is imported by the id "${NOTIFICATION_ID}"`);
    return { id };
  }
  // Other providers (hcloud, Cloudflare) pass the id through to `id`; Coolify's others to `uuid`.
  const attribute = typeName.startsWith("coolify_") && block.attributes?.uuid ? "uuid" : "id";
  if (attribute === "uuid" && id.includes(":")) throw new Error(`Invalid import ID ${JSON.stringify(id)}: expected the resource's UUID`);
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
