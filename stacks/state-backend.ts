/**
 * Where each stack keeps its Terraform state. Chosen by environment variables so that CI and a
 * laptop can differ without touching code; credentials are never read here, Terraform takes them
 * from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself.
 */
import { type App, S3Backend, TerraformStack } from "cdktf";
import { z } from "zod";
import {
  BUCKET_PATTERN,
  BUCKET_RULE,
  CLOUDFLARE_ACCOUNT_ID_PATTERN,
  CLOUDFLARE_ACCOUNT_ID_RULE,
  cloudflareR2,
  HETZNER_OBJECT_STORAGE_LOCATIONS,
  hetznerObjectStorage,
} from "../catalog/object-storage";
import { environmentOfStack } from "../config/naming";
import { allowed, ConfigError, isRecord, pathText, quote } from "../config/problems";
import type { EnvironmentConfig } from "../config/schema";
import { genericMessage, oneOf, text } from "../config/schema-kit";

export const STATE_VARIABLES = {
  backend: "STATE_BACKEND",
  bucket: "STATE_BUCKET",
  location: "STATE_LOCATION",
  r2AccountId: "STATE_R2_ACCOUNT_ID",
} as const;

export const STATE_BACKEND_KINDS = ["local", "hetzner", "r2"] as const;
export type StateBackendKind = (typeof STATE_BACKEND_KINDS)[number];

/** An S3-compatible store, resolved from the environment. */
export interface S3StateStore {
  readonly kind: Exclude<StateBackendKind, "local">;
  readonly bucket: string;
  readonly region: string;
  readonly endpoint: string;
  /** R2 rejects the checksum headers the AWS SDK sends by default. */
  readonly skipChecksum: boolean;
}

export type StateStore = { readonly kind: "local" } | S3StateStore;

const bucket = text(BUCKET_PATTERN, BUCKET_RULE);

/** The state variables, keyed by their names; other variables of the process are ignored. */
const stateVariables = z.discriminatedUnion(
  STATE_VARIABLES.backend,
  [
    z.object({ [STATE_VARIABLES.backend]: z.literal("local") }),
    z.object({
      [STATE_VARIABLES.backend]: z.literal("hetzner"),
      [STATE_VARIABLES.bucket]: bucket,
      [STATE_VARIABLES.location]: oneOf(HETZNER_OBJECT_STORAGE_LOCATIONS, "Hetzner Object Storage location"),
    }),
    z.object({
      [STATE_VARIABLES.backend]: z.literal("r2"),
      [STATE_VARIABLES.bucket]: bucket,
      [STATE_VARIABLES.r2AccountId]: text(CLOUDFLARE_ACCOUNT_ID_PATTERN, CLOUDFLARE_ACCOUNT_ID_RULE),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `${quote(isRecord(issue.input) ? issue.input[STATE_VARIABLES.backend] : issue.input)} is not a known state backend (${allowed(STATE_BACKEND_KINDS)})`
        : undefined,
  },
);

/** Reads the state store from environment variables; throws `ConfigError` listing every problem. */
export const resolveStateStore = (variables: NodeJS.ProcessEnv = process.env): StateStore => {
  const parsed = stateVariables.safeParse(
    { ...variables, [STATE_VARIABLES.backend]: variables[STATE_VARIABLES.backend] || "local" },
    { error: genericMessage },
  );
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`));
  const store = parsed.data;
  switch (store.STATE_BACKEND) {
    case "local":
      return { kind: "local" };
    case "hetzner":
      return { kind: "hetzner", bucket: store.STATE_BUCKET, ...hetznerObjectStorage(store.STATE_LOCATION), skipChecksum: false };
    case "r2":
      return { kind: "r2", bucket: store.STATE_BUCKET, ...cloudflareR2(store.STATE_R2_ACCOUNT_ID), skipChecksum: true };
  }
};

/** One state object per stack: `<env>/<stack>.tfstate`. */
export const stateKey = (envName: string, stack: string): string => `${envName}/${stack}.tfstate`;

/** Where a deploy publishes the environment's non-sensitive outputs in the outputs bucket (tools/publish-outputs.ts). */
export const outputsKey = (envName: string): string => `${envName}/outputs.json`;

/** The environment a stack belongs to; every stack of the app is named `<env>-<kind>`. */
export const environmentOf = (stack: string, environments: readonly Pick<EnvironmentConfig, "name">[]): string => {
  const owner = environmentOfStack(stack, environments);
  if (!owner) {
    throw new Error(`stack ${quote(stack)} is not named <env>-<kind> for any configured environment (${allowed(environments.map((e) => e.name))})`);
  }
  return owner;
};

const addS3Backend = (stack: TerraformStack, store: S3StateStore, key: string): void => {
  const backend = new S3Backend(stack, {
    bucket: store.bucket,
    key,
    region: store.region,
    endpoints: { s3: store.endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    ...(store.skipChecksum ? { skipS3Checksum: true } : {}),
  });
  // S3-native locking (Terraform >= 1.10) has no cdktf 0.21 prop.
  backend.addOverride("use_lockfile", true);
};

/**
 * Gives every stack of the app its backend. Local state is cdktf's default
 * (`terraform.<stack>.tfstate` in the project directory), so nothing is added for it.
 */
export const applyStateBackend = (
  app: App,
  environments: readonly Pick<EnvironmentConfig, "name">[],
  variables: NodeJS.ProcessEnv = process.env,
): StateStore => {
  const store = resolveStateStore(variables);
  if (store.kind === "local") return store;
  for (const stack of app.node.children) {
    if (!(stack instanceof TerraformStack)) continue;
    addS3Backend(stack, store, stateKey(environmentOf(stack.node.id, environments), stack.node.id));
  }
  return store;
};
