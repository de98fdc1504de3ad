/**
 * The guardrail rules that look at one resource or provider at a time. Each returns its findings;
 * `guardrails.ts` collects them and decides what fails the synth.
 */
import { Token } from "cdktf";
import { ACCESS_DECISION_BYPASS } from "../catalog/cloudflare";
import { DATABASE_KINDS } from "../catalog/coolify";
import { ADMIN_PORTS } from "../catalog/ports";
import { ADMIN_CIDR_MIN_PREFIX, addressCounts, type IpFamily, networkSize } from "../config/network-values";
import { isRecord } from "../config/problems";
import type { GuardrailRule } from "../config/schema";
import { STANDARD_LABEL_KEYS } from "../config/schema";
import { API_ALLOWED_IPS_INPUT } from "../constructs/bootstrap/coolify-bootstrap";
import type { ProviderFacts } from "./provider-facts";
import { VETTED_LITERALS } from "./vetted-literals";

/** A resource or provider as Terraform will see it (snake_case attributes, overrides applied, tokens unresolved). */
export interface ElementView {
  readonly path: string;
  /** Resource type (`hcloud_server`) or `provider.<name>`. */
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface Finding {
  readonly rule: GuardrailRule;
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

export interface RuleContext {
  readonly production: boolean;
  readonly facts: ProviderFacts;
}

export type ElementRule = (element: ElementView, context: RuleContext) => Finding[];

/** Whether a value, or anything inside it, is written out rather than taken from a reference (`${...}`). */
export const hasLiteral = (value: unknown): boolean => {
  if (value === undefined || value === null || Token.isUnresolved(value)) return false;
  // An escaped `$${` is literal text (model/terraform-literal.ts); only an unescaped `${` is an expression.
  if (typeof value === "string") return !value.replace(/\$\$\{/g, "").includes("${");
  if (Array.isArray(value)) return value.some(hasLiteral);
  if (isRecord(value)) return Object.values(value).some(hasLiteral);
  return true;
};

/** What production must set on each stateful resource type; Hetzner flags must be literally `true`. */
interface Protection {
  readonly flags: readonly string[];
  readonly preventDestroy: boolean;
}

const PROTECTED: ReadonlyMap<string, Protection> = new Map<string, Protection>([
  ["hcloud_server", { flags: ["delete_protection", "rebuild_protection"], preventDestroy: false }],
  ["hcloud_primary_ip", { flags: ["delete_protection"], preventDestroy: true }],
  ["hcloud_volume", { flags: ["delete_protection"], preventDestroy: true }],
  ["hcloud_network", { flags: ["delete_protection"], preventDestroy: false }],
  ["coolify_s3_storage", { flags: [], preventDestroy: true }],
  ...DATABASE_KINDS.map((kind): [string, Protection] => [`coolify_database_${kind}`, { flags: [], preventDestroy: true }]),
]);

export const productionProtection: ElementRule = ({ path, type, attributes }, { production }) => {
  const required = PROTECTED.get(type);
  if (!production || !required) return [];
  const missing = required.flags.filter((flag) => attributes[flag] !== true);
  const lifecycle = isRecord(attributes.lifecycle) ? attributes.lifecycle : {};
  if (required.preventDestroy && lifecycle.prevent_destroy !== true) missing.push("lifecycle.prevent_destroy");
  if (missing.length === 0) return [];
  return [
    {
      rule: "production-protection",
      path,
      problem: `${type} in production without ${missing.join(", ")}`,
      fix: `set ${missing.join(" and ")} to true (the constructs do this when the environment has production: true)`,
    },
  ];
};

/** Whether a Hetzner firewall `port` value ("22", "6000-6010", "any") includes `port`. */
const portIncludes = (spec: unknown, port: number): boolean => {
  if (spec === undefined || spec === "any") return true;
  const match = /^(\d+)(?:-(\d+))?$/.exec(String(spec));
  if (!match) return false;
  const from = Number(match[1]);
  return port >= from && port <= Number(match[2] ?? from);
};

/** The most addresses of each family a rule may open admin ports to: one network at the broadest admin CIDR limit. */
const MOST_ADMIN_ADDRESSES: Readonly<Record<IpFamily, bigint>> = {
  ipv4: networkSize("ipv4", ADMIN_CIDR_MIN_PREFIX.ipv4.broadest),
  ipv6: networkSize("ipv6", ADMIN_CIDR_MIN_PREFIX.ipv6.broadest),
};

/** What a rule's sources open beyond the limit, e.g. `4294967296 IPv4 addresses (more than a /8)`. */
const tooBroad = (sources: readonly string[]): string[] => {
  const counts = addressCounts(sources);
  return (["ipv4", "ipv6"] as const)
    .filter((family) => counts[family] > MOST_ADMIN_ADDRESSES[family])
    .map((family) => `${counts[family]} ${family === "ipv4" ? "IPv4" : "IPv6"} addresses (more than a /${ADMIN_CIDR_MIN_PREFIX[family].broadest})`);
};

export const adminPortsNotPublic: ElementRule = ({ path, type, attributes }, { production }) => {
  if (!production || type !== "hcloud_firewall") return [];
  const fix = "allow these ports only from the environment's adminCidrs";
  if (Token.isUnresolved(attributes.rule)) {
    return [
      { rule: "admin-ports-not-public", path, problem: "firewall rules are computed, so they cannot be checked", fix: "write the rules out in the construct" },
    ];
  }
  const rules = Array.isArray(attributes.rule) ? attributes.rule.filter(isRecord) : [];
  return rules.flatMap((rule, index) => {
    const sources = Array.isArray(rule.source_ips) ? rule.source_ips.map(String) : [];
    const open = tooBroad(sources);
    const inbound = rule.direction === "in" && (rule.protocol === "tcp" || rule.protocol === "udp");
    const ports = ADMIN_PORTS.filter((port) => portIncludes(rule.port, port));
    if (!inbound || open.length === 0 || ports.length === 0) return [];
    return [
      {
        rule: "admin-ports-not-public",
        path,
        problem: `rule[${index}] opens ${rule.protocol} ${ports.join(", ")} to ${sources.join(", ")}: ${open.join(" and ")}`,
        fix,
      } satisfies Finding,
    ];
  });
};

/** An allow list in front of Coolify's dashboard, API, realtime or terminal: what it is and whom it admits. */
interface AdminAllowList {
  readonly what: string;
  readonly sources: readonly string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Cloudflare Access `bypass` policies: they let their `include` addresses through with no login
 * (cloudflare/terraform-provider-cloudflare v5.14.0,
 * internal/services/zero_trust_access_application/schema.go, `policies[].decision` and
 * `policies[].include[].ip.ip`; catalog/cloudflare.ts).
 */
const accessBypassLists = (attributes: Readonly<Record<string, unknown>>): AdminAllowList[] =>
  (Array.isArray(attributes.policies) ? attributes.policies.filter(isRecord) : []).flatMap((policy, index) =>
    policy.decision === ACCESS_DECISION_BYPASS
      ? [
          {
            what: `policies[${index}] (bypass) of the Access application for ${String(attributes.domain)} lets through`,
            sources: (Array.isArray(policy.include) ? policy.include.filter(isRecord) : []).flatMap((rule) => (isRecord(rule.ip) ? [String(rule.ip.ip)] : [])),
          },
        ]
      : [],
  );

/** Traefik `ipAllowList.sourceRange` of every middleware in a dynamic configuration written as JSON (JSON is YAML). */
const traefikAllowLists = (destination: string, content: string): AdminAllowList[] => {
  let config: unknown;
  try {
    config = JSON.parse(content);
  } catch {
    return [];
  }
  const middlewares = isRecord(config) && isRecord(config.http) && isRecord(config.http.middlewares) ? config.http.middlewares : {};
  return Object.entries(middlewares).flatMap(([name, middleware]) =>
    isRecord(middleware) && isRecord(middleware.ipAllowList)
      ? [{ what: `Traefik middleware ${name} (${destination}) admits`, sources: strings(middleware.ipAllowList.sourceRange) }]
      : [],
  );
};

/** Coolify's API `allowed_ips` as the bootstrap's inputs file sets it. */
const apiAllowedIpsLists = (destination: string, content: string): AdminAllowList[] =>
  content
    .split("\n")
    .filter((line) => line.startsWith(`${API_ALLOWED_IPS_INPUT}=`))
    .map((line) => ({
      what: `Coolify's API allowed_ips (${destination}) admits`,
      sources: line
        .slice(API_ALLOWED_IPS_INPUT.length + 1)
        .split(",")
        .filter(Boolean),
    }));

/** The allow lists the files a resource uploads with its `file` provisioners hold. */
const uploadedAllowLists = (attributes: Readonly<Record<string, unknown>>): AdminAllowList[] =>
  (Array.isArray(attributes.provisioner) ? attributes.provisioner.filter(isRecord) : []).flatMap((provisioner) => {
    const file = isRecord(provisioner.file) ? provisioner.file : {};
    if (typeof file.content !== "string") return [];
    const destination = String(file.destination);
    return [...traefikAllowLists(destination, file.content), ...apiAllowedIpsLists(destination, file.content)];
  });

/**
 * The dashboard, its API, realtime and terminal (8000/6001/6002 behind the proxy) are admin ports
 * too: the allow lists in front of them (the proxy's, Coolify's own and Cloudflare Access's) are held
 * to the same limit as the firewall, counted over every address they admit, the deploy runner's included.
 */
export const adminRoutesNotPublic: ElementRule = ({ path, type, attributes }, { production }) => {
  if (!production) return [];
  const lists = type === "cloudflare_zero_trust_access_application" ? accessBypassLists(attributes) : uploadedAllowLists(attributes);
  return lists.flatMap(({ what, sources }) => {
    const open = tooBroad(sources);
    if (open.length === 0) return [];
    return [
      {
        rule: "admin-ports-not-public",
        path,
        problem: `${what} ${sources.join(", ")}: ${open.join(" and ")}`,
        fix: "admit only the environment's adminCidrs and coolify.deployRunnerCidrs, each a network of their own",
      } satisfies Finding,
    ];
  });
};

export const standardLabels: ElementRule = ({ path, type, attributes }, { facts }) => {
  if (!facts.labelled.has(type)) return [];
  const labels = isRecord(attributes.labels) ? attributes.labels : {};
  const missing = STANDARD_LABEL_KEYS.filter((key) => typeof labels[key] !== "string" || labels[key] === "");
  if (missing.length === 0) return [];
  return [
    {
      rule: "standard-labels",
      path,
      problem: `${type} without the label${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
      fix: "set labels from standardLabels(env, role) in config/naming.ts",
    },
  ];
};

export const sensitiveLiteral: ElementRule = ({ path, type, attributes }, { facts }) =>
  [...(facts.sensitive.get(type) ?? [])].flatMap((name) => {
    const value = attributes[name];
    if (!hasLiteral(value)) return [];
    const vetted = VETTED_LITERALS.get(`${type}.${name}`);
    const problem = vetted && typeof value === "string" ? vetted(value, attributes) : "set from a literal";
    if (problem === undefined) return [];
    return [
      {
        rule: "sensitive-literal",
        path,
        problem: `${type}.${name} is marked sensitive by the provider and ${vetted ? `its literal looks like a secret: ${problem}` : problem}`,
        fix: "take the value from a sensitive TerraformVariable (a { secret } reference in the configuration) or another resource's attribute",
      } satisfies Finding,
    ];
  });

export const ELEMENT_RULES: readonly ElementRule[] = [productionProtection, adminPortsNotPublic, adminRoutesNotPublic, standardLabels, sensitiveLiteral];
