/** Naming rules: how an environment's names, hosts and labels are derived. One place for each rule. */
import type { EnvironmentConfig, ServerConfig, ServerRole } from "./types";

export type StackKind = "infra" | "apps";

export const stackName = (env: Pick<EnvironmentConfig, "name">, kind: StackKind): string => `${env.name}-${kind}`;

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

/** Label keys every Hetzner resource carries; configuration may not override them. */
export const STANDARD_LABEL_KEYS = ["environment", "role", "managed-by"] as const;

export const MANAGED_BY = "cdktf";

export type LabelRole = ServerRole | "network" | "firewall" | "ssh-key" | "primary-ip" | "volume" | "placement-group";

export const standardLabels = (env: Pick<EnvironmentConfig, "name" | "labels">, role: LabelRole): Record<string, string> => ({
  ...env.labels,
  environment: env.name,
  role,
  "managed-by": MANAGED_BY,
});
