/** What runs in production's Coolify: every application kind, databases with backups, notifications. */
import type { AppsConfig } from "../schema";

export const productionApps: AppsConfig = {
  customDomains: ["example.com"],
  s3Storages: [
    { name: "backups", provider: "hetzner", location: "fsn1", bucket: "acme-production-db-backups" },
    { name: "offsite", provider: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "acme-production-offsite" },
  ],
  notifications: { discord: { events: ["deployment-failure", "backup-failure", "server-unreachable"] } },
  projects: [
    {
      name: "shop",
      description: "The web shop",
      applications: [
        {
          kind: "docker-image",
          name: "web",
          image: "ghcr.io/acme/shop-web:2.3.1",
          domains: ["shop.example.com", "example.com"],
          ports: [3000],
          healthCheck: { path: "/healthz", intervalSeconds: 10 },
          limits: { cpus: 1, memory: "1g" },
          env: { NODE_ENV: "production", DATABASE_URL: { secret: "shop_database_url" }, STRIPE_SECRET_KEY: { secret: "stripe_secret_key" } },
          scheduledTasks: [{ name: "nightly-report", command: "node scripts/report.js", schedule: "0 3 * * *" }],
        },
        {
          kind: "private-git",
          name: "api",
          repository: "git@github.com:acme/shop-api.git",
          deployKey: { secret: "shop_api_deploy_key" },
          branch: "main",
          buildPack: "dockerfile",
          server: "worker-1",
          domains: ["api.example.com"],
          ports: [8080],
          healthCheck: { path: "/health" },
          limits: { cpus: 2, memory: "2g" },
          env: { LOG_LEVEL: "info", MONGO_URL: { secret: "events_mongo_url" } },
          buildEnv: { NPM_TOKEN: { secret: "npm_token" }, LOG_LEVEL: "info" },
          deployOnCreate: true,
        },
        {
          kind: "public-git",
          name: "docs",
          repository: "https://github.com/acme/docs.git",
          buildPack: "static",
          baseDirectory: "/site",
          domains: ["docs.example.com"],
          ports: [80],
        },
        {
          kind: "dockerfile",
          name: "redirects",
          dockerfile: "FROM caddy:2.8-alpine\nCOPY <<EOF /etc/caddy/Caddyfile\n:80 {\n  redir https://shop.example.com{uri} permanent\n}\nEOF\n",
          domains: ["go.example.com"],
          ports: [80],
          healthCheck: { command: "wget -q --spider http://localhost/" },
        },
        {
          kind: "docker-compose",
          name: "analytics",
          compose:
            "services:\n  app:\n    image: ghcr.io/plausible/community-edition:v2.1.4\n    environment:\n      BASE_URL: https://stats.example.com\n  events:\n    image: clickhouse/clickhouse-server:24.3-alpine\n",
          domains: [{ service: "app", domain: "stats.example.com" }],
          env: { SECRET_KEY_BASE: { secret: "analytics_secret_key_base" } },
          scheduledTasks: [{ name: "cleanup", command: "/app/bin/plausible rpc 'Plausible.Cleanup.run()'", schedule: "weekly", container: "app" }],
        },
      ],
      databases: [
        {
          kind: "postgresql",
          name: "shop-db",
          image: "postgres:16-alpine",
          limits: { memory: "2g" },
          backup: { schedule: "0 2 * * *", storage: "backups", retention: { count: 14, days: 30 } },
        },
        {
          kind: "mongodb",
          name: "events",
          server: "worker-1",
          backup: { schedule: "@daily", storage: "offsite", retention: { days: 14 } },
        },
        { kind: "mysql", name: "legacy", backup: { schedule: "30 1 * * 0", storage: "backups", retention: { count: 8 } } },
        { kind: "redis", name: "cache", ephemeral: true, limits: { memory: "256m" } },
      ],
    },
  ],
};
