/** Facts about Coolify v4 the platform relies on. */

/** Where Coolify's official installer comes from; the bootstrap can be pointed at a mirror instead. */
export const COOLIFY_INSTALLER_URL = "https://cdn.coollabs.io/coolify/install.sh";

/** The Coolify release the bootstrap script and the Coolify provider are tested against. */
export const COOLIFY_VERSION = "4.0.0-beta.420";

/** Coolify v4 release tags (coollabsio/coolify, GitHub releases: `v4.0.0-beta.420`), without the `v`. */
export const COOLIFY_VERSION_PATTERN = /^4\.\d+\.\d+(-(beta|rc)\.\d+)?$/;

/** The database kinds Coolify runs as standalone resources (one `coolify_database_<kind>` resource type each). */
export const DATABASE_KINDS = ["postgresql", "mysql", "mariadb", "mongodb", "redis", "keydb", "dragonfly", "clickhouse"] as const;

export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/**
 * The kinds Coolify's scheduled backups support: coollabsio/coolify v4, app/Jobs/DatabaseBackupJob.php
 * dumps PostgreSQL, MongoDB, MySQL and MariaDB and fails with "Unsupported database type" otherwise.
 */
export const BACKUP_CAPABLE_KINDS: readonly DatabaseKind[] = ["postgresql", "mysql", "mariadb", "mongodb"];
