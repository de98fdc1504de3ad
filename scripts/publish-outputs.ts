/**
 * Copies an environment's non-sensitive outputs (outputs/<env>.json, from `npm run outputs`) next
 * to its state in the S3-compatible state bucket, so application repositories can read them without
 * state access. Uses the AWS CLI (preinstalled on GitHub's Ubuntu runners) with the same
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as the backend.
 *
 * CLI: node -r @swc-node/register scripts/publish-outputs.ts <env>
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { outputsKey, resolveStateStore, type S3StateStore } from "../stacks/state-backend";

export interface PublishCommand {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The `aws s3 cp` invocation for one environment's outputs file. */
export const publishCommand = (store: S3StateStore, envName: string, file: string): PublishCommand => ({
  args: [
    "s3",
    "cp",
    file,
    `s3://${store.bucket}/${outputsKey(envName)}`,
    "--endpoint-url",
    store.endpoint,
    "--region",
    store.region,
    "--content-type",
    "application/json",
  ],
  // The same checksum handling the backend gets (see S3StateStore.skipChecksum), for the AWS CLI.
  env: store.skipChecksum ? { AWS_REQUEST_CHECKSUM_CALCULATION: "when_required", AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" } : {},
});

if (require.main === module) {
  const envName = process.argv[2];
  if (!envName) throw new Error("usage: publish-outputs.ts <env>");
  const store = resolveStateStore();
  if (store.kind === "local") {
    process.stdout.write("state is local: nothing to publish (the workflow artifact has the outputs)\n");
  } else {
    const command = publishCommand(store, envName, join("outputs", `${envName}.json`));
    execFileSync("aws", command.args, { stdio: "inherit", env: { ...process.env, ...command.env } });
  }
}
