import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { S3Storage } from "../../.gen/providers/coolify/s3-storage";
import { S3StorageValidate } from "../../.gen/providers/coolify/s3-storage-validate";
import { cloudflareR2, hetznerObjectStorage } from "../../catalog/object-storage";
import { resourceName } from "../../config/naming";
import type { S3StorageConfig } from "../../config/schema";
import { type AppsSecrets, s3VariableNames } from "./apps-secrets";

/** The description each storage gets in Coolify. */
export const storageDescription = (environment: string, provider: S3StorageConfig["provider"]): string => `database backups of ${environment} (${provider})`;

export interface BackupStoragesProps {
  /** The environment's name, which prefixes each storage's name in Coolify. */
  readonly environment: string;
  readonly storages: readonly S3StorageConfig[];
  /** Production storages cannot be destroyed by Terraform. */
  readonly production: boolean;
  readonly secrets: AppsSecrets;
}

/** A storage database backups may use: its UUID and the validation that has run before a backup is configured. */
export interface BackupStorage {
  readonly uuid: string;
  readonly validated: ITerraformDependable;
}

/**
 * The S3-compatible buckets (Hetzner Object Storage or Cloudflare R2) database backups go to,
 * with credentials from sensitive variables. Production storages cannot be destroyed by Terraform.
 *
 * Each storage is checked by Coolify (`coolify_s3_storage_validate`, POST
 * /api/v1/s3-storages/{uuid}/validate) before a backup is configured on it, and again when its
 * bucket, endpoint or credentials change. The check does not stop a deploy: Coolify answers a bucket
 * it cannot list with HTTP 200 `{"valid": false}` and marks the storage unusable
 * (coollabsio/coolify v4.3.9 app/Http/Controllers/Api/S3StoragesController.php validateStorage,
 * app/Models/S3Storage.php testConnection), and the provider fails only on a non-2xx answer
 * (coolify-terraform/terraform-provider-coolify v0.1.17 internal/service/s3storagevalidate/resource.go,
 * internal/client/s3_storages.go ValidateS3Storage). What then tells: each backup run lists the bucket
 * again before its upload (app/Jobs/DatabaseBackupJob.php upload_to_s3); a failed upload leaves the
 * run `success` with the local dump and sends BackupSuccessWithS3Warning on the `backup_failure`
 * channel (app/Notifications/Database/BackupSuccessWithS3Warning.php), which reaches Discord when
 * `notifications.discord.events` has `backup-failure`. The DatabaseBackupMissing alert does not see it:
 * it counts successful runs (docs/observability.md).
 *
 * `is_usable` is Coolify's to say (the check and every backup run set it). The provider's Default
 * (`false`, internal/service/s3storage/resource.go) would otherwise plan it back to false after
 * every successful check and PATCH it so; it is sent once, on create.
 */
export class BackupStorages extends Construct {
  /** Storage by configuration name. */
  readonly storages = new Map<string, BackupStorage>();

  constructor(scope: Construct, id: string, { environment, storages, production, secrets }: BackupStoragesProps) {
    super(scope, id);
    for (const storage of storages) {
      const variables = s3VariableNames(storage);
      const key = secrets.value(variables.accessKey, `Access key of S3 storage ${storage.name}`);
      const secret = secrets.value(variables.secretKey, `Secret key of S3 storage ${storage.name}`);
      const s3 = new S3Storage(this, storage.name, {
        name: resourceName({ name: environment }, storage.name),
        description: storageDescription(environment, storage.provider),
        bucket: storage.bucket,
        ...(storage.provider === "hetzner" ? hetznerObjectStorage(storage.location) : cloudflareR2(storage.accountId)),
        key,
        secret,
        lifecycle: { preventDestroy: production, ignoreChanges: ["is_usable"] },
      });
      // Rotated credentials are checked again: the trigger holds only a hash of them.
      const validated = new S3StorageValidate(this, `${storage.name}-validate`, {
        s3StorageUuid: s3.uuid,
        triggers: { bucket: s3.bucket, endpoint: s3.endpoint, credentials: Fn.sha256(`${key}:${secret}`) },
      });
      this.storages.set(storage.name, { uuid: s3.uuid, validated });
    }
  }
}
