import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Resource } from "@cdktf/provider-null/lib/resource";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { PORTS } from "../../catalog/ports";
import type { CoolifyModel, CoolifyRelease } from "../../model/environment";
import type { PinnedHostKey } from "../hetzner/ssh-host-key";
import { MONITORING_DATA_DIR } from "../observability/compose";
import { BootstrapVariables } from "./bootstrap-variables";
import { dashboardAccessConfig } from "./dashboard-access";
import { serverConnection } from "./ssh-connection";

export const BOOTSTRAP_SCRIPT_PATH = join(__dirname, "coolify-bootstrap.sh");
/** The `curl` the installer runs under, serving its CDN downloads from the verified release; the script expects it beside itself. */
export const CDN_CURL_PATH = join(__dirname, "cdn-curl.sh");
/** The pinned, verified Docker install the host and the workers share; the script expects it beside itself. */
export const DOCKER_INSTALL_PATH = join(__dirname, "docker-install.sh");
/** Stable Terraform address, so `-replace=null_resource.coolify_bootstrap` works in every stack. */
export const BOOTSTRAP_RESOURCE_ID = "coolify_bootstrap";
export const DEFAULT_REMOTE_DIR = "/root/.coolify-bootstrap";
/** Coolify's API as the server itself reaches it: the dashboard port, before any domain or proxy. */
export const DEFAULT_API_URL = `http://127.0.0.1:${PORTS.coolifyDashboard}`;
/** Bound for each wait (cloud-init, apt locks, API health); a first install pulls several images. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 900;
/** Where Coolify's installer keeps its files (coollabsio/coolify v4.3.9, scripts/install.sh `ENV_FILE=/data/coolify/source/.env`). */
export const COOLIFY_DATA_DIR = "/data/coolify";
/** Where Docker keeps its volumes, the databases' data among them. */
export const DOCKER_DATA_DIR = "/var/lib/docker";
/**
 * Where containerd keeps its data, Docker 29's image store among it (the containerd snapshotter is
 * on by default, catalog/docker.ts DOCKER_ENGINE_API): containerd's `DefaultRootDir` (moby/moby
 * docker-v29.7.2, vendor/github.com/containerd/containerd/v2/defaults/defaults_unix.go line 26).
 */
export const CONTAINERD_DATA_DIR = "/var/lib/containerd";

/** Terraform reads `${` and `%{` in strings as template syntax; doubling them keeps the text as is. */
export const templateLiteral = (text: string): string => text.split("${").join("$${").split("%{").join("%%{");

/** What the script reads from its inputs file. */
export interface BootstrapInputs {
  /** The environment's name, for the messages that name its configuration. */
  readonly environment: string;
  readonly version: string;
  readonly fqdn: string;
  /** Where the release's files come from, and each with its CDN name and checksum. */
  readonly release: CoolifyRelease;
  /** The Docker Engine installed where Docker is missing, and the fingerprint its apt key must have. */
  readonly dockerVersion: string;
  readonly dockerAptKeyFingerprint: string;
  readonly apiUrl: string;
  /** Coolify's data directory on the server (`/data/coolify`). */
  readonly dataDir: string;
  /** Docker's data directory on the server (`/var/lib/docker`). */
  readonly dockerDir: string;
  /** containerd's data directory on the server (`/var/lib/containerd`). */
  readonly containerdDir: string;
  /** The monitoring's data directory on the server (`/data/monitoring`), which must outlive its Coolify service. */
  readonly monitoringDir: string;
  /** The data volume's device (`/dev/disk/by-id/scsi-0HC_Volume_<id>`), or "" without one. */
  readonly dataVolumeDevice: string;
  readonly waitTimeoutSeconds: number;
  readonly rootUsername: string;
  readonly rootEmail: string;
  readonly rootPassword: string;
  readonly apiToken: string;
  /** The read-only token pull-request plans use. */
  readonly readToken: string;
  /** Who may call Coolify's API besides the host itself: the admins' and the deploy runner's CIDRs. */
  readonly apiAllowedIps: readonly string[];
  /** The environment's SSH public keys, kept in root's authorized_keys; none leaves the file alone. */
  readonly authorizedKeys: readonly string[];
}

/** The inputs line that sets Coolify's API `allowed_ips` (the guardrails count the addresses it admits). */
export const API_ALLOWED_IPS_INPUT = "COOLIFY_API_ALLOWED_IPS";

/** One KEY=VALUE per line: the script parses it without evaluating it, so secrets stay data. */
export const renderInputs = (inputs: BootstrapInputs): string =>
  `${[
    `ENVIRONMENT=${inputs.environment}`,
    `COOLIFY_VERSION=${inputs.version}`,
    `COOLIFY_FQDN=${inputs.fqdn}`,
    `COOLIFY_API_URL=${inputs.apiUrl}`,
    `COOLIFY_DATA_DIR=${inputs.dataDir}`,
    `DOCKER_DATA_DIR=${inputs.dockerDir}`,
    `CONTAINERD_DATA_DIR=${inputs.containerdDir}`,
    `MONITORING_DATA_DIR=${inputs.monitoringDir}`,
    `DATA_VOLUME_DEVICE=${inputs.dataVolumeDevice}`,
    `WAIT_TIMEOUT_SECONDS=${inputs.waitTimeoutSeconds}`,
    `ROOT_USERNAME=${inputs.rootUsername}`,
    `ROOT_USER_EMAIL=${inputs.rootEmail}`,
    `ROOT_USER_PASSWORD=${inputs.rootPassword}`,
    `COOLIFY_API_TOKEN=${inputs.apiToken}`,
    `COOLIFY_READ_TOKEN=${inputs.readToken}`,
    `${API_ALLOWED_IPS_INPUT}=${inputs.apiAllowedIps.join(",")}`,
    `COOLIFY_RELEASE_BASE_URL=${inputs.release.baseUrl}`,
    ...inputs.release.files.map((file) => `COOLIFY_RELEASE_FILE=${file.cdnName} ${file.path} ${file.sha256}`),
    `DOCKER_VERSION=${inputs.dockerVersion}`,
    `DOCKER_APT_KEY_FINGERPRINT=${inputs.dockerAptKeyFingerprint}`,
    ...inputs.authorizedKeys.map((key) => `AUTHORIZED_KEY=${key}`),
  ].join("\n")}\n`;

export interface CoolifyBootstrapProps {
  /** Environment name, for the messages of the variables' checks. */
  readonly environment: string;
  /** Version to install and the instance domain to set. */
  readonly coolify: CoolifyModel;
  /** Id of the Coolify host server: a new server runs the bootstrap again. */
  readonly serverId: string;
  /** Address to connect to: the host's primary IPv4. */
  readonly host: string;
  /** The host key the host must present (cloud-init installed it). */
  readonly hostKey: PinnedHostKey;
  readonly port?: number;
  readonly user?: string;
  /** How long Terraform retries the connection (a Terraform duration, "5m" unless given). */
  readonly connectionTimeout?: string;
  /** What must exist first: the server, its firewall and the DNS records of the instance domain. */
  readonly dependsOn?: ITerraformDependable[];
  readonly apiUrl?: string;
  readonly dataDir?: string;
  readonly dockerDir?: string;
  /**
   * The host's data volume: the bootstrap mounts it (by this device) and bind-mounts Coolify's,
   * Docker's and containerd's data from it before the installer runs, so that they survive a
   * rebuild of the server.
   */
  readonly dataVolumeDevice?: string;
  /** Private directory on the server that holds the script and the inputs file while it runs. */
  readonly remoteDir?: string;
  /**
   * The environment's SSH public keys. A running server keeps the keys Hetzner gave it at creation,
   * so the bootstrap keeps root's authorized_keys in step with these; a new list runs it again.
   */
  readonly authorizedKeys?: readonly string[];
  readonly waitTimeoutSeconds?: number;
}

/**
 * Installs the pinned Coolify on the host over SSH and leaves it ready for the Coolify provider:
 * API on and answering only the admins and the deploy runner, instance domain set, auto-update off,
 * and the operator's root and read-only API tokens seeded. It runs again exactly when one of its
 * triggers changes: the server, the Coolify version, the scripts, the instance domain or who may
 * reach the dashboard and the API.
 */
export class CoolifyBootstrap extends Construct {
  readonly resource: Resource;
  readonly variables: BootstrapVariables;

  constructor(scope: Construct, id: string, props: CoolifyBootstrapProps) {
    super(scope, id);
    const { coolify } = props;
    const dir = props.remoteDir ?? DEFAULT_REMOTE_DIR;
    const script = readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");
    const cdnCurl = readFileSync(CDN_CURL_PATH, "utf8");
    const dockerInstall = readFileSync(DOCKER_INSTALL_PATH, "utf8");
    const dashboardAccess = dashboardAccessConfig({ host: coolify.host, sources: coolify.dashboardPeers });
    this.variables = new BootstrapVariables(this, "variables", { environment: props.environment });
    const vars = this.variables;

    const authorizedKeys = props.authorizedKeys ?? [];
    const inputs = renderInputs({
      environment: props.environment,
      version: coolify.version,
      fqdn: coolify.url,
      release: coolify.release,
      dockerVersion: DOCKER_ENGINE_VERSION,
      dockerAptKeyFingerprint: DOCKER_APT_KEY_FINGERPRINT,
      apiUrl: props.apiUrl ?? DEFAULT_API_URL,
      dataDir: props.dataDir ?? COOLIFY_DATA_DIR,
      dockerDir: props.dockerDir ?? DOCKER_DATA_DIR,
      containerdDir: CONTAINERD_DATA_DIR,
      monitoringDir: MONITORING_DATA_DIR,
      dataVolumeDevice: props.dataVolumeDevice ?? "",
      waitTimeoutSeconds: props.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
      rootUsername: vars.rootUsername.stringValue,
      rootEmail: vars.rootEmail.stringValue,
      rootPassword: vars.rootPassword.stringValue,
      apiToken: vars.apiToken.stringValue,
      readToken: vars.readToken.stringValue,
      apiAllowedIps: coolify.apiCallers,
      authorizedKeys,
    });

    this.resource = new Resource(this, "bootstrap", {
      triggers: {
        server_id: props.serverId,
        coolify_version: coolify.version,
        script_sha256: createHash("sha256").update(script).digest("hex"),
        cdn_curl_sha256: createHash("sha256").update(cdnCurl).digest("hex"),
        docker_install_sha256: createHash("sha256").update(dockerInstall).digest("hex"),
        instance_domain: coolify.host,
        dashboard_access_sha256: createHash("sha256").update(dashboardAccess).digest("hex"),
        api_allowed_ips: coolify.apiCallers.join(","),
        ...(props.dataVolumeDevice ? { data_volume: props.dataVolumeDevice } : {}),
        ...(authorizedKeys.length > 0 ? { authorized_keys_sha256: createHash("sha256").update(authorizedKeys.join("\n")).digest("hex") } : {}),
      },
      dependsOn: props.dependsOn,
      lifecycle: { precondition: [...vars.preconditions, props.hostKey.precondition] },
      connection: serverConnection({
        host: props.host,
        hostKey: props.hostKey,
        port: props.port,
        user: props.user,
        privateKey: vars.sshPrivateKey.stringValue,
        timeout: props.connectionTimeout,
      }),
      provisioners: [
        { type: "remote-exec", inline: [`rm -rf ${dir} && install -d -m 700 ${dir}`] },
        { type: "file", content: templateLiteral(script), destination: `${dir}/coolify-bootstrap.sh` },
        { type: "file", content: inputs, destination: `${dir}/inputs.env` },
        { type: "file", content: templateLiteral(dashboardAccess), destination: `${dir}/dashboard-access.yaml` },
        { type: "file", content: templateLiteral(cdnCurl), destination: `${dir}/cdn-curl.sh` },
        { type: "file", content: templateLiteral(dockerInstall), destination: `${dir}/docker-install.sh` },
        {
          type: "remote-exec",
          // The trap removes the inputs file whatever happens; the exit code stays the script's.
          inline: [
            `trap 'rm -rf ${dir}' EXIT`,
            "trap 'exit 1' HUP INT TERM",
            `chmod 600 ${dir}/inputs.env && bash ${dir}/coolify-bootstrap.sh ${dir}/inputs.env`,
          ],
        },
      ],
    });
    this.resource.overrideLogicalId(BOOTSTRAP_RESOURCE_ID);
  }
}
