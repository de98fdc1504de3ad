/**
 * Copies an environment's non-sensitive outputs (outputs/<env>.json, from `npm run outputs`) to
 * `<env>/outputs.json` in the outputs bucket ($OUTPUTS_BUCKET, in the same store as the state), so
 * application repositories read them with credentials that cannot read state, which holds database
 * passwords and private keys. The state bucket itself is refused. Uses the AWS CLI (preinstalled on
 * GitHub's Ubuntu runners) with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY that may write the outputs bucket.
 *
 * CLI: node -r @swc-node/register tools/publish-outputs.ts <env>
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { outputsKey, resolveStateStore, type S3StateStore } from "../stacks/state-backend";

export interface PublishCommand {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export const OUTPUTS_BUCKET_VARIABLE = "OUTPUTS_BUCKET";

/** The `aws s3 cp` invocation for one environment's outputs file. */
export const publishCommand = (store: S3StateStore, outputsBucket: string | undefined, envName: string, file: string): PublishCommand => {
  if (!outputsBucket) throw new Error(`${OUTPUTS_BUCKET_VARIABLE} is not set: outputs are published to a bucket of their own, never beside the state`);
  if (outputsBucket === store.bucket) {
    throw new Error(`${OUTPUTS_BUCKET_VARIABLE} is the state bucket ${store.bucket}: whoever reads the outputs would need read access to state`);
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

if (require.main === module) {
  const envName = process.argv[2];
  if (!envName) throw new Error("usage: publish-outputs.ts <env>");
  const store = resolveStateStore();
  if (store.kind === "local") {
    process.stdout.write("state is local: nothing to publish (the workflow artifact has the outputs)\n");
  } else {
    const command = publishCommand(store, process.env[OUTPUTS_BUCKET_VARIABLE], envName, join("outputs", `${envName}.json`));
    execFileSync("aws", command.args, { stdio: "inherit", env: { ...process.env, ...command.env } });
  }
}
