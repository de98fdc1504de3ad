import { Construct } from "constructs";
import { SshKey } from "../../.gen/providers/hcloud/ssh-key";
import { resourceName, standardLabels } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";

export interface SshKeysProps {
  readonly env: EnvironmentConfig;
}

/** The team's SSH public keys, registered in Hetzner so new servers accept them for root. */
export class SshKeys extends Construct {
  readonly ids: string[];

  constructor(scope: Construct, id: string, { env }: SshKeysProps) {
    super(scope, id);
    this.ids = env.sshPublicKeys.map(
      (key) =>
        new SshKey(this, key.name, {
          name: resourceName(env, key.name),
          publicKey: key.publicKey,
          labels: standardLabels(env, "ssh-key"),
        }).id,
    );
  }
}
