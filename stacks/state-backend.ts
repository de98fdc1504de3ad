/**
 * Where each stack keeps its Terraform state. Chosen by environment variables so that CI and a
 * laptop can differ without touching code; credentials are never read here, Terraform takes them
 * from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself.
 */
import { S3Backend, TerraformStack, type App } from "cdktf";
import { HETZNER_OBJECT_STORAGE_LOCATIONS } from "../config/apps-types";
import { cloudflareR2, hetznerObjectStorage } from "../config/object-storage";
import { allowed, Fields, Problems, quote } from "../config/problems";
import type { EnvironmentConfig } from "../config/types";

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

const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const R2_ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

type StoreTarget = Pick<S3StateStore, "region" | "endpoint" | "skipChecksum">;

const hetznerTarget = (check: Fields, variables: NodeJS.ProcessEnv): StoreTarget => {
  const location = variables[STATE_VARIABLES.location];
  check.oneOf(STATE_VARIABLES.location, location, HETZNER_OBJECT_STORAGE_LOCATIONS, "Hetzner Object Storage location");
  return { ...hetznerObjectStorage(String(location)), skipChecksum: false };
};

const r2Target = (check: Fields, variables: NodeJS.ProcessEnv): StoreTarget => {
  const account = variables[STATE_VARIABLES.r2AccountId];
  check.string(STATE_VARIABLES.r2AccountId, account, R2_ACCOUNT_ID_PATTERN, "a Cloudflare account id (32 lowercase hex characters)");
  return { ...cloudflareR2(String(account)), skipChecksum: true };
};

/** Reads the state store from environment variables; throws `ConfigError` listing every problem. */
export const resolveStateStore = (variables: NodeJS.ProcessEnv = process.env): StateStore => {
  const problems = new Problems();
  const check = new Fields(problems);
  const kind = variables[STATE_VARIABLES.backend] || "local";
  if (!check.oneOf(STATE_VARIABLES.backend, kind, STATE_BACKEND_KINDS, "state backend")) problems.throwIfAny();
  if (kind === "local") return { kind };
  const bucket = variables[STATE_VARIABLES.bucket];
  check.string(STATE_VARIABLES.bucket, bucket, BUCKET_PATTERN, "an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)");
  const target = kind === "hetzner" ? hetznerTarget(check, variables) : r2Target(check, variables);
  problems.throwIfAny();
  return { kind: kind as S3StateStore["kind"], bucket: String(bucket), ...target };
};

/** One state object per stack: `<env>/<stack>.tfstate`. */
export const stateKey = (envName: string, stack: string): string => `${envName}/${stack}.tfstate`;

/** Where a deploy publishes the environment's non-sensitive outputs, beside its state. */
export const outputsKey = (envName: string): string => `${envName}/outputs.json`;

/** The environment a stack belongs to: the longest environment name that prefixes `<env>-`. */
export const environmentOf = (stack: string, environments: readonly Pick<EnvironmentConfig, "name">[]): string => {
  const owners = environments.map((e) => e.name).filter((name) => stack.startsWith(`${name}-`));
  if (owners.length === 0) {
    throw new Error(`stack ${quote(stack)} is not named <env>-<kind> for any configured environment (${allowed(environments.map((e) => e.name))})`);
  }
  return owners.reduce((a, b) => (b.length > a.length ? b : a));
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
