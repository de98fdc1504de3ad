/**
 * `npm run adopt` against a Coolify stand-in populated the way the dashboard would, answering in
 * the shapes of Coolify v4.3.9's contract (fake-coolify.ts): the written configuration passes the
 * real parser and synthesizes, secrets are references only, and every bad answer is one line with
 * nothing written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import { parseConfig } from "../../config/parse";
import { ConfigError } from "../../config/problems";
import { readConfigFile } from "../../config/read";
import type { ApplicationConfig } from "../../config/schema";
import { adopt } from "../../tools/adopt";
import { AdoptError } from "../../tools/adopt/coolify-read";
import { fileWith, runApp, synthWithConfig } from "../support/app";
import { FakeCoolify, type FakeEnvironment, row } from "./fake-coolify";

const DATABASE_URL = "postgres://shop:Kx9vT2mQpL7wZr4s@shop-db:5432/shop";
const API_TOKEN = "tok-7f3a9c1e5b2d4f6a8c0e";
const GRAFANA_PASSWORD = "grafana-admin-pass-81hd";

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
const populate = (fake: FakeCoolify): void => {
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
  addApplication(production, { name: "static-site", build_pack: "dockerfile", dockerfile: "FROM nginx:1.27-alpine\n", ports_exposes: "80" });
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

interface SynthesizedApps {
  readonly resource: Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
  readonly import?: readonly { to: string; id: string }[];
}

/**
 * The import ids terraform-provider-coolify v0.1.17 takes (catalog/coolify-import-ids.ts), spelled
 * out from the stand-in's rows: `<project uuid>:<environment name>`, `<database uuid>:<backup id>`,
 * `<parent kind>:<parent uuid>:<child uuid>`, `current` for the team's Discord settings.
 */
const expectedImports = (coolify: FakeCoolify): Record<string, string> => {
  const [shop] = coolify.projects;
  const [production, preview] = shop.environments;
  const app = (name: string) => production.applications.find((entry) => entry.row.name === name) ?? fail(name);
  const database = (environment: FakeEnvironment, name: string) => environment.databases.find((entry) => entry.row.name === name) ?? fail(name);
  const [web, api, worker, site] = ["web", "api", "worker", "static-site"].map(app);
  const [metrics] = production.services;
  const shopDb = database(production, "shop-db");
  const variableId = (owner: { row: { uuid?: unknown }; envs: Record<string, unknown>[] }, key: string, parent: string) =>
    `${parent}:${owner.row.uuid}:${owner.envs.find((env) => env.key === key && env.is_preview === false)?.uuid}`;
  return {
    "project-shop/project": String(shop.row.uuid),
    "project-shop/environment-preview": `${shop.row.uuid}:preview`,
    "project-shop/app-web/application": String(web.row.uuid),
    "project-shop/app-web/env-NODE_ENV": variableId(web, "NODE_ENV", "application"),
    "project-shop/app-web/env-DATABASE_URL": variableId(web, "DATABASE_URL", "application"),
    "project-shop/app-web/env-API_TOKEN": variableId(web, "API_TOKEN", "application"),
    "project-shop/app-web/env-BUILD_FLAG": variableId(web, "BUILD_FLAG", "application"),
    "project-shop/app-web/task-nightly-report": `application:${web.row.uuid}:${web.tasks[0].uuid}`,
    "project-shop/app-api/application": String(api.row.uuid),
    "project-shop/app-worker/application": String(worker.row.uuid),
    "project-shop/app-static-site/application": String(site.row.uuid),
    "project-shop/app-metrics/service": String(metrics.row.uuid),
    "project-shop/app-metrics/env-GF_SECURITY_ADMIN_PASSWORD": variableId(metrics, "GF_SECURITY_ADMIN_PASSWORD", "service"),
    "project-shop/db-shop-db/database": String(shopDb.row.uuid),
    "project-shop/db-shop-db/backup": `${shopDb.row.uuid}:${shopDb.backups[0].id}`,
    "project-shop/db-cache/database": String(database(preview, "cache").row.uuid),
    "backup-storages/backups": String(coolify.s3Storages[0].uuid),
    "notifications/discord": "current",
  };
};

const fail = (name: string): never => {
  throw new Error(`the stand-in has no ${name}`);
};

/** The example configuration as the JSON file a team would adopt into, staging without apps. */
const baseConfig = (): string => {
  const environments = exampleConfig.environments.map(({ apps, ...environment }) => (environment.name === "staging" ? environment : { ...environment, apps }));
  return `${JSON.stringify({ environments }, null, 2)}\n`;
};

const fake = new FakeCoolify();

beforeAll(async () => {
  populate(fake);
  await fake.start();
});

afterAll(() => fake.stop());

afterEach(() => fake.overrides.clear());

describe("npm run adopt", () => {
  it("writes the environment's apps, passing the configuration's checks and synthesizing, with secrets as references", async () => {
    const file = fileWith(baseConfig());
    const run = await runApp("npm", ["run", "--silent", "adopt", "--", "--config", file, "--environment", "staging", "--url", fake.url], {
      COOLIFY_TOKEN: "sensitive-token",
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const text = readFileSync(file, "utf8");
    for (const secret of [DATABASE_URL, API_TOKEN, GRAFANA_PASSWORD, "s3-secret", "pg-secret", "discord.com/api/webhooks"]) expect(text).not.toContain(secret);
    const staging = parseConfig(readConfigFile(file)).environments.find((environment) => environment.name === "staging");
    const apps = staging?.apps;
    expect(apps?.s3Storages).toEqual([{ name: "backups", provider: "hetzner", location: "fsn1", bucket: "acme-staging-backups" }]);
    expect(apps?.notifications).toEqual({ discord: { events: ["deployment-failure", "backup-failure"] } });
    const [shop] = apps?.projects ?? [];
    expect(shop).toMatchObject({ name: "shop", description: "The web shop", environments: ["preview"] });
    const byName = Object.fromEntries((shop.applications ?? []).map((app) => [app.name, app])) as Record<string, ApplicationConfig>;
    expect(Object.keys(byName).sort()).toEqual(["api", "metrics", "static-site", "web", "worker"]);
    expect(byName.web).toEqual({
      name: "web",
      kind: "docker-image",
      image: "ghcr.io/acme/web:1.4.2",
      domains: ["shop.staging.example.com"],
      ports: [3000],
      // Interval, timeout and retries are the Application model's column defaults in the contract.
      healthCheck: { path: "/health", intervalSeconds: 5, timeoutSeconds: 5, retries: 10 },
      limits: { cpus: 0.5, memory: "512m" },
      env: { NODE_ENV: "production", DATABASE_URL: { secret: "shop_web_database_url" }, API_TOKEN: { secret: "shop_web_api_token" } },
      buildEnv: { BUILD_FLAG: "fast" },
      scheduledTasks: [{ name: "nightly-report", command: "node report.js", schedule: "daily", timeoutSeconds: 300 }],
    });
    expect(byName.api).toMatchObject({ kind: "public-git", repository: "https://github.com/acme/api", branch: "main", buildPack: "nixpacks", ports: [8080] });
    expect(byName.worker).toMatchObject({ kind: "private-git", repository: "git@github.com:acme/worker.git", deployKey: { secret: "shop_worker_deploy_key" } });
    expect(byName["static-site"]).toMatchObject({ kind: "dockerfile", dockerfile: "FROM nginx:1.27-alpine\n", ports: [80] });
    expect(byName.metrics).toMatchObject({
      kind: "docker-compose",
      domains: [{ service: "grafana", domain: "grafana.staging.example.com" }],
      env: { GF_SECURITY_ADMIN_PASSWORD: { secret: "shop_metrics_gf_security_admin_password" } },
    });
    expect(shop.databases).toEqual([
      {
        name: "shop-db",
        kind: "postgresql",
        image: "postgres:16-alpine",
        backup: { schedule: "0 3 * * *", storage: "backups", retention: { count: 7, days: 30 } },
      },
      { name: "cache", kind: "redis", environment: "preview", image: "redis:7.2" },
    ]);

    for (const name of [
      "TF_VAR_secret_shop_web_database_url",
      "TF_VAR_secret_shop_web_api_token",
      "TF_VAR_secret_shop_worker_deploy_key",
      "TF_VAR_secret_shop_metrics_gf_security_admin_password",
      "TF_VAR_s3_backups_access_key",
      "TF_VAR_s3_backups_secret_key",
      "TF_VAR_discord_webhook_url",
    ]) {
      expect(run.stdout).toContain(`  - ${name}\n`);
    }
    expect(run.stdout).toContain('  - project "Shop" → "shop"\n');
    expect(run.stdout).toMatch(/ {2}- S3 storage "Backups" \(uuid\d+\) → "backups"\n/);
    expect(run.stdout).toContain('application "monorepo" (');
    expect(run.stdout).toContain("compose application built from a repository");

    const synth = await synthWithConfig(file);
    expect(synth.stderr).not.toMatch(/error/i);
    expect(synth.code).toBe(0);
    // Every adopted resource is imported with the provider's import id, at the path the configuration names.
    const stack = JSON.parse(readFileSync(join(synth.outdir, "stacks", "staging-apps", "cdk.tf.json"), "utf8")) as SynthesizedApps;
    expect(Object.keys(stack.resource)).toEqual(
      expect.arrayContaining(["coolify_project", "coolify_service", "coolify_application_docker_image", "coolify_database_postgresql"]),
    );
    const imported = Object.fromEntries(
      (stack.import ?? []).map(({ to, id }) => {
        const [type, name] = to.split(".");
        return [String(stack.resource[type][name]["//"]?.metadata?.path).replace(/^staging-apps\//, ""), id];
      }),
    );
    expect(imported).toEqual(apps?.adopted);
    expect(apps?.adopted).toEqual(expectedImports(fake));
  }, 60_000);

  it("stops with one line naming the call when a read token cannot see a Dockerfile, and writes nothing", async () => {
    const before = baseConfig();
    const file = fileWith(before);
    const error = await adopt({ config: file, environment: "staging", url: fake.url, token: "read-token" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdoptError);
    const { message } = error as AdoptError;
    expect(message).toMatch(
      /^GET \/api\/v1\/applications\/uuid\d+: application "static-site" came without dockerfile, which Coolify shows only to a token with the read:sensitive ability/,
    );
    expect(message).not.toContain("\n");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it.each([
    ["an unknown token (401)", "nobody", undefined, /^GET \/api\/v1\/version: HTTP 401: the token was refused/],
    ["a token without the read ability (403)", "write-only-token", undefined, /^GET \/api\/v1\/version: HTTP 403: the token lacks the read ability/],
    ["a missing route (404)", "sensitive-token", ["/projects", 404, "{}"], /^GET \/api\/v1\/projects: HTTP 404: not found: check the Coolify URL/],
    ["a failing Coolify (500)", "sensitive-token", ["/s3-storages", 500, "{}"], /^GET \/api\/v1\/s3-storages: HTTP 500: Coolify failed/],
    ["an answer that is not JSON", "sensitive-token", ["/servers", 200, "<html>"], /^GET \/api\/v1\/servers: the answer is not JSON \("<html>"\)/],
    [
      "an answer without a field the configuration needs",
      "sensitive-token",
      ["/projects", 200, '[{"name":"Shop"}]'],
      /^GET \/api\/v1\/projects: the answer lacks what the adoption needs \(\[0\]\.uuid: /,
    ],
  ] as const)("reports %s in one line and writes nothing", async (_case, token, override, expected) => {
    if (override) fake.overrides.set(override[0], { status: override[1], body: override[2] });
    const before = baseConfig();
    const file = fileWith(before);
    const error = await adopt({ config: file, environment: "staging", url: fake.url, token }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdoptError);
    expect((error as AdoptError).message).toMatch(expected);
    expect((error as AdoptError).message).not.toContain("\n");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("writes nothing when the adopted configuration fails the checks, and says which", async () => {
    // In production a PostgreSQL database needs a backup; with two storages the API does not say which it uses.
    fake.s3Storages.push(row("S3Storage", { name: "second", bucket: "acme-second", endpoint: "https://nbg1.your-objectstorage.com", region: "nbg1" }));
    try {
      const environments = exampleConfig.environments.map(({ apps, ...environment }) =>
        environment.name === "production" ? environment : { ...environment, apps },
      );
      const before = JSON.stringify({ environments });
      const file = fileWith(before);
      const error = await adopt({ config: file, environment: "production", url: fake.url, token: "sensitive-token" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join("\n")).toMatch(/environment "production": apps\.projects\[0\]\.databases\[0\]/);
      expect(readFileSync(file, "utf8")).toBe(before);
    } finally {
      fake.s3Storages.pop();
    }
  });

  it("refuses an environment the file does not have before calling Coolify", async () => {
    const file = fileWith(baseConfig());
    const calls = fake.calls.length;
    await expect(adopt({ config: file, environment: "qa", url: fake.url, token: "sensitive-token" })).rejects.toThrow(
      `${file}: no environment "qa": add it first`,
    );
    expect(fake.calls.length).toBe(calls);
  });
});
