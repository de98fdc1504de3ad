/**
 * Reading what an existing Coolify holds, through its API (read ability is enough), into one
 * snapshot. Every call's answer is checked against the shape Coolify v4.3.9 gives it; a bad answer
 * (401, 403, 404, 5xx, not JSON, a field missing) stops the reading with one line naming the call
 * and what to do, so that nothing is written from half an answer.
 */
import { z } from "zod";

export class AdoptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdoptError";
  }
}

// Shapes of the answers, with only the fields the adoption reads; Coolify sends more. Sources, all
// coollabsio/coolify v4.3.9: the OpenAPI document `openapi.yaml` (components Project, Environment,
// Application, EnvironmentVariable, ScheduledTask) and, where it says "Content is very complex",
// the controllers under app/Http/Controllers/Api/ named below.
const nullableText = z.string().nullish();
const nullableNumber = z.number().nullish();

const projectSummary = z.looseObject({ uuid: z.string(), name: z.string(), description: nullableText });

/** `GET /projects/{uuid}`: the project with its environments (ProjectController::project_by_uuid loads `environments`). */
const projectDetails = z.looseObject({ uuid: z.string(), name: z.string(), environments: z.array(z.looseObject({ name: z.string() })) });

const resourceRef = z.looseObject({ uuid: z.string(), name: z.string() });

/**
 * `GET /projects/{uuid}/{environment}`: ProjectController::environment_details loads `applications`,
 * `postgresqls`, `redis`, `mongodbs`, `mysqls`, `mariadbs` and `services`, nothing else; KeyDB,
 * Dragonfly and ClickHouse databases are not in its answer, but in `GET /databases` by the
 * environment's `id` (the Environment row, which the answer shows).
 */
const environmentDetails = z.looseObject({
  id: z.number().optional(),
  name: z.string(),
  applications: z.array(resourceRef),
  postgresqls: z.array(resourceRef),
  redis: z.array(resourceRef),
  mongodbs: z.array(resourceRef),
  mysqls: z.array(resourceRef),
  mariadbs: z.array(resourceRef),
  services: z.array(resourceRef),
});

/** Which list of `environmentDetails` holds which database kind of the configuration. */
export const DATABASE_LISTS = { postgresql: "postgresqls", redis: "redis", mongodb: "mongodbs", mysql: "mysqls", mariadb: "mariadbs" } as const;
/** The kinds only `GET /databases` lists, by their `database_type` (app/Models/Standalone<Kind>.php `type()`). */
const UNLISTED_KINDS = { "standalone-keydb": "keydb", "standalone-dragonfly": "dragonfly", "standalone-clickhouse": "clickhouse" } as const;
export type AdoptableDatabaseKind = keyof typeof DATABASE_LISTS | (typeof UNLISTED_KINDS)[keyof typeof UNLISTED_KINDS];

/**
 * `GET /applications/{uuid}` (OpenAPI component Application). `dockerfile` and `docker_compose_raw`
 * are hidden unless the token has `read:sensitive` (ApplicationsController::removeSensitiveData).
 */
const application = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  description: nullableText,
  build_pack: z.string(),
  fqdn: nullableText,
  git_repository: nullableText,
  git_branch: nullableText,
  base_directory: nullableText,
  docker_registry_image_name: nullableText,
  docker_registry_image_tag: nullableText,
  dockerfile: nullableText,
  docker_compose_raw: nullableText,
  docker_compose_domains: nullableText,
  ports_exposes: nullableText,
  health_check_enabled: z.boolean().nullish(),
  health_check_type: nullableText,
  health_check_path: nullableText,
  health_check_command: nullableText,
  health_check_port: z.union([z.string(), z.number()]).nullish(),
  health_check_interval: nullableNumber,
  health_check_timeout: nullableNumber,
  health_check_retries: nullableNumber,
  limits_cpus: nullableText,
  limits_memory: nullableText,
});

/**
 * `GET /services/{uuid}` (ServicesController::service_by_uuid loads its `applications`, one per
 * compose service, with their `fqdn`); `docker_compose_raw` needs `read:sensitive`.
 */
const service = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  description: nullableText,
  docker_compose_raw: nullableText,
  applications: z.array(z.looseObject({ name: z.string(), fqdn: nullableText })),
});

/** `GET /applications/{uuid}/envs` (OpenAPI component EnvironmentVariable); `value` needs `read:sensitive`. */
const environmentVariable = z.looseObject({
  uuid: z.string(),
  key: z.string(),
  value: nullableText,
  is_preview: z.boolean().nullish(),
  is_buildtime: z.boolean().nullish(),
  is_runtime: z.boolean().nullish(),
});

/** `GET /applications/{uuid}/scheduled-tasks` (OpenAPI component ScheduledTask). */
const scheduledTask = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  command: z.string(),
  frequency: z.string(),
  container: nullableText,
  timeout: nullableNumber,
  enabled: z.boolean().nullish(),
});

/** `GET /databases/{uuid}` (DatabasesController::database_by_uuid, the Standalone<Kind> model's columns). */
const database = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  description: nullableText,
  image: nullableText,
  limits_cpus: nullableText,
  limits_memory: nullableText,
  is_public: z.boolean().nullish(),
  public_port: nullableNumber,
});

/**
 * `GET /databases`: every database of the team (DatabasesController::databases), each with its type
 * and its environment's id (the row's `environment_id`).
 */
const listedDatabase = z.looseObject({ uuid: z.string(), database_type: z.string(), environment_id: z.number().nullish() });

/** `GET /databases/{uuid}/backups`: ScheduledDatabaseBackup rows (DatabasesController::database_backup_details_uuid). */
const databaseBackup = z.looseObject({
  id: z.number(),
  frequency: z.string(),
  enabled: z.boolean().nullish(),
  save_s3: z.boolean().nullish(),
  database_backup_retention_amount_s3: nullableNumber,
  database_backup_retention_days_s3: nullableNumber,
});

/** `GET /s3-storages` (S3StoragesController::index; `id`, `key` and `secret` hidden without `read:sensitive`). */
const s3Storage = z.looseObject({ uuid: z.string(), name: z.string(), description: nullableText, bucket: z.string(), endpoint: z.string() });

/** `GET /notifications/discord` (NotificationsController::discord, DiscordNotificationSettings). */
const discordSettings = z.looseObject({
  discord_enabled: z.boolean(),
  deployment_failure_discord_notifications: z.boolean(),
  backup_failure_discord_notifications: z.boolean(),
  server_unreachable_discord_notifications: z.boolean(),
});

/** `GET /servers` (OpenAPI component Server). */
const server = z.looseObject({ uuid: z.string(), name: z.string(), ip: z.string() });

/**
 * `GET /servers/{uuid}/resources` (ServersController::resources_by_server: the server's defined
 * resources, each with its `uuid` and `type`).
 */
const serverResource = z.looseObject({ uuid: z.string(), type: z.string() });

export type CoolifyApplication = z.infer<typeof application>;
export type CoolifyService = z.infer<typeof service>;
export type CoolifyVariable = z.infer<typeof environmentVariable>;
export type CoolifyScheduledTask = z.infer<typeof scheduledTask>;
export type CoolifyDatabase = z.infer<typeof database>;
export type CoolifyBackup = z.infer<typeof databaseBackup>;
export type CoolifyS3Storage = z.infer<typeof s3Storage>;
export type CoolifyDiscord = z.infer<typeof discordSettings>;
export type CoolifyServer = z.infer<typeof server>;

/** An application, or a Coolify service (what the configuration's `docker-compose` applications are), with its variables and tasks. */
export interface AdoptedWorkload<T> {
  readonly resource: T;
  readonly variables: readonly CoolifyVariable[];
  readonly scheduledTasks: readonly CoolifyScheduledTask[];
}

export type AdoptedApplication = AdoptedWorkload<CoolifyApplication>;
export type AdoptedService = AdoptedWorkload<CoolifyService>;

export interface AdoptedDatabase {
  readonly kind: AdoptableDatabaseKind;
  readonly database: CoolifyDatabase;
  readonly backups: readonly CoolifyBackup[];
}

export interface AdoptedEnvironment {
  readonly name: string;
  readonly applications: readonly AdoptedApplication[];
  readonly databases: readonly AdoptedDatabase[];
  readonly services: readonly AdoptedService[];
}

export interface AdoptedProject {
  readonly uuid: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly environments: readonly AdoptedEnvironment[];
}

export interface CoolifySnapshot {
  readonly version: string;
  readonly projects: readonly AdoptedProject[];
  readonly s3Storages: readonly CoolifyS3Storage[];
  readonly discord: CoolifyDiscord;
  readonly servers: readonly CoolifyServer[];
  /** Resource UUID → UUID of the server it runs on. */
  readonly placements: Readonly<Record<string, string>>;
}

/** What to do about an error status, as Coolify's middleware and controllers answer it (routes/api.php, app/Http/Middleware/ApiAbility.php). */
const STATUS_ADVICE: Readonly<Record<number, string>> = {
  401: "the token was refused: create an API token in Coolify (Keys & Tokens) and set COOLIFY_TOKEN",
  403: "the token lacks the read ability, or the API does not allow this address: check the token's abilities and Settings > API's allowed IPs",
  404: "not found: check the Coolify URL (the dashboard's address, without /api)",
};

const advice = (status: number): string =>
  STATUS_ADVICE[status] ?? (status >= 500 ? "Coolify failed: check its logs (Coolify > Settings > Logs) and run the command again" : "unexpected answer");

/** One line for a field the shape wanted and the answer lacks. */
const shapeProblem = (error: z.ZodError): string => {
  const issue = error.issues[0];
  const where = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  return `${where || "the answer"}: ${issue.message}`;
};

export type Fetch = typeof fetch;

/** A GET client for `<url>/api/v1`, each answer checked against its shape. */
export class CoolifyReader {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {
    this.base = `${url.replace(/\/+$/, "")}/api/v1`;
  }

  /** The body of a successful GET, as text. */
  async text(path: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, { headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json" } });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new AdoptError(`GET /api/v1${path}: cannot reach Coolify (${cause}): check the URL and that this machine may reach it`);
    }
    const body = await response.text();
    if (!response.ok) throw new AdoptError(`GET /api/v1${path}: HTTP ${response.status}: ${advice(response.status)}`);
    return body;
  }

  /** The JSON body of a successful GET, checked against its shape. */
  async get<T extends z.ZodType>(path: string, shape: T): Promise<z.infer<T>> {
    const body = await this.text(path);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new AdoptError(
        `GET /api/v1${path}: the answer is not JSON (${JSON.stringify(body.slice(0, 60))}): check that the URL is Coolify's, not a proxy's page`,
      );
    }
    const parsed = shape.safeParse(value);
    if (!parsed.success) {
      throw new AdoptError(`GET /api/v1${path}: the answer lacks what the adoption needs (${shapeProblem(parsed.error)}); is this Coolify 4.3.9 or later?`);
    }
    return parsed.data;
  }
}

const sensitiveError = (path: string, what: string, name: string, field: string): AdoptError =>
  new AdoptError(
    `GET /api/v1${path}: ${what} ${JSON.stringify(name)} came without ${field}, which Coolify shows only to a token with the read:sensitive ability: use such a token`,
  );

const readApplication = async (reader: CoolifyReader, uuid: string): Promise<AdoptedApplication> => {
  const app = await reader.get(`/applications/${uuid}`, application);
  return {
    resource: app,
    variables: await reader.get(`/applications/${uuid}/envs`, z.array(environmentVariable)),
    scheduledTasks: await reader.get(`/applications/${uuid}/scheduled-tasks`, z.array(scheduledTask)),
  };
};

const readService = async (reader: CoolifyReader, uuid: string): Promise<AdoptedService> => {
  const found = await reader.get(`/services/${uuid}`, service);
  if (!found.docker_compose_raw) throw sensitiveError(`/services/${uuid}`, "service", found.name, "docker_compose_raw");
  return {
    resource: found,
    variables: await reader.get(`/services/${uuid}/envs`, z.array(environmentVariable)),
    scheduledTasks: await reader.get(`/services/${uuid}/scheduled-tasks`, z.array(scheduledTask)),
  };
};

/** A database of a kind only `GET /databases` lists, with the id of its environment. */
interface UnlistedDatabase {
  readonly uuid: string;
  readonly kind: AdoptableDatabaseKind;
  readonly environmentId: number | null | undefined;
}

const readDatabase = async (reader: CoolifyReader, kind: AdoptableDatabaseKind, uuid: string): Promise<AdoptedDatabase> => ({
  kind,
  database: await reader.get(`/databases/${uuid}`, database),
  backups: await reader.get(`/databases/${uuid}/backups`, z.array(databaseBackup)),
});

const readEnvironment = async (
  reader: CoolifyReader,
  projectUuid: string,
  name: string,
  unlisted: readonly UnlistedDatabase[],
): Promise<AdoptedEnvironment> => {
  const details = await reader.get(`/projects/${projectUuid}/${encodeURIComponent(name)}`, environmentDetails);
  const applications: AdoptedApplication[] = [];
  for (const { uuid } of details.applications) applications.push(await readApplication(reader, uuid));
  const databases: AdoptedDatabase[] = [];
  for (const kind of Object.keys(DATABASE_LISTS) as (keyof typeof DATABASE_LISTS)[]) {
    for (const { uuid } of details[DATABASE_LISTS[kind]]) databases.push(await readDatabase(reader, kind, uuid));
  }
  for (const { uuid, kind } of unlisted.filter((entry) => details.id !== undefined && entry.environmentId === details.id)) {
    databases.push(await readDatabase(reader, kind, uuid));
  }
  const services: AdoptedService[] = [];
  for (const { uuid } of details.services) services.push(await readService(reader, uuid));
  return { name: details.name, applications, databases, services };
};

/** Everything the adoption reads, one call at a time (Coolify's API rate-limits per token). */
export const readCoolify = async (reader: CoolifyReader): Promise<CoolifySnapshot> => {
  // OtherController::version answers the bare version as text, not JSON.
  const version = (await reader.text("/version")).trim();
  if (!/^4\.\d+\.\d+/.test(version)) {
    throw new AdoptError(`GET /api/v1/version: ${JSON.stringify(version.slice(0, 40))} is not a Coolify v4 version: check that the URL is Coolify's`);
  }
  const unlisted: UnlistedDatabase[] = (await reader.get("/databases", z.array(listedDatabase))).flatMap((entry) => {
    const kind = UNLISTED_KINDS[entry.database_type as keyof typeof UNLISTED_KINDS];
    return kind ? [{ uuid: entry.uuid, kind, environmentId: entry.environment_id }] : [];
  });
  const projects: AdoptedProject[] = [];
  for (const summary of await reader.get("/projects", z.array(projectSummary))) {
    const details = await reader.get(`/projects/${summary.uuid}`, projectDetails);
    const environments: AdoptedEnvironment[] = [];
    for (const { name } of details.environments) environments.push(await readEnvironment(reader, summary.uuid, name, unlisted));
    projects.push({ uuid: summary.uuid, name: summary.name, description: summary.description ?? undefined, environments });
  }
  const adopted = new Set(
    projects.flatMap((project) => project.environments.flatMap((environment) => environment.databases.map((entry) => entry.database.uuid))),
  );
  for (const entry of unlisted.filter((candidate) => !adopted.has(candidate.uuid))) {
    throw new AdoptError(
      `GET /api/v1/databases: the ${entry.kind} database ${entry.uuid} is in no environment the projects list (environment_id ${entry.environmentId ?? "none"}); is this Coolify 4.3.9 or later?`,
    );
  }
  const servers = await reader.get("/servers", z.array(server));
  const placements: Record<string, string> = {};
  for (const { uuid } of servers) {
    for (const resource of await reader.get(`/servers/${uuid}/resources`, z.array(serverResource))) placements[resource.uuid] = uuid;
  }
  return {
    version,
    projects,
    s3Storages: await reader.get("/s3-storages", z.array(s3Storage)),
    discord: await reader.get("/notifications/discord", discordSettings),
    servers,
    placements,
  };
};
