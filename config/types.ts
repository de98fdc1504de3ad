import type { AppsConfig } from "./apps-types";

/**
 * The shape of the platform configuration. Plain data: it is validated once, at the edge
 * (`config/validate.ts`), and the stacks and constructs trust it afterwards.
 */

export interface SshPublicKey {
  /** Name of the key in Hetzner Cloud (unique per environment). */
  readonly name: string;
  /** OpenSSH public key line, e.g. `ssh-ed25519 AAAA... user@host`. */
  readonly publicKey: string;
}

export type ServerRole = "coolify-host" | "worker";

export interface ServerConfig {
  /** Short name, unique per environment; the Hetzner name becomes `<env>-<name>`. */
  readonly name: string;
  readonly role: ServerRole;
  /** Overrides the environment's `hetzner.serverType`. */
  readonly serverType?: string;
  /** Size of an extra block volume for persistent data, in GB (10..10240). */
  readonly volumeSizeGb?: number;
}

export interface HetznerConfig {
  readonly location: string;
  readonly serverType: string;
  readonly image: string;
}

export interface DnsConfig {
  /** Cloudflare zone the environment's records live in, e.g. `example.com`. */
  readonly zone: string;
  /** Route traffic through Cloudflare's proxy. Off by default: Traefik issues Let's Encrypt certificates itself. */
  readonly proxied?: boolean;
}

export interface CoolifyConfig {
  /** Pinned Coolify version, e.g. `4.0.0-beta.420`. */
  readonly version: string;
}

export interface EnvironmentConfig {
  /** Environment name: lowercase letters, digits and dashes; used in stack and resource names. */
  readonly name: string;
  /** Base domain of the environment; the dashboard is `coolify.<domain>`, applications `*.<domain>`. */
  readonly domain: string;
  readonly dns: DnsConfig;
  readonly hetzner: HetznerConfig;
  readonly sshPublicKeys: readonly SshPublicKey[];
  /** CIDRs that may reach SSH and the Coolify dashboard/realtime ports. */
  readonly adminCidrs: readonly string[];
  readonly coolify: CoolifyConfig;
  /** Exactly one `coolify-host`, any number of `worker`s. */
  readonly servers: readonly ServerConfig[];
  /** Extra labels put on every Hetzner resource (the standard ones are added automatically). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Turns on deletion protection, `prevent_destroy` and replacement guards. */
  readonly production: boolean;
  /** What runs inside this environment's Coolify (the `<env>-apps` stack). */
  readonly apps?: AppsConfig;
  /** Deliberate, reviewed exceptions to the guardrails; each shows up in the synth summary. */
  readonly guardrailExceptions?: readonly GuardrailException[];
}

/** The rules every synth enforces (`aspects/guardrails.ts`). */
export const SYNTH_GUARDRAIL_RULES = [
  "production-protection",
  "admin-ports-not-public",
  "database-backup",
  "standard-labels",
  "sensitive-literal",
  "sensitive-output",
] as const;

/** Rules checked on a saved plan before it is shown or applied (`scripts/plan-guard.ts`). */
export const PLAN_GUARDRAIL_RULES = ["stateful-deletion"] as const;

export const GUARDRAIL_RULES = [...SYNTH_GUARDRAIL_RULES, ...PLAN_GUARDRAIL_RULES] as const;

export type GuardrailRule = (typeof GUARDRAIL_RULES)[number];

export interface GuardrailException {
  readonly rule: GuardrailRule;
  /**
   * Construct path of the resource, as the failing synth prints it, e.g. `production-infra/firewall/firewall`;
   * for `stateful-deletion`, `<stack>/<terraform address>` as the plan check prints it.
   */
  readonly path: string;
  /** Why breaking the rule is acceptable here. */
  readonly reason: string;
  /** Who reviewed and approved the exception. */
  readonly approvedBy: string;
}

export interface PlatformConfig {
  readonly environments: readonly EnvironmentConfig[];
}
