/**
 * The shape of the platform configuration, one schema from which the types are inferred and the
 * JSON Schema for editors is generated (`config/platform.schema.json`). Rules that relate fields to
 * each other run afterwards, on the parsed value (`config/rules.ts`).
 */
import { z } from "zod";
import { COOLIFY_RELEASE_PATHS, COOLIFY_VERSION_PATTERN, type CoolifyReleasePath, DATABASE_KINDS } from "../catalog/coolify";
import {
  BUILD_PACKS,
  descriptionProblem,
  directoryPathProblem,
  dockerImageProblem,
  environmentVariableKeyProblem,
  gitBranchProblem,
  gitRepositoryUrlProblem,
  healthCheckCommandProblem,
  healthCheckPathProblem,
  PROJECT_NAME_MIN_LENGTH,
  s3BucketProblem,
} from "../catalog/coolify-validation";
import { DOCKER_MIN_CPUS, DOCKER_MIN_MEMORY_BYTES } from "../catalog/docker";
import { HETZNER_IMAGES, HETZNER_LOCATION_NAMES, HETZNER_SERVER_TYPE_NAMES, VOLUME_SIZE_GB } from "../catalog/hetzner";
import { CLOUDFLARE_ACCOUNT_ID_PATTERN, CLOUDFLARE_ACCOUNT_ID_RULE, HETZNER_OBJECT_STORAGE_LOCATIONS } from "../catalog/object-storage";
import { PORTS } from "../catalog/ports";
import { CRON_NAMES, cronProblem } from "./cron";
import { ADMIN_CIDR_MIN_PREFIX, cidrProblem, DOMAIN_PATTERN, sshHostKeyProblem, sshPublicKeyProblem } from "./network-values";
import { isRecord, quote } from "./problems";
import { checkedText, type Frozen, list, oneOf, strict, text, wholeNumber } from "./schema-kit";
import { secretLiteralProblem } from "./secrets";

/** A DNS label: letters, digits and dashes inside, never a dash at either end (RFC 1123). */
const hostLabel = (maxLength: number): RegExp => new RegExp(`^[a-z](?:[a-z0-9-]{0,${maxLength - 2}}[a-z0-9])?$`);

export const ENVIRONMENT_NAME_PATTERN = hostLabel(20);
const SERVER_NAME_PATTERN = hostLabel(30);
/** Label keys every Hetzner resource carries (config/naming.ts `standardLabels`); configuration may not override them. */
export const STANDARD_LABEL_KEYS = ["environment", "role", "managed-by"] as const;
/** Lowercase letters, digits and single dashes, starting with a letter; at most 40 characters. */
const APP_NAME_PATTERN = /^(?=.{1,40}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const APP_NAME_RULE = "a name of lowercase letters, digits and single dashes, starting with a letter (at most 40)";
const SECRET_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const IMAGE_PATTERN = /^[a-z0-9][a-z0-9._/:@-]*$/;
const COMPOSE_SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Hetzner label rules: up to 63 characters, alphanumeric at both ends, `-_.` inside; keys may carry a DNS prefix.
const LABEL_PART = "[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?";
const LABEL_KEY_PATTERN = new RegExp(`^(?:[a-z0-9.-]{1,253}/)?${LABEL_PART}$`);
const LABEL_VALUE_PATTERN = new RegExp(`^(?:${LABEL_PART})?$`);
const LABEL_RULE = "alphanumeric at both ends, -_. inside, at most 63 characters";
const MIN_EXCEPTION_REASON_LENGTH = 20;
/** A construct path inside a stack, as the synth prints it (the key of an import). */
const CONSTRUCT_PATH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;

const MEMORY_PATTERN = /^([1-9]\d*)([kmg])$/;
const MEMORY_UNIT_BYTES: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes of a memory limit as Docker reads it (`512m`, `2g`). */
export const memoryBytes = (memory: string): number => {
  const [, amount, unit] = MEMORY_PATTERN.exec(memory) ?? [];
  return Number(amount) * (MEMORY_UNIT_BYTES[unit] ?? Number.NaN);
};

const name = text(APP_NAME_PATTERN, APP_NAME_RULE);
const releaseChecksum = z
  .string({ error: (issue) => (issue.input === undefined ? "is missing: set the SHA-256 of this release file (64 lowercase hex characters)" : undefined) })
  .regex(/^[0-9a-f]{64}$/, { error: (issue) => `${quote(issue.input)} is not a SHA-256 (64 lowercase hex characters)` });
const cidr = checkedText((value) => {
  const problem = cidrProblem(value);
  return problem && `${quote(value)} ${problem}`;
});
const port = (min = 1) => wholeNumber(min, 65535);
const hostName = (example: string) => text(DOMAIN_PATTERN, `a lowercase host name like ${example} (no scheme)`);
// Coolify trims schedules (and Terraform would show a change on every plan): the value sent is the value checked.
const schedule = checkedText((value) => {
  const problem = cronProblem(value);
  return problem && `bad cron expression ${quote(value)}: ${problem}`;
}, true);

const secretReference = strict({
  secret: text(SECRET_NAME_PATTERN, "a secret name (lowercase letters, digits, underscores)"),
});

/** A literal (checked so that it does not look like a secret) or a reference to a secret variable. */
const envValue = z.union([z.string(), secretReference], {
  error: (issue) => `must be a string or { "secret": "<name>" }, got ${quote(issue.input)}`,
});

const variables = z.record(z.string(), envValue).check((ctx) => {
  for (const [key, value] of Object.entries(ctx.value)) {
    const keyProblem = environmentVariableKeyProblem(key);
    if (keyProblem) ctx.issues.push({ code: "custom", path: [key], input: key, message: `${quote(key)} ${keyProblem}` });
    const reason = typeof value === "string" ? secretLiteralProblem(key, value) : undefined;
    if (reason) {
      ctx.issues.push({
        code: "custom",
        path: [key],
        input: key,
        message: `a literal value is not allowed because ${reason}; use { "secret": "<name>" } and set TF_VAR_secret_<name>`,
      });
    }
  }
});

const limits = strict({
  cpus: z.number({ error: (issue) => `${quote(issue.input)} must be a number of CPUs, e.g. 0.5 or 2` }).min(DOCKER_MIN_CPUS, {
    error: (issue) => `${quote(issue.input)} is below Docker's minimum of ${DOCKER_MIN_CPUS} CPUs`,
  }),
  memory: text(MEMORY_PATTERN, "a memory size like 512m or 2g").refine((memory) => memoryBytes(memory) >= DOCKER_MIN_MEMORY_BYTES, {
    error: (issue) => `${quote(issue.input)} is below Docker's minimum of ${DOCKER_MIN_MEMORY_BYTES / 1024 ** 2}m`,
  }),
}).partial();

/** A value the schema already holds as text, also checked against one of Coolify's rules. */
const coolifyChecked = (check: (value: string) => string | undefined) =>
  checkedText((value) => {
    const problem = check(value);
    return problem && `${quote(value)} ${problem}`;
  });

const healthCheck = strict({
  path: coolifyChecked((path) => (path.startsWith("/") ? healthCheckPathProblem(path) : "is not an absolute path like /health")).optional(),
  command: coolifyChecked(healthCheckCommandProblem).optional(),
  port: port().optional(),
  intervalSeconds: wholeNumber(1, 3600).optional(),
  timeoutSeconds: wholeNumber(1, 3600).optional(),
  retries: wholeNumber(1, 100).optional(),
}).refine((check) => (check.path === undefined) !== (check.command === undefined), { error: "set exactly one of path (HTTP check) or command" });

const scheduledTask = strict({
  name,
  command: text(),
  schedule: schedule.describe(`Cron expression (0 3 * * *) or one of Coolify's names (${CRON_NAMES.join(", ")}, @daily, ...)`),
  container: text(COMPOSE_SERVICE_PATTERN, "a container (compose service) name").optional(),
  timeoutSeconds: wholeNumber(1, 86400).optional(),
});

const applicationBase = {
  name,
  description: text().optional(),
  /** Coolify environment inside the project; `production` (the default) or one listed in the project. */
  environment: text().optional(),
  /** Name of a server of this environment; defaults to the Coolify host. */
  server: text().optional(),
  env: variables.optional(),
  deployOnCreate: z.boolean().optional(),
  scheduledTasks: z.array(scheduledTask).optional(),
};

const containerApplication = {
  ...applicationBase,
  domains: z.array(text(DOMAIN_PATTERN, "a lowercase host name like web.example.com (no scheme)")).optional(),
  ports: list(port(), 1),
  healthCheck: healthCheck.optional(),
  limits: limits.optional(),
  buildEnv: variables.optional(),
};

const gitApplication = {
  ...containerApplication,
  branch: coolifyChecked(gitBranchProblem).optional(),
  buildPack: oneOf(BUILD_PACKS, "build pack").optional(),
  baseDirectory: coolifyChecked(directoryPathProblem).optional(),
};

const APPLICATION_KINDS = ["docker-image", "public-git", "private-git", "dockerfile", "docker-compose"] as const;

const application = z.discriminatedUnion(
  "kind",
  [
    strict({ kind: z.literal("docker-image"), image: checkedText(dockerImageProblem), ...containerApplication }),
    strict({
      kind: z.literal("public-git"),
      repository: coolifyChecked((url) => (url.startsWith("https://") ? gitRepositoryUrlProblem(url) : "is not an https:// URL of a public repository")),
      ...gitApplication,
    }),
    strict({
      kind: z.literal("private-git"),
      repository: coolifyChecked((url) => (url.startsWith("git@") ? gitRepositoryUrlProblem(url) : "is not an SSH URL like git@github.com:acme/api.git")),
      /** Secret holding the deploy key (an OpenSSH private key) that may read the repository. */
      deployKey: secretReference,
      ...gitApplication,
    }),
    strict({ kind: z.literal("dockerfile"), dockerfile: text(/^\s*FROM\s+\S/im, "a Dockerfile (it needs a FROM line)"), ...containerApplication }),
    strict({
      kind: z.literal("docker-compose"),
      compose: text(/^services:/m, "a Docker Compose file (it needs a top-level services: key)"),
      domains: z
        .array(strict({ service: text(COMPOSE_SERVICE_PATTERN, "a service name from the compose file"), domain: hostName("web.example.com") }))
        .optional(),
      ...applicationBase,
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `${quote(isRecord(issue.input) ? issue.input.kind : issue.input)} is not a known application kind (allowed: ${APPLICATION_KINDS.join(", ")})`
        : undefined,
  },
);

const backup = strict({
  schedule,
  /** Name of an entry in `apps.s3Storages`. */
  storage: text(),
  retention: strict({ count: wholeNumber(1, 1000).optional(), days: wholeNumber(1, 3650).optional() }).refine(
    (retention) => retention.count !== undefined || retention.days !== undefined,
    { error: "set count and/or days" },
  ),
});

const database = strict({
  name,
  kind: oneOf(DATABASE_KINDS, "database kind"),
  description: text().optional(),
  environment: text().optional(),
  server: text().optional(),
  image: text(IMAGE_PATTERN, "an image reference like postgres:16-alpine").optional(),
  limits: limits.optional(),
  /** Expose the database on this port of its server's public address; private when absent. */
  publicPort: port(1024)
    .refine((value) => !(Object.values(PORTS) as number[]).includes(value), {
      error: (issue) => `port ${quote(issue.input)} is used by the platform (${Object.values(PORTS).join(", ")})`,
    })
    .optional(),
  /** Required in production for kinds Coolify can back up. */
  backup: backup.optional(),
  /** Only for kinds Coolify cannot back up: losing the data is acceptable, which production requires in place of a backup. */
  ephemeral: z.boolean().optional(),
});

/** The Coolify environment every project has; resources go there unless they name another. */
export const DEFAULT_COOLIFY_ENVIRONMENT = "production";

const project = strict({
  name: name.refine((value) => value.length >= PROJECT_NAME_MIN_LENGTH, {
    error: (issue) => `${quote(issue.input)} is shorter than the ${PROJECT_NAME_MIN_LENGTH} characters Coolify requires of a project name`,
  }),
  description: coolifyChecked(descriptionProblem).optional(),
  /** Coolify environments besides `production`, which Coolify creates with every project. */
  environments: z.array(name).optional(),
  applications: z.array(application).optional(),
  databases: z.array(database).optional(),
});

/**
 * An S3-compatible bucket for database backups. Credentials come from the sensitive variables
 * `s3_<name>_access_key` and `s3_<name>_secret_key` (dashes in the name become underscores).
 */
const s3Storage = z.discriminatedUnion(
  "provider",
  [
    strict({
      name,
      provider: z.literal("hetzner"),
      bucket: checkedText(s3BucketProblem),
      location: oneOf(HETZNER_OBJECT_STORAGE_LOCATIONS, "Hetzner Object Storage location"),
    }),
    strict({
      name,
      provider: z.literal("r2"),
      bucket: checkedText(s3BucketProblem),
      accountId: text(CLOUDFLARE_ACCOUNT_ID_PATTERN, CLOUDFLARE_ACCOUNT_ID_RULE),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `${quote(isRecord(issue.input) ? issue.input.provider : issue.input)} is not a known S3 provider (allowed: hetzner, r2)`
        : undefined,
  },
);

export const NOTIFICATION_EVENTS = ["deployment-failure", "backup-failure", "server-unreachable"] as const;

const apps = strict({
  projects: z.array(project),
  s3Storages: z.array(s3Storage).optional(),
  /** Discord notifications; the webhook URL comes from the sensitive variable `discord_webhook_url`. */
  notifications: strict({ discord: strict({ events: list(oneOf(NOTIFICATION_EVENTS, "notification event"), 1) }).optional() }).optional(),
  /** Host names in the Cloudflare zone that applications may use besides `<name>.<domain>` (e.g. the apex or `www`). */
  customDomains: z.array(hostName("www.example.com")).optional(),
  /**
   * Resources that already exist in Coolify, imported instead of created: the construct path in the
   * apps stack (as the synth prints it, e.g. `project-shop/app-web/application`) to the provider's
   * import id. `npm run adopt` writes it; a path that matches no resource fails the synth.
   */
  adopted: z.record(text(CONSTRUCT_PATH_PATTERN, "a construct path like project-shop/app-web/application"), text()).optional(),
});

const SCAN_SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

/** Monitoring, alerting and image scanning of the environment (`constructs/observability/`). */
const observability = strict({
  /** Defaults to the environment's `production`. */
  enabled: z.boolean().optional(),
  /** Alert thresholds; each defaults to the value in `docs/observability.md`. */
  thresholds: strict({
    diskUsedPercent: wholeNumber(1, 99).optional(),
    memoryUsedPercent: wholeNumber(1, 99).optional(),
    certificateExpiryDays: wholeNumber(1, 90).optional(),
    /** Added to a database backup's schedule interval before a missing backup alerts. */
    backupGraceMinutes: wholeNumber(1, 10080).optional(),
  }).optional(),
  /** Trivy scan of the images running in the environment, findings reported to Discord. */
  securityScan: strict({ schedule: schedule.optional(), minimumSeverity: oneOf(SCAN_SEVERITIES, "severity").optional() }).optional(),
});

/** Backup of Coolify itself (database, APP_KEY, SSH keys, proxy configuration) to an S3 storage of `apps.s3Storages`. */
const coolifyBackup = strict({
  /** Name of an entry in `apps.s3Storages`. */
  storage: text(),
  schedule: schedule.optional(),
});

/** The rules every synth enforces (`aspects/guardrails.ts`). */
export const SYNTH_GUARDRAIL_RULES = [
  "production-protection",
  "admin-ports-not-public",
  "database-backup",
  "standard-labels",
  "sensitive-literal",
  "sensitive-output",
  "budget",
] as const;

/** Rules checked on a saved plan before it is shown or applied (`tools/plan-guard.ts`). */
const PLAN_GUARDRAIL_RULES = ["stateful-deletion"] as const;

const GUARDRAIL_RULES = [...SYNTH_GUARDRAIL_RULES, ...PLAN_GUARDRAIL_RULES] as const;

const guardrailException = strict({
  rule: oneOf(GUARDRAIL_RULES, "guardrail rule"),
  /**
   * Construct path of the resource, as the failing synth prints it, e.g. `production-infra/firewall/firewall`;
   * for `stateful-deletion`, `<stack>/<terraform address>` as the plan check prints it.
   */
  path: text(),
  /** Why breaking the rule is acceptable here. */
  reason: text(undefined, undefined, true).refine((reason) => reason.length >= MIN_EXCEPTION_REASON_LENGTH, {
    error: `must explain the exception in at least ${MIN_EXCEPTION_REASON_LENGTH} characters`,
  }),
  /** Who reviewed and approved the exception. */
  approvedBy: text(),
});

const labels = z.record(z.string(), z.string()).check((ctx) => {
  for (const [key, value] of Object.entries(ctx.value)) {
    const add = (message: string) => ctx.issues.push({ code: "custom", path: [key], input: key, message });
    if ((STANDARD_LABEL_KEYS as readonly string[]).includes(key)) {
      add(`is set automatically and cannot be overridden (reserved: ${STANDARD_LABEL_KEYS.join(", ")})`);
    } else if (!LABEL_KEY_PATTERN.test(key)) {
      add(`is not a valid Hetzner label key (${LABEL_RULE})`);
    }
    if (!LABEL_VALUE_PATTERN.test(value)) add(`value ${quote(value)} is not a valid Hetzner label value (${LABEL_RULE})`);
  }
});

const SERVER_ROLES = ["coolify-host", "worker"] as const;

/**
 * Whose an SSH key is. `deploy` and `coolify-workers` keys are machines' keys, generated for one
 * environment and found in no other; `admin` keys are people's own and may be in several.
 */
const SSH_KEY_PURPOSES = ["deploy", "coolify-workers", "admin"] as const;

const mail = strict({
  /** Servers that receive the domain's mail; none when it only sends. */
  mx: z.array(strict({ host: hostName("mx1.mail.example.net"), priority: wholeNumber(0, 65535) })).optional(),
  /** The domain's SPF policy, e.g. `v=spf1 include:_spf.mail.example.net -all`. */
  spf: text(/^v=spf1( [!-~]+)* [-~]all$/, "an SPF record like v=spf1 include:_spf.mail.example.net -all (ending in -all or ~all)"),
  /** DKIM public keys, each published at `<selector>._domainkey.<domain>`. */
  dkim: z
    .array(
      strict({
        selector: text(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "a DKIM selector (lowercase letters, digits, dashes)"),
        value: text(/^v=DKIM1;[ -~]+$/, "a DKIM record like v=DKIM1; k=rsa; p=MIIB..."),
      }),
    )
    .optional(),
  /** DMARC policy for mail that fails SPF and DKIM: `reject` unless set. */
  dmarcPolicy: oneOf(["reject", "quarantine"], "DMARC policy").optional(),
});

export const environmentSchema = strict({
  /** Lowercase letters, digits and dashes; used in stack, resource and host names. */
  name: text(ENVIRONMENT_NAME_PATTERN, "an environment name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 20)"),
  /** Base domain of the environment; the dashboard is `coolify.<domain>`, applications `*.<domain>`. */
  domain: text(DOMAIN_PATTERN, "a lowercase domain name like staging.example.com"),
  dns: strict({
    /** Cloudflare zone the environment's records live in. */
    zone: text(DOMAIN_PATTERN, "a lowercase domain name like example.com"),
    /** Route traffic through Cloudflare's proxy. Off by default: Traefik issues Let's Encrypt certificates itself. */
    proxied: z.boolean().optional(),
    /**
     * The mail the environment's domain sends and receives. Without it the domain sends no mail and
     * publishes so: SPF `v=spf1 -all` and DMARC `p=reject`, so nobody can send mail in its name.
     */
    mail: mail.optional(),
  }),
  hetzner: strict({
    location: oneOf(HETZNER_LOCATION_NAMES, "Hetzner location"),
    serverType: oneOf(HETZNER_SERVER_TYPE_NAMES, "Hetzner server type"),
    image: oneOf(HETZNER_IMAGES, "Hetzner image"),
  }),
  /**
   * The keys Hetzner puts on every server for root. One `deploy` key (two while rotating it): the key
   * the bootstrap and CI log in with, its private half the environment's `TF_VAR_COOLIFY_SSH_PRIVATE_KEY`.
   */
  sshPublicKeys: list(
    strict({
      name: text(SERVER_NAME_PATTERN, "a key name (lowercase letters, digits, dashes; no dash at the end)"),
      /**
       * `deploy`: the bootstrap's and CI's key. `coolify-workers`: the key Coolify reaches the workers
       * with, its private half the apps stack's `worker_ssh_private_key`. Both are generated for this
       * environment alone (`ssh-keygen -t ed25519 -C ci-deploy@<env>`), never a person's key.
       * `admin`: a person's own key; the same person's key may be in several environments.
       */
      purpose: oneOf(SSH_KEY_PURPOSES, "key purpose"),
      /** One OpenSSH public key line, e.g. `ssh-ed25519 AAAA... user@host`. */
      publicKey: checkedText(sshPublicKeyProblem, true),
    }),
    1,
  ),
  /**
   * The public half of the environment's SSH host key, `ssh-ed25519 AAAA... host@<env>`: every server
   * gets the private half (`TF_VAR_COOLIFY_SSH_HOST_KEY`) through cloud-init, and every SSH connection
   * Terraform opens to a server accepts only this key. `npm run new-environment` generates the pair.
   */
  sshHostKey: checkedText(sshHostKeyProblem, true),
  /** CIDRs that may reach SSH and the Coolify dashboard/realtime ports. */
  adminCidrs: list(cidr, 1),
  /**
   * The shortest prefix (broadest network) an admin CIDR may have, per family: 16 for IPv4 and 32
   * for IPv6 unless set here, and never broader than /8 and /16.
   */
  adminCidrMinPrefix: strict({
    ipv4: wholeNumber(ADMIN_CIDR_MIN_PREFIX.ipv4.broadest, 32).optional(),
    ipv6: wholeNumber(ADMIN_CIDR_MIN_PREFIX.ipv6.broadest, 128).optional(),
  }).optional(),
  coolify: strict({
    version: text(COOLIFY_VERSION_PATTERN, "a Coolify v4 version like 4.3.9"),
    /**
     * Where the deploy runner (CI) reaches Coolify's API from. With `adminCidrs`, the only sources the
     * proxy lets through to the dashboard, its API, realtime (`/app`) and web terminal (`/terminal/ws`).
     */
    deployRunnerCidrs: z.array(cidr).optional(),
    /**
     * Where the bootstrap fetches the release's files (a mirror laid out like the release tag's tree)
     * and their SHA-256s; by default the tag itself and the checksums in catalog/coolify.ts.
     */
    release: strict({
      baseUrl: text(/^https:\/\/\S+[^/\s]$/, "an https:// URL laid out like the release tag's tree, without a trailing /").optional(),
      sha256: strict(
        Object.fromEntries(COOLIFY_RELEASE_PATHS.map((path) => [path, releaseChecksum])) as Record<CoolifyReleasePath, typeof releaseChecksum>,
      ).optional(),
    }).optional(),
  }),
  /** Exactly one `coolify-host`, any number of `worker`s. */
  servers: list(
    strict({
      /** Short name, unique per environment; the Hetzner name becomes `<env>-<name>`. */
      name: text(SERVER_NAME_PATTERN, "a server name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 30)"),
      role: oneOf(SERVER_ROLES, "server role"),
      /** Overrides the environment's `hetzner.serverType`. */
      serverType: oneOf(HETZNER_SERVER_TYPE_NAMES, "Hetzner server type").optional(),
      /** Size of an extra block volume for persistent data, in GB. */
      volumeSizeGb: wholeNumber(VOLUME_SIZE_GB.min, VOLUME_SIZE_GB.max).optional(),
    }),
    1,
  ),
  /** Extra labels put on every Hetzner resource (the standard ones are added automatically). */
  labels: labels.optional(),
  /** Turns on deletion protection, `prevent_destroy` and replacement guards. */
  production: z.boolean(),
  /** What runs inside this environment's Coolify (the `<env>-apps` stack). */
  apps: apps.optional(),
  /**
   * Hetzner and Cloudflare resources that already exist (a host built by hand), imported instead of
   * created: the construct path in the infra stack (e.g. `host/server`, `dns/dashboard-a`) to the
   * provider's import id. `npm run adopt-infra` writes it; a path that matches no resource fails the synth.
   */
  adoptedInfra: z.record(text(CONSTRUCT_PATH_PATTERN, "a construct path like host/server"), text()).optional(),
  /** Monthly budget in net EUR for the environment's stacks together; a synth over it fails (guardrail rule `budget`). */
  monthlyBudgetEur: z.number({ error: "must be a number of euros per month" }).positive({ error: "must be a positive number of euros per month" }).optional(),
  observability: observability.optional(),
  coolifyBackup: coolifyBackup.optional(),
  /** Deliberate, reviewed exceptions to the guardrails; each shows up in the synth summary. */
  guardrailExceptions: z.array(guardrailException).optional(),
});

export const platformSchema = strict({
  /** The JSON Schema an editor checks the file against. */
  $schema: z.string().optional(),
  environments: list(environmentSchema, 1),
});

export type PlatformConfig = Frozen<z.infer<typeof platformSchema>>;
export type EnvironmentConfig = Frozen<z.infer<typeof environmentSchema>>;
export type SshPublicKey = EnvironmentConfig["sshPublicKeys"][number];
export type SshKeyPurpose = SshPublicKey["purpose"];
export type ServerConfig = EnvironmentConfig["servers"][number];
export type ServerRole = ServerConfig["role"];
export type GuardrailException = Frozen<z.infer<typeof guardrailException>>;
export type GuardrailRule = GuardrailException["rule"];
export type AppsConfig = Frozen<z.infer<typeof apps>>;
export type ProjectConfig = Frozen<z.infer<typeof project>>;
export type ApplicationConfig = Frozen<z.infer<typeof application>>;
export type ApplicationKind = ApplicationConfig["kind"];
export type DockerComposeApplication = Extract<ApplicationConfig, { kind: "docker-compose" }>;
export type PrivateGitApplication = Extract<ApplicationConfig, { kind: "private-git" }>;
export type PublicGitApplication = Extract<ApplicationConfig, { kind: "public-git" }>;
export type HealthCheckConfig = Frozen<z.infer<typeof healthCheck>>;
export type EnvValue = Frozen<z.infer<typeof envValue>>;
export type SecretReference = Frozen<z.infer<typeof secretReference>>;
export type DatabaseConfig = Frozen<z.infer<typeof database>>;
export type S3StorageConfig = Frozen<z.infer<typeof s3Storage>>;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];
export type DiscordNotificationConfig = NonNullable<NonNullable<AppsConfig["notifications"]>["discord"]>;
