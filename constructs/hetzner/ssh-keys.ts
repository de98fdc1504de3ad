import { Construct } from "constructs";
import { SshKey } from "../../.gen/providers/hcloud/ssh-key";
import type { SshKeyModel } from "../../model/environment";

export interface SshKeysProps {
  readonly keys: readonly SshKeyModel[];
  readonly labels: Record<string, string>;
}

/** The team's SSH public keys, registered in Hetzner so new servers accept them for root. */
export class SshKeys extends Construct {
  readonly ids: string[];

  constructor(scope: Construct, id: string, { keys, labels }: SshKeysProps) {
    super(scope, id);
    this.ids = keys.map((key) => new SshKey(this, key.name, { name: key.hetznerName, publicKey: key.publicKey, labels }).id);
  }
}
