/** Naming rules: how an environment's names, hosts and labels are derived. One place for each rule. */
import type { ApplicationConfig, EnvironmentConfig, ServerConfig, ServerRole } from "./schema";

/** FNV-1a (32 bit): a small, stable hash of a server name. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
};

/**
 * Hetzner keeps .1 of a subnet for its gateway. The Coolify host takes .10; a worker takes one of
 * .11-.250 chosen by a hash of its name, so that adding, removing or reordering servers never
 * moves another server (which would re-address it and re-register it in Coolify).
 */
const HOST_NUMBER = 10;
const FIRST_WORKER_NUMBER = 11;
const WORKER_NUMBERS = 240;

/** The last number of a server's private address, from its role and name only (the rules check two workers never share one). */
export const privateHostNumber = (server: { readonly name: string; readonly role: ServerRole }): number =>
  server.role === "coolify-host" ? HOST_NUMBER : FIRST_WORKER_NUMBER + (fnv1a(server.name) % WORKER_NUMBERS);

export const STACK_KINDS = ["infra", "apps"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Every environment has one stack of each kind, named `<env>-<kind>`. */
export const stackName = (env: Pick<EnvironmentConfig, "name">, kind: StackKind): string => `${env.name}-${kind}`;

/** The environment a stack belongs to: the one for which the stack is `<env>-<kind>`. */
export const environmentOfStack = (stack: string, environments: readonly Pick<EnvironmentConfig, "name">[]): string | undefined =>
  environments.find((env) => STACK_KINDS.some((kind) => stack === stackName(env, kind)))?.name;

/** Whether a construct path lies in one of the environment's stacks. */
export const inStacksOf = (path: string, env: Pick<EnvironmentConfig, "name">): boolean =>
  STACK_KINDS.some((kind) => path.startsWith(`${stackName(env, kind)}/`));

/** Hetzner resource name: `<env>-<name>`. */
export const resourceName = (env: Pick<EnvironmentConfig, "name">, name: string): string => `${env.name}-${name}`;

/** Terraform identifiers (output names, variable names) use underscores only. */
export const terraformId = (...parts: string[]): string => parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");

export const DASHBOARD_SUBDOMAIN = "coolify";

export const dashboardHost = (env: Pick<EnvironmentConfig, "domain">): string => `${DASHBOARD_SUBDOMAIN}.${env.domain}`;

export const httpsUrl = (host: string): string => `https://${host}`;

export const dashboardUrl = (env: Pick<EnvironmentConfig, "domain">): string => httpsUrl(dashboardHost(env));

/** The server Coolify itself runs on; validation guarantees exactly one. */
export const coolifyHost = (env: Pick<EnvironmentConfig, "servers">): ServerConfig => {
  const host = env.servers.find((s) => s.role === "coolify-host");
  if (!host) throw new Error("validated configuration has no coolify-host");
  return host;
};

export const wildcardHost = (env: Pick<EnvironmentConfig, "domain">): string => `*.${env.domain}`;

/** A name the Cloudflare zone holds: the zone itself or a name below it. */
export const inZone = (host: string, zone: string): boolean => host === zone || host.endsWith(`.${zone}`);

/** The monitoring UIs, each served at `<name>.<domain>` to the admin CIDRs (docs/observability.md). */
export const MONITORING_UIS = ["grafana", "prometheus", "alertmanager"] as const;
export type MonitoringUi = (typeof MONITORING_UIS)[number];
export const monitoringUiHost = (env: Pick<EnvironmentConfig, "domain">, ui: MonitoringUi): string => `${ui}.${env.domain}`;

/** True for `<one label>.<domain>`, the names the wildcard record covers. */
export const underWildcard = (host: string, domain: string): boolean => host.endsWith(`.${domain}`) && !host.slice(0, -domain.length - 1).includes(".");

/** Host names an application serves, whatever its kind. */
export const applicationHosts = (app: ApplicationConfig): string[] =>
  app.kind === "docker-compose" ? (app.domains ?? []).map((d) => d.domain) : [...(app.domains ?? [])];

/** A DNS name that needs its own record, and the server (by configuration name) it must point at. */
export interface ApplicationDnsName {
  readonly host: string;
  readonly server: string;
}

/**
 * The names the wildcard record does not serve correctly: custom domains (outside the wildcard),
 * and names of applications running on a worker (each server's proxy answers only for its own
 * applications, while the wildcard points at the Coolify host). A listed custom domain that no
 * application uses points at the Coolify host.
 */
export const applicationDnsNames = (env: Pick<EnvironmentConfig, "servers" | "apps">): ApplicationDnsName[] => {
  const hostServer = coolifyHost(env).name;
  const custom = new Set(env.apps?.customDomains ?? []);
  const names = new Map<string, string>();
  for (const project of env.apps?.projects ?? []) {
    for (const app of project.applications ?? []) {
      const server = app.server ?? hostServer;
      for (const host of applicationHosts(app)) {
        if (custom.has(host) || server !== hostServer) names.set(host, server);
      }
    }
  }
  for (const host of custom) if (!names.has(host)) names.set(host, hostServer);
  return [...names].map(([host, server]) => ({ host, server }));
};

/** Every name the environment's DNS records are created at (besides its CAA records at the domain itself). */
export const dnsRecordNames = (env: Pick<EnvironmentConfig, "domain" | "servers" | "apps">): string[] => [
  dashboardHost(env),
  wildcardHost(env),
  ...applicationDnsNames(env).map(({ host }) => host),
];

export const MANAGED_BY = "cdktf";

export type LabelRole = ServerRole | "network" | "firewall" | "ssh-key" | "primary-ip" | "volume" | "placement-group";

export const standardLabels = (env: Pick<EnvironmentConfig, "name" | "labels">, role: LabelRole): Record<string, string> => ({
  ...env.labels,
  environment: env.name,
  role,
  "managed-by": MANAGED_BY,
});
