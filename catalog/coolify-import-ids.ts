/**
 * The ids the Coolify provider imports its resources by (terraform-provider-coolify v0.1.17, each
 * resource's ImportState). Adopted resources (`apps.adopted`) carry these in their import blocks.
 */

/**
 * Projects, applications of every kind, services, databases and S3 storages: the resource's UUID
 * (internal/service/project/resource.go and s3storage/resource.go, ImportStatePassthroughID on
 * `uuid`; application/common_crud.go importApplicationState, service/resource.go and
 * database/common.go ImportDatabaseState through internal/validate/uuid.go ParseCompoundImportID,
 * whose one-part form is the UUID).
 */
export const uuidImportId = (uuid: string): string => uuid;

/**
 * An application, service or database placed where it runs: `<project uuid>:<server uuid>:<environment
 * name>:<uuid>` (internal/validate/uuid.go ParseCompoundImportID, taken by application/common_crud.go
 * importApplicationState, service/resource.go and database/common.go ImportDatabaseState). Only this
 * form sets `project_uuid`, `server_uuid` and `environment_name` in the imported state; the read does not
 * fill them (Coolify's answer has no such fields, application/common_flatten.go keeps them when absent),
 * and all three force replacement (application/common_schema.go, database/common.go), so a resource
 * imported by its UUID alone would be replaced by the first apply. The provider checks the server
 * through GET /servers/{uuid}/resources (internal/client/servers.go ValidateResourceOnServer).
 */
export const placedImportId = (projectUuid: string, serverUuid: string, environment: string, uuid: string): string =>
  `${projectUuid}:${serverUuid}:${environment}:${uuid}`;

/** An environment of a project: `<project uuid>:<environment name>` (internal/service/environment/resource.go). */
export const environmentImportId = (projectUuid: string, environment: string): string => `${projectUuid}:${environment}`;

/**
 * A database's scheduled backup: `<database uuid>:<backup id>`, the backup's integer id
 * (internal/service/database/backup/resource.go).
 */
export const backupImportId = (databaseUuid: string, backupId: number): string => `${databaseUuid}:${backupId}`;

/** The resource kinds a variable or a scheduled task belongs to, as their import ids name them. */
export type ImportParent = "application" | "service" | "database";

/**
 * Environment variables and scheduled tasks: `<parent kind>:<parent uuid>:<child uuid>`
 * (internal/validate/uuid.go ImportParentChild, used by environmentvariable/resource.go and
 * scheduledtask/resource.go).
 */
export const childImportId = (parent: ImportParent, parentUuid: string, childUuid: string): string => `${parent}:${parentUuid}:${childUuid}`;

/** Team notification settings, one per team: the fixed id `current` (internal/service/notificationcommon/common.go ImportIDCurrent). */
export const NOTIFICATION_IMPORT_ID = "current";
