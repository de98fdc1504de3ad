/**
 * The environment model: a parsed environment with every fact derived from it stated once (Hetzner
 * names, labels, private addresses, DNS names, the Coolify URL, public database ports). Stacks
 * build constructs from it, handing each construct only what it uses.
 */
import { CLOUDFLARE_IP_RANGES } from "../catalog/cloudflare";
import { COOLIFY_RELEASE_FILES, COOLIFY_RELEASE_SHA256, coolifyReleaseBaseUrl } from "../catalog/coolify";
import { HETZNER_LOCATIONS } from "../catalog/hetzner";
import {
  type ApplicationDnsName,
  applicationDnsNames,
  coolifyHost,
  dashboardHost,
  dashboardUrl,
  type LabelRole,
  privateHostNumber,
  resourceName,
  type StackKind,
  stackName,
  standardLabels,
  wildcardHost,
} from "../config/naming";
import type { AppsConfig, EnvironmentConfig, GuardrailException, ServerRole } from "../config/schema";
import { terraformLiteral, terraformLiterals } from "./terraform-literal";

/** The private network of a multi-server environment and the subnet its servers take addresses from. */
export const PRIVATE_NETWORK = { range: "10.42.0.0/16", subnet: "10.42.1.0/24" } as const;
/** The fixed private address of a server. */
export const privateAddress = (server: { readonly name: string; readonly role: ServerRole }): string =>
  PRIVATE_NETWORK.subnet.replace(/\.0\/24$/, `.${privateHostNumber(server)}`);

/**
 * The peers Coolify's proxy sees for requests from `sources`: those addresses themselves, or
 * Cloudflare's when the environment's records are proxied (Cloudflare Access then tells the
 * sources apart at the edge).
 */
export const proxyPeers = (proxied: boolean, sources: readonly string[]): readonly string[] => (proxied ? CLOUDFLARE_IP_RANGES : sources);

/** Who uses the dashboard, and from which addresses the proxy and Coolify see them arrive. */
const dashboardAudience = (env: EnvironmentConfig): Pick<CoolifyModel, "adminSources" | "dashboardPeers" | "apiCallers"> => {
  const adminSources = [...env.adminCidrs, ...(env.coolify.deployRunnerCidrs ?? [])];
  const dashboardPeers = proxyPeers(env.dns.proxied ?? false, adminSources);
  // With the proxy in front (dns.proxied) Coolify sees Cloudflare; admins' own addresses stay on the API list.
  return { adminSources, dashboardPeers, apiCallers: [...new Set([...adminSources, ...dashboardPeers])] };
};

export interface ServerModel {
  /** Name in the configuration, also the construct id. */
  readonly name: string;
  /** Name in Hetzner: `<env>-<name>`. */
  readonly hetznerName: string;
  readonly role: ServerRole;
  readonly serverType: string;
  readonly volumeSizeGb?: number;
  /** Address on the private network; only in an environment with more than one server. */
  readonly privateIp?: string;
}

export interface SshKeyModel {
  readonly name: string;
  readonly hetznerName: string;
  readonly publicKey: string;
}

export interface HetznerPlacement {
  readonly location: string;
  readonly image: string;
  /** Network zone of the location (a private subnet must sit in it). */
  readonly networkZone: string;
}

export interface DnsModel {
  readonly zone: string;
  readonly proxied: boolean;
  /** The domain's mail; `undefined` when it sends none. */
  readonly mail: EnvironmentConfig["dns"]["mail"];
  readonly domain: string;
  readonly dashboardHost: string;
  readonly wildcardHost: string;
  /** Names the wildcard record does not serve, with the server (by configuration name) each points at. */
  readonly applicationNames: readonly ApplicationDnsName[];
}

export interface CoolifyModel {
  readonly version: string;
  /** The instance domain: `coolify.<domain>`. */
  readonly host: string;
  /** `https://coolify.<domain>`: the dashboard, the API and the deploy webhooks. */
  readonly url: string;
  /** Who may use the dashboard, its API, realtime and terminal: the admins and the deploy runner. */
  readonly adminSources: readonly string[];
  /**
   * The peers the proxy admits to those routes: the admins themselves, or Cloudflare's proxy when the
   * records are proxied (every request then arrives from Cloudflare, and Cloudflare Access admits
   * only `adminSources` at the edge).
   */
  readonly dashboardPeers: readonly string[];
  /**
   * The callers Coolify's API `allowed_ips` admits, besides the host itself: the dashboard's peers as
   * Coolify sees them through the proxy, and the admins on the dashboard port the firewall opens to them.
   */
  readonly apiCallers: readonly string[];
  /** Where the bootstrap downloads the release's files, and each file with the checksum it must have. */
  readonly release: CoolifyRelease;
}

export interface CoolifyReleaseFile {
  /** The name the installer asks Coolify's CDN for. */
  readonly cdnName: string;
  /** The file's path in the release tag's tree (and under the base URL). */
  readonly path: string;
  readonly sha256: string;
}

export interface CoolifyRelease {
  readonly baseUrl: string;
  readonly files: readonly CoolifyReleaseFile[];
}

/** The release files of the environment's Coolify version, from its mirror if it names one, with their checksums. */
const coolifyRelease = (coolify: EnvironmentConfig["coolify"]): CoolifyRelease => {
  const sha256 = coolify.release?.sha256 ?? COOLIFY_RELEASE_SHA256[coolify.version];
  return {
    baseUrl: terraformLiteral(coolify.release?.baseUrl ?? coolifyReleaseBaseUrl(coolify.version)),
    files: COOLIFY_RELEASE_FILES.map((file) => ({ ...file, sha256: sha256?.[file.path] ?? "" })),
  };
};

/** A database reachable on a public port of its server, named `<project>/<database>`. */
export interface PublicDatabasePort {
  readonly port: number;
  readonly name: string;
}

export interface EnvironmentModel {
  readonly name: string;
  readonly production: boolean;
  readonly stackNames: Readonly<Record<StackKind, string>>;
  /** `<env>-<name>`, the name of a resource of this environment in Hetzner and Coolify. */
  readonly resourceName: (name: string) => string;
  readonly labels: (role: LabelRole) => Record<string, string>;
  readonly hetzner: HetznerPlacement;
  readonly sshKeys: readonly SshKeyModel[];
  /** The public half of the environment's SSH host key, which every connection to its servers pins. */
  readonly sshHostKey: string;
  readonly adminCidrs: readonly string[];
  readonly servers: readonly ServerModel[];
  readonly host: ServerModel;
  readonly publicDatabasePorts: readonly PublicDatabasePort[];
  readonly dns: DnsModel;
  readonly coolify: CoolifyModel;
  readonly apps?: AppsConfig;
  /** Existing Hetzner and Cloudflare resources the infra stack imports (construct path → import id). */
  readonly adoptedInfra?: Readonly<Record<string, string>>;
  /** Monitoring and scanning settings as configured; `model/observability.ts` derives what they watch. */
  readonly observability?: EnvironmentConfig["observability"];
  readonly coolifyBackup?: EnvironmentConfig["coolifyBackup"];
  readonly guardrailExceptions: readonly GuardrailException[];
}

export const environmentModel = (env: EnvironmentConfig): EnvironmentModel => {
  const name = (short: string): string => resourceName(env, short);
  const multiServer = env.servers.length > 1;
  const servers = env.servers.map(
    (server): ServerModel => ({
      name: server.name,
      hetznerName: name(server.name),
      role: server.role,
      serverType: server.serverType ?? env.hetzner.serverType,
      volumeSizeGb: server.volumeSizeGb,
      privateIp: multiServer ? privateAddress(server) : undefined,
    }),
  );
  const hostName = coolifyHost(env).name;
  return {
    name: env.name,
    production: env.production,
    stackNames: { infra: stackName(env, "infra"), apps: stackName(env, "apps") },
    resourceName: name,
    labels: (role) => standardLabels(env, role),
    hetzner: { location: env.hetzner.location, image: env.hetzner.image, networkZone: HETZNER_LOCATIONS[env.hetzner.location] },
    sshKeys: env.sshPublicKeys.map((key) => ({ name: key.name, hetznerName: name(key.name), publicKey: key.publicKey })),
    sshHostKey: env.sshHostKey,
    adminCidrs: env.adminCidrs,
    servers,
    host: servers.find((server) => server.name === hostName) ?? servers[0],
    publicDatabasePorts: (env.apps?.projects ?? []).flatMap((project) =>
      (project.databases ?? []).flatMap((db) => (db.publicPort === undefined ? [] : [{ port: db.publicPort, name: `${project.name}/${db.name}` }])),
    ),
    dns: {
      zone: env.dns.zone,
      proxied: env.dns.proxied ?? false,
      mail: env.dns.mail,
      domain: env.domain,
      dashboardHost: dashboardHost(env),
      wildcardHost: wildcardHost(env),
      applicationNames: applicationDnsNames(env),
    },
    coolify: {
      version: env.coolify.version,
      host: dashboardHost(env),
      url: dashboardUrl(env),
      ...dashboardAudience(env),
      release: coolifyRelease(env.coolify),
    },
    // Configuration strings are data: escaped once here, before any construct writes them into Terraform.
    apps: terraformLiterals(env.apps),
    adoptedInfra: env.adoptedInfra,
    observability: env.observability,
    coolifyBackup: env.coolifyBackup,
    guardrailExceptions: env.guardrailExceptions ?? [],
  };
};
