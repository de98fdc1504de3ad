/** What runs in staging's Coolify: the shop in its own environments, with a public database for testing. */
import type { AppsConfig } from "../schema";

export const stagingApps: AppsConfig = {
  customDomains: ["preview.example.com"],
  s3Storages: [{ name: "backups", provider: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "acme-staging-db-backups" }],
  notifications: { discord: { events: ["deployment-failure"] } },
  projects: [
    {
      name: "shop",
      environments: ["preview"],
      applications: [
        {
          kind: "docker-image",
          name: "web",
          image: "ghcr.io/acme/shop-web:edge",
          domains: ["shop.staging.example.com"],
          ports: [3000],
          env: { NODE_ENV: "staging", DATABASE_URL: { secret: "shop_database_url" } },
          deployOnCreate: true,
        },
        {
          kind: "docker-image",
          name: "web-preview",
          environment: "preview",
          image: "ghcr.io/acme/shop-web:preview",
          domains: ["preview.example.com"],
          ports: [3000],
        },
      ],
      databases: [
        { kind: "postgresql", name: "shop-db", publicPort: 15432, backup: { schedule: "daily", storage: "backups", retention: { count: 3 } } },
        { kind: "mariadb", name: "legacy", backup: { schedule: "0 4 * * *", storage: "backups", retention: { days: 7 } } },
        { kind: "keydb", name: "sessions" },
        { kind: "dragonfly", name: "queue" },
        { kind: "clickhouse", name: "metrics" },
      ],
    },
  ],
};
