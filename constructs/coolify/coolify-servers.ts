import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataResource, Fn, type ITerraformDependable, Op, TerraformStack, type TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataCoolifyServers } from "../../.gen/providers/coolify/data-coolify-servers";
import { PrivateKey } from "../../.gen/providers/coolify/private-key";
import { Server } from "../../.gen/providers/coolify/server";
import { ServerSentinel } from "../../.gen/providers/coolify/server-sentinel";
import { PORTS } from "../../catalog/ports";
import type { ServerModel } from "../../model/environment";
import { COOLIFY_TOKEN_VARIABLE } from "../../providers/coolify";
import { templateLiteral } from "../bootstrap/coolify-bootstrap";
import { type AppsSecrets, WORKER_PRIVATE_KEY_VARIABLE } from "./apps-secrets";

export const WORKER_READY_SCRIPT_PATH = join(__dirname, "worker-ready.sh");
/** Bound for a worker to become usable: Coolify connects to it and checks its Docker. */
export const WORKER_READY_TIMEOUT_SECONDS = 900;

/** The name Coolify's installer gives the server Coolify itself runs on. */
export const COOLIFY_OWN_SERVER_NAME = "localhost";

/**
 * Where a worker's Sentinel pushes its metrics: Coolify on the host's private address. Coolify
 * hands a server's `sentinel_custom_url` to Sentinel as PUSH_ENDPOINT (coollabsio/coolify v4.3.9,
 * app/Actions/Server/StartSentinel.php) and, when it is empty, fills it with the instance domain
 * (app/Models/ServerSetting.php `generateSentinelUrl`), whose proxy admits only the admins and the
 * deploy runners, so a worker's pushes would be refused there. The private network reaches Coolify's
 * port 8000 directly; the push route needs only Sentinel's own token (routes/api.php, the
 * `/sentinel/push` group without `ApiAllowed`). Set through `coolify_server_sentinel`, as the server
 * resource keeps the URL read-only (coolify-terraform/terraform-provider-coolify v0.1.17,
 * internal/service/server/common.go and internal/service/serversentinel/resource.go).
 */
export const sentinelPushUrl = (hostPrivateIp: string): string => `http://${hostPrivateIp}:${PORTS.coolifyDashboard}`;

export interface CoolifyServersProps {
  /** Configuration name of the server Coolify runs on. */
  readonly host: string;
  /** The Coolify host's private network address; present whenever there are workers. */
  readonly hostPrivateIp?: string;
  /** The worker servers, each with its private network address. */
  readonly workers: readonly Pick<ServerModel, "name" | "hetznerName" | "privateIp">[];
  /** Name in Coolify of the SSH key for the workers. */
  readonly workerKeyName: string;
  readonly secrets: AppsSecrets;
  /** Coolify's URL, which the readiness check of the workers calls. */
  readonly coolifyUrl: string;
}

/** Where a resource is deployed: the Coolify server's UUID and what must exist before deploying there. */
export interface DeploymentTarget {
  readonly serverUuid: string;
  /** Present for workers: the check that Coolify validated the server and finds it usable. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The servers applications and databases run on: the Coolify host, looked up in Coolify by the
 * name its installer gives it, and every worker, registered over the private network with the
 * workers' SSH key and made usable before anything is deployed to it: the infra stack installed the
 * pinned Docker there (constructs/bootstrap/worker-docker.ts), and a `terraform_data` runs
 * `worker-ready.sh`, which has Coolify validate the server without installing anything and waits
 * until Coolify reports it reachable and usable.
 */
export class CoolifyServers extends Construct {
  private readonly targets = new Map<string, DeploymentTarget>();
  private readonly hostName: string;

  constructor(scope: Construct, id: string, { host, hostPrivateIp, workers, workerKeyName, secrets, coolifyUrl }: CoolifyServersProps) {
    super(scope, id);
    const own = new DataCoolifyServers(this, "host", {
      filter: [{ name: "name", values: [COOLIFY_OWN_SERVER_NAME] }],
      lifecycle: {
        postcondition: [
          {
            condition: "${length(self.servers) == 1}",
            errorMessage: `Coolify has no single server named "${COOLIFY_OWN_SERVER_NAME}"; has the bootstrap run?`,
          },
        ],
      },
    });
    this.hostName = host;
    this.targets.set(this.hostName, { serverUuid: own.servers.get(0).uuid });

    if (workers.length === 0) return;
    if (!hostPrivateIp) throw new Error(`the Coolify host ${host} has workers but no private network address`);
    const privateKey = secrets.value(
      WORKER_PRIVATE_KEY_VARIABLE,
      "OpenSSH private key of the environment's coolify-workers key in sshPublicKeys, for Coolify to reach the workers",
    );
    // A new key replaces the key resource instead of changing it in place: provider v0.1.17 plans a
    // changed key with its old public key and fingerprint (UseStateForUnknown,
    // coolify-terraform/terraform-provider-coolify v0.1.17 internal/service/privatekey/resource.go),
    // reads the new ones back after the PATCH, and Terraform fails the apply as an inconsistent result.
    // Created before the old one is deleted, so that the workers move to it first: Coolify refuses to
    // delete a key a server uses (coollabsio/coolify v4.3.9 SecurityController::delete_key, 422).
    // The version holds only a hash of the key.
    const version = new DataResource(this, "worker-key-version", { input: { sha256: Fn.sha256(privateKey) } });
    const key = new PrivateKey(this, "worker-key", {
      name: workerKeyName,
      description: "SSH key Coolify uses to manage the worker servers",
      privateKey,
      // A bare address: Terraform takes no interpolation in replace_triggered_by, which a resource token would give.
      lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${version.terraformResourceType}.${version.friendlyUniqueId}`] },
    });
    const token = TerraformStack.of(this).node.findChild(COOLIFY_TOKEN_VARIABLE) as TerraformVariable;
    const script = templateLiteral(readFileSync(WORKER_READY_SCRIPT_PATH, "utf8"));
    for (const worker of workers) {
      const ip = worker.privateIp;
      if (!ip) throw new Error(`worker ${worker.name} has no private network address`);
      const server = new Server(this, worker.name, {
        name: worker.hetznerName,
        description: `worker ${worker.name} (private network)`,
        ip,
        port: PORTS.ssh,
        user: "root",
        privateKeyUuid: key.uuid,
      });
      const ready = new DataResource(this, `${worker.name}-ready`, {
        triggersReplace: { server: server.uuid, ip },
        provisioners: [
          {
            type: "local-exec",
            interpreter: ["bash", "-c"],
            command: script,
            environment: {
              COOLIFY_URL: coolifyUrl,
              SERVER_UUID: server.uuid,
              SERVER_NAME: worker.hetznerName,
              WAIT_TIMEOUT_SECONDS: String(WORKER_READY_TIMEOUT_SECONDS),
              // Null when the token comes from COOLIFY_TOKEN, which the script reads then.
              COOLIFY_API_TOKEN: Fn.conditional(Op.eq(token.value, Token.nullValue()), "", token.stringValue),
            },
          },
        ],
      });
      new ServerSentinel(this, `${worker.name}-sentinel`, { serverUuid: server.uuid, sentinelCustomUrl: sentinelPushUrl(hostPrivateIp) });
      this.targets.set(worker.name, { serverUuid: server.uuid, dependsOn: [ready] });
    }
  }

  /** The target for a configured server name, or the Coolify host when none is named. */
  target(serverName: string | undefined): DeploymentTarget {
    const target = this.targets.get(serverName ?? this.hostName);
    if (!target) throw new Error(`unknown server ${serverName}`);
    return target;
  }
}
