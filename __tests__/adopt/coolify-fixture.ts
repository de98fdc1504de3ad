/**
 * A Coolify as a team built it by hand, in the stand-in (fake-coolify.ts): every kind the
 * configuration supports and some it does not; the secrets it holds, the import ids the adoption must
 * write, and the JSON configuration it is adopted into.
 */
import { exampleConfig } from "../../config";
import { type FakeCoolify, type FakeEnvironment, row } from "./fake-coolify";

export const DATABASE_URL = "postgres://shop:Kx9vT2mQpL7wZr4s@shop-db:5432/shop";
export const API_TOKEN = "tok-7f3a9c1e5b2d4f6a8c0e";
export const GRAFANA_PASSWORD = "grafana-admin-pass-81hd";

/** A variable as Coolify stores it for a resource. */
const variable = (key: string, value: string, flags: { is_buildtime?: boolean; is_runtime?: boolean; is_preview?: boolean } = {}) =>
  row("EnvironmentVariable", { key, value, is_runtime: true, is_buildtime: false, is_preview: false, ...flags });

const addApplication = (
  environment: FakeEnvironment,
  values: Record<string, unknown>,
  envs = [] as ReturnType<typeof row>[],
  tasks = [] as ReturnType<typeof row>[],
) => {
  const app = row("Application", { environment_id: environment.row.id, ...values });
  environment.applications.push({ row: app, envs, tasks: tasks.map((task) => ({ ...task, application_id: app.id })), extra: undefined });
};

/** Coolify as a team built it by hand: every kind the configuration supports, and some it does not. */
export const populate = (fake: FakeCoolify): void => {
  fake.tokens.set("read-token", ["read"]);
  fake.tokens.set("sensitive-token", ["read", "read:sensitive"]);
  fake.tokens.set("write-only-token", ["write"]);
  fake.servers.push(row("Server", { name: "localhost", ip: "host.docker.internal", user: "root", port: 22 }));
  fake.s3Storages.push(
    row("S3Storage", {
      name: "Backups",
      bucket: "acme-staging-backups",
      endpoint: "https://fsn1.your-objectstorage.com",
      region: "fsn1",
      key: "AKIA",
      secret: "s3-secret",
    }),
  );
  fake.discord = {
    ...fake.discord,
    discord_enabled: true,
    discord_webhook_url: "https://discord.com/api/webhooks/1/x",
    deployment_failure_discord_notifications: true,
    backup_failure_discord_notifications: true,
  };

  const shop = fake.project("Shop", "The web shop");
  const production = shop.environments[0];
  const preview = fake.environment(shop, "preview");
  addApplication(
    production,
    {
      name: "web",
      build_pack: "dockerimage",
      docker_registry_image_name: "ghcr.io/acme/web",
      docker_registry_image_tag: "1.4.2",
      fqdn: "https://shop.staging.example.com",
      ports_exposes: "3000",
      health_check_enabled: true,
      health_check_path: "/health",
      limits_memory: "512m",
      limits_cpus: "0.5",
    },
    [
      variable("NODE_ENV", "production"),
      variable("NODE_ENV", "production", { is_preview: true }),
      variable("DATABASE_URL", DATABASE_URL),
      variable("API_TOKEN", API_TOKEN),
      variable("BUILD_FLAG", "fast", { is_buildtime: true, is_runtime: false }),
    ],
    [row("ScheduledTask", { name: "nightly-report", command: "node report.js", frequency: "daily ", enabled: true, timeout: 300 })],
  );
  addApplication(production, { name: "api", build_pack: "nixpacks", git_repository: "acme/api", git_branch: "main", ports_exposes: "8080" });
  addApplication(production, {
    name: "worker",
    build_pack: "dockerfile",
    git_repository: "git@github.com:acme/worker.git",
    git_branch: "main",
    ports_exposes: "9000",
  });
  // A Dockerfile written in Coolify: stored with Coolify's placeholder repository (ApplicationsController.php lines 2100-2101, v4.3.9).
  addApplication(production, {
    name: "static-site",
    build_pack: "dockerfile",
    dockerfile: "FROM nginx:1.27-alpine\n",
    git_repository: "coollabsio/coolify",
    git_branch: "main",
    ports_exposes: "80",
  });
  addApplication(production, { name: "monorepo", build_pack: "dockercompose", git_repository: "acme/monorepo", git_branch: "main" });

  const metrics = row("Service", {
    name: "metrics",
    environment_id: production.row.id,
    docker_compose_raw: "services:\n  grafana:\n    image: grafana/grafana:11.0.0\n",
  });
  production.services.push({
    row: metrics,
    envs: [variable("GF_SECURITY_ADMIN_PASSWORD", GRAFANA_PASSWORD)],
    tasks: [],
    // app/Models/ServiceApplication.php: one row per compose service, with its `fqdn`.
    extra: [{ uuid: "svcapp1", name: "grafana", fqdn: "https://grafana.staging.example.com", service_id: metrics.id }],
  });

  const shopDb = row("StandalonePostgresql", {
    name: "shop-db",
    image: "postgres:16-alpine",
    environment_id: production.row.id,
    postgres_password: "pg-secret",
  });
  production.databases.push({
    kind: "postgresql",
    model: "StandalonePostgresql",
    row: shopDb,
    backups: [
      row("ScheduledDatabaseBackup", {
        frequency: "0 3 * * *",
        save_s3: true,
        database_id: shopDb.id,
        database_backup_retention_amount_s3: 7,
        database_backup_retention_days_s3: 30,
      }),
    ],
  });
  preview.databases.push({
    kind: "redis",
    model: "StandaloneRedis",
    row: row("StandaloneRedis", { name: "cache", environment_id: preview.row.id }),
    backups: [],
  });
};

/**
 * The import ids terraform-provider-coolify v0.1.17 takes (catalog/coolify-import-ids.ts), spelled
 * out from the stand-in's rows: `<project uuid>:<environment name>`, `<database uuid>:<backup id>`,
 * `<parent kind>:<parent uuid>:<child uuid>`, `current` for the team's Discord settings.
 */
export const expectedImports = (coolify: FakeCoolify): Record<string, string> => {
  const [shop] = coolify.projects;
  const [production, preview] = shop.environments;
  const app = (name: string) => production.applications.find((entry) => entry.row.name === name) ?? fail(name);
  const database = (environment: FakeEnvironment, name: string) => environment.databases.find((entry) => entry.row.name === name) ?? fail(name);
  const [web, api] = ["web", "api"].map(app);
  const [metrics] = production.services;
  const shopDb = database(production, "shop-db");
  const server = String(coolify.servers[0].uuid);
  const placed = (environment: FakeEnvironment, uuid: unknown) => `${shop.row.uuid}:${server}:${environment.row.name}:${uuid}`;
  const variableId = (owner: { row: { uuid?: unknown }; envs: Record<string, unknown>[] }, key: string, parent: string) =>
    `${parent}:${owner.row.uuid}:${owner.envs.find((env) => env.key === key && env.is_preview === false)?.uuid}`;
  return {
    "project-shop/project": String(shop.row.uuid),
    "project-shop/environment-preview": `${shop.row.uuid}:preview`,
    "project-shop/app-web/application": placed(production, web.row.uuid),
    "project-shop/app-web/env-NODE_ENV": variableId(web, "NODE_ENV", "application"),
    "project-shop/app-web/env-DATABASE_URL": variableId(web, "DATABASE_URL", "application"),
    "project-shop/app-web/env-API_TOKEN": variableId(web, "API_TOKEN", "application"),
    "project-shop/app-web/env-BUILD_FLAG": variableId(web, "BUILD_FLAG", "application"),
    "project-shop/app-web/task-nightly-report": `application:${web.row.uuid}:${web.tasks[0].uuid}`,
    "project-shop/app-api/application": placed(production, api.row.uuid),
    "project-shop/app-metrics/service": placed(production, metrics.row.uuid),
    "project-shop/app-metrics/env-GF_SECURITY_ADMIN_PASSWORD": variableId(metrics, "GF_SECURITY_ADMIN_PASSWORD", "service"),
    "project-shop/db-shop-db/database": placed(production, shopDb.row.uuid),
    "project-shop/db-shop-db/backup": `${shopDb.row.uuid}:${shopDb.backups[0].id}`,
    "project-shop/db-cache/database": placed(preview, database(preview, "cache").row.uuid),
    "backup-storages/backups": String(coolify.s3Storages[0].uuid),
    "notifications/discord": "current",
  };
};

const fail = (name: string): never => {
  throw new Error(`the stand-in has no ${name}`);
};

/** The example configuration as the JSON file a team would adopt into, staging without apps. */
export const baseConfig = (): string => {
  const environments = exampleConfig.environments.map(({ apps, ...environment }) => (environment.name === "staging" ? environment : { ...environment, apps }));
  return `${JSON.stringify({ environments }, null, 2)}\n`;
};
