/**
 * The shape of what runs inside an environment's Coolify: projects, applications, databases,
 * backups, notifications. Plain JSON-able data like the rest of the configuration; validated once
 * by `config/validate-apps.ts`.
 */

/** A value taken from a sensitive Terraform variable `secret_<name>` (set it as `TF_VAR_secret_<name>`). */
export interface SecretReference {
  readonly secret: string;
}

/** A literal (checked so that it does not look like a secret) or a reference to a secret variable. */
export type EnvValue = string | SecretReference;

export interface ResourceLimits {
  /** CPU limit, e.g. `0.5` or `2`. */
  readonly cpus?: number;
  /** Memory limit with a unit: `512m`, `2g`. */
  readonly memory?: string;
}

/** Exactly one of `path` (HTTP check) or `command` (run inside the container). */
export interface HealthCheckConfig {
  readonly path?: string;
  readonly command?: string;
  /** Port the HTTP check calls; defaults to the first exposed port. */
  readonly port?: number;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly retries?: number;
}

export interface ScheduledTaskConfig {
  /** Unique per application. */
  readonly name: string;
  readonly command: string;
  /** Cron expression (`0 3 * * *`) or one of Coolify's names (`hourly`, `daily`, `@daily`, ...). */
  readonly schedule: string;
  /** Container of a Docker Compose application to run in. */
  readonly container?: string;
  readonly timeoutSeconds?: number;
}

export const APPLICATION_KINDS = ["docker-image", "public-git", "private-git", "dockerfile", "docker-compose"] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** How Coolify builds a Git repository. */
export const BUILD_PACKS = ["nixpacks", "dockerfile", "static", "railpack"] as const;
export type BuildPack = (typeof BUILD_PACKS)[number];

interface ApplicationBase {
  /** Lowercase letters, digits and single dashes; unique per project. */
  readonly name: string;
  readonly description?: string;
  /** Coolify environment inside the project; `production` (the default) or one listed in the project. */
  readonly environment?: string;
  /** Name of a server of this environment (`servers[].name`); defaults to the Coolify host. */
  readonly server?: string;
  /** Runtime environment variables. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Start a deployment as soon as the resource is created (default false). */
  readonly deployOnCreate?: boolean;
  readonly scheduledTasks?: readonly ScheduledTaskConfig[];
}

/** What every kind except Docker Compose has (Compose declares these in its compose file). */
interface ContainerApplication extends ApplicationBase {
  /** Host names (no scheme) served over HTTPS: one label under the environment's domain, or a listed custom domain. */
  readonly domains?: readonly string[];
  /** Ports the container listens on; the first one receives the domains' traffic. */
  readonly ports: readonly number[];
  readonly healthCheck?: HealthCheckConfig;
  readonly limits?: ResourceLimits;
  /** Variables available while building the image. */
  readonly buildEnv?: Readonly<Record<string, EnvValue>>;
}

export interface DockerImageApplication extends ContainerApplication {
  readonly kind: "docker-image";
  /** Image reference, e.g. `ghcr.io/acme/web:1.4.2`. */
  readonly image: string;
}

interface GitApplication extends ContainerApplication {
  readonly branch?: string;
  readonly buildPack?: BuildPack;
  /** Directory inside the repository the build starts from, e.g. `/apps/api`. */
  readonly baseDirectory?: string;
}

export interface PublicGitApplication extends GitApplication {
  readonly kind: "public-git";
  /** HTTPS URL of a public repository. */
  readonly repository: string;
}

export interface PrivateGitApplication extends GitApplication {
  readonly kind: "private-git";
  /** SSH URL, e.g. `git@github.com:acme/api.git`. */
  readonly repository: string;
  /** Secret holding the deploy key (an OpenSSH private key) that may read the repository. */
  readonly deployKey: SecretReference;
}

export interface DockerfileApplication extends ContainerApplication {
  readonly kind: "dockerfile";
  /** The Dockerfile itself (its content, not a path). */
  readonly dockerfile: string;
}

export interface ComposeDomain {
  /** Service name inside the compose file. */
  readonly service: string;
  readonly domain: string;
}

export interface DockerComposeApplication extends ApplicationBase {
  readonly kind: "docker-compose";
  /** The compose file (YAML). */
  readonly compose: string;
  readonly domains?: readonly ComposeDomain[];
}

export type ApplicationConfig =
  | DockerImageApplication
  | PublicGitApplication
  | PrivateGitApplication
  | DockerfileApplication
  | DockerComposeApplication;

export const DATABASE_KINDS = ["postgresql", "mysql", "mariadb", "mongodb", "redis", "keydb", "dragonfly", "clickhouse"] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** The kinds Coolify's scheduled backups support. */
export const BACKUP_CAPABLE_KINDS: readonly DatabaseKind[] = ["postgresql", "mysql", "mariadb", "mongodb"];

export interface BackupRetention {
  /** Keep this many backups. */
  readonly count?: number;
  /** Keep backups this many days. */
  readonly days?: number;
}

export interface BackupConfig {
  /** Cron expression or Coolify name (`daily`, `@hourly`, ...). */
  readonly schedule: string;
  /** Name of an entry in `apps.s3Storages`. */
  readonly storage: string;
  readonly retention: BackupRetention;
}

export interface DatabaseConfig {
  /** Lowercase letters, digits and single dashes; unique per project. Also the container's DNS name. */
  readonly name: string;
  readonly kind: DatabaseKind;
  readonly description?: string;
  readonly environment?: string;
  readonly server?: string;
  /** Image override, e.g. `postgres:16-alpine`; Coolify's default image otherwise. */
  readonly image?: string;
  readonly limits?: ResourceLimits;
  /** Expose the database on this port of its server's public address; private (Docker network only) when absent. */
  readonly publicPort?: number;
  /** Required in production for kinds Coolify can back up (PostgreSQL, MySQL, MariaDB, MongoDB). */
  readonly backup?: BackupConfig;
  /**
   * Only for kinds Coolify cannot back up (Redis, KeyDB, Dragonfly, ClickHouse): states that losing
   * the data is acceptable, which production requires in place of a backup.
   */
  readonly ephemeral?: boolean;
}

/** The Coolify environment every project has; resources go there unless they name another. */
export const DEFAULT_COOLIFY_ENVIRONMENT = "production";

export interface ProjectConfig {
  /** Lowercase letters, digits and single dashes; unique per environment. */
  readonly name: string;
  readonly description?: string;
  /** Coolify environments besides `production`, which Coolify creates with every project. */
  readonly environments?: readonly string[];
  readonly applications?: readonly ApplicationConfig[];
  readonly databases?: readonly DatabaseConfig[];
}

/** Locations of Hetzner Object Storage; the endpoint is `https://<location>.your-objectstorage.com`. */
export const HETZNER_OBJECT_STORAGE_LOCATIONS = ["fsn1", "nbg1", "hel1"] as const;

interface S3StorageBase {
  /** Lowercase letters, digits and single dashes; unique per environment. */
  readonly name: string;
  readonly bucket: string;
}

export interface HetznerS3StorageConfig extends S3StorageBase {
  readonly provider: "hetzner";
  /** Hetzner Object Storage location. */
  readonly location: (typeof HETZNER_OBJECT_STORAGE_LOCATIONS)[number];
}

export interface R2S3StorageConfig extends S3StorageBase {
  readonly provider: "r2";
  /** Cloudflare account id (32 hex characters). */
  readonly accountId: string;
}

/**
 * An S3-compatible bucket for database backups. Credentials come from the sensitive variables
 * `s3_<name>_access_key` and `s3_<name>_secret_key` (dashes in the name become underscores).
 */
export type S3StorageConfig = HetznerS3StorageConfig | R2S3StorageConfig;

export const S3_PROVIDERS: readonly S3StorageConfig["provider"][] = ["hetzner", "r2"];

export const NOTIFICATION_EVENTS = ["deployment-failure", "backup-failure", "server-unreachable"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Discord notifications; the webhook URL comes from the sensitive variable `discord_webhook_url`. */
export interface DiscordNotificationConfig {
  readonly events: readonly NotificationEvent[];
}

export interface NotificationsConfig {
  readonly discord?: DiscordNotificationConfig;
}

export interface AppsConfig {
  readonly projects: readonly ProjectConfig[];
  readonly s3Storages?: readonly S3StorageConfig[];
  readonly notifications?: NotificationsConfig;
  /**
   * Host names in the Cloudflare zone that applications may use besides `<name>.<domain>`
   * (e.g. the apex or `www`). The infra stack creates their DNS records.
   */
  readonly customDomains?: readonly string[];
}
