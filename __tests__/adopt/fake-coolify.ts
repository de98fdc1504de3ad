/**
 * An in-process stand-in for the read side of Coolify's API, as the adoption reads it, driven by
 * Coolify's own contract (../shared/coolify-api/contract-v4.3.9.json, extracted from
 * coollabsio/coolify v4.3.9): a request must match one of the contract's GET routes (in its order,
 * as Laravel matches them) and hold a token with the route's ability; every row is built from its
 * model's columns (a value for a column the model lacks throws, unset columns take the model's
 * default), and the model's hidden columns are left out of the answer unless the token may read
 * sensitive data, as the controllers' removeSensitiveData do. Populate it the way the dashboard
 * would (projects, environments, resources) and point the adoption at `url`.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

const CONTRACT_DIR = join(__dirname, "..", "..", "..", "shared", "coolify-api");

interface ModelContract {
  readonly fillable: readonly string[];
  readonly hidden: readonly string[];
  readonly appends: readonly string[];
  readonly fields: Readonly<Record<string, { readonly default: unknown; readonly nullable: boolean }>>;
}

interface Contract {
  readonly models: Readonly<Record<string, ModelContract>>;
  readonly routes: readonly { method: string; path: string; controller: string; action: string; middleware: readonly string[] }[];
  readonly endpoints: Readonly<Record<string, { readonly allowed_fields?: readonly string[] }>>;
}

export const CONTRACT: Contract = JSON.parse(readFileSync(join(CONTRACT_DIR, "contract-v4.3.9.json"), "utf8"));

type Row = Record<string, unknown>;

/** Columns every Eloquent row has besides its model's fields. */
const ELOQUENT_COLUMNS = ["id", "uuid", "created_at", "updated_at"];

let nextId = 1;

/** A row of `model` as its table holds it: the model's defaults, then `values` (only its columns). */
export const row = (model: string, values: Row): Row => {
  const contract = CONTRACT.models[model];
  if (!contract) throw new Error(`the contract has no model ${model}`);
  const columns = new Set([...Object.keys(contract.fields), ...contract.fillable, ...ELOQUENT_COLUMNS]);
  for (const key of Object.keys(values)) if (!columns.has(key)) throw new Error(`${model} has no column ${key}`);
  const defaults = Object.fromEntries(
    Object.entries(contract.fields).map(([name, field]) => [
      name,
      typeof field.default === "string" && field.default.endsWith("(") ? null : (field.default ?? null),
    ]),
  );
  const id = nextId++;
  return { ...defaults, id, uuid: `uuid${id}`, created_at: "2026-11-01T00:00:00.000000Z", updated_at: "2026-11-01T00:00:00.000000Z", ...values };
};

/**
 * The answer's form of a row: without the model's hidden columns unless sensitive data may be read,
 * and without `id` where the controller hides it (the removeSensitiveData of applications, services,
 * databases and S3 storages; database backups are answered with theirs).
 */
const shown = (model: string, value: Row, sensitive: boolean, withId = false): Row => {
  const hidden = new Set([...(withId ? [] : ["id"]), ...(sensitive ? [] : (CONTRACT.models[model]?.hidden ?? []))]);
  return Object.fromEntries(Object.entries(value).filter(([key]) => !hidden.has(key)));
};

/** The token abilities Coolify knows (app/Http/Middleware/ApiAbility.php, ApiSensitiveData.php). */
export type Ability = "root" | "read" | "read:sensitive" | "write";

export interface Resources<T> {
  readonly row: Row;
  readonly envs: Row[];
  readonly tasks: Row[];
  readonly extra: T;
}

export interface FakeEnvironment {
  readonly row: Row;
  readonly applications: Resources<undefined>[];
  readonly services: Resources<Row[]>[];
  readonly databases: { kind: string; model: string; row: Row; backups: Row[] }[];
}

export interface FakeProject {
  readonly row: Row;
  readonly environments: FakeEnvironment[];
}

/** Database models by the environment-details relation that lists them (ProjectController::environment_details). */
export const DATABASE_RELATIONS: Readonly<Record<string, string>> = {
  postgresqls: "StandalonePostgresql",
  redis: "StandaloneRedis",
  mongodbs: "StandaloneMongodb",
  mysqls: "StandaloneMysql",
  mariadbs: "StandaloneMariadb",
};

export class FakeCoolify {
  readonly projects: FakeProject[] = [];
  readonly s3Storages: Row[] = [];
  readonly servers: Row[] = [];
  /** The team's Discord settings: the columns update_discord accepts, all off. */
  discord: Row = Object.fromEntries((CONTRACT.endpoints["NotificationsController::update_discord"].allowed_fields ?? []).map((field) => [field, false]));
  version = "4.3.9";
  tokens = new Map<string, readonly Ability[]>();
  /** Answers to force, by path: a status and body instead of the route's. */
  readonly overrides = new Map<string, { status: number; body: unknown }>();
  readonly calls: string[] = [];
  private server?: Server;
  url = "";

  project(name: string, description?: string): FakeProject {
    const project: FakeProject = { row: row("Project", { name, description: description ?? null }), environments: [] };
    this.projects.push(project);
    // Coolify creates `production` with every project (app/Models/Project.php, `created` hook).
    this.environment(project, "production");
    return project;
  }

  environment(project: FakeProject, name: string): FakeEnvironment {
    const environment: FakeEnvironment = { row: row("Environment", { name, project_id: project.row.id }), applications: [], services: [], databases: [] };
    project.environments.push(environment);
    return environment;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? "").replace(/^\/api\/v1/, "").split("?")[0];
    this.calls.push(`${request.method} ${path}`);
    const { status, body } = this.respond(request, path);
    response.writeHead(status, { "Content-Type": typeof body === "string" ? "text/html; charset=UTF-8" : "application/json" });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  /** The status and body Coolify gives; a string body is sent as it is. */
  private respond(request: IncomingMessage, path: string): { status: number; body: unknown } {
    const route = CONTRACT.routes.find((candidate) => candidate.method === request.method && routePattern(candidate.path).test(path));
    if (!route) return { status: 404, body: { message: "Not found." } };
    // auth:sanctum, then api.ability:<x> (ApiAbility.php: `root` passes every check).
    const abilities = this.tokens.get((request.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (!abilities) return { status: 401, body: { message: "Unauthenticated." } };
    const ability = route.middleware.find((entry) => entry.startsWith("api.ability:"))?.slice("api.ability:".length);
    if (ability && !abilities.includes("root") && !abilities.includes(ability as Ability)) {
      return { status: 403, body: { message: `Missing required permissions: ${ability}` } };
    }
    const override = this.overrides.get(path);
    if (override) return override;
    const sensitive = abilities.includes("root") || abilities.includes("read:sensitive");
    const params = routePattern(route.path).exec(path)?.slice(1).map(decodeURIComponent) ?? [];
    const answer = this.answer(`${route.controller}::${route.action}`, params, sensitive);
    if (answer === undefined) return { status: 501, body: { message: `the fake does not serve ${route.controller}::${route.action}` } };
    if (answer === NOT_FOUND) return { status: 404, body: { message: "Not found." } };
    return { status: 200, body: answer };
  }

  private answer(action: string, [uuid, second]: string[], sensitive: boolean): unknown {
    const project = this.projects.find((candidate) => candidate.row.uuid === uuid);
    const application = this.all((environment) => environment.applications).find((candidate) => candidate.row.uuid === uuid);
    const service = this.all((environment) => environment.services).find((candidate) => candidate.row.uuid === uuid);
    const database = this.all((environment) => environment.databases).find((candidate) => candidate.row.uuid === uuid);
    const variables = (owner: Resources<unknown> | undefined) => owner?.envs.map((env) => shown("EnvironmentVariable", env, sensitive)) ?? NOT_FOUND;
    const tasks = (owner: Resources<unknown> | undefined) => owner?.tasks.map((task) => shown("ScheduledTask", task, sensitive)) ?? NOT_FOUND;
    switch (action) {
      case "OtherController::version":
        return this.version;
      case "ProjectController::projects":
        return this.projects.map(({ row: { id, uuid: projectUuid, name, description } }) => ({ uuid: projectUuid, name, description, id }));
      case "ProjectController::project_by_uuid":
        return project
          ? {
              ...shown("Project", project.row, sensitive),
              environments: project.environments.map((environment) => shown("Environment", environment.row, sensitive)),
            }
          : NOT_FOUND;
      case "ProjectController::environment_details": {
        const environment = project?.environments.find((candidate) => candidate.row.name === second || candidate.row.uuid === second);
        if (!environment) return NOT_FOUND;
        // Loaded relations are serialized with the models' own $hidden (no removeSensitiveData here).
        const relations = Object.fromEntries(
          Object.entries(DATABASE_RELATIONS).map(([relation, model]) => [
            relation,
            environment.databases.filter((entry) => entry.model === model).map((entry) => shown(model, entry.row, false)),
          ]),
        );
        // serializeApiResponse($environment): the environment with its id.
        return {
          ...shown("Environment", environment.row, false, true),
          applications: environment.applications.map((entry) => shown("Application", entry.row, false)),
          services: environment.services.map((entry) => shown("Service", entry.row, false)),
          ...relations,
        };
      }
      case "ApplicationsController::application_by_uuid":
        return application ? shown("Application", application.row, sensitive) : NOT_FOUND;
      case "ApplicationsController::envs":
        return variables(application);
      case "ScheduledTasksController::scheduled_tasks_by_application_uuid":
        return tasks(application);
      case "ServicesController::service_by_uuid":
        return service ? { ...shown("Service", service.row, sensitive), applications: service.extra, databases: [] } : NOT_FOUND;
      case "ServicesController::envs":
        return variables(service);
      case "ScheduledTasksController::scheduled_tasks_by_service_uuid":
        return tasks(service);
      case "DatabasesController::databases":
        return this.all((environment) =>
          environment.databases.map((entry) => ({
            ...shown(entry.model, entry.row, sensitive),
            database_type: entry.model.replace(/^Standalone/, "standalone-").toLowerCase(),
            environment_id: environment.row.id,
          })),
        );
      case "DatabasesController::database_by_uuid":
        return database ? shown(database.model, database.row, sensitive) : NOT_FOUND;
      case "DatabasesController::database_backup_details_uuid":
        return database ? database.backups.map((backup) => ({ ...shown("ScheduledDatabaseBackup", backup, sensitive, true), executions: [] })) : NOT_FOUND;
      case "S3StoragesController::index":
        return this.s3Storages.map((storage) => shown("S3Storage", storage, sensitive));
      case "NotificationsController::discord":
        return Object.fromEntries(Object.entries(this.discord).filter(([key]) => sensitive || key !== "discord_webhook_url"));
      case "ServersController::servers":
        return this.servers.map((server) => shown("Server", server, sensitive));
      case "ServersController::resources_by_server": {
        // Every resource runs on the first server (Coolify's own, as the installer seeds it).
        const index = this.servers.findIndex((candidate) => candidate.uuid === uuid);
        if (index < 0) return NOT_FOUND;
        if (index > 0) return [];
        const listed = (type: string, rows: Row[]) => rows.map(({ id, uuid: resourceUuid, name, status }) => ({ id, uuid: resourceUuid, name, type, status }));
        return [
          ...listed(
            "application",
            this.all((environment) => environment.applications.map((entry) => entry.row)),
          ),
          ...listed(
            "service",
            this.all((environment) => environment.services.map((entry) => entry.row)),
          ),
          ...this.all((environment) =>
            environment.databases.flatMap((entry) => listed(entry.model.replace(/^Standalone/, "standalone-").toLowerCase(), [entry.row])),
          ),
        ];
      }
      default:
        return undefined;
    }
  }

  private all<T>(pick: (environment: FakeEnvironment) => T[]): T[] {
    return this.projects.flatMap((project) => project.environments.flatMap(pick));
  }
}

const NOT_FOUND = Symbol("not found");

/** A Laravel route path as a regular expression; `{x}` matches one segment. */
const routePattern = (path: string): RegExp => new RegExp(`^${path.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
