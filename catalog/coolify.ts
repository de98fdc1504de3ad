/** Facts about Coolify v4 the platform relies on. */

/**
 * The official installer of one Coolify release, from that release's tag rather than the CDN's
 * latest (`https://cdn.coollabs.io/coolify/install.sh` is whatever was published last).
 */
export const coolifyInstallerUrl = (version: string): string => `https://raw.githubusercontent.com/coollabsio/coolify/v${version}/scripts/install.sh`;

/**
 * SHA-256 of `scripts/install.sh` at each release tag the platform can install (coollabsio/coolify,
 * computed from the tags' trees on 2026-11-24; v4.3.8 and v4.3.9 ship the same file). The bootstrap
 * runs an installer only when its checksum is the one kept here (or in the environment's
 * `coolify.installer`, for a mirror).
 */
export const COOLIFY_INSTALLER_SHA256: Readonly<Record<string, string>> = {
  "4.3.8": "8ef02dce49339208f5abc247bff0277c73d04538d7a36dcfd21331e314e0f2cd",
  "4.3.9": "8ef02dce49339208f5abc247bff0277c73d04538d7a36dcfd21331e314e0f2cd",
};

/**
 * The Coolify release the bootstrap script and the Coolify provider are tested against: the API
 * contract coolify-terraform/terraform-provider-coolify v0.1.17 pins
 * (testdata/contracts/coolify-v4.3.9.json; docs/guides/coolify-version-support.md, "Pinned API contract").
 */
export const COOLIFY_VERSION = "4.3.9";

/** Coolify v4 release tags (coollabsio/coolify, GitHub releases: `v4.3.9`, `v4.0.0-beta.420`), without the `v`. */
export const COOLIFY_VERSION_PATTERN = /^4\.\d+\.\d+(-(beta|rc)\.\d+)?$/;

/**
 * The oldest Coolify the provider configures against: terraform-provider-coolify v0.1.17,
 * internal/provider/provider.go `minCoolifyVersion = "4.1.0"`.
 */
export const PROVIDER_MIN_COOLIFY_VERSION = "4.1.0";

/**
 * Compares versions the way the provider does (v0.1.17, internal/client/version.go
 * `IsVersionAtLeast`): major.minor.patch, a `-beta.N`/`-rc.N` suffix dropped, so 4.0.0-beta.420 is 4.0.0.
 */
export const coolifyVersionAtLeast = (actual: string, minimum: string): boolean => {
  const parts = (version: string): number[] =>
    version
      .replace(/^v/, "")
      .split("-")[0]
      .split(".")
      .map((part) => Number(part));
  const [a, m] = [parts(actual), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (m[i] ?? 0)) return (a[i] ?? 0) > (m[i] ?? 0);
  }
  return true;
};

/**
 * Coolify versions below which a provider resource cannot work, with why. Source:
 * terraform-provider-coolify v0.1.17, docs/guides/coolify-version-support.md ("Requires Coolify ≥
 * 4.2.0" / "≥ 4.3.0" tables); every other resource this platform uses works from the provider's floor.
 */
export const RESOURCE_MIN_COOLIFY_VERSION: Readonly<Record<string, { readonly version: string; readonly why: string }>> = {
  coolify_s3_storage: { version: "4.3.0", why: "the S3 storages API appeared in Coolify 4.3.0" },
  coolify_s3_storage_validate: { version: "4.3.0", why: "the S3 storages API appeared in Coolify 4.3.0" },
  coolify_notification_discord: { version: "4.3.0", why: "the notifications API appeared in Coolify 4.3.0" },
};

/**
 * Workers are made usable through POST /api/v1/servers/{uuid}/validate with `install` (coollabsio/coolify
 * v4.3.9 routes/api.php; the provider's coolify-version-support.md: "4.1.x only exposes GET").
 */
export const WORKER_VALIDATION_MIN_COOLIFY_VERSION = {
  version: "4.2.0",
  why: "workers are validated and get Docker through POST /servers/{uuid}/validate, which 4.1 does not have",
};

/** The database kinds Coolify runs as standalone resources (one `coolify_database_<kind>` resource type each). */
export const DATABASE_KINDS = ["postgresql", "mysql", "mariadb", "mongodb", "redis", "keydb", "dragonfly", "clickhouse"] as const;

export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/**
 * The kinds Coolify's scheduled backups support, each with the first Coolify version that backs
 * it up: `isBackupSolutionAvailable()` in coollabsio/coolify app/Models/Standalone<Kind>.php answers
 * true at v4.3.9 for these; for ClickHouse it is false at v4.1.0 and true from v4.2.0, when
 * app/Jobs/DatabaseBackupJob.php learned to dump it. Redis, KeyDB and Dragonfly answer false.
 */
export const BACKUP_MIN_COOLIFY_VERSION: Readonly<Partial<Record<DatabaseKind, string>>> = {
  postgresql: PROVIDER_MIN_COOLIFY_VERSION,
  mysql: PROVIDER_MIN_COOLIFY_VERSION,
  mariadb: PROVIDER_MIN_COOLIFY_VERSION,
  mongodb: PROVIDER_MIN_COOLIFY_VERSION,
  clickhouse: "4.2.0",
};

export const BACKUP_CAPABLE_KINDS: readonly DatabaseKind[] = DATABASE_KINDS.filter((kind) => BACKUP_MIN_COOLIFY_VERSION[kind] !== undefined);
