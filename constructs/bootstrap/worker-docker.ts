import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Resource } from "@cdktf/provider-null/lib/resource";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { terraformId } from "../../config/naming";
import type { PinnedHostKey } from "../hetzner/ssh-host-key";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, DOCKER_INSTALL_PATH, templateLiteral } from "./coolify-bootstrap";
import { serverConnection } from "./ssh-connection";

/** Private directory on a worker that holds the installer while it runs. */
export const WORKER_REMOTE_DIR = "/root/.coolify-docker-install";
/**
 * The commands Coolify's validation requires on a server besides Docker (coollabsio/coolify v4.3.9,
 * app/Actions/Server/ValidatePrerequisites.php `$requiredCommands`); without them a validation that
 * does not install fails with "Prerequisites (...) are not installed".
 */
export const COOLIFY_PREREQUISITES = ["git", "curl", "jq"] as const;

export interface WorkerDockerProps {
  /** Each worker: its configuration name, its server id (a new server installs again) and the address to connect to. */
  readonly workers: readonly { readonly name: string; readonly serverId: string; readonly host: string }[];
  /** The deploy key, as the bootstrap logs in with it. */
  readonly privateKey: string;
  readonly hostKey: PinnedHostKey;
  /** What must exist first: the servers and their firewall. */
  readonly dependsOn?: ITerraformDependable[];
  readonly port?: number;
  readonly user?: string;
  readonly connectionTimeout?: string;
  readonly remoteDir?: string;
  readonly waitTimeoutSeconds?: number;
}

/**
 * The same pinned, verified Docker Engine the host gets (the host's own docker-install.sh, uploaded
 * unchanged), plus Coolify's prerequisites, on every worker before the apps stack has Coolify
 * validate it: Coolify then finds Docker and never runs its own install (get.docker.com).
 */
export class WorkerDocker extends Construct {
  readonly resources: Resource[];

  constructor(scope: Construct, id: string, props: WorkerDockerProps) {
    super(scope, id);
    const script = readFileSync(DOCKER_INSTALL_PATH, "utf8");
    const dir = props.remoteDir ?? WORKER_REMOTE_DIR;
    const wait = props.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
    this.resources = props.workers.map((worker) => {
      const resource = new Resource(this, worker.name, {
        triggers: {
          server_id: worker.serverId,
          docker_version: DOCKER_ENGINE_VERSION,
          docker_apt_key_fingerprint: DOCKER_APT_KEY_FINGERPRINT,
          script_sha256: createHash("sha256").update(script).digest("hex"),
        },
        dependsOn: props.dependsOn,
        lifecycle: { precondition: [props.hostKey.precondition] },
        connection: serverConnection({
          host: worker.host,
          hostKey: props.hostKey,
          port: props.port,
          user: props.user,
          privateKey: props.privateKey,
          timeout: props.connectionTimeout,
        }),
        provisioners: [
          { type: "remote-exec", inline: [`rm -rf ${dir} && install -d -m 700 ${dir}`] },
          { type: "file", content: templateLiteral(script), destination: `${dir}/docker-install.sh` },
          {
            type: "remote-exec",
            inline: [
              `trap 'rm -rf ${dir}' EXIT`,
              "trap 'exit 1' HUP INT TERM",
              // Terraform runs these lines as one script without `set -e` (hashicorp/terraform v1.11.4, remote-exec `generateScripts`).
              "set -e",
              // cloud-init's first boot installs packages and restarts sshd; 2 means finished with recoverable errors.
              `! command -v cloud-init >/dev/null || timeout ${wait} cloud-init status --wait >/dev/null || [ $? -eq 2 ]`,
              `bash ${dir}/docker-install.sh ${worker.name} ${DOCKER_ENGINE_VERSION} ${DOCKER_APT_KEY_FINGERPRINT} ${wait} ${COOLIFY_PREREQUISITES.join(" ")}`,
            ],
          },
        ],
      });
      resource.overrideLogicalId(terraformId("worker_docker", worker.name));
      return resource;
    });
  }
}
