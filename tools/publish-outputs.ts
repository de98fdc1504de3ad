/**
 * Copies an environment's non-sensitive outputs (outputs/<env>.json, from `npm run outputs`) to
 * `<env>/outputs.json` in the outputs bucket ($OUTPUTS_BUCKET, in the same store as the state), so
 * application repositories read them with credentials that cannot read state, which holds database
 * passwords and private keys. The state bucket itself is refused. Uses the AWS CLI (preinstalled on
 * GitHub's Ubuntu runners) with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY that may write the outputs bucket.
 *
 * The file is signed first (`sign`): an Ed25519 signature over its exact bytes, `<env>.json.sig`
 * beside it, made with OUTPUTS_SIGNING_KEY (a PEM private key that only the deploy's apply job
 * holds). Application repositories verify it with the public key they keep themselves
 * (docs/outputs.md), so whoever can write the outputs bucket cannot change the deploy URLs they call.
 *
 * CLI: node -r @swc-node/register tools/publish-outputs.ts sign <env>   (writes outputs/<env>.json.sig)
 *      node -r @swc-node/register tools/publish-outputs.ts <env>        (copies both files)
 */
import { execFileSync } from "node:child_process";
import { createPrivateKey, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { outputsKey, resolveStateStore, type S3StateStore } from "../stacks/state-backend";

export interface PublishCommand {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export const OUTPUTS_BUCKET_VARIABLE = "OUTPUTS_BUCKET";
export const SIGNING_KEY_VARIABLE = "OUTPUTS_SIGNING_KEY";
export const SIGNATURE_SUFFIX = ".sig";

/** A failure reported as one line, without a stack trace. */
export class PublishError extends Error {}

/** Writes `<file>.sig`: the Ed25519 signature (64 bytes, raw) of the file's exact bytes. */
export const signOutputs = (file: string, privateKeyPem: string | undefined): string => {
  if (!privateKeyPem) throw new PublishError(`${SIGNING_KEY_VARIABLE} is not set: published outputs are always signed (docs/outputs.md)`);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new PublishError(`${SIGNING_KEY_VARIABLE} is not a PEM private key (openssl genpkey -algorithm ed25519)`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new PublishError(`${SIGNING_KEY_VARIABLE} is a ${key.asymmetricKeyType} key; it must be an Ed25519 key`);
  const signature = `${file}${SIGNATURE_SUFFIX}`;
  writeFileSync(signature, sign(null, readFileSync(file), key));
  return signature;
};

/** The `aws s3 cp` invocation for one environment's outputs file. */
export const publishCommand = (store: S3StateStore, outputsBucket: string | undefined, envName: string, file: string): PublishCommand => {
  if (!outputsBucket) throw new PublishError(`${OUTPUTS_BUCKET_VARIABLE} is not set: outputs are published to a bucket of their own, never beside the state`);
  if (outputsBucket === store.bucket) {
    throw new PublishError(`${OUTPUTS_BUCKET_VARIABLE} is the state bucket ${store.bucket}: whoever reads the outputs would need read access to state`);
  }
  return {
    args: [
      "s3",
      "cp",
      file,
      `s3://${outputsBucket}/${outputsKey(envName)}`,
      "--endpoint-url",
      store.endpoint,
      "--region",
      store.region,
      "--content-type",
      "application/json",
    ],
    // The same checksum handling the backend gets (see S3StateStore.skipChecksum), for the AWS CLI.
    env: store.skipChecksum ? { AWS_REQUEST_CHECKSUM_CALCULATION: "when_required", AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" } : {},
  };
};

/** The outputs file and its signature, each copied beside the other. */
export const publishCommands = (store: S3StateStore, outputsBucket: string | undefined, envName: string, file: string): PublishCommand[] => {
  const json = publishCommand(store, outputsBucket, envName, file);
  const signature = [...json.args];
  signature[2] = `${file}${SIGNATURE_SUFFIX}`;
  signature[3] = `${json.args[3]}${SIGNATURE_SUFFIX}`;
  signature[signature.length - 1] = "application/octet-stream";
  return [json, { args: signature, env: json.env }];
};

const main = (args: readonly string[]): void => {
  const [first, second] = args;
  if (first === "sign" && second) {
    process.stdout.write(`signed: ${signOutputs(join("outputs", `${second}.json`), process.env[SIGNING_KEY_VARIABLE])}\n`);
    return;
  }
  if (!first || first === "sign") throw new PublishError("usage: publish-outputs.ts sign <env> | publish-outputs.ts <env>");
  const store = resolveStateStore();
  if (store.kind === "local") {
    process.stdout.write("state is local: nothing to publish (the workflow artifact has the outputs)\n");
    return;
  }
  for (const command of publishCommands(store, process.env[OUTPUTS_BUCKET_VARIABLE], first, join("outputs", `${first}.json`))) {
    execFileSync("aws", command.args, { stdio: "inherit", env: { ...process.env, ...command.env } });
  }
};

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    process.stderr.write(`publish-outputs: ${error.message}\n`);
    process.exitCode = 2;
  }
}
