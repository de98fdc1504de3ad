/** S3-compatible object stores: their names and where their API lives. Used for Terraform state and database backups. */

/** Locations of Hetzner Object Storage (docs.hetzner.com, Storage > Object Storage > Overview, read 2026-11). */
export const HETZNER_OBJECT_STORAGE_LOCATIONS = ["fsn1", "nbg1", "hel1"] as const;

/** S3 bucket naming rules (docs.aws.amazon.com, "General purpose bucket naming rules"), which both stores follow. */
export const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const BUCKET_RULE = "an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)";

/** A Cloudflare account id: 32 lowercase hex characters (developers.cloudflare.com, "Find account and zone IDs"). */
export const CLOUDFLARE_ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;
export const CLOUDFLARE_ACCOUNT_ID_RULE = "a Cloudflare account id (32 lowercase hex characters)";

export interface ObjectStoreAddress {
  readonly endpoint: string;
  readonly region: string;
}

/** Hetzner Object Storage in one location: `https://<location>.your-objectstorage.com`. */
export const hetznerObjectStorage = (location: string): ObjectStoreAddress => ({
  endpoint: `https://${location}.your-objectstorage.com`,
  region: location,
});

/** Cloudflare R2 of one account; R2 takes the region `auto`. */
export const cloudflareR2 = (accountId: string): ObjectStoreAddress => ({
  endpoint: `https://${accountId}.r2.cloudflarestorage.com`,
  region: "auto",
});
