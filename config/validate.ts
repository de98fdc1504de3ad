/**
 * Validation of the whole configuration, run once before any construct is built.
 * It works on `unknown` so that configuration loaded from JSON gets the same checks as typed data.
 */
import { HETZNER_IMAGES, HETZNER_LOCATIONS, HETZNER_SERVER_TYPES, VOLUME_SIZE_GB } from "./hetzner-catalog";
import { STANDARD_LABEL_KEYS } from "./naming";
import { cidrProblem, DOMAIN_PATTERN, sshPublicKeyProblem } from "./network-values";
import { Fields, isRecord, Problems, quote } from "./problems";
import { GUARDRAIL_RULES, type PlatformConfig, type ServerRole } from "./types";
import { validateApplications } from "./validate-apps";

export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
export const SERVER_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;
export const COOLIFY_VERSION_PATTERN = /^4\.\d+\.\d+(-(beta|rc)\.\d+)?$/;
const SERVER_ROLES: readonly ServerRole[] = ["coolify-host", "worker"];
// Hetzner label rules: up to 63 characters, alphanumeric at both ends, `-_.` inside; keys may carry a DNS prefix.
const LABEL_PART = "[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?";
const LABEL_KEY_PATTERN = new RegExp(`^(?:[a-z0-9.-]{1,253}/)?${LABEL_PART}$`);
const LABEL_VALUE_PATTERN = new RegExp(`^(?:${LABEL_PART})?$`);

const validateHetzner = (check: Fields, hetzner: unknown): string | undefined => {
  if (!check.record("hetzner", hetzner)) return undefined;
  const locationOk = check.oneOf("hetzner.location", hetzner.location, Object.keys(HETZNER_LOCATIONS), "Hetzner location");
  check.oneOf("hetzner.image", hetzner.image, HETZNER_IMAGES, "Hetzner image");
  const location = locationOk ? (hetzner.location as string) : undefined;
  validateServerType(check, "hetzner.serverType", hetzner.serverType, location);
  return location;
};

const validateServerType = (check: Fields, path: string, serverType: unknown, location: string | undefined): void => {
  if (!check.oneOf(path, serverType, Object.keys(HETZNER_SERVER_TYPES), "Hetzner server type") || !location) return;
  const locations = HETZNER_SERVER_TYPES[serverType];
  if (!locations.includes(location)) {
    check.problems.add(path, `${quote(serverType)} is not sold in ${location} (available in: ${locations.join(", ")})`);
  }
};

const validateServers = (check: Fields, servers: unknown, location: string | undefined): void => {
  if (!check.array("servers", servers, 1)) return;
  servers.forEach((server, i) => {
    const path = `servers[${i}]`;
    if (!check.record(path, server)) return;
    check.string(`${path}.name`, server.name, SERVER_NAME_PATTERN, "a server name (lowercase letters, digits, dashes; starts with a letter; at most 30)");
    check.oneOf(`${path}.role`, server.role, SERVER_ROLES, "server role");
    if (server.serverType !== undefined) validateServerType(check, `${path}.serverType`, server.serverType, location);
    if (server.volumeSizeGb !== undefined) check.integer(`${path}.volumeSizeGb`, server.volumeSizeGb, VOLUME_SIZE_GB.min, VOLUME_SIZE_GB.max);
  });
  check.unique("servers", servers.map((s) => (isRecord(s) ? s.name : undefined)), "server");
  const hosts = servers.filter((s) => isRecord(s) && s.role === "coolify-host").length;
  if (hosts !== 1) check.problems.add("servers", `must contain exactly one server with role "coolify-host", found ${hosts}`);
};

const validateDomain = (check: Fields, domain: unknown, dns: unknown): void => {
  const domainOk = check.string("domain", domain, DOMAIN_PATTERN, "a lowercase domain name like staging.example.com");
  if (!check.record("dns", dns)) return;
  const zoneOk = check.string("dns.zone", dns.zone, DOMAIN_PATTERN, "a lowercase domain name like example.com");
  if (dns.proxied !== undefined) check.boolean("dns.proxied", dns.proxied);
  if (domainOk && zoneOk && domain !== dns.zone && !domain.endsWith(`.${dns.zone}`)) {
    check.problems.add("domain", `${quote(domain)} is not inside the Cloudflare zone ${quote(dns.zone)}`);
  }
};

const validateAccess = (check: Fields, env: Record<string, unknown>): void => {
  if (check.array("sshPublicKeys", env.sshPublicKeys, 1)) {
    env.sshPublicKeys.forEach((key, i) => {
      const path = `sshPublicKeys[${i}]`;
      if (!check.record(path, key)) return;
      check.string(`${path}.name`, key.name, SERVER_NAME_PATTERN, "a key name (lowercase letters, digits, dashes)");
      if (!check.string(`${path}.publicKey`, key.publicKey)) return;
      const problem = sshPublicKeyProblem(key.publicKey);
      if (problem) check.problems.add(`${path}.publicKey`, problem);
    });
    check.unique("sshPublicKeys", env.sshPublicKeys.map((k) => (isRecord(k) ? k.name : undefined)), "SSH key");
  }
  if (check.array("adminCidrs", env.adminCidrs, 1)) {
    env.adminCidrs.forEach((cidr, i) => {
      if (!check.string(`adminCidrs[${i}]`, cidr)) return;
      const problem = cidrProblem(cidr);
      if (problem) check.problems.add(`adminCidrs[${i}]`, `${quote(cidr)} ${problem}`);
    });
  }
};

const validateLabels = (check: Fields, labels: unknown): void => {
  if (labels === undefined || !check.record("labels", labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const path = `labels.${key}`;
    if ((STANDARD_LABEL_KEYS as readonly string[]).includes(key)) {
      check.problems.add(path, `is set automatically and cannot be overridden (reserved: ${STANDARD_LABEL_KEYS.join(", ")})`);
    } else if (!LABEL_KEY_PATTERN.test(key)) {
      check.problems.add(path, "is not a valid Hetzner label key (alphanumeric at both ends, -_. inside, at most 63 characters)");
    }
    if (typeof value !== "string" || !LABEL_VALUE_PATTERN.test(value)) {
      check.problems.add(path, `value ${quote(value)} is not a valid Hetzner label value (alphanumeric at both ends, -_. inside, at most 63 characters)`);
    }
  }
};

const MIN_EXCEPTION_REASON_LENGTH = 20;

const validateGuardrailExceptions = (check: Fields, name: unknown, exceptions: unknown): void => {
  if (exceptions === undefined || !check.array("guardrailExceptions", exceptions)) return;
  const keys = new Set<string>();
  exceptions.forEach((exception, i) => {
    const path = `guardrailExceptions[${i}]`;
    if (!check.record(path, exception)) return;
    check.oneOf(`${path}.rule`, exception.rule, GUARDRAIL_RULES, "guardrail rule");
    if (check.string(`${path}.path`, exception.path) && typeof name === "string" && !exception.path.startsWith(`${name}-`)) {
      check.problems.add(`${path}.path`, `${quote(exception.path)} is not a construct path in one of this environment's stacks (e.g. ${quote(`${name}-infra/firewall/firewall`)})`);
    }
    if (check.string(`${path}.reason`, exception.reason) && exception.reason.trim().length < MIN_EXCEPTION_REASON_LENGTH) {
      check.problems.add(`${path}.reason`, `must explain the exception in at least ${MIN_EXCEPTION_REASON_LENGTH} characters`);
    }
    check.string(`${path}.approvedBy`, exception.approvedBy);
    const key = `${String(exception.rule)} ${String(exception.path)}`;
    if (keys.has(key)) check.problems.add(path, `duplicate exception for rule ${quote(exception.rule)} at ${quote(exception.path)}`);
    keys.add(key);
  });
};

/** Checks the infrastructure half of one environment. */
export const validateInfrastructure = (check: Fields, env: Record<string, unknown>): void => {
  validateDomain(check, env.domain, env.dns);
  const location = validateHetzner(check, env.hetzner);
  validateAccess(check, env);
  if (check.record("coolify", env.coolify)) {
    check.string("coolify.version", env.coolify.version, COOLIFY_VERSION_PATTERN, "a Coolify v4 version like 4.0.0-beta.420");
  }
  validateServers(check, env.servers, location);
  validateLabels(check, env.labels);
  check.boolean("production", env.production);
  validateGuardrailExceptions(check, env.name, env.guardrailExceptions);
};

/**
 * Validates the configuration and returns it typed. Throws a `ConfigError` listing every problem.
 */
export const validateConfig = (raw: unknown): PlatformConfig => {
  const problems = new Problems();
  const root = new Fields(problems);
  if (root.record("config", raw) && root.array("environments", raw.environments, 1)) {
    raw.environments.forEach((env, i) => {
      if (!root.record(`environments[${i}]`, env)) return;
      const nameOk = root.string(`environments[${i}].name`, env.name, ENVIRONMENT_NAME_PATTERN, "an environment name (lowercase letters, digits, dashes; starts with a letter; at most 20)");
      const check = new Fields(problems.forEnvironment(nameOk ? (env.name as string) : `#${i}`));
      validateInfrastructure(check, env);
      validateApplications(check, env);
    });
    root.unique("environments", raw.environments.map((e) => (isRecord(e) ? e.name : undefined)), "environment");
  }
  problems.throwIfAny();
  return raw as unknown as PlatformConfig;
};
