/**
 * A pull request's plan runs the pull request's code, so it gets no bootstrap or application
 * secrets (docs/security.md). Terraform still needs a value for every required variable, and the
 * bootstrap's preconditions check those values; a plan gets fresh random placeholders that pass
 * the checks instead. Nothing reads them at plan time: the bootstrap's triggers hold no secret and
 * its connection and provisioners run only on apply. `npm run deploy` and the deploy workflow never
 * use placeholders, so an apply still needs, and checks, the real values.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** Values shaped like what the bootstrap's preconditions require (constructs/bootstrap/bootstrap-variables.ts). */
const SHAPED: Readonly<Record<string, () => string>> = {
  coolify_ssh_private_key: () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  // Only its shape is checked; a server's user data, where it goes, is never changed on a running server (constructs/hetzner/hetzner-server.ts).
  coolify_ssh_host_key: () => `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`,
  coolify_root_email: () => `plan-${hex(4)}@placeholder.invalid`,
  coolify_root_password: () => `Plan-${hex(12)}!A1`,
  coolify_token: () => hex(32),
  coolify_read_token: () => hex(32),
};

/**
 * `TF_VAR_<name>` placeholders for the required variables the environment gives no value; the
 * names only are reported, so that a plan says which values it did not see.
 */
export const planPlaceholders = (required: readonly string[], environment: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    required.filter((name) => environment[`TF_VAR_${name}`] === undefined).map((name) => [`TF_VAR_${name}`, (SHAPED[name] ?? (() => hex(24)))()]),
  );
