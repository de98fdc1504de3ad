import { cronProblem } from "../../config/cron";
import type { EnvironmentConfig } from "../../config/schema";
import { secretLiteralProblem } from "../../config/secrets";
import { copyOf, live, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

/** Every problem parsing reports for one environment whose `apps` is replaced by raw data. */
const problemsWith = (apps: unknown, base: EnvironmentConfig = live): readonly string[] => problemsOf({ environments: [{ ...copyOf(base), apps }] });

const web = { kind: "docker-image", name: "web", image: "nginx:1.27", ports: [80] };
const storage = { name: "backups", provider: "hetzner", location: "fsn1", bucket: "acme-backups" };
const backup = { schedule: "daily", storage: "backups", retention: { count: 7 } };
const project = (resources: object) => ({ projects: [{ name: "shop", ...resources }], s3Storages: [storage] });
const at = 'environment "live": apps.projects[0]';

describe("apps configuration", () => {
  it("accepts an environment without apps", () => {
    expect(problemsWith(undefined)).toEqual([]);
  });

  it("reports duplicate project, resource, task and storage names with their paths", () => {
    const problems = problemsWith({
      s3Storages: [storage, storage],
      projects: [
        {
          name: "shop",
          applications: [
            web,
            {
              ...web,
              scheduledTasks: [
                { name: "t", command: "x", schedule: "daily" },
                { name: "t", command: "y", schedule: "daily" },
              ],
            },
          ],
          databases: [{ kind: "redis", name: "web", ephemeral: true }],
        },
        { name: "shop" },
      ],
    });
    expect(problems).toEqual([
      'environment "live": apps.s3Storages[1].name: duplicate S3 storage name "backups"',
      'environment "live": apps.projects[1].name: duplicate project name "shop"',
      `${at}.applications[1].name: duplicate resource name "web" in project "shop" (applications and databases share names)`,
      `${at}.applications[1].scheduledTasks[1].name: application "web" in project "shop": duplicate scheduled task name "t"`,
      `${at}.databases[0].name: duplicate resource name "web" in project "shop" (applications and databases share names)`,
    ]);
  });

  it("reports an unknown server and an unknown Coolify environment with the allowed values", () => {
    expect(problemsWith(project({ applications: [{ ...web, server: "worker-9", environment: "qa" }] }))).toEqual([
      `${at}.applications[0].environment: application "web" in project "shop": unknown Coolify environment "qa" (allowed: production)`,
      `${at}.applications[0].server: application "web" in project "shop": unknown server "worker-9" (allowed: main, batch)`,
    ]);
  });

  it("reports domains outside the environment's domain, the dashboard host and a domain used twice", () => {
    const problems = problemsWith(
      project({
        applications: [
          { ...web, domains: ["shop.other.org", "a.b.live.corp.test", "coolify.live.corp.test", "shop.live.corp.test"] },
          { ...web, name: "web2", domains: ["shop.live.corp.test"] },
        ],
      }),
    );
    const outside = "is outside the environment's domain; use <name>.live.corp.test (covered by *.live.corp.test) or list it in apps.customDomains";
    expect(problems).toEqual([
      `${at}.applications[0].domains[0]: application "web" in project "shop": "shop.other.org" ${outside}`,
      `${at}.applications[0].domains[1]: application "web" in project "shop": "a.b.live.corp.test" ${outside}`,
      `${at}.applications[0].domains[2]: application "web" in project "shop": "coolify.live.corp.test" is the Coolify dashboard's host name`,
      `${at}.applications[1].domains[0]: application "web2" in project "shop": "shop.live.corp.test" is already used by application "web" in project "shop"`,
    ]);
  });

  it("does not judge application domains against an environment domain outside its zone", () => {
    const apps = { customDomains: ["www.example.org"], ...project({ applications: [{ ...web, domains: ["shop.example.org"] }] }) };
    expect(problemsWith(apps, { ...live, domain: "example.org" })).toEqual([
      'environment "live": domain: "example.org" is not inside the Cloudflare zone "corp.test"',
    ]);
  });

  it("accepts a listed custom domain and checks the list against the zone and the wildcard", () => {
    expect(problemsWith({ customDomains: ["corp.test"], ...project({ applications: [{ ...web, domains: ["corp.test"] }] }) })).toEqual([]);
    expect(problemsWith({ customDomains: ["shop.other.org", "www.live.corp.test", "corp.test", "corp.test"], projects: [] })).toEqual([
      'environment "live": apps.customDomains[0]: "shop.other.org" is outside the Cloudflare zone "corp.test", where its DNS record would be created',
      'environment "live": apps.customDomains[1]: "www.live.corp.test" is already covered by the record for *.live.corp.test; list only names outside it',
      'environment "live": apps.customDomains[3]: duplicate custom domain "corp.test"',
    ]);
  });

  it("reports bad cron expressions on backups and scheduled tasks", () => {
    const problems = problemsWith(
      project({
        applications: [{ ...web, scheduledTasks: [{ name: "report", command: "run", schedule: "61 * * * *" }] }],
        databases: [{ kind: "postgresql", name: "db", backup: { ...backup, schedule: "every day" } }],
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        `${at}.applications[0].scheduledTasks[0].schedule: application "web" in project "shop": bad cron expression "61 * * * *": minute "61" is out of range 0-59`,
      ),
      expect.stringContaining(`${at}.databases[0].backup.schedule: database "db" in project "shop": bad cron expression "every day": has 2 fields`),
    ]);
  });

  it("reports ports out of range, a public database port the platform uses, and one port taken twice on a server", () => {
    const problems = problemsWith(
      project({
        applications: [{ ...web, ports: [0, 70000], healthCheck: { path: "/", port: 65536 } }],
        databases: [
          { kind: "postgresql", name: "db", backup, publicPort: 8000 },
          { kind: "mysql", name: "db2", backup, publicPort: 80 },
        ],
      }),
    );
    expect(problems).toEqual([
      `${at}.applications[0].ports[0]: application "web" in project "shop": 0 must be a whole number from 1 to 65535`,
      `${at}.applications[0].ports[1]: application "web" in project "shop": 70000 must be a whole number from 1 to 65535`,
      `${at}.applications[0].healthCheck.port: application "web" in project "shop": 65536 must be a whole number from 1 to 65535`,
      `${at}.databases[0].publicPort: database "db" in project "shop": port 8000 is used by the platform (22, 80, 443, 8000, 6001, 6002)`,
      `${at}.databases[1].publicPort: database "db2" in project "shop": 80 must be a whole number from 1024 to 65535`,
      `${at}.databases[1].publicPort: database "db2" in project "shop": port 80 is used by the platform (22, 80, 443, 8000, 6001, 6002)`,
    ]);
    const databases = [
      { kind: "mysql", name: "db3", backup, publicPort: 15432 },
      { kind: "mysql", name: "db4", backup, publicPort: 15432 },
      { kind: "mysql", name: "db5", backup, publicPort: 15432, server: "batch" },
    ];
    expect(problemsWith(project({ databases }))).toEqual([
      `${at}.databases[1].publicPort: database "db4" in project "shop": port 15432 of server "main" is already used by database "db3" in project "shop"`,
    ]);
  });

  it("reports an unknown database kind and an unknown application kind with the allowed values", () => {
    expect(problemsWith(project({ databases: [{ kind: "oracle", name: "db" }], applications: [{ ...web, kind: "lambda" }] }))).toEqual([
      `${at}.applications[0].kind: application "web" in project "shop": "lambda" is not a known application kind (allowed: docker-image, public-git, private-git, dockerfile, docker-compose)`,
      `${at}.databases[0].kind: database "db" in project "shop": "oracle" is not a known database kind (allowed: postgresql, mysql, mariadb, mongodb, redis, keydb, dragonfly, clickhouse)`,
    ]);
  });

  it("reports a mistyped key with the key it most likely meant, instead of dropping the setting", () => {
    expect(problemsWith({ ...project({ databases: [{ kind: "postgresql", name: "db", backups: backup }] }), notifications: { slack: {} } })).toEqual([
      `${at}.databases[0]: unknown key "backups" (did you mean "backup"? allowed: name, kind, description, environment, server, image, limits, publicPort, backup, ephemeral)`,
      'environment "live": apps.notifications: unknown key "slack" (allowed: discord)',
      `${at}.databases[0].backup: database "db" in project "shop": production databases must have backups configured`,
    ]);
  });

  it("rejects literals that look like secrets, by name or by value, and accepts secret references", () => {
    const problems = problemsWith(
      project({
        applications: [
          {
            ...web,
            env: { DB_PASSWORD: "hunter2", SENTRY_DSN: "https://user:pw@sentry.io/1", OK: "plain", API_TOKEN: { secret: "api_token" } },
            buildEnv: { GH: "ghp_abcdefghijklmnopqrstuvwxyz0123456789", BAD: { secret: "Not-Valid" } },
          },
        ],
      }),
    );
    const fix = 'use { "secret": "<name>" } and set TF_VAR_secret_<name>';
    expect(problems).toEqual([
      `${at}.applications[0].env.DB_PASSWORD: application "web" in project "shop": a literal value is not allowed because its name marks it as a secret; ${fix}`,
      `${at}.applications[0].env.SENTRY_DSN: application "web" in project "shop": a literal value is not allowed because its name marks it as a secret; ${fix}`,
      `${at}.applications[0].buildEnv.BAD.secret: application "web" in project "shop": "Not-Valid" is not a secret name (lowercase letters, digits, underscores)`,
      `${at}.applications[0].buildEnv.GH: application "web" in project "shop": a literal value is not allowed because its value looks like a known API token format; ${fix}`,
    ]);
  });

  it("requires backups for production databases and an explicit ephemeral flag where Coolify has no backups", () => {
    const databases = [
      { kind: "postgresql", name: "db" },
      { kind: "redis", name: "cache" },
    ];
    expect(problemsWith(project({ databases }))).toEqual([
      `${at}.databases[0].backup: database "db" in project "shop": production databases must have backups configured`,
      `${at}.databases[1].ephemeral: database "cache" in project "shop": production databases must have backups, which Coolify does not offer for redis; set ephemeral: true to accept losing its data`,
    ]);
    expect(problemsWith(project({ databases }), trial)).toEqual([]);
  });

  it("checks backups: supported kind, known storage, retention", () => {
    const problems = problemsWith(
      project({
        databases: [
          { kind: "redis", name: "cache", ephemeral: true, backup },
          { kind: "mongodb", name: "events", backup: { ...backup, storage: "nowhere" } },
          { kind: "postgresql", name: "db", ephemeral: true, backup },
        ],
      }),
    );
    expect(problemsWith(project({ databases: [{ kind: "mongodb", name: "logs", backup: { ...backup, retention: {} } }] }))).toEqual([
      `${at}.databases[0].backup.retention: database "logs" in project "shop": set count and/or days`,
    ]);
    expect(problems).toEqual([
      `${at}.databases[0].backup: database "cache" in project "shop": Coolify cannot back up redis databases (backups exist for postgresql, mysql, mariadb, mongodb, clickhouse)`,
      `${at}.databases[1].backup.storage: database "events" in project "shop": unknown S3 storage "nowhere" (allowed: backups)`,
      `${at}.databases[2].ephemeral: database "db" in project "shop": postgresql databases can be backed up; configure backup instead`,
    ]);
  });

  it("checks S3 storages per provider and Discord events", () => {
    const problems = problemsWith({
      projects: [],
      s3Storages: [
        { name: "a", provider: "hetzner", location: "ash", bucket: "ok-bucket" },
        { name: "b", provider: "r2", accountId: "nothex", location: "fsn1", bucket: "ok-bucket" },
        { name: "c", provider: "s3", bucket: "ok-bucket" },
      ],
      notifications: { discord: { events: ["deployment-failure", "deploy-ok"] } },
    });
    expect(problems).toEqual([
      'environment "live": apps.s3Storages[0].location: "ash" is not a known Hetzner Object Storage location (allowed: fsn1, nbg1, hel1)',
      'environment "live": apps.s3Storages[1].accountId: "nothex" is not a Cloudflare account id (32 lowercase hex characters)',
      'environment "live": apps.s3Storages[1]: unknown key "location" (allowed: name, provider, bucket, accountId)',
      'environment "live": apps.s3Storages[2].provider: "s3" is not a known S3 provider (allowed: hetzner, r2)',
      'environment "live": apps.notifications.discord.events[1]: "deploy-ok" is not a known notification event (allowed: deployment-failure, backup-failure, server-unreachable)',
    ]);
  });

  it("checks kind-specific fields", () => {
    const problems = problemsWith(
      project({
        applications: [
          { kind: "private-git", name: "api", repository: "https://github.com/acme/api.git", ports: [80] },
          { kind: "dockerfile", name: "df", dockerfile: "RUN echo", ports: [80] },
          { kind: "docker-compose", name: "stack", compose: "version: 3", buildEnv: { A: "b" } },
          { ...web, name: "both", env: { MODE: "a" }, buildEnv: { MODE: "b" }, healthCheck: { path: "/", command: "true" } },
        ],
      }),
    );
    expect(problems).toEqual([
      `${at}.applications[0].repository: application "api" in project "shop": "https://github.com/acme/api.git" is not an SSH URL like git@github.com:acme/api.git`,
      `${at}.applications[0].deployKey: application "api" in project "shop": must be an object, got undefined`,
      `${at}.applications[1].dockerfile: application "df" in project "shop": "RUN echo" is not a Dockerfile (it needs a FROM line)`,
      `${at}.applications[2].compose: application "stack" in project "shop": "version: 3" is not a Docker Compose file (it needs a top-level services: key)`,
      `${at}.applications[2]: unknown key "buildEnv" (allowed: kind, compose, domains, name, description, environment, server, env, deployOnCreate, scheduledTasks)`,
      `${at}.applications[3].healthCheck: application "both" in project "shop": set exactly one of path (HTTP check) or command`,
      `${at}.applications[3].buildEnv.MODE: application "both" in project "shop": differs from env.MODE; a variable in both must have one value`,
    ]);
    expect(problemsWith(project({ applications: [{ ...web, env: { MODE: "a" }, buildEnv: { MODE: "b" } }] }))).toEqual([
      `${at}.applications[0].buildEnv.MODE: application "web" in project "shop": differs from env.MODE; a variable in both must have one value`,
    ]);
  });

  it("keeps limits within what Docker accepts and what the server has", () => {
    expect(problemsWith(project({ applications: [{ ...web, limits: { cpus: 0.001, memory: "1k" } }] }))).toEqual([
      `${at}.applications[0].limits.cpus: application "web" in project "shop": 0.001 is below Docker's minimum of 0.01 CPUs`,
      `${at}.applications[0].limits.memory: application "web" in project "shop": "1k" is below Docker's minimum of 6m`,
    ]);
    const problems = problemsWith(
      project({
        applications: [
          { ...web, name: "big", limits: { cpus: 3, memory: "8g" } },
          { ...web, name: "fits", server: "batch", limits: { cpus: 4, memory: "8g" } },
        ],
        databases: [{ kind: "redis", name: "cache", ephemeral: true, server: "batch", limits: { memory: "9g" } }],
      }),
    );
    expect(problems).toEqual([
      `${at}.applications[0].limits.cpus: application "big" in project "shop": 3 CPUs is more than its server's cx23 has (2)`,
      `${at}.applications[0].limits.memory: application "big" in project "shop": "8g" is more than its server's cx23 has (4g)`,
      `${at}.databases[0].limits.memory: database "cache" in project "shop": "9g" is more than its server's cpx32 has (8g)`,
    ]);
  });
});

describe("cron expressions", () => {
  it.each(["0 3 * * *", "*/15 * * * *", "0 0-6/2 1,15 jan-jun mon-fri", "0 0 * * 7", "daily", "@weekly", "every_minute"])("accepts %s", (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });

  it.each([
    ["* * * *", "has 4 fields"],
    ["0 24 * * *", 'hour "24" is out of range 0-23'],
    ["0 0 0 * *", 'day-of-month "0" is out of range 1-31'],
    ["0 0 * 13 *", 'month "13" is out of range 1-12'],
    ["0 0 * * funday", 'day-of-week "funday" is out of range 0-7'],
    ["*/0 * * * *", 'minute step "0" must be at least 1'],
    ["1-2-3 * * * *", 'minute "1-2-3" is not a value, range, list or step'],
    ["@often", "has 1 field"],
  ])("rejects %s", (schedule, reason) => {
    expect(cronProblem(schedule)).toMatch(new RegExp(`^${reason.replace(/[*+?.()[\]{}|^$\\]/g, "\\$&")}`));
  });
});

describe("secret-looking literals", () => {
  it.each([
    ["NODE_ENV", "production"],
    ["PUBLIC_URL", "https://shop.example.com/path"],
    ["FEATURE_FLAGS", "checkout,search,recommendations-v2"],
    ["GIT_SHA_SHORT", "a1b2c3d"],
    ["RELEASE", "release-2024-11-24-build-1234"],
    ["IMAGE", "ghcr.io/acme/web:2.3.1"],
    ["SETTINGS_NAME", "my_application_settings_value1"],
  ])("lets %s=%s through", (key, value) => {
    expect(secretLiteralProblem(key, value)).toBeUndefined();
  });

  it.each([
    ["STRIPE_KEY", "anything", "its name marks it as a secret"],
    ["SESSION_SECRET", "x", "its name marks it as a secret"],
    ["CERT", "-----BEGIN PRIVATE KEY-----\nabc", "its value looks like a PEM block"],
    ["AUTH", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "its value looks like a JSON Web Token"],
    ["SEED", "Zx8fQ2pLm4Nr7Tv1Wy3Kb6Hd9Gs5Jc0A", "its value looks like a long random string"],
    ["AWS", "AKIAABCDEFGHIJKLMNOP", "its value looks like a known API token format"],
    ["GH", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "its value looks like a known API token format"],
    ["GL", "glpat-abcdefghij0123456789", "its value looks like a known API token format"],
    ["PAY", "sk_live_abcdefghij0123456789", "its value looks like a known API token format"],
    ["CHAT", "xoxb-1234-5678-abcdefgh", "its value looks like a known API token format"],
    ["CHAT_USER", "xoxp-1234-5678-abcdefgh", "its value looks like a known API token format"],
    ["RANDOM", "a8f3k2m9q1z7x4c6v0b5", "its value looks like a high-entropy (random) string"],
  ])("flags %s", (key, value, reason) => {
    expect(secretLiteralProblem(key, value)).toBe(reason);
  });
});
