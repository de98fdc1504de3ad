import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DataCoolifyServers } from "../../.gen/providers/coolify/data-coolify-servers";
import { PrivateKey } from "../../.gen/providers/coolify/private-key";
import { Server } from "../../.gen/providers/coolify/server";
import { ServerValidate } from "../../.gen/providers/coolify/server-validate";
import { PORTS } from "../../catalog/ports";
import type { ServerModel } from "../../model/environment";
import { type AppsSecrets, WORKER_PRIVATE_KEY_VARIABLE } from "./apps-secrets";

/** The name Coolify's installer gives the server Coolify itself runs on. */
export const COOLIFY_OWN_SERVER_NAME = "localhost";

export interface CoolifyServersProps {
  /** Configuration name of the server Coolify runs on. */
  readonly host: string;
  /** The worker servers, each with its private network address. */
  readonly workers: readonly Pick<ServerModel, "name" | "hetznerName" | "privateIp">[];
  /** Name in Coolify of the SSH key for the workers. */
  readonly workerKeyName: string;
  readonly secrets: AppsSecrets;
}

/** Where a resource is deployed: the Coolify server's UUID and what must exist before deploying there. */
export interface DeploymentTarget {
  readonly serverUuid: string;
  /** Present for workers: their validation in Coolify. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The servers applications and databases run on: the Coolify host, looked up in Coolify by the
 * name its installer gives it, and every worker, registered over the private network with the
 * workers' SSH key and validated before anything is deployed to it.
 */
export class CoolifyServers extends Construct {
  private readonly targets = new Map<string, DeploymentTarget>();
  private readonly hostName: string;

  constructor(scope: Construct, id: string, { host, workers, workerKeyName, secrets }: CoolifyServersProps) {
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
    const key = new PrivateKey(this, "worker-key", {
      name: workerKeyName,
      description: "SSH key Coolify uses to manage the worker servers",
      privateKey: secrets.value(WORKER_PRIVATE_KEY_VARIABLE, "OpenSSH private key whose public key is in sshPublicKeys, for Coolify to reach the workers"),
    });
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
      const validation = new ServerValidate(this, `${worker.name}-validate`, { serverUuid: server.uuid, triggers: { ip } });
      this.targets.set(worker.name, { serverUuid: server.uuid, dependsOn: [validation] });
    }
  }

  /** The target for a configured server name, or the Coolify host when none is named. */
  target(serverName: string | undefined): DeploymentTarget {
    const target = this.targets.get(serverName ?? this.hostName);
    if (!target) throw new Error(`unknown server ${serverName}`);
    return target;
  }
}
