import { Fn, type Precondition, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { cloudInitWithHostKey } from "./cloud-init";

/** The Terraform variable (`TF_VAR_coolify_ssh_host_key`) holding the private half of the environment's SSH host key. */
export const SSH_HOST_KEY_VARIABLE = "coolify_ssh_host_key";

/** What an SSH connection to the environment's servers checks: the key they must present, and that the variable holds one. */
export interface PinnedHostKey {
  /** `ssh-ed25519 <base64> [comment]`: Terraform's connection `host_key`. */
  readonly publicKey: string;
  readonly precondition: Precondition;
}

export interface SshHostKeyProps {
  readonly environment: string;
  /** The public half, from the configuration (`sshHostKey`). */
  readonly publicKey: string;
}

/**
 * The environment's SSH host key: its private half, a sensitive variable, reaches every server in
 * its cloud-init user data, and every SSH connection Terraform opens to a server pins the public
 * half, so nobody on the path can stand in for a server and receive the bootstrap's secrets.
 */
export class SshHostKey extends Construct {
  readonly pinned: PinnedHostKey;
  /** The servers' user data: the hardening cloud-init with this host key. */
  readonly userData: string;

  constructor(scope: Construct, id: string, { environment, publicKey }: SshHostKeyProps) {
    super(scope, id);
    // At the stack root so that its name stays plain for TF_VAR_<name>.
    const variable = new TerraformVariable(TerraformStack.of(this), SSH_HOST_KEY_VARIABLE, {
      type: "string",
      sensitive: true,
      description: `OpenSSH private half of the environment's SSH host key (ssh-keygen -t ed25519); its public half is sshHostKey in the configuration`,
    });
    this.pinned = {
      publicKey,
      // A precondition, not a variable validation: Terraform prints a sensitive variable's value beside a failed validation.
      precondition: {
        condition: Fn.can(Fn.regex(Fn.rawString("-----BEGIN OPENSSH PRIVATE KEY-----"), variable.stringValue)),
        errorMessage: `Environment "${environment}": ${SSH_HOST_KEY_VARIABLE} must be an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----, from ssh-keygen -t ed25519).`,
      },
    };
    this.userData = cloudInitWithHostKey(variable.stringValue, publicKey);
  }
}
