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
import { API_TOKEN, baseConfig, DATABASE_URL, expectedImports, GRAFANA_PASSWORD, populate } from "./coolify-fixture";
import { FakeCoolify, row } from "./fake-coolify";

interface SynthesizedApps {
  readonly resource: Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
  readonly import?: readonly { to: string; id: string }[];
}

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
    expect(Object.keys(byName).sort()).toEqual(["api", "metrics", "web"]);
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
    // Neither a private Git nor a Dockerfile application can be imported without the first apply replacing it (to-config.ts applicationSource).
    expect(run.stdout).toMatch(
      /application "worker" \(\S+, project shop\): a private Git application: terraform-provider-coolify v0\.1\.17 cannot import its deploy key/,
    );
    expect(run.stdout).toMatch(
      /application "static-site" \(\S+, project shop\): a Dockerfile application: terraform-provider-coolify v0\.1\.17 cannot import its Dockerfile/,
    );
    expect(byName.metrics).toMatchObject({
      kind: "docker-compose",
      env: { GF_SECURITY_ADMIN_PASSWORD: { secret: "shop_metrics_gf_security_admin_password" } },
    });
    // Configured URLs would make the first apply replace the service (to-config.ts adoptService).
    expect(byName.metrics).not.toHaveProperty("domains");
    expect(run.stdout).toMatch(/service "metrics" \(\S+, project shop\): its URLs grafana: grafana\.staging\.example\.com, which stay as set in Coolify/);
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

  it("imports each application, service and database where Coolify runs it, and names one on another server or on none", async () => {
    const [production] = fake.projects[0].environments;
    const web = production.applications.find((entry) => entry.row.name === "web")?.row;
    const worker = row("Server", { name: "worker-1", ip: "10.0.1.2", user: "root", port: 22 });
    fake.servers.push(worker);
    // The host lists nothing, the worker only `web`.
    fake.overrides.set(`/servers/${fake.servers[0].uuid}/resources`, { status: 200, body: [] });
    fake.overrides.set(`/servers/${worker.uuid}/resources`, { status: 200, body: [{ id: web?.id, uuid: web?.uuid, name: "web", type: "application" }] });
    try {
      const adopted = await adopt({ config: fileWith(baseConfig()), environment: "staging", url: fake.url, token: "sensitive-token" });
      expect(adopted.apps.adopted).toEqual(
        expect.objectContaining({
          "project-shop/app-web/application": `${fake.projects[0].row.uuid}:${worker.uuid}:production:${web?.uuid}`,
          "project-shop/db-shop-db/database": String(production.databases[0].row.uuid),
        }),
      );
      expect(adopted.notExpressed).toEqual(
        expect.arrayContaining([
          `application "web" (${web?.uuid}, project shop): runs on the server "worker-1" (10.0.1.2), not the Coolify host: set its \`server\`, or the first apply replaces it on the host`,
          `database "shop-db" (${production.databases[0].row.uuid}, postgresql, project shop): no server of GET /servers/{uuid}/resources lists it: imported by its UUID alone, which the first apply replaces (its project and server are not read back)`,
        ]),
      );
    } finally {
      fake.servers.pop();
    }
  });

  it("stops with one line naming the call when a read token cannot see a compose document, and writes nothing", async () => {
    const before = baseConfig();
    const file = fileWith(before);
    const error = await adopt({ config: file, environment: "staging", url: fake.url, token: "read-token" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdoptError);
    const { message } = error as AdoptError;
    expect(message).toMatch(
      /^GET \/api\/v1\/services\/uuid\d+: service "metrics" came without docker_compose_raw, which Coolify shows only to a token with the read:sensitive ability/,
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
