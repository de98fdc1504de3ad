import type { SSHProvisionerConnection } from "cdktf";
import { PORTS } from "../../catalog/ports";
import type { PinnedHostKey } from "../hetzner/ssh-host-key";

/** How long Terraform retries a connection: a new server boots and runs cloud-init first. */
export const DEFAULT_CONNECTION_TIMEOUT = "5m";

export interface ServerConnectionProps {
  readonly host: string;
  readonly privateKey: string;
  readonly hostKey: PinnedHostKey;
  readonly port?: number;
  readonly user?: string;
  readonly timeout?: string;
}

/**
 * Terraform's SSH connection to one of the environment's servers, as root with the deploy key,
 * accepting only the environment's host key. Terraform writes `host_key` into a known_hosts file it
 * checks the server's key against, and retries a mismatch until the timeout
 * (hashicorp/terraform v1.11.4, internal/communicator/ssh/provisioner.go `buildSSHClientConfig`,
 * communicator.go `Connect`), so a stand-in never receives a file or a command.
 */
export const serverConnection = (props: ServerConnectionProps): SSHProvisionerConnection => ({
  type: "ssh",
  host: props.host,
  port: props.port ?? PORTS.ssh,
  user: props.user ?? "root",
  privateKey: props.privateKey,
  hostKey: props.hostKey.publicKey,
  timeout: props.timeout ?? DEFAULT_CONNECTION_TIMEOUT,
});
