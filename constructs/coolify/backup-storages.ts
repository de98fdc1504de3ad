import { Construct } from "constructs";
import { S3Storage } from "../../.gen/providers/coolify/s3-storage";
import { cloudflareR2, hetznerObjectStorage } from "../../catalog/object-storage";
import { resourceName } from "../../config/naming";
import type { S3StorageConfig } from "../../config/schema";
import { type AppsSecrets, s3VariableNames } from "./apps-secrets";

export interface BackupStoragesProps {
  /** The environment's name, which prefixes each storage's name in Coolify. */
  readonly environment: string;
  readonly storages: readonly S3StorageConfig[];
  /** Production storages cannot be destroyed by Terraform. */
  readonly production: boolean;
  readonly secrets: AppsSecrets;
}

/**
 * The S3-compatible buckets (Hetzner Object Storage or Cloudflare R2) database backups go to,
 * with credentials from sensitive variables. Production storages cannot be destroyed by Terraform.
 */
export class BackupStorages extends Construct {
  /** Storage UUID by configuration name. */
  readonly uuids = new Map<string, string>();

  constructor(scope: Construct, id: string, { environment, storages, production, secrets }: BackupStoragesProps) {
    super(scope, id);
    for (const storage of storages) {
      const variables = s3VariableNames(storage);
      const s3 = new S3Storage(this, storage.name, {
        name: resourceName({ name: environment }, storage.name),
        description: `database backups of ${environment} (${storage.provider})`,
        bucket: storage.bucket,
        ...(storage.provider === "hetzner" ? hetznerObjectStorage(storage.location) : cloudflareR2(storage.accountId)),
        key: secrets.value(variables.accessKey, `Access key of S3 storage ${storage.name}`),
        secret: secrets.value(variables.secretKey, `Secret key of S3 storage ${storage.name}`),
        isUsable: true,
        lifecycle: { preventDestroy: production },
      });
      this.uuids.set(storage.name, s3.uuid);
    }
  }
}
