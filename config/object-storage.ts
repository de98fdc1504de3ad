/** S3-compatible object stores: where their API lives. Used for Terraform state and database backups. */

export interface ObjectStoreAddress {
  readonly endpoint: string;
  readonly region: string;
}

/** Hetzner Object Storage in one location (fsn1, nbg1, hel1). */
export const hetznerObjectStorage = (location: string): ObjectStoreAddress => ({
  endpoint: `https://${location}.your-objectstorage.com`,
  region: location,
});

/** Cloudflare R2 of one account; R2 takes the region `auto`. */
export const cloudflareR2 = (accountId: string): ObjectStoreAddress => ({
  endpoint: `https://${accountId}.r2.cloudflarestorage.com`,
  region: "auto",
});
