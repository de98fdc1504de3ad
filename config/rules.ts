/**
 * The rules that relate fields to each other, run on environments the schema accepted: references
 * between servers, storages and projects, uniqueness, what the chosen Hetzner types can hold, and
 * what production requires. Every rule reports into the same list, so every problem shows at once.
 */
import { createHash } from "node:crypto";
import { parse } from "yaml";
import {
  BACKUP_CAPABLE_KINDS,
  BACKUP_MIN_COOLIFY_VERSION,
  COOLIFY_RELEASE_PATHS,
  COOLIFY_RELEASE_SHA256,
  COOLIFY_VERSION,
  coolifyVersionAtLeast,
  PROVIDER_MIN_COOLIFY_VERSION,
  RESOURCE_MIN_COOLIFY_VERSION,
  WORKER_VALIDATION_MIN_COOLIFY_VERSION,
} from "../catalog/coolify";
import { HETZNER_SERVER_TYPES, ORDERABLE_SERVER_TYPE_NAMES, RETIRED_SERVER_TYPES, SPREAD_PLACEMENT_GROUP_MAX_SERVERS } from "../catalog/hetzner";
import {
  applicationHosts,
  dashboardHost,
  dnsRecordNames,
  inStacksOf,
  inZone,
  MONITORING_UIS,
  monitoringUiHost,
  privateHostNumber,
  resourceName,
  underWildcard,
} from "./naming";
import { ADMIN_CIDR_MIN_PREFIX, cidrPrefix, networkSize } from "./network-values";
import { allowed, isRecord, type Path, type Problems, quote } from "./problems";
import {
  type ApplicationConfig,
  type DatabaseConfig,
  DEFAULT_COOLIFY_ENVIRONMENT,
  type DockerComposeApplication,
  type EnvironmentConfig,
  memoryBytes,
  type ProjectConfig,
  type SshKeyPurpose,
} from "./schema";

/** `SHA256:...` as `ssh-keygen -l` prints it; the schema has checked the key line. */
const fingerprint = (publicKey: string): string =>
  `SHA256:${createHash("sha256")
    .update(Buffer.from(publicKey.trim().split(/\s+/)[1], "base64"))
    .digest("base64")
    .replace(/=+$/, "")}`;

const checkServers = (problems: Problems, env: Pick<EnvironmentConfig, "servers" | "hetzner">): void => {
  problems.uniqueNames(["servers"], env.servers, "server");
  const hosts = env.servers.filter((s) => s.role === "coolify-host").length;
  if (hosts !== 1) problems.add(["servers"], `must contain exactly one server with role "coolify-host", found ${hosts}`);
  // With workers, every server of the environment is created in its one spread placement group
  // (constructs/hetzner/private-network.ts): Hetzner would refuse the next server in the middle of an apply.
  if (env.servers.length > SPREAD_PLACEMENT_GROUP_MAX_SERVERS) {
    problems.add(
      ["servers"],
      `has ${env.servers.length} servers; at most ${SPREAD_PLACEMENT_GROUP_MAX_SERVERS} are allowed: with workers, every server joins the environment's spread placement group, which holds ${SPREAD_PLACEMENT_GROUP_MAX_SERVERS} (Hetzner's limit)`,
    );
  }
  const soldHere = (path: Path, serverType: string): void => {
    const retired = RETIRED_SERVER_TYPES[serverType];
    if (retired) {
      problems.add(
        path,
        `${quote(serverType)} can no longer be ordered (Hetzner stopped selling it after ${retired.orderableUntil}); use its successor ${quote(retired.successor)} (${allowed(ORDERABLE_SERVER_TYPE_NAMES)})`,
      );
      return;
    }
    const { locations } = HETZNER_SERVER_TYPES[serverType];
    if (!locations.includes(env.hetzner.location)) {
      problems.add(path, `${quote(serverType)} is not sold in ${env.hetzner.location} (available in: ${locations.join(", ")})`);
    }
  };
  env.servers.forEach((server, i) => {
    if (server.role === "worker" && server.volumeSizeGb !== undefined) {
      problems.add(
        ["servers", i, "volumeSizeGb"],
        "only the Coolify host takes a data volume (it holds /data/coolify and Docker's data); on a worker nothing would use it",
      );
    }
  });
  const numbers = new Map<number, string>();
  env.servers.forEach((server, i) => {
    if (server.role !== "worker") return;
    const number = privateHostNumber(server);
    const other = numbers.get(number);
    if (other !== undefined && other !== server.name) {
      problems.add(["servers", i, "name"], `gets the same private address (.${number}) as ${quote(other)}, derived from the name; rename one of them`);
    }
    numbers.set(number, server.name);
  });
  soldHere(["hetzner", "serverType"], env.hetzner.serverType);
  env.servers.forEach((server, i) => {
    if (server.serverType) soldHere(["servers", i, "serverType"], server.serverType);
  });
};

/** Machines' keys: each is generated for one environment, so that a leaked one opens that environment only. */
const ENVIRONMENT_OWN_PURPOSES: readonly SshKeyPurpose[] = ["deploy", "coolify-workers"];

/** One key in use, and its successor while it is being rotated (docs/runbook/rotate-secrets.md). */
const MAX_KEYS_PER_MACHINE_PURPOSE = 2;

const checkAccess = (problems: Problems, env: Pick<EnvironmentConfig, "sshPublicKeys">): void => {
  problems.uniqueNames(["sshPublicKeys"], env.sshPublicKeys, "SSH key");
  const seen = new Map<string, string>();
  env.sshPublicKeys.forEach((key, i) => {
    const print = fingerprint(key.publicKey);
    const first = seen.get(print);
    if (first) problems.add(["sshPublicKeys", i, "publicKey"], `is the same key (${print}) as ${quote(first)}; Hetzner accepts each key once`);
    else seen.set(print, key.name);
  });
  const deployKeys = env.sshPublicKeys.filter((key) => key.purpose === "deploy").length;
  if (deployKeys === 0) {
    problems.add(
      ["sshPublicKeys"],
      'has no key with purpose "deploy": add the key the bootstrap and CI log in with (its private half is TF_VAR_COOLIFY_SSH_PRIVATE_KEY), generated for this environment',
    );
  }
  for (const purpose of ENVIRONMENT_OWN_PURPOSES) {
    const count = env.sshPublicKeys.filter((key) => key.purpose === purpose).length;
    if (count > MAX_KEYS_PER_MACHINE_PURPOSE) {
      problems.add(
        ["sshPublicKeys"],
        `has ${count} keys with purpose ${quote(purpose)}; one is allowed, two while rotating it (the one in use and its successor)`,
      );
    }
  }
};

/**
 * Admin CIDRs open SSH, the dashboard ports and public database ports; the deploy runner's CIDRs
 * join them in the proxy's allow list for the dashboard, API, realtime and terminal, Coolify's
 * `allowed_ips` and the Cloudflare Access bypass. None may be a large part of the internet.
 */
const checkAdminCidrs = (problems: Problems, env: Pick<EnvironmentConfig, "adminCidrs" | "adminCidrMinPrefix" | "coolify">): void => {
  const lists: readonly (readonly [Path, readonly string[], string])[] = [
    [["adminCidrs"], env.adminCidrs, "admin CIDRs open SSH and the Coolify ports, so list the networks admins use"],
    [
      ["coolify", "deployRunnerCidrs"],
      env.coolify.deployRunnerCidrs ?? [],
      "deploy runner CIDRs open the Coolify dashboard, API and terminal, so list the runners' own addresses",
    ],
  ];
  for (const [path, cidrs, why] of lists) {
    cidrs.forEach((cidr, i) => {
      const { family, prefix } = cidrPrefix(cidr);
      const limit = env.adminCidrMinPrefix?.[family] ?? ADMIN_CIDR_MIN_PREFIX[family].default;
      if (prefix < limit) {
        problems.add(
          [...path, i],
          `${quote(cidr)} is broader than /${limit} (${networkSize(family, limit)} addresses at most): ${why}; adminCidrMinPrefix.${family} sets the limit (/${ADMIN_CIDR_MIN_PREFIX[family].broadest} at the broadest)`,
        );
      }
    });
  }
};

const checkGuardrailExceptions = (problems: Problems, env: Pick<EnvironmentConfig, "name" | "guardrailExceptions">): void => {
  const keys = new Set<string>();
  (env.guardrailExceptions ?? []).forEach((exception, i) => {
    if (!inStacksOf(exception.path, env)) {
      problems.add(
        ["guardrailExceptions", i, "path"],
        `${quote(exception.path)} is not a construct path in one of this environment's stacks (e.g. ${quote(`${env.name}-infra/firewall/firewall`)})`,
      );
    }
    const key = `${exception.rule} ${exception.path}`;
    if (keys.has(key)) problems.add(["guardrailExceptions", i], `duplicate exception for rule ${quote(exception.rule)} at ${quote(exception.path)}`);
    keys.add(key);
  });
};

/** The part of an environment its apps are checked against. */
type AppsScope = Pick<EnvironmentConfig, "domain" | "dns" | "hetzner" | "servers" | "production" | "apps">;

/** What the resources of one environment's apps are checked against. */
interface AppsContext {
  readonly problems: Problems;
  readonly env: AppsScope;
  /** Configuration name of the Coolify host, where resources go unless they name a server. */
  readonly host: string;
  readonly storages: readonly string[];
  /** Host name → the resource that serves it, to report a domain served twice. */
  readonly usedDomains: Map<string, string>;
  /** Server → public database port → the database using it. */
  readonly publicPorts: Map<string, Map<number, string>>;
}

const checkCustomDomains = (problems: Problems, env: Pick<EnvironmentConfig, "domain" | "dns" | "apps">): void => {
  const domains = env.apps?.customDomains ?? [];
  domains.forEach((host, i) => {
    if (!inZone(host, env.dns.zone)) {
      problems.add(["apps", "customDomains", i], `${quote(host)} is outside the Cloudflare zone ${quote(env.dns.zone)}, where its DNS record would be created`);
    } else if (underWildcard(host, env.domain) || host === dashboardHost(env)) {
      problems.add(["apps", "customDomains", i], `${quote(host)} is already covered by the record for *.${env.domain}; list only names outside it`);
    }
  });
  problems.unique(["apps", "customDomains"], domains, "custom domain");
};

const checkDomain = (ctx: AppsContext, path: Path, owner: string, host: string): void => {
  const { env } = ctx;
  if (host === dashboardHost(env)) {
    ctx.problems.add(path, `${quote(host)} is the Coolify dashboard's host name`);
  } else if (!underWildcard(host, env.domain) && !env.apps?.customDomains?.includes(host)) {
    ctx.problems.add(
      path,
      `${quote(host)} is outside the environment's domain; use <name>.${env.domain} (covered by *.${env.domain}) or list it in apps.customDomains`,
    );
  }
  const user = ctx.usedDomains.get(host);
  if (user) ctx.problems.add(path, `${quote(host)} is already used by ${user}`);
  ctx.usedDomains.set(host, owner);
};

/** The Hetzner server type a resource runs on. */
const serverTypeOf = (env: Pick<EnvironmentConfig, "servers" | "hetzner">, server: string): string =>
  env.servers.find((s) => s.name === server)?.serverType ?? env.hetzner.serverType;

const checkPlacement = (ctx: AppsContext, path: Path, environments: readonly string[], resource: ApplicationConfig | DatabaseConfig): void => {
  const { env, problems } = ctx;
  if (resource.environment !== undefined && !environments.includes(resource.environment)) {
    problems.add([...path, "environment"], `unknown Coolify environment ${quote(resource.environment)} (${allowed(environments)})`);
  }
  const servers = env.servers.map((s) => s.name);
  if (resource.server !== undefined && !servers.includes(resource.server)) {
    problems.add([...path, "server"], `unknown server ${quote(resource.server)} (${allowed(servers)})`);
    return;
  }
  const limits = "limits" in resource ? resource.limits : undefined;
  if (!limits) return;
  const serverType = serverTypeOf(env, resource.server ?? ctx.host);
  const { cores, memoryGb } = HETZNER_SERVER_TYPES[serverType];
  if (limits.cpus !== undefined && limits.cpus > cores) {
    problems.add([...path, "limits", "cpus"], `${limits.cpus} CPUs is more than its server's ${serverType} has (${cores})`);
  }
  if (limits.memory !== undefined && memoryBytes(limits.memory) > memoryGb * 1024 ** 3) {
    problems.add([...path, "limits", "memory"], `${quote(limits.memory)} is more than its server's ${serverType} has (${memoryGb}g)`);
  }
};

/** Tags that name whatever was pushed last: a redeploy may run different code than the one reviewed. */
const MUTABLE_TAGS = ["latest", "edge", "preview"];

/** Why an image reference may change under the same name, or `undefined` when it is pinned. */
export const mutableImageProblem = (image: string): string | undefined => {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const name = image.slice(image.lastIndexOf("/") + 1);
  const tag = name.includes(":") ? name.slice(name.indexOf(":") + 1) : undefined;
  if (tag !== undefined && !MUTABLE_TAGS.includes(tag)) return undefined;
  return `${quote(image)} ${tag === undefined ? "has no tag, so it means :latest" : `uses the mutable tag :${tag}`}; production runs a version tag (e.g. :2.3.1) or a digest (@sha256:…)`;
};

/** `image:` lines of a Compose file, with the value as written. */
const composeImages = (compose: string): string[] => [...compose.matchAll(/^\s*image:\s*["']?([^\s"'#]+)/gm)].map((m) => m[1]);

const checkImagePinned = (ctx: AppsContext, path: Path, image: string | undefined): void => {
  const problem = image === undefined || !ctx.env.production ? undefined : mutableImageProblem(image);
  if (problem) ctx.problems.add(path, problem);
};

/** The service names of a compose file; `undefined` when it is not a YAML mapping with a `services` mapping. */
const composeServices = (compose: string): readonly string[] | undefined => {
  try {
    const document: unknown = parse(compose);
    const services = isRecord(document) ? document.services : undefined;
    return isRecord(services) ? Object.keys(services) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Coolify looks each domain's service up among the compose file's containers and answers 422
 * "Service container with '<name>' not found." otherwise, after creating the service
 * (coollabsio/coolify v4.3.9, app/Http/Controllers/Api/ServicesController.php `applyServiceUrls`,
 * lines 117-157); a scheduled task in a missing container fails on every run.
 */
const checkComposeServices = (ctx: AppsContext, path: Path, app: DockerComposeApplication): void => {
  const services = composeServices(app.compose);
  if (!services) {
    ctx.problems.add([...path, "compose"], "is not a YAML document with a services: mapping");
    return;
  }
  const known = (at: Path, service: string | undefined): void => {
    if (service !== undefined && !services.includes(service))
      ctx.problems.add(at, `${quote(service)} is not a service of the compose file (${allowed(services)})`);
  };
  for (const [i, entry] of (app.domains ?? []).entries()) known([...path, "domains", i, "service"], entry.service);
  for (const [i, task] of (app.scheduledTasks ?? []).entries()) known([...path, "scheduledTasks", i, "container"], task.container);
};

const checkApplication = (ctx: AppsContext, path: Path, owner: string, app: ApplicationConfig): void => {
  const { problems } = ctx;
  if (app.kind === "docker-image") checkImagePinned(ctx, [...path, "image"], app.image);
  if (app.kind === "docker-compose") for (const image of composeImages(app.compose)) checkImagePinned(ctx, [...path, "compose"], image);
  if (app.kind === "docker-compose") {
    for (const [i, entry] of (app.domains ?? []).entries()) checkDomain(ctx, [...path, "domains", i, "domain"], owner, entry.domain);
    checkComposeServices(ctx, path, app);
  } else {
    for (const [i, host] of (app.domains ?? []).entries()) checkDomain(ctx, [...path, "domains", i], owner, host);
    for (const [key, value] of Object.entries(app.buildEnv ?? {})) {
      const runtime = app.env?.[key];
      if (runtime !== undefined && JSON.stringify(runtime) !== JSON.stringify(value)) {
        problems.add([...path, "buildEnv", key], `differs from env.${key}; a variable in both must have one value`);
      }
    }
  }
  problems.uniqueNames([...path, "scheduledTasks"], app.scheduledTasks, "scheduled task");
};

const checkDatabase = (ctx: AppsContext, path: Path, owner: string, db: DatabaseConfig): void => {
  const { problems } = ctx;
  checkImagePinned(ctx, [...path, "image"], db.image);
  const canBackUp = BACKUP_CAPABLE_KINDS.includes(db.kind);
  if (db.backup && !canBackUp) {
    problems.add([...path, "backup"], `Coolify cannot back up ${db.kind} databases (backups exist for ${BACKUP_CAPABLE_KINDS.join(", ")})`);
  } else if (db.backup && !ctx.storages.includes(db.backup.storage)) {
    problems.add([...path, "backup", "storage"], `unknown S3 storage ${quote(db.backup.storage)} (${allowed(ctx.storages)})`);
  }
  if (db.ephemeral && canBackUp) problems.add([...path, "ephemeral"], `${db.kind} databases can be backed up; configure backup instead`);
  if (db.publicPort !== undefined) {
    const server = db.server ?? ctx.host;
    const ports = ctx.publicPorts.get(server) ?? new Map<number, string>();
    const user = ports.get(db.publicPort);
    if (user) problems.add([...path, "publicPort"], `port ${db.publicPort} of server ${quote(server)} is already used by ${user}`);
    ports.set(db.publicPort, owner);
    ctx.publicPorts.set(server, ports);
  }
  if (!ctx.env.production) return;
  if (canBackUp && !db.backup) {
    problems.add([...path, "backup"], "production databases must have backups configured");
  } else if (!canBackUp && db.ephemeral !== true) {
    problems.add(
      [...path, "ephemeral"],
      `production databases must have backups, which Coolify does not offer for ${db.kind}; set ephemeral: true to accept losing its data`,
    );
  }
};

const checkProject = (ctx: AppsContext, path: Path, project: ProjectConfig): void => {
  const { problems } = ctx;
  const extra = project.environments ?? [];
  extra.forEach((name, i) => {
    if (name === DEFAULT_COOLIFY_ENVIRONMENT) {
      problems.add([...path, "environments", i], `${quote(DEFAULT_COOLIFY_ENVIRONMENT)} exists in every project; list only the others`);
    }
  });
  problems.unique([...path, "environments"], extra, "Coolify environment");
  const environments = [DEFAULT_COOLIFY_ENVIRONMENT, ...extra];
  const names = new Set<string>();
  const place = (at: Path, what: string, resource: ApplicationConfig | DatabaseConfig): string => {
    if (names.has(resource.name)) {
      problems.add(
        [...at, "name"],
        `duplicate resource name ${quote(resource.name)} in project ${quote(project.name)} (applications and databases share names)`,
      );
    }
    names.add(resource.name);
    checkPlacement(ctx, at, environments, resource);
    return `${what} ${quote(resource.name)} in project ${quote(project.name)}`;
  };
  (project.applications ?? []).forEach((app, i) => {
    const at = [...path, "applications", i];
    checkApplication(ctx, at, place(at, "application", app), app);
  });
  (project.databases ?? []).forEach((db, i) => {
    const at = [...path, "databases", i];
    checkDatabase(ctx, at, place(at, "database", db), db);
  });
};

const checkApps = (problems: Problems, env: AppsScope): void => {
  const { apps } = env;
  const hosts = env.servers.filter((server) => server.role === "coolify-host");
  // Without exactly one host (reported with the servers) there is no default placement to check against.
  if (!apps || hosts.length !== 1) return;
  checkCustomDomains(problems, env);
  const storages = (apps.s3Storages ?? []).map((s) => s.name);
  problems.uniqueNames(["apps", "s3Storages"], apps.s3Storages, "S3 storage");
  problems.unique(["apps", "notifications", "discord", "events"], apps.notifications?.discord?.events, "notification event");
  problems.uniqueNames(["apps", "projects"], apps.projects, "project");
  const ctx: AppsContext = { problems, env, host: hosts[0].name, storages, usedDomains: new Map(), publicPorts: new Map() };
  for (const [i, project] of apps.projects.entries()) checkProject(ctx, ["apps", "projects", i], project);
};

const checkCoolifyBackup = (problems: Problems, env: Pick<EnvironmentConfig, "apps" | "coolifyBackup">): void => {
  const storage = env.coolifyBackup?.storage;
  const storages = (env.apps?.s3Storages ?? []).map((s) => s.name);
  if (storage !== undefined && !storages.includes(storage)) {
    problems.add(["coolifyBackup", "storage"], `${quote(storage)} is not an S3 storage of apps.s3Storages (${allowed(storages)})`);
  }
};

/** With monitoring on, its UIs' host names belong to it, and no application may serve them too. */
const checkMonitoringHosts = (problems: Problems, env: Pick<EnvironmentConfig, "domain" | "production" | "observability" | "apps">): void => {
  if (!(env.observability?.enabled ?? env.production)) return;
  const taken = new Map(MONITORING_UIS.map((ui) => [monitoringUiHost(env, ui), ui]));
  for (const project of env.apps?.projects ?? []) {
    for (const app of project.applications ?? []) {
      for (const host of applicationHosts(app).filter((h) => taken.has(h))) {
        problems.add(
          ["observability"],
          `${quote(host)} serves the monitoring's ${taken.get(host)} but application ${project.name}/${app.name} uses it too; give the application another domain or set observability.enabled to false`,
        );
      }
    }
  }
};

/** Coolify resource types the `<env>-apps` stack creates for this configuration, each with the configuration path that asks for it. */
export const coolifyResourcesUsed = (env: Pick<EnvironmentConfig, "servers" | "apps">): ReadonlyMap<string, Path> => {
  const used = new Map<string, Path>();
  if ((env.apps?.s3Storages ?? []).length > 0) {
    used.set("coolify_s3_storage", ["apps", "s3Storages"]);
    used.set("coolify_s3_storage_validate", ["apps", "s3Storages"]);
  }
  if (env.apps?.notifications?.discord) used.set("coolify_notification_discord", ["apps", "notifications", "discord"]);
  return used;
};

/** The provider's floor, then per resource (and per backed-up database kind) the Coolify version it needs. */
const checkCoolifyVersion = (problems: Problems, env: Pick<EnvironmentConfig, "coolify" | "servers" | "apps">): void => {
  const { version } = env.coolify;
  const path: Path = ["coolify", "version"];
  if (!coolifyVersionAtLeast(version, PROVIDER_MIN_COOLIFY_VERSION)) {
    problems.add(
      path,
      `${quote(version)} is below ${PROVIDER_MIN_COOLIFY_VERSION}, the oldest Coolify the Coolify provider (v0.1.17) configures against (pre-release suffixes such as -beta.N do not count); use ${COOLIFY_VERSION}`,
    );
    return;
  }
  if (!env.coolify.release?.sha256 && COOLIFY_RELEASE_SHA256[version] === undefined) {
    problems.add(
      path,
      `${quote(version)} has no release checksums in catalog/coolify.ts (known: ${Object.keys(COOLIFY_RELEASE_SHA256).join(", ")}); add the SHA-256 of each release file at tag v${version} (${COOLIFY_RELEASE_PATHS.join(", ")}), or set coolify.release.sha256`,
    );
  }
  const worker = WORKER_VALIDATION_MIN_COOLIFY_VERSION;
  if (env.servers.some((server) => server.role === "worker") && !coolifyVersionAtLeast(version, worker.version)) {
    problems.add(path, `${quote(version)} is too old for workers: they need Coolify ${worker.version} or later (${worker.why})`);
  }
  for (const [resource, usedAt] of coolifyResourcesUsed(env)) {
    const need = RESOURCE_MIN_COOLIFY_VERSION[resource];
    if (need && !coolifyVersionAtLeast(version, need.version)) {
      problems.add(path, `${quote(version)} is too old for ${usedAt.join(".")}: ${resource} needs Coolify ${need.version} or later (${need.why})`);
    }
  }
  for (const [p, project] of (env.apps?.projects ?? []).entries()) {
    for (const [d, db] of (project.databases ?? []).entries()) {
      const need = BACKUP_MIN_COOLIFY_VERSION[db.kind];
      if (db.backup && need && !coolifyVersionAtLeast(version, need)) {
        problems.add(
          ["apps", "projects", p, "databases", d, "backup"],
          `Coolify ${version} cannot back up ${db.kind} databases; backups of ${db.kind} need Coolify ${need} or later`,
        );
      }
    }
  }
};

/** A part of one environment, parsed on its own: `undefined` when the schema rejects something in it. */
export type EnvironmentPart = <K extends keyof EnvironmentConfig>(fields: readonly K[]) => Pick<EnvironmentConfig, K> | undefined;

/**
 * Checks one environment. Each rule runs on the part of the environment it reads, so that a
 * mistake in one part does not hide the problems of another. `problems` is rooted at the environment.
 */
export const checkEnvironment = (problems: Problems, part: EnvironmentPart): void => {
  const zoned = part(["domain", "dns"]);
  if (zoned && !inZone(zoned.domain, zoned.dns.zone))
    problems.add(["domain"], `${quote(zoned.domain)} is not inside the Cloudflare zone ${quote(zoned.dns.zone)}`);
  const servers = part(["servers", "hetzner"]);
  if (servers) checkServers(problems, servers);
  const admins = part(["adminCidrs", "adminCidrMinPrefix", "coolify"]);
  if (admins) checkAdminCidrs(problems, admins);
  const keys = part(["sshPublicKeys"]);
  if (keys) checkAccess(problems, keys);
  const exceptions = part(["name", "guardrailExceptions"]);
  if (exceptions) checkGuardrailExceptions(problems, exceptions);
  const versioned = part(["coolify", "servers", "apps"]);
  if (versioned) checkCoolifyVersion(problems, versioned);
  const apps = part(["domain", "dns", "hetzner", "servers", "production", "apps"]);
  if (apps && inZone(apps.domain, apps.dns.zone)) checkApps(problems, apps);
  const backup = part(["apps", "coolifyBackup"]);
  if (backup) checkCoolifyBackup(problems, backup);
  const monitored = part(["domain", "production", "observability", "apps"]);
  if (monitored) checkMonitoringHosts(problems, monitored);
};

interface KeyHolder {
  readonly env: string;
  readonly name: string;
  readonly purpose: SshKeyPurpose;
}

/**
 * A deploy or coolify-workers key may be in no other environment, in any purpose: it is reported
 * where it appears after its first environment. People's admin keys may be in several.
 */
const checkKeysAcrossEnvironments = (problems: Problems, environments: readonly (readonly [number, EnvironmentConfig])[]): void => {
  /** Fingerprint → the entries holding that key in the environments already read. */
  const earlier = new Map<string, KeyHolder[]>();
  const ownedByOne = (purpose: SshKeyPurpose): boolean => ENVIRONMENT_OWN_PURPOSES.includes(purpose);
  for (const [i, env] of environments) {
    const here: [string, KeyHolder][] = [];
    for (const [k, key] of env.sshPublicKeys.entries()) {
      const print = fingerprint(key.publicKey);
      const clashes = (earlier.get(print) ?? []).filter((other) => other.env !== env.name && (ownedByOne(other.purpose) || ownedByOne(key.purpose)));
      if (clashes.length > 0) {
        const owners = clashes.map((other) => `${other.purpose} key ${quote(other.name)} of environment ${quote(other.env)}`).join(", ");
        problems.add(
          [i, "sshPublicKeys", k, "publicKey"],
          `is the same key (${print}) as ${owners}; a ${ENVIRONMENT_OWN_PURPOSES.join(" or ")} key belongs to one environment: generate one for each (only admin keys, a person's own, may be in several environments)`,
        );
      }
      here.push([print, { env: env.name, name: key.name, purpose: key.purpose }]);
    }
    for (const [print, entry] of here) earlier.set(print, [...(earlier.get(print) ?? []), entry]);
  }
};

/** Each DNS record name with the field that asks for it: a custom domain, an application's domain, else the environment's `domain`. */
const dnsRecordFields = (env: EnvironmentConfig): (readonly [string, Path])[] => {
  const fields = new Map<string, Path>();
  for (const [p, project] of (env.apps?.projects ?? []).entries()) {
    for (const [a, app] of (project.applications ?? []).entries()) {
      for (const [d, host] of applicationHosts(app).entries()) {
        if (!fields.has(host)) fields.set(host, ["apps", "projects", p, "applications", a, "domains", d, ...(app.kind === "docker-compose" ? ["domain"] : [])]);
      }
    }
  }
  for (const [c, host] of (env.apps?.customDomains ?? []).entries()) fields.set(host, ["apps", "customDomains", c]);
  return dnsRecordNames(env).map((name) => [name, fields.get(name) ?? ["domain"]]);
};

/**
 * Names two environments must not share: Hetzner resource names (`<env>-<name>` can coincide, e.g.
 * `a` + `b-web` and `a-b` + `web`) and DNS records in one zone; and machines' SSH keys.
 */
export const checkAcrossEnvironments = (problems: Problems, environments: readonly (readonly [number, EnvironmentConfig])[]): void => {
  const owners = new Map<string, string>();
  const claim = (path: Path, key: string, what: string, env: EnvironmentConfig): void => {
    const owner = owners.get(key);
    if (owner && owner !== env.name) problems.add(path, `${what} is also created by environment ${quote(owner)}`);
    else owners.set(key, env.name);
  };
  for (const [i, env] of environments) {
    for (const [s, server] of env.servers.entries()) {
      const name = resourceName(env, server.name);
      claim([i, "servers", s, "name"], `hetzner server ${name}`, `Hetzner server ${quote(name)}`, env);
    }
    for (const [k, key] of env.sshPublicKeys.entries()) {
      const name = resourceName(env, key.name);
      claim([i, "sshPublicKeys", k, "name"], `hetzner key ${name}`, `Hetzner SSH key ${quote(name)}`, env);
    }
    for (const [name, path] of dnsRecordFields(env))
      claim([i, ...path], `dns ${env.dns.zone} ${name}`, `DNS record ${quote(name)} in zone ${quote(env.dns.zone)}`, env);
  }
  checkKeysAcrossEnvironments(problems, environments);
};
