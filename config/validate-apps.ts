/**
 * Validation of `apps` (what runs inside an environment's Coolify). Like `validate.ts` it works on
 * `unknown`, collects every problem, and names project and resource in each message.
 */
import {
  APPLICATION_KINDS,
  BACKUP_CAPABLE_KINDS,
  BUILD_PACKS,
  DATABASE_KINDS,
  DEFAULT_COOLIFY_ENVIRONMENT,
  HETZNER_OBJECT_STORAGE_LOCATIONS,
  NOTIFICATION_EVENTS,
  S3_PROVIDERS,
  type DatabaseKind,
} from "./apps-types";
import { dashboardHost } from "./naming";
import { DOMAIN_PATTERN } from "./network-values";
import { PORTS } from "./ports";
import { allowed, Fields, isRecord, quote } from "./problems";

/** Lowercase letters, digits and single dashes, starting with a letter; at most 40 characters. */
export const APP_NAME_PATTERN = /^(?=.{1,40}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const APP_NAME_RULE = "a name of lowercase letters, digits and single dashes, starting with a letter (at most 40)";
export const SECRET_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MEMORY_PATTERN = /^[1-9]\d*[kmg]$/;
const IMAGE_PATTERN = /^[a-z0-9][a-z0-9._/:@-]*$/;
const HTTPS_REPOSITORY_PATTERN = /^https:\/\/[^\s@]+$/;
const SSH_REPOSITORY_PATTERN = /^(?:git@[^\s:]+:[^\s]+|ssh:\/\/[^\s]+)$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CLOUDFLARE_ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;
const COMPOSE_SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const RESERVED_PUBLIC_PORTS: readonly number[] = Object.values(PORTS);

/** Schedules Coolify accepts by name (its VALID_CRON_STRINGS), with or without `@`. */
export const CRON_NAMES = ["every_minute", "hourly", "daily", "weekly", "monthly", "yearly"] as const;
const CRON_AT_NAMES = ["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const CRON_FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day-of-week", min: 0, max: 7, names: DAY_NAMES },
];

const cronFieldProblem = (text: string, field: (typeof CRON_FIELDS)[number]): string | undefined => {
  const value = (token: string): number | undefined => {
    const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
    if (named >= 0) return named + (field.name === "month" ? 1 : 0);
    return /^\d+$/.test(token) ? Number(token) : undefined;
  };
  for (const item of text.split(",")) {
    const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) return `${field.name} ${quote(item)} is not a value, range, list or step`;
    const [, range, step] = match;
    if (step !== undefined && Number(step) < 1) return `${field.name} step ${quote(step)} must be at least 1`;
    if (range === "*") continue;
    for (const token of range.split("-")) {
      const number = value(token);
      if (number === undefined || number < field.min || number > field.max) {
        return `${field.name} ${quote(token)} is out of range ${field.min}-${field.max}`;
      }
    }
  }
  return undefined;
};

/** Checks a schedule: five cron fields or one of Coolify's names. Returns the reason when invalid. */
export const cronProblem = (schedule: string): string | undefined => {
  const trimmed = schedule.trim();
  if ((CRON_NAMES as readonly string[]).includes(trimmed) || CRON_AT_NAMES.includes(trimmed)) return undefined;
  const fields = trimmed.split(/\s+/);
  const usage = `use five fields "minute hour day-of-month month day-of-week" or one of ${[...CRON_NAMES, ...CRON_AT_NAMES].join(", ")}`;
  if (fields.length !== CRON_FIELDS.length) return `has ${fields.length} field${fields.length === 1 ? "" : "s"}; ${usage}`;
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[i], field);
    if (problem) return `${problem}; ${usage}`;
  }
  return undefined;
};

const SECRET_KEY_PATTERN = /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|(?:^|_)KEY$/i;
const SECRET_VALUE_SHAPES: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]+-----/, "a PEM block"],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with a password"],
  [/^(?:ghp_|gho_|ghs_|github_pat_|glpat-|sk_live_|sk_test_|rk_live_|xox[abpr]-|AKIA[0-9A-Z]{16}|AIza)/, "a known API token format"],
  [/^eyJ[\w-]+\.eyJ[\w-]+\./, "a JSON Web Token"],
  [/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9+/=_-]{32,}$/, "a long random string"],
  [/^[0-9a-f]{32,}$/i, "a long hex string"],
];

/** Why a literal environment variable looks like a secret, or `undefined`. */
export const secretLiteralProblem = (key: string, value: string): string | undefined => {
  if (SECRET_KEY_PATTERN.test(key)) return "its name marks it as a secret";
  const shape = SECRET_VALUE_SHAPES.find(([pattern]) => pattern.test(value));
  return shape && `its value looks like ${shape[1]}`;
};

interface AppsContext {
  readonly check: Fields;
  readonly production: boolean;
  readonly domain: string | undefined;
  readonly servers: readonly string[];
  readonly customDomains: ReadonlySet<string>;
  readonly storages: ReadonlySet<string>;
  /** Host name → where it is used, to report a domain served by two resources. */
  readonly usedDomains: Map<string, string>;
}

/** Where a resource sits, for messages and paths. */
interface Owner {
  readonly path: string;
  /** e.g. `application "web" in project "shop"` */
  readonly label: string;
  readonly environments: readonly string[];
}

/** Reports every repeated entry of a list of plain values (e.g. host names). */
const uniqueValues = (check: Fields, path: string, values: readonly unknown[], what: string): void => {
  const seen = new Set<unknown>();
  for (const [index, value] of values.entries()) {
    if (seen.has(value)) check.problems.add(`${path}[${index}]`, `duplicate ${what} ${quote(value)}`);
    seen.add(value);
  }
};

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** True for `<one label>.<domain>`, the names the wildcard record covers. */
const underWildcard = (host: string, domain: string): boolean =>
  host.endsWith(`.${domain}`) && !host.slice(0, -domain.length - 1).includes(".");

const validateDomain = (ctx: AppsContext, path: string, owner: Owner, host: unknown): void => {
  const { check, domain } = ctx;
  if (!check.string(path, host, DOMAIN_PATTERN, `a host name like web.${domain ?? "example.com"} (no scheme, lowercase)`)) return;
  if (!domain) return;
  if (host === dashboardHost({ domain })) {
    check.problems.add(path, `${owner.label}: ${quote(host)} is the Coolify dashboard's host name`);
  } else if (!underWildcard(host, domain) && !ctx.customDomains.has(host)) {
    check.problems.add(path, `${owner.label}: ${quote(host)} is outside the environment's domain; use <name>.${domain} (covered by *.${domain}) or list it in apps.customDomains`);
  }
  const user = ctx.usedDomains.get(host);
  if (user) check.problems.add(path, `${owner.label}: ${quote(host)} is already used by ${user}`);
  ctx.usedDomains.set(host, owner.label);
};

const validatePlacement = (ctx: AppsContext, owner: Owner, resource: Record<string, unknown>): void => {
  const { check } = ctx;
  if (resource.environment !== undefined && !owner.environments.includes(resource.environment as string)) {
    check.problems.add(`${owner.path}.environment`, `${owner.label}: unknown Coolify environment ${quote(resource.environment)} (${allowed(owner.environments)})`);
  }
  if (resource.server !== undefined && !ctx.servers.includes(resource.server as string)) {
    check.problems.add(`${owner.path}.server`, `${owner.label}: unknown server ${quote(resource.server)} (${allowed(ctx.servers)})`);
  }
  if (resource.description !== undefined) check.string(`${owner.path}.description`, resource.description);
};

const validateLimits = (check: Fields, path: string, limits: unknown): void => {
  if (limits === undefined || !check.record(path, limits)) return;
  if (limits.cpus !== undefined && (typeof limits.cpus !== "number" || !(limits.cpus > 0) || limits.cpus > 256)) {
    check.problems.add(`${path}.cpus`, `${quote(limits.cpus)} must be a number of CPUs above 0, e.g. 0.5 or 2`);
  }
  if (limits.memory !== undefined) check.string(`${path}.memory`, limits.memory, MEMORY_PATTERN, "a memory size like 512m or 2g");
};

const validatePort = (check: Fields, path: string, owner: Owner, port: unknown, min = 1): void => {
  if (typeof port !== "number" || !Number.isInteger(port) || port < min || port > 65535) {
    check.problems.add(path, `${owner.label}: port ${quote(port)} is out of range (a whole number from ${min} to 65535)`);
  }
};

const validateSecretReference = (check: Fields, path: string, value: unknown): boolean =>
  check.record(path, value) && check.string(`${path}.secret`, value.secret, SECRET_NAME_PATTERN, "a secret name (lowercase letters, digits, underscores)");

const validateVariables = (check: Fields, path: string, owner: Owner, variables: unknown): void => {
  if (variables === undefined || !check.record(path, variables)) return;
  for (const [key, value] of Object.entries(variables)) {
    const keyPath = `${path}.${key}`;
    if (!ENV_KEY_PATTERN.test(key)) check.problems.add(keyPath, `${owner.label}: ${quote(key)} is not a valid variable name (letters, digits, underscores)`);
    if (typeof value !== "string") {
      validateSecretReference(check, keyPath, value);
      continue;
    }
    const reason = secretLiteralProblem(key, value);
    if (reason) {
      check.problems.add(keyPath, `${owner.label}: a literal value is not allowed because ${reason}; use { "secret": "<name>" } and set TF_VAR_secret_<name>`);
    }
  }
};

const validateHealthCheck = (check: Fields, path: string, owner: Owner, health: unknown): void => {
  if (health === undefined || !check.record(path, health)) return;
  if ((health.path === undefined) === (health.command === undefined)) {
    check.problems.add(path, `${owner.label}: set exactly one of path (HTTP check) or command`);
  }
  if (health.path !== undefined) check.string(`${path}.path`, health.path, /^\//, "an absolute path like /health");
  if (health.command !== undefined) check.string(`${path}.command`, health.command);
  if (health.port !== undefined) validatePort(check, `${path}.port`, owner, health.port);
  if (health.intervalSeconds !== undefined) check.integer(`${path}.intervalSeconds`, health.intervalSeconds, 1, 3600);
  if (health.timeoutSeconds !== undefined) check.integer(`${path}.timeoutSeconds`, health.timeoutSeconds, 1, 3600);
  if (health.retries !== undefined) check.integer(`${path}.retries`, health.retries, 1, 100);
};

const validateSchedule = (check: Fields, path: string, owner: Owner, schedule: unknown): void => {
  if (!check.string(path, schedule)) return;
  const problem = cronProblem(schedule);
  if (problem) check.problems.add(path, `${owner.label}: bad cron expression ${quote(schedule)}: ${problem}`);
};

const validateScheduledTasks = (check: Fields, owner: Owner, tasks: unknown): void => {
  const path = `${owner.path}.scheduledTasks`;
  if (tasks === undefined || !check.array(path, tasks)) return;
  tasks.forEach((task, i) => {
    const taskPath = `${path}[${i}]`;
    if (!check.record(taskPath, task)) return;
    check.string(`${taskPath}.name`, task.name, APP_NAME_PATTERN, APP_NAME_RULE);
    check.string(`${taskPath}.command`, task.command);
    validateSchedule(check, `${taskPath}.schedule`, { ...owner, label: `scheduled task ${quote(task.name)} of ${owner.label}` }, task.schedule);
    if (task.container !== undefined) check.string(`${taskPath}.container`, task.container, COMPOSE_SERVICE_PATTERN, "a container (compose service) name");
    if (task.timeoutSeconds !== undefined) check.integer(`${taskPath}.timeoutSeconds`, task.timeoutSeconds, 1, 86400);
  });
  check.unique(path, tasks.map((t) => (isRecord(t) ? t.name : undefined)), `scheduled task (in ${owner.label})`);
};

const validateGit = (check: Fields, path: string, app: Record<string, unknown>): void => {
  if (app.branch !== undefined) check.string(`${path}.branch`, app.branch, /^[^\s~^:?*[\\]+$/, "a Git branch name");
  if (app.buildPack !== undefined) check.oneOf(`${path}.buildPack`, app.buildPack, BUILD_PACKS, "build pack");
  if (app.baseDirectory !== undefined) check.string(`${path}.baseDirectory`, app.baseDirectory, /^\//, "an absolute directory like /apps/api");
};

/** The fields that depend on the application's kind. */
const validateSource = (ctx: AppsContext, path: string, owner: Owner, app: Record<string, unknown>): void => {
  const { check } = ctx;
  switch (app.kind) {
    case "docker-image":
      check.string(`${path}.image`, app.image, IMAGE_PATTERN, "an image reference like ghcr.io/acme/web:1.4.2");
      return;
    case "public-git":
      check.string(`${path}.repository`, app.repository, HTTPS_REPOSITORY_PATTERN, "an https:// URL of a public repository");
      validateGit(check, path, app);
      return;
    case "private-git":
      check.string(`${path}.repository`, app.repository, SSH_REPOSITORY_PATTERN, "an SSH URL like git@github.com:acme/api.git");
      validateSecretReference(check, `${path}.deployKey`, app.deployKey);
      validateGit(check, path, app);
      return;
    case "dockerfile":
      check.string(`${path}.dockerfile`, app.dockerfile, /^\s*FROM\s+\S/im, "a Dockerfile (it needs a FROM line)");
      return;
    case "docker-compose":
      check.string(`${path}.compose`, app.compose, /^services:/m, "a Docker Compose file (it needs a top-level services: key)");
      if (app.buildEnv !== undefined) check.problems.add(`${path}.buildEnv`, `${owner.label}: Docker Compose applications take build variables in the compose file`);
      if (app.domains !== undefined && check.array(`${path}.domains`, app.domains)) {
        app.domains.forEach((entry, i) => {
          if (!check.record(`${path}.domains[${i}]`, entry)) return;
          check.string(`${path}.domains[${i}].service`, entry.service, COMPOSE_SERVICE_PATTERN, "a service name from the compose file");
          validateDomain(ctx, `${path}.domains[${i}].domain`, owner, entry.domain);
        });
      }
      return;
  }
};

const validateApplication = (ctx: AppsContext, owner: Owner, app: Record<string, unknown>): void => {
  const { check } = ctx;
  const { path } = owner;
  if (!check.oneOf(`${path}.kind`, app.kind, APPLICATION_KINDS, `application kind (in ${owner.label})`)) return;
  validatePlacement(ctx, owner, app);
  validateSource(ctx, path, owner, app);
  validateVariables(check, `${path}.env`, owner, app.env);
  if (app.deployOnCreate !== undefined) check.boolean(`${path}.deployOnCreate`, app.deployOnCreate);
  validateScheduledTasks(check, owner, app.scheduledTasks);
  if (app.kind === "docker-compose") return;
  validateVariables(check, `${path}.buildEnv`, owner, app.buildEnv);
  if (isRecord(app.env) && isRecord(app.buildEnv)) {
    for (const [key, value] of Object.entries(app.buildEnv)) {
      if (key in app.env && JSON.stringify(app.env[key]) !== JSON.stringify(value)) {
        check.problems.add(`${path}.buildEnv.${key}`, `${owner.label}: differs from env.${key}; a variable in both must have one value`);
      }
    }
  }
  if (check.array(`${path}.ports`, app.ports, 1)) app.ports.forEach((port, i) => validatePort(check, `${path}.ports[${i}]`, owner, port));
  if (app.domains !== undefined && check.array(`${path}.domains`, app.domains)) {
    app.domains.forEach((host, i) => validateDomain(ctx, `${path}.domains[${i}]`, owner, host));
  }
  validateHealthCheck(check, `${path}.healthCheck`, owner, app.healthCheck);
  validateLimits(check, `${path}.limits`, app.limits);
};

const validateBackup = (ctx: AppsContext, owner: Owner, kind: DatabaseKind, backup: unknown): void => {
  const { check } = ctx;
  const path = `${owner.path}.backup`;
  if (!BACKUP_CAPABLE_KINDS.includes(kind)) {
    check.problems.add(path, `${owner.label}: Coolify cannot back up ${kind} databases (backups exist for ${BACKUP_CAPABLE_KINDS.join(", ")})`);
    return;
  }
  if (!check.record(path, backup)) return;
  validateSchedule(check, `${path}.schedule`, owner, backup.schedule);
  if (check.string(`${path}.storage`, backup.storage) && !ctx.storages.has(backup.storage)) {
    check.problems.add(`${path}.storage`, `${owner.label}: unknown S3 storage ${quote(backup.storage)} (${allowed([...ctx.storages])})`);
  }
  if (!check.record(`${path}.retention`, backup.retention)) return;
  const { count, days } = backup.retention;
  if (count === undefined && days === undefined) check.problems.add(`${path}.retention`, `${owner.label}: set count and/or days`);
  if (count !== undefined) check.integer(`${path}.retention.count`, count, 1, 1000);
  if (days !== undefined) check.integer(`${path}.retention.days`, days, 1, 3650);
};

const validateDatabase = (ctx: AppsContext, owner: Owner, db: Record<string, unknown>): void => {
  const { check } = ctx;
  const { path } = owner;
  if (!check.oneOf(`${path}.kind`, db.kind, DATABASE_KINDS, `database kind (in ${owner.label})`)) return;
  validatePlacement(ctx, owner, db);
  if (db.image !== undefined) check.string(`${path}.image`, db.image, IMAGE_PATTERN, "an image reference like postgres:16-alpine");
  validateLimits(check, `${path}.limits`, db.limits);
  if (db.publicPort !== undefined) {
    validatePort(check, `${path}.publicPort`, owner, db.publicPort, 1024);
    if (RESERVED_PUBLIC_PORTS.includes(db.publicPort as number)) {
      check.problems.add(`${path}.publicPort`, `${owner.label}: port ${quote(db.publicPort)} is used by the platform (${RESERVED_PUBLIC_PORTS.join(", ")})`);
    }
  }
  const canBackUp = BACKUP_CAPABLE_KINDS.includes(db.kind);
  if (db.backup !== undefined) validateBackup(ctx, owner, db.kind, db.backup);
  if (db.ephemeral !== undefined && check.boolean(`${path}.ephemeral`, db.ephemeral) && db.ephemeral && canBackUp) {
    check.problems.add(`${path}.ephemeral`, `${owner.label}: ${db.kind} databases can be backed up; configure backup instead`);
  }
  if (!ctx.production) return;
  if (canBackUp && db.backup === undefined) {
    check.problems.add(`${path}.backup`, `${owner.label}: production databases must have backups configured`);
  } else if (!canBackUp && db.ephemeral !== true) {
    check.problems.add(`${path}.ephemeral`, `${owner.label}: production databases must have backups, which Coolify does not offer for ${db.kind}; set ephemeral: true to accept losing its data`);
  }
};

const validateProject = (ctx: AppsContext, path: string, project: Record<string, unknown>): void => {
  const { check } = ctx;
  const nameOk = check.string(`${path}.name`, project.name, APP_NAME_PATTERN, APP_NAME_RULE);
  const projectLabel = `project ${quote(nameOk ? project.name : path)}`;
  if (project.description !== undefined) check.string(`${path}.description`, project.description);
  const extra = project.environments === undefined ? [] : check.array(`${path}.environments`, project.environments) ? project.environments : [];
  extra.forEach((name, i) => {
    check.string(`${path}.environments[${i}]`, name, APP_NAME_PATTERN, APP_NAME_RULE);
    if (name === DEFAULT_COOLIFY_ENVIRONMENT) {
      check.problems.add(`${path}.environments[${i}]`, `${projectLabel}: ${quote(DEFAULT_COOLIFY_ENVIRONMENT)} exists in every project; list only the others`);
    }
  });
  uniqueValues(check, `${path}.environments`, extra, `Coolify environment (in ${projectLabel})`);
  const environments = [DEFAULT_COOLIFY_ENVIRONMENT, ...stringsOf(extra)];

  const names: unknown[] = [];
  for (const [field, what] of [["applications", "application"], ["databases", "database"]] as const) {
    const list = project[field];
    if (list === undefined || !check.array(`${path}.${field}`, list)) continue;
    list.forEach((resource, i) => {
      const resourcePath = `${path}.${field}[${i}]`;
      if (!check.record(resourcePath, resource)) return;
      const resourceNameOk = check.string(`${resourcePath}.name`, resource.name, APP_NAME_PATTERN, APP_NAME_RULE);
      if (resourceNameOk && names.includes(resource.name)) {
        check.problems.add(`${resourcePath}.name`, `duplicate resource name ${quote(resource.name)} in ${projectLabel} (applications and databases share names)`);
      }
      names.push(resource.name);
      const owner: Owner = { path: resourcePath, label: `${what} ${quote(resourceNameOk ? resource.name : resourcePath)} in ${projectLabel}`, environments };
      if (field === "applications") validateApplication(ctx, owner, resource);
      else validateDatabase(ctx, owner, resource);
    });
  }
};

const validateS3Storages = (check: Fields, storages: unknown): Set<string> => {
  if (storages === undefined || !check.array("apps.s3Storages", storages)) return new Set();
  storages.forEach((storage, i) => {
    const path = `apps.s3Storages[${i}]`;
    if (!check.record(path, storage)) return;
    check.string(`${path}.name`, storage.name, APP_NAME_PATTERN, APP_NAME_RULE);
    check.string(`${path}.bucket`, storage.bucket, BUCKET_PATTERN, "an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)");
    if (!check.oneOf(`${path}.provider`, storage.provider, S3_PROVIDERS, "S3 provider")) return;
    const [needed, unwanted] = storage.provider === "hetzner" ? ["location", "accountId"] : ["accountId", "location"];
    if (storage[unwanted] !== undefined) check.problems.add(`${path}.${unwanted}`, `is not used with provider ${quote(storage.provider)}; set ${needed}`);
    if (storage.provider === "hetzner") {
      check.oneOf(`${path}.location`, storage.location, HETZNER_OBJECT_STORAGE_LOCATIONS, "Hetzner Object Storage location");
    } else {
      check.string(`${path}.accountId`, storage.accountId, CLOUDFLARE_ACCOUNT_ID_PATTERN, "a Cloudflare account id (32 hex characters)");
    }
  });
  const names = storages.map((s) => (isRecord(s) ? s.name : undefined));
  check.unique("apps.s3Storages", names, "S3 storage");
  return new Set(stringsOf(names));
};

const validateNotifications = (check: Fields, notifications: unknown): void => {
  if (notifications === undefined || !check.record("apps.notifications", notifications)) return;
  const discord = notifications.discord;
  if (discord === undefined || !check.record("apps.notifications.discord", discord)) return;
  const path = "apps.notifications.discord.events";
  if (!check.array(path, discord.events, 1)) return;
  discord.events.forEach((event, i) => check.oneOf(`${path}[${i}]`, event, NOTIFICATION_EVENTS, "notification event"));
  uniqueValues(check, path, discord.events, "notification event");
};

const validateCustomDomains = (check: Fields, { domain, zone }: EnvironmentNames, domains: unknown): Set<string> => {
  if (domains === undefined || !check.array("apps.customDomains", domains)) return new Set();
  domains.forEach((host, i) => {
    const path = `apps.customDomains[${i}]`;
    if (!check.string(path, host, DOMAIN_PATTERN, "a lowercase host name like www.example.com")) return;
    if (zone && !inZone(host, zone)) {
      check.problems.add(path, `${quote(host)} is outside the Cloudflare zone ${quote(zone)}, where its DNS record would be created`);
    } else if (domain && (underWildcard(host, domain) || host === dashboardHost({ domain }))) {
      check.problems.add(path, `${quote(host)} is already covered by the record for *.${domain}; list only names outside it`);
    }
  });
  uniqueValues(check, "apps.customDomains", domains, "custom domain");
  return new Set(stringsOf(domains));
};

/** The environment's domain and zone when they are valid (their own problems are reported elsewhere). */
interface EnvironmentNames {
  readonly zone?: string;
  readonly domain?: string;
}

const inZone = (host: string, zone: string): boolean => host === zone || host.endsWith(`.${zone}`);

const environmentNames = (env: Record<string, unknown>): EnvironmentNames => {
  const valid = (name: unknown): string | undefined => (typeof name === "string" && DOMAIN_PATTERN.test(name) ? name : undefined);
  const zone = valid(isRecord(env.dns) ? env.dns.zone : undefined);
  const domain = valid(env.domain);
  return { zone, domain: domain && zone && inZone(domain, zone) ? domain : undefined };
};

/** Checks the `apps` half of one environment (skipped when the environment declares none). */
export const validateApplications = (check: Fields, env: Record<string, unknown>): void => {
  const apps = env.apps;
  if (apps === undefined || !check.record("apps", apps)) return;
  const names = environmentNames(env);
  const ctx: AppsContext = {
    check,
    production: env.production === true,
    domain: names.domain,
    servers: Array.isArray(env.servers) ? stringsOf(env.servers.map((s) => (isRecord(s) ? s.name : undefined))) : [],
    customDomains: validateCustomDomains(check, names, apps.customDomains),
    storages: validateS3Storages(check, apps.s3Storages),
    usedDomains: new Map(),
  };
  validateNotifications(check, apps.notifications);
  if (!check.array("apps.projects", apps.projects)) return;
  apps.projects.forEach((project, i) => {
    if (check.record(`apps.projects[${i}]`, project)) validateProject(ctx, `apps.projects[${i}]`, project);
  });
  check.unique("apps.projects", apps.projects.map((p) => (isRecord(p) ? p.name : undefined)), "project");
};
