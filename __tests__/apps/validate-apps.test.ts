import { production } from "../../config/environments/production";
import { staging } from "../../config/environments/staging";
import { ConfigError } from "../../config/problems";
import { validateConfig } from "../../config/validate";
import { cronProblem, secretLiteralProblem } from "../../config/validate-apps";

/** Every problem validation reports for one environment whose `apps` is replaced by raw data. */
const problemsWith = (apps: unknown, base: object = production): readonly string[] => {
  try {
    validateConfig({ environments: [{ ...structuredClone(base), apps }] });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const web = { kind: "docker-image", name: "web", image: "nginx:1.27", ports: [80] };
const storage = { name: "backups", provider: "hetzner", location: "fsn1", bucket: "acme-backups" };
const backup = { schedule: "daily", storage: "backups", retention: { count: 7 } };
const project = (resources: object) => ({ projects: [{ name: "shop", ...resources }], s3Storages: [storage] });

describe("apps validation", () => {
  it("accepts both example environments", () => {
    expect(() => validateConfig({ environments: [staging, production] })).not.toThrow();
  });

  it("accepts an environment without apps", () => {
    expect(problemsWith(undefined)).toEqual([]);
  });

  it("reports duplicate project, resource, task and storage names with their paths", () => {
    const problems = problemsWith({
      s3Storages: [storage, storage],
      projects: [
        {
          name: "shop",
          applications: [web, { ...web, scheduledTasks: [{ name: "t", command: "x", schedule: "daily" }, { name: "t", command: "y", schedule: "daily" }] }],
          databases: [{ kind: "redis", name: "web", ephemeral: true }],
        },
        { name: "shop" },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'environment "production": apps.s3Storages[1].name: duplicate S3 storage name "backups"',
        'environment "production": apps.projects[0].applications[1].name: duplicate resource name "web" in project "shop" (applications and databases share names)',
        'environment "production": apps.projects[0].databases[0].name: duplicate resource name "web" in project "shop" (applications and databases share names)',
        'environment "production": apps.projects[0].applications[1].scheduledTasks[1].name: duplicate scheduled task (in application "web" in project "shop") name "t"',
        'environment "production": apps.projects[1].name: duplicate project name "shop"',
      ]),
    );
  });

  it("reports an unknown server and an unknown Coolify environment with the allowed values", () => {
    expect(problemsWith(project({ applications: [{ ...web, server: "worker-9", environment: "qa" }] }))).toEqual([
      'environment "production": apps.projects[0].applications[0].environment: application "web" in project "shop": unknown Coolify environment "qa" (allowed: production)',
      'environment "production": apps.projects[0].applications[0].server: application "web" in project "shop": unknown server "worker-9" (allowed: coolify, worker-1)',
    ]);
  });

  it("reports domains outside the environment's domain, the dashboard host and a domain used twice", () => {
    const problems = problemsWith({
      ...project({
        applications: [
          { ...web, domains: ["shop.other.org", "a.b.example.com", "coolify.example.com", "shop.example.com"] },
          { ...web, name: "web2", domains: ["shop.example.com"] },
        ],
      }),
    });
    const at = 'environment "production": apps.projects[0].applications';
    expect(problems).toEqual([
      `${at}[0].domains[0]: application "web" in project "shop": "shop.other.org" is outside the environment's domain; use <name>.example.com (covered by *.example.com) or list it in apps.customDomains`,
      `${at}[0].domains[1]: application "web" in project "shop": "a.b.example.com" is outside the environment's domain; use <name>.example.com (covered by *.example.com) or list it in apps.customDomains`,
      `${at}[0].domains[2]: application "web" in project "shop": "coolify.example.com" is the Coolify dashboard's host name`,
      `${at}[1].domains[0]: application "web2" in project "shop": "shop.example.com" is already used by application "web" in project "shop"`,
    ]);
  });

  it("does not judge application domains against an environment domain that is itself invalid", () => {
    const apps = { customDomains: ["www.example.org"], ...project({ applications: [{ ...web, domains: ["shop.example.org"] }] }) };
    expect(problemsWith(apps, { ...production, domain: "example.org" })).toEqual([
      'environment "production": domain: "example.org" is not inside the Cloudflare zone "example.com"',
      'environment "production": apps.customDomains[0]: "www.example.org" is outside the Cloudflare zone "example.com", where its DNS record would be created',
    ]);
  });

  it("accepts a listed custom domain and checks the list against the zone and the wildcard", () => {
    expect(problemsWith({ customDomains: ["example.com"], ...project({ applications: [{ ...web, domains: ["example.com"] }] }) })).toEqual([]);
    expect(problemsWith({ customDomains: ["shop.other.org", "www.example.com", "example.com", "example.com"], projects: [] })).toEqual([
      'environment "production": apps.customDomains[0]: "shop.other.org" is outside the Cloudflare zone "example.com", where its DNS record would be created',
      'environment "production": apps.customDomains[1]: "www.example.com" is already covered by the record for *.example.com; list only names outside it',
      'environment "production": apps.customDomains[3]: duplicate custom domain "example.com"',
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
        'apps.projects[0].applications[0].scheduledTasks[0].schedule: scheduled task "report" of application "web" in project "shop": bad cron expression "61 * * * *": minute "61" is out of range 0-59',
      ),
      expect.stringContaining('apps.projects[0].databases[0].backup.schedule: database "db" in project "shop": bad cron expression "every day": has 2 fields'),
    ]);
  });

  it("reports ports out of range, including a public database port the platform uses", () => {
    const problems = problemsWith(
      project({
        applications: [{ ...web, ports: [0, 70000], healthCheck: { path: "/", port: 65536 } }],
        databases: [{ kind: "postgresql", name: "db", backup, publicPort: 8000 }, { kind: "mysql", name: "db2", backup, publicPort: 80 }],
      }),
    );
    const at = 'environment "production": apps.projects[0]';
    expect(problems).toEqual([
      `${at}.applications[0].ports[0]: application "web" in project "shop": port 0 is out of range (a whole number from 1 to 65535)`,
      `${at}.applications[0].ports[1]: application "web" in project "shop": port 70000 is out of range (a whole number from 1 to 65535)`,
      `${at}.applications[0].healthCheck.port: application "web" in project "shop": port 65536 is out of range (a whole number from 1 to 65535)`,
      `${at}.databases[0].publicPort: database "db" in project "shop": port 8000 is used by the platform (22, 80, 443, 8000, 6001, 6002)`,
      `${at}.databases[1].publicPort: database "db2" in project "shop": port 80 is out of range (a whole number from 1024 to 65535)`,
      `${at}.databases[1].publicPort: database "db2" in project "shop": port 80 is used by the platform (22, 80, 443, 8000, 6001, 6002)`,
    ]);
  });

  it("reports an unknown database kind and an unknown application kind with the allowed values", () => {
    expect(problemsWith(project({ databases: [{ kind: "oracle", name: "db" }], applications: [{ ...web, kind: "lambda" }] }))).toEqual([
      'environment "production": apps.projects[0].applications[0].kind: "lambda" is not a known application kind (in application "web" in project "shop") (allowed: docker-image, public-git, private-git, dockerfile, docker-compose)',
      'environment "production": apps.projects[0].databases[0].kind: "oracle" is not a known database kind (in database "db" in project "shop") (allowed: postgresql, mysql, mariadb, mongodb, redis, keydb, dragonfly, clickhouse)',
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
    const at = 'environment "production": apps.projects[0].applications[0]';
    const fix = 'use { "secret": "<name>" } and set TF_VAR_secret_<name>';
    expect(problems).toEqual([
      `${at}.env.DB_PASSWORD: application "web" in project "shop": a literal value is not allowed because its name marks it as a secret; ${fix}`,
      `${at}.env.SENTRY_DSN: application "web" in project "shop": a literal value is not allowed because its value looks like a URL with a password; ${fix}`,
      `${at}.buildEnv.GH: application "web" in project "shop": a literal value is not allowed because its value looks like a known API token format; ${fix}`,
      `${at}.buildEnv.BAD.secret: "Not-Valid" is not a secret name (lowercase letters, digits, underscores)`,
    ]);
  });

  it("requires backups for production databases and an explicit ephemeral flag where Coolify has no backups", () => {
    const problems = problemsWith(project({ databases: [{ kind: "postgresql", name: "db" }, { kind: "redis", name: "cache" }] }));
    expect(problems).toEqual([
      'environment "production": apps.projects[0].databases[0].backup: database "db" in project "shop": production databases must have backups configured',
      'environment "production": apps.projects[0].databases[1].ephemeral: database "cache" in project "shop": production databases must have backups, which Coolify does not offer for redis; set ephemeral: true to accept losing its data',
    ]);
    expect(problemsWith(project({ databases: [{ kind: "postgresql", name: "db" }, { kind: "redis", name: "cache" }] }), staging)).toEqual([]);
  });

  it("checks backups: supported kind, known storage, retention", () => {
    const problems = problemsWith(
      project({
        databases: [
          { kind: "redis", name: "cache", ephemeral: true, backup },
          { kind: "mongodb", name: "events", backup: { ...backup, storage: "nowhere", retention: {} } },
          { kind: "postgresql", name: "db", ephemeral: true, backup },
        ],
      }),
    );
    const at = 'environment "production": apps.projects[0].databases';
    expect(problems).toEqual([
      `${at}[0].backup: database "cache" in project "shop": Coolify cannot back up redis databases (backups exist for postgresql, mysql, mariadb, mongodb)`,
      `${at}[1].backup.storage: database "events" in project "shop": unknown S3 storage "nowhere" (allowed: backups)`,
      `${at}[1].backup.retention: database "events" in project "shop": set count and/or days`,
      `${at}[2].ephemeral: database "db" in project "shop": postgresql databases can be backed up; configure backup instead`,
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
      'environment "production": apps.s3Storages[0].location: "ash" is not a known Hetzner Object Storage location (allowed: fsn1, nbg1, hel1)',
      'environment "production": apps.s3Storages[1].location: is not used with provider "r2"; set accountId',
      'environment "production": apps.s3Storages[1].accountId: "nothex" is not a Cloudflare account id (32 hex characters)',
      'environment "production": apps.s3Storages[2].provider: "s3" is not a known S3 provider (allowed: hetzner, r2)',
      'environment "production": apps.notifications.discord.events[1]: "deploy-ok" is not a known notification event (allowed: deployment-failure, backup-failure, server-unreachable)',
    ]);
  });

  it("checks kind-specific fields", () => {
    const problems = problemsWith(
      project({
        applications: [
          { kind: "private-git", name: "api", repository: "https://github.com/acme/api.git", ports: [80] },
          { kind: "dockerfile", name: "df", dockerfile: "RUN echo", ports: [80] },
          { kind: "docker-compose", name: "stack", compose: "version: 3", buildEnv: { A: "b" }, domains: [{ service: "web", domain: "x.other.org" }] },
          { ...web, name: "both", env: { MODE: "a" }, buildEnv: { MODE: "b" }, healthCheck: { path: "/", command: "true" } },
        ],
      }),
    );
    const at = 'environment "production": apps.projects[0].applications';
    expect(problems).toEqual([
      `${at}[0].repository: "https://github.com/acme/api.git" is not an SSH URL like git@github.com:acme/api.git`,
      `${at}[0].deployKey: must be an object, got undefined`,
      `${at}[1].dockerfile: "RUN echo" is not a Dockerfile (it needs a FROM line)`,
      `${at}[2].compose: "version: 3" is not a Docker Compose file (it needs a top-level services: key)`,
      `${at}[2].buildEnv: application "stack" in project "shop": Docker Compose applications take build variables in the compose file`,
      `${at}[2].domains[0].domain: application "stack" in project "shop": "x.other.org" is outside the environment's domain; use <name>.example.com (covered by *.example.com) or list it in apps.customDomains`,
      `${at}[3].buildEnv.MODE: application "both" in project "shop": differs from env.MODE; a variable in both must have one value`,
      `${at}[3].healthCheck: application "both" in project "shop": set exactly one of path (HTTP check) or command`,
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
  ])("flags %s", (key, value, reason) => {
    expect(secretLiteralProblem(key, value)).toBe(reason);
  });
});
