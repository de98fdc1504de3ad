/** Facts about Coolify v4 the platform relies on. */

/**
 * Where the bootstrap fetches a release's files by default: the release tag's tree. A mirror is laid
 * out the same way (`<base>/scripts/install.sh`, `<base>/docker-compose.yml`, ...).
 */
export const coolifyReleaseBaseUrl = (version: string): string => `https://raw.githubusercontent.com/coollabsio/coolify/v${version}`;

/**
 * The files of a release the installer runs or fetches, each by the name it has on Coolify's CDN
 * (`https://cdn.coollabs.io/coolify/<name>`, whatever was published last) and its path in the tag's
 * tree. coollabsio/coolify v4.3.9: scripts/install.sh reads `$CDN/versions.json` (line 321) and
 * downloads docker-compose.yml, docker-compose.prod.yml, .env.production, upgrade.sh and
 * upgrade-postgres.sh (lines 777-785); scripts/upgrade.sh, which it runs, downloads four of them
 * again (lines 60-66). The bootstrap serves those CDN requests from the verified files.
 */
export const COOLIFY_RELEASE_FILES = [
  { cdnName: "install.sh", path: "scripts/install.sh" },
  { cdnName: "versions.json", path: "versions.json" },
  { cdnName: "docker-compose.yml", path: "docker-compose.yml" },
  { cdnName: "docker-compose.prod.yml", path: "docker-compose.prod.yml" },
  { cdnName: ".env.production", path: ".env.production" },
  { cdnName: "upgrade.sh", path: "scripts/upgrade.sh" },
  { cdnName: "upgrade-postgres.sh", path: "scripts/upgrade-postgres.sh" },
] as const;

export type CoolifyReleasePath = (typeof COOLIFY_RELEASE_FILES)[number]["path"];

export const COOLIFY_RELEASE_PATHS = COOLIFY_RELEASE_FILES.map((file) => file.path) as [CoolifyReleasePath, ...CoolifyReleasePath[]];

/**
 * SHA-256 of each release file at each tag the platform can install (coollabsio/coolify, `git show
 * v<version>:<path> | sha256sum` on the tags' trees: v4.3.8 and v4.3.9 on 2026-11-24, v4.3.10 (commit
 * 83f1a2e50374c27125671084b445b2599815f114, the release after v4.3.9) on 2026-12-03). v4.3.8 and v4.3.9
 * differ only in versions.json; v4.3.10 changes versions.json (`v4.version` 4.3.10) and
 * scripts/upgrade.sh (lines 232-233 record the new image in .env as LATEST_IMAGE and COOLIFY_VERSION).
 * The bootstrap runs nothing unless every file has the checksum kept here (or in the environment's
 * `coolify.release.sha256`, for a version not listed).
 */
export const COOLIFY_RELEASE_SHA256: Readonly<Record<string, Readonly<Record<CoolifyReleasePath, string>>>> = {
  "4.3.8": {
    "scripts/install.sh": "8ef02dce49339208f5abc247bff0277c73d04538d7a36dcfd21331e314e0f2cd",
    "versions.json": "6ac236c1c88f28ea35841d8c3e39aed976883f37367e4d7c7aa63dec6a1d6d62",
    "docker-compose.yml": "0223699dfef8a421116872b050830b21cfedfc58911576a0129c2082aeaadc59",
    "docker-compose.prod.yml": "147804dedb51fd2c73b4120ac4e8b979b3bdf068c770bcb6bedca4404b71efce",
    ".env.production": "4a8070a010ac5c919f05919d36a67065f87e8b514a52c38b381f1b1cd7fcbe5c",
    "scripts/upgrade.sh": "1534886ea079a06e20fb18c6fa0d1fc1769da1577f0c1e1fa0ebbe00eca3dbc1",
    "scripts/upgrade-postgres.sh": "aa65c277fc13ab5b27c349fbfef12defc59c084b244e4b258329e1f6c570ae8d",
  },
  "4.3.9": {
    "scripts/install.sh": "8ef02dce49339208f5abc247bff0277c73d04538d7a36dcfd21331e314e0f2cd",
    "versions.json": "04584ccd986788d900fe3e7709cdee87674f630c8593e574eb29f58a6802a447",
    "docker-compose.yml": "0223699dfef8a421116872b050830b21cfedfc58911576a0129c2082aeaadc59",
    "docker-compose.prod.yml": "147804dedb51fd2c73b4120ac4e8b979b3bdf068c770bcb6bedca4404b71efce",
    ".env.production": "4a8070a010ac5c919f05919d36a67065f87e8b514a52c38b381f1b1cd7fcbe5c",
    "scripts/upgrade.sh": "1534886ea079a06e20fb18c6fa0d1fc1769da1577f0c1e1fa0ebbe00eca3dbc1",
    "scripts/upgrade-postgres.sh": "aa65c277fc13ab5b27c349fbfef12defc59c084b244e4b258329e1f6c570ae8d",
  },
  "4.3.10": {
    "scripts/install.sh": "8ef02dce49339208f5abc247bff0277c73d04538d7a36dcfd21331e314e0f2cd",
    "versions.json": "da45ff57523335fc379967c520e83f35782784f677a964f88ba42967ff50e406",
    "docker-compose.yml": "0223699dfef8a421116872b050830b21cfedfc58911576a0129c2082aeaadc59",
    "docker-compose.prod.yml": "147804dedb51fd2c73b4120ac4e8b979b3bdf068c770bcb6bedca4404b71efce",
    ".env.production": "4a8070a010ac5c919f05919d36a67065f87e8b514a52c38b381f1b1cd7fcbe5c",
    "scripts/upgrade.sh": "535c4196571232df754f6ba2666b50c7e069ccf487ece7ed7e0af1f2c72e9bb7",
    "scripts/upgrade-postgres.sh": "aa65c277fc13ab5b27c349fbfef12defc59c084b244e4b258329e1f6c570ae8d",
  },
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
