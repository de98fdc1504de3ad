/**
 * A snapshot of Coolify, written as the `apps` part of an environment's configuration. Secrets are
 * never written: a variable whose value Coolify hides, or whose name or value looks secret, becomes
 * a `{ "secret": ... }` reference, and the `TF_VAR_*` names to set are listed. What the
 * configuration cannot express is listed with its resource, never dropped silently.
 */
import {
  backupImportId,
  childImportId,
  environmentImportId,
  type ImportParent,
  NOTIFICATION_IMPORT_ID,
  placedImportId,
  uuidImportId,
} from "../../catalog/coolify-import-ids";
import { resourceName } from "../../config/naming";
import { secretLiteralProblem } from "../../config/secrets";
import { s3VariableNames, secretVariableName } from "../../constructs/coolify/apps-secrets";
import { storageDescription } from "../../constructs/coolify/backup-storages";
import { COOLIFY_OWN_SERVER_NAME } from "../../constructs/coolify/coolify-servers";
import type {
  AdoptedApplication,
  AdoptedDatabase,
  AdoptedEnvironment,
  AdoptedProject,
  AdoptedService,
  CoolifyApplication,
  CoolifyDiscord,
  CoolifyS3Storage,
  CoolifyScheduledTask,
  CoolifyServer,
  CoolifySnapshot,
  CoolifyVariable,
} from "./coolify-read";

/** JSON as the configuration file holds it. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface AdoptedApps {
  /** The environment's `apps`, for its configuration file. */
  readonly apps: JsonObject;
  /** The variables to set before a plan, as `TF_VAR_<name>`. */
  readonly variables: readonly string[];
  /** What the configuration does not express, each naming its resource. */
  readonly notExpressed: readonly string[];
  /** Names changed to fit the configuration's name rule: Coolify's name changes on the first apply. */
  readonly renamed: readonly string[];
  /** What the first plan shows as an in-place change of an imported resource, and why. */
  readonly firstApply: readonly string[];
}

/** The environment Coolify creates with every project (the configuration's default). */
const DEFAULT_ENVIRONMENT = "production";
const NAME_MAX = 40;
const SECRET_NAME_MAX = 64;

/** A name the configuration accepts (lowercase letters, digits, single dashes, starting with a letter). */
const configName = (name: string): string => {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const lettered = /^[a-z]/.test(slug) ? slug : `r-${slug}`;
  return lettered.slice(0, NAME_MAX).replace(/-+$/, "");
};

/** A secret name (`^[a-z][a-z0-9_]{0,63}$`) from its parts. */
const secretName = (...parts: string[]): string => {
  const joined = parts
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return (/^[a-z]/.test(joined) ? joined : `s_${joined}`).slice(0, SECRET_NAME_MAX);
};

/** Host names of Coolify's comma-separated URL list (`fqdn`: `https://a.example.com,https://b.example.com`). */
const hostsOf = (urls: string | null | undefined): string[] =>
  (urls ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "")
    .map((url) => new URL(url.includes("://") ? url : `https://${url}`).hostname);

const defined = (entries: Record<string, Json | undefined>): JsonObject =>
  Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, Json] => entry[1] !== undefined));

const positive = (value: number | null | undefined): number | undefined => (value && value > 0 ? value : undefined);

/** Coolify writes "0" for "no limit" (the Standalone<Kind> and Application models' defaults). */
const limitsOf = (cpus: string | null | undefined, memory: string | null | undefined): JsonObject | undefined => {
  const cpuCount = Number(cpus);
  const limits = defined({
    cpus: Number.isFinite(cpuCount) && cpuCount > 0 ? cpuCount : undefined,
    memory: memory && memory !== "0" ? memory.toLowerCase() : undefined,
  });
  return Object.keys(limits).length > 0 ? limits : undefined;
};

/**
 * Where the apps stack puts each resource: the construct ids of stacks/apps-stack.ts and
 * constructs/coolify/. A path that matches nothing fails the synth (aspects/adoption.ts), so a
 * change there cannot make an adopted resource be created anew.
 */
const PATHS = {
  project: (project: string) => `project-${project}/project`,
  environment: (project: string, environment: string) => `project-${project}/environment-${environment}`,
  application: (project: string, app: string) => `project-${project}/app-${app}/application`,
  service: (project: string, app: string) => `project-${project}/app-${app}/service`,
  variable: (project: string, app: string, key: string) => `project-${project}/app-${app}/env-${key}`,
  task: (project: string, app: string, task: string) => `project-${project}/app-${app}/task-${task}`,
  database: (project: string, database: string) => `project-${project}/db-${database}/database`,
  backup: (project: string, database: string) => `project-${project}/db-${database}/backup`,
  storage: (storage: string) => `backup-storages/${storage}`,
  discord: "notifications/discord",
};

/** A resource's owner, as the variables' and tasks' paths and import ids name it. */
interface Owner {
  readonly project: string;
  readonly name: string;
  readonly parent: ImportParent;
  readonly uuid: string;
}

/** Where a resource lives in Coolify: its project's UUID and its environment's name there. */
interface Place {
  readonly projectUuid: string;
  readonly environment: string;
}

class Adoption {
  /** Construct path in the apps stack → the provider's import id (`apps.adopted`). */
  readonly imports: Record<string, string> = {};
  readonly variables = new Set<string>();
  readonly notExpressed: string[] = [];
  readonly renamed: string[] = [];
  readonly firstApply: string[] = [];

  constructor(
    private readonly placements: Readonly<Record<string, string>>,
    private readonly servers: readonly CoolifyServer[],
  ) {}

  /**
   * The import id of an application, service or database: placed on its server (catalog/coolify-import-ids.ts
   * placedImportId), so that the import keeps its project, server and environment. One on a server other
   * than the Coolify host, or on none Coolify lists, is reported: the configuration would move or replace it.
   */
  placed(what: string, place: Place, uuid: string): string {
    const serverUuid = this.placements[uuid];
    const server = this.servers.find((candidate) => candidate.uuid === serverUuid);
    if (!server) {
      this.note(
        what,
        "no server of GET /servers/{uuid}/resources lists it: imported by its UUID alone, which the first apply replaces (its project and server are not read back)",
      );
      return uuidImportId(uuid);
    }
    if (server.name !== COOLIFY_OWN_SERVER_NAME) {
      this.note(
        what,
        `runs on the server ${JSON.stringify(server.name)} (${server.ip}), not the Coolify host: set its \`server\`, or the first apply replaces it on the host`,
      );
    }
    return placedImportId(place.projectUuid, server.uuid, place.environment, uuid);
  }

  /** The configuration's form of a name; `what` names the resource, with the name as Coolify has it. */
  name(what: string, name: string): string {
    const adopted = configName(name);
    if (adopted !== name) this.renamed.push(`${what} → ${JSON.stringify(adopted)}`);
    return adopted;
  }

  note(what: string, message: string): void {
    this.notExpressed.push(`${what}: ${message}`);
  }

  secret(...parts: string[]): Json {
    const name = secretName(...parts);
    this.variables.add(`TF_VAR_${secretVariableName(name)}`);
    return { secret: name };
  }

  /** `env` and `buildEnv` of a resource; a value Coolify hid or that looks secret becomes a reference. */
  environment(what: string, owner: Owner, variables: readonly CoolifyVariable[], withBuild: boolean): JsonObject {
    const env: JsonObject = {};
    const buildEnv: JsonObject = {};
    const keys = new Set(variables.filter((variable) => !variable.is_preview).map((variable) => variable.key));
    for (const variable of variables) {
      if (variable.is_preview) {
        if (!keys.has(variable.key)) this.note(what, `the preview-deployment variable ${variable.key} (the configuration has no preview variables)`);
        continue;
      }
      const value = variable.value;
      const adopted: Json =
        typeof value === "string" && secretLiteralProblem(variable.key, value) === undefined ? value : this.secret(owner.project, owner.name, variable.key);
      this.imports[PATHS.variable(owner.project, owner.name, variable.key)] = childImportId(owner.parent, owner.uuid, variable.uuid);
      const build = withBuild && variable.is_buildtime === true;
      if (variable.is_runtime !== false || !build) env[variable.key] = adopted;
      if (build) buildEnv[variable.key] = adopted;
    }
    return defined({ env: Object.keys(env).length > 0 ? env : undefined, buildEnv: Object.keys(buildEnv).length > 0 ? buildEnv : undefined });
  }

  scheduledTasks(what: string, owner: Owner, tasks: readonly CoolifyScheduledTask[]): JsonObject {
    const adopted: Json[] = [];
    for (const task of tasks) {
      if (task.enabled === false) {
        this.note(what, `the disabled scheduled task ${JSON.stringify(task.name)} (the configuration's tasks are enabled)`);
        continue;
      }
      const name = this.name(`${what}, scheduled task ${JSON.stringify(task.name)}`, task.name);
      this.imports[PATHS.task(owner.project, owner.name, name)] = childImportId(owner.parent, owner.uuid, task.uuid);
      adopted.push(
        defined({
          name,
          command: task.command,
          schedule: task.frequency.trim(),
          container: task.container ?? undefined,
          timeoutSeconds: positive(task.timeout),
        }),
      );
    }
    return adopted.length > 0 ? { scheduledTasks: adopted } : {};
  }
}

/**
 * A public repository as Coolify stores it: for github.com only `owner/repo` (ApplicationsController
 * ::create_public_application keeps the URL's first two path segments, coollabsio/coolify v4.3.9).
 */
const repositoryUrl = (repository: string): string =>
  /^(?:https:\/\/|git@|ssh:\/\/)/.test(repository) ? repository : `https://github.com/${repository.replace(/^\/+|\/+$/g, "")}`;

const healthCheckOf = (app: CoolifyApplication): JsonObject | undefined => {
  if (!app.health_check_enabled) return undefined;
  const port = Number(app.health_check_port);
  return defined({
    ...(app.health_check_type === "cmd" ? { command: app.health_check_command ?? undefined } : { path: app.health_check_path ?? "/" }),
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    intervalSeconds: positive(app.health_check_interval),
    timeoutSeconds: positive(app.health_check_timeout),
    retries: positive(app.health_check_retries),
  });
};

/** The kind-specific fields of an application, or why the configuration cannot express it. */
const applicationSource = (adoption: Adoption, app: CoolifyApplication, what: string): JsonObject | string => {
  if (app.build_pack === "dockercompose") {
    return "a compose application built from a repository (the configuration's docker-compose kind is a Coolify service with the compose file inline)";
  }
  if (app.build_pack === "dockerimage") {
    const image = app.docker_registry_image_name ?? "";
    // Coolify stores an untagged image as `latest` (app/Services/DockerImageParser.php, coollabsio/coolify v4.3.9).
    const tag = app.docker_registry_image_tag && app.docker_registry_image_tag !== "latest" ? app.docker_registry_image_tag : undefined;
    if (!tag) return { kind: "docker-image", image };
    // terraform-provider-coolify v0.1.17 reads the image name alone into an imported application
    // (internal/service/application/resource_docker.go flattenDockerImageApplication, "On import there is no prior state").
    adoption.firstApply.push(
      `${what}: docker_image "${image}" → "${image}:${tag}" (the provider reads the image without its tag on import; the apply sets the same image again, without a deployment)`,
    );
    return { kind: "docker-image", image: `${image}:${tag}` };
  }
  // terraform-provider-coolify v0.1.17 forces replacement when `dockerfile_location` (the Dockerfile)
  // or `private_key_uuid` changes (resource_dockerfile.go, resource_private_git.go), and an import reads
  // neither: Coolify's answer holds the Dockerfile as `dockerfile`, which flattenDockerfileApplication
  // does not read, and never names the key (ApplicationsController::removeSensitiveData shows at most
  // `private_key_id`, coollabsio/coolify v4.3.9). Written into the configuration, either would be
  // destroyed and created again by the first apply, so neither is adopted.
  if (isInlineDockerfile(app)) {
    return "a Dockerfile application: terraform-provider-coolify v0.1.17 cannot import its Dockerfile (dockerfile_location), so the first apply would replace it; add it to the configuration by hand once it may be recreated";
  }
  if (!app.git_repository) return "an application with neither an image, a repository nor a Dockerfile";
  const repository = repositoryUrl(app.git_repository);
  const git = defined({
    branch: app.git_branch ?? undefined,
    buildPack: app.build_pack,
    baseDirectory: app.base_directory && app.base_directory !== "/" ? app.base_directory : undefined,
  });
  if (repository.startsWith("https://")) return { kind: "public-git", repository, ...git };
  return "a private Git application: terraform-provider-coolify v0.1.17 cannot import its deploy key (private_key_uuid), so the first apply would replace it; add it to the configuration by hand once it may be recreated";
};

/**
 * An application made from a Dockerfile written in Coolify, not from a repository: Coolify stores it
 * with the placeholder repository `coollabsio/coolify` on `main` (ApplicationsController.php
 * create_application type `dockerfile`, lines 2100-2101, coollabsio/coolify v4.3.9).
 */
const isInlineDockerfile = (app: CoolifyApplication): boolean =>
  app.build_pack === "dockerfile" && (!app.git_repository || app.git_repository === "coollabsio/coolify");

const adoptApplication = (adoption: Adoption, project: string, environment: string, place: Place, adopted: AdoptedApplication): JsonObject | undefined => {
  const app = adopted.resource;
  const what = `application ${JSON.stringify(app.name)} (${app.uuid}, project ${project})`;
  const name = adoption.name(what, app.name);
  const owner: Owner = { project, name, parent: "application", uuid: app.uuid };
  const source = applicationSource(adoption, app, what);
  if (typeof source === "string") {
    adoption.note(what, source);
    return undefined;
  }
  adoption.imports[PATHS.application(project, name)] = adoption.placed(what, place, app.uuid);
  const domains = hostsOf(app.fqdn);
  return defined({
    name,
    ...source,
    description: app.description ?? undefined,
    environment: environment === DEFAULT_ENVIRONMENT ? undefined : environment,
    domains: domains.length > 0 ? domains : undefined,
    ports: (app.ports_exposes ?? "")
      .split(",")
      .filter((port) => port.trim() !== "")
      .map(Number),
    healthCheck: healthCheckOf(app),
    limits: limitsOf(app.limits_cpus, app.limits_memory),
    ...adoption.environment(what, owner, adopted.variables, true),
    ...adoption.scheduledTasks(what, owner, adopted.scheduledTasks),
  });
};

const adoptService = (adoption: Adoption, project: string, environment: string, place: Place, adopted: AdoptedService): JsonObject => {
  const service = adopted.resource;
  const what = `service ${JSON.stringify(service.name)} (${service.uuid}, project ${project})`;
  const name = adoption.name(what, service.name);
  const owner: Owner = { project, name, parent: "service", uuid: service.uuid };
  adoption.imports[PATHS.service(project, name)] = adoption.placed(what, place, service.uuid);
  const domains = service.applications.flatMap((part) => hostsOf(part.fqdn).map((domain) => ({ service: part.name, domain })));
  if (domains.length > 0) {
    // terraform-provider-coolify v0.1.17 reads `urls` only into a state that has them (internal/service/service/
    // resource.go flattenServiceURLs), which an imported one does not, so configured URLs plan an update; and any
    // update of a service plans its replacement, `type` being Computed, null for a compose service (Coolify 4.3.9's
    // answer has no `type`) and RequiresReplace (terraform-plugin-framework marks a computed null unknown in an update).
    adoption.note(
      what,
      `its URLs ${domains.map(({ service: part, domain }) => `${part}: ${domain}`).join(", ")}, which stay as set in Coolify: written into the configuration, the first apply would replace the service to set them again`,
    );
  }
  return defined({
    name,
    kind: "docker-compose",
    compose: service.docker_compose_raw ?? "",
    description: service.description ?? undefined,
    environment: environment === DEFAULT_ENVIRONMENT ? undefined : environment,
    ...adoption.environment(what, owner, adopted.variables, false),
    ...adoption.scheduledTasks(what, owner, adopted.scheduledTasks),
  });
};

const adoptDatabase = (
  adoption: Adoption,
  project: string,
  environment: string,
  place: Place,
  adopted: AdoptedDatabase,
  storages: readonly string[],
): JsonObject => {
  const { database, kind } = adopted;
  const what = `database ${JSON.stringify(database.name)} (${database.uuid}, ${kind}, project ${project})`;
  const name = adoption.name(what, database.name);
  adoption.imports[PATHS.database(project, name)] = adoption.placed(what, place, database.uuid);
  // terraform-provider-coolify v0.1.17 never reads instant_deploy back and sets it false on import
  // (internal/service/database/common.go FlattenDatabaseExtended); its update sends no field for it.
  adoption.firstApply.push(`${what}: instant_deploy false → true (create-only: the apply only records it; the database is not restarted)`);
  const toS3 = adopted.backups.filter((backup) => backup.enabled !== false && backup.save_s3 === true);
  for (const backup of adopted.backups.filter((candidate) => !toS3.includes(candidate))) {
    adoption.note(
      what,
      `the backup ${JSON.stringify(backup.frequency)} that is disabled or keeps its dumps on the server only (the configuration's backups go to S3)`,
    );
  }
  for (const backup of toS3.slice(1)) adoption.note(what, `the second backup ${JSON.stringify(backup.frequency)} (the configuration has one per database)`);
  const [first] = toS3;
  let backup: JsonObject | undefined;
  if (first && storages.length === 1) {
    adoption.imports[PATHS.backup(project, name)] = backupImportId(database.uuid, first.id);
    // Coolify's backups name their storage by `s3_storage_id`; the provider reads `s3_storage_uuid`, which
    // Coolify 4.3.9 does not answer (database/backup/resource.go flattenDatabaseBackup), and sends it on update.
    adoption.firstApply.push(
      `${what}: the backup's s3_storage_uuid null → the storage's UUID (the provider cannot read it back; the apply names the same storage again)`,
    );
    backup = {
      schedule: first.frequency.trim(),
      storage: storages[0],
      retention: defined({ count: positive(first.database_backup_retention_amount_s3), days: positive(first.database_backup_retention_days_s3) }),
    };
  } else if (first) {
    // The backup names its storage by `s3_storage_id`, an id the API hides (S3StoragesController::removeSensitiveData).
    adoption.note(
      what,
      `the backup ${JSON.stringify(first.frequency)}: Coolify's API does not say which of the ${storages.length} S3 storages it uses; add backup.storage by hand`,
    );
  }
  return defined({
    name,
    kind,
    description: database.description ?? undefined,
    environment: environment === DEFAULT_ENVIRONMENT ? undefined : environment,
    image: database.image ?? undefined,
    limits: limitsOf(database.limits_cpus, database.limits_memory),
    publicPort: database.is_public && database.public_port ? database.public_port : undefined,
    backup,
  });
};

const adoptProject = (adoption: Adoption, adopted: AdoptedProject, storages: readonly string[]): JsonObject => {
  const project = adoption.name(`project ${JSON.stringify(adopted.name)}`, adopted.name);
  adoption.imports[PATHS.project(project)] = uuidImportId(adopted.uuid);
  const environments = adopted.environments.map((environment: AdoptedEnvironment) => {
    if (environment.name === DEFAULT_ENVIRONMENT) return { environment, name: DEFAULT_ENVIRONMENT };
    const name = adoption.name(`project ${project}, environment ${JSON.stringify(environment.name)}`, environment.name);
    adoption.imports[PATHS.environment(project, name)] = environmentImportId(adopted.uuid, environment.name);
    return { environment, name };
  });
  const placeOf = (environment: AdoptedEnvironment): Place => ({ projectUuid: adopted.uuid, environment: environment.name });
  const applications = environments.flatMap(({ environment, name }) => [
    ...environment.applications.flatMap((app) => adoptApplication(adoption, project, name, placeOf(environment), app) ?? []),
    ...environment.services.map((service) => adoptService(adoption, project, name, placeOf(environment), service)),
  ]);
  const databases = environments.flatMap(({ environment, name }) =>
    environment.databases.map((database) => adoptDatabase(adoption, project, name, placeOf(environment), database, storages)),
  );
  const extra = environments.map(({ name }) => name).filter((name) => name !== DEFAULT_ENVIRONMENT);
  return defined({
    name: project,
    description: adopted.description,
    environments: extra.length > 0 ? extra : undefined,
    applications: applications.length > 0 ? applications : undefined,
    databases: databases.length > 0 ? databases : undefined,
  });
};

/** Hetzner Object Storage and R2 endpoints, as catalog/object-storage.ts builds them. */
const HETZNER_ENDPOINT = /^https:\/\/(fsn1|nbg1|hel1)\.your-objectstorage\.com\/?$/;
const R2_ENDPOINT = /^https:\/\/([0-9a-f]{32})\.r2\.cloudflarestorage\.com\/?$/;

const adoptStorage = (adoption: Adoption, storage: CoolifyS3Storage, environment: string): { name: string; entry: JsonObject } | undefined => {
  const what = `S3 storage ${JSON.stringify(storage.name)} (${storage.uuid})`;
  const hetzner = HETZNER_ENDPOINT.exec(storage.endpoint);
  const r2 = R2_ENDPOINT.exec(storage.endpoint);
  if (!hetzner && !r2) {
    adoption.note(what, `the endpoint ${storage.endpoint} is neither Hetzner Object Storage nor Cloudflare R2 (the configuration's providers)`);
    return undefined;
  }
  // The stack names each storage after its environment (constructs/coolify/backup-storages.ts): a name that already is is adopted without it.
  const prefix = `${environment}-`;
  const name = adoption.name(what, storage.name.startsWith(prefix) ? storage.name.slice(prefix.length) : storage.name);
  adoption.imports[PATHS.storage(name)] = uuidImportId(storage.uuid);
  const provider = hetzner ? "hetzner" : "r2";
  const settings = [
    ["name", storage.name, resourceName({ name: environment }, name)],
    ["description", storage.description ?? null, storageDescription(environment, provider)],
  ].filter(([, now, then]) => now !== then);
  if (settings.length > 0) {
    adoption.firstApply.push(`${what}: ${settings.map(([field, now, then]) => `${field} ${JSON.stringify(now)} → ${JSON.stringify(then)}`).join(", ")}`);
  }
  // coolify_s3_storage_validate is an action with nothing to import: the apply creates it, which validates the storage once.
  adoption.firstApply.push(`${what}: validated once (POST /s3-storages/{uuid}/validate), as every apply that creates a storage does`);
  const keys = s3VariableNames({ name });
  adoption.variables.add(`TF_VAR_${keys.accessKey}`);
  adoption.variables.add(`TF_VAR_${keys.secretKey}`);
  const where: JsonObject = hetzner ? { provider, location: hetzner[1] } : { provider, accountId: r2?.[1] ?? "" };
  return { name, entry: { name, ...where, bucket: storage.bucket } };
};

/** The configuration's notification events and Coolify's Discord settings (NotificationsController::channelConfig, v4.3.9). */
const DISCORD_EVENTS = [
  ["deployment-failure", "deployment_failure_discord_notifications"],
  ["backup-failure", "backup_failure_discord_notifications"],
  ["server-unreachable", "server_unreachable_discord_notifications"],
] as const;

const adoptDiscord = (adoption: Adoption, discord: CoolifyDiscord): JsonObject | undefined => {
  if (!discord.discord_enabled) return undefined;
  const events = DISCORD_EVENTS.filter(([, setting]) => discord[setting]).map(([event]) => event);
  if (events.length === 0) {
    adoption.note("Discord notifications", "on, with none of the events the configuration knows (deployment-failure, backup-failure, server-unreachable)");
    return undefined;
  }
  adoption.variables.add("TF_VAR_discord_webhook_url");
  adoption.imports[PATHS.discord] = NOTIFICATION_IMPORT_ID;
  return { discord: { events } };
};

/** `environment`: the name of the environment adopted into, which the stack puts in the storages' names. */
export const appsFromSnapshot = (snapshot: CoolifySnapshot, environment: string): AdoptedApps => {
  const adoption = new Adoption(snapshot.placements, snapshot.servers);
  const storages = snapshot.s3Storages.flatMap((storage) => adoptStorage(adoption, storage, environment) ?? []);
  const s3Storages = storages.map((storage) => storage.entry);
  const storageNames = storages.map((storage) => storage.name);
  const projects = snapshot.projects.map((project) => adoptProject(adoption, project, storageNames));
  const notifications = adoptDiscord(adoption, snapshot.discord);
  return {
    apps: defined({ projects, s3Storages: s3Storages.length > 0 ? s3Storages : undefined, notifications, adopted: adoption.imports }),
    variables: [...adoption.variables].sort(),
    notExpressed: adoption.notExpressed,
    renamed: adoption.renamed,
    firstApply: adoption.firstApply,
  };
};
