/**
 * A saved plan holds every secret the plan read (state, variables), and the deploy workflow hands
 * it from the plan job to the apply job as an artifact. It is sealed first: AES-256-GCM under a key
 * derived with scrypt from the PLAN_ENCRYPTION_KEY secret of the GitHub environment, so the
 * artifact is unreadable without that secret and any change to it fails the apply. The plain file
 * is deleted once sealed, and the opened file is readable by its owner only.
 *
 * CLI: node -r @swc-node/register tools/plan-artifact.ts seal|open <input> <output>
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

export const PLAN_KEY_VARIABLE = "PLAN_ENCRYPTION_KEY";
const FORMAT = Buffer.from("cdktf-plan-v1\n");
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A key shorter than this is refused: `openssl rand -base64 32` makes one. */
export const MIN_KEY_LENGTH = 32;

/** Thrown for a missing or short key and for an artifact that does not open; the message says which. */
export class PlanArtifactError extends Error {}

const derive = (secret: string, salt: Buffer): Buffer => {
  if (secret.length < MIN_KEY_LENGTH)
    throw new PlanArtifactError(`${PLAN_KEY_VARIABLE} must be at least ${MIN_KEY_LENGTH} characters (e.g. openssl rand -base64 32)`);
  return scryptSync(secret, salt, 32);
};

export const seal = (plan: Buffer, secret: string): Buffer => {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", derive(secret, salt), iv);
  cipher.setAAD(FORMAT);
  const body = Buffer.concat([cipher.update(plan), cipher.final()]);
  return Buffer.concat([FORMAT, salt, iv, cipher.getAuthTag(), body]);
};

export const open = (sealed: Buffer, secret: string): Buffer => {
  const header = FORMAT.length + SALT_BYTES + IV_BYTES + TAG_BYTES;
  if (sealed.length < header || !sealed.subarray(0, FORMAT.length).equals(FORMAT)) throw new PlanArtifactError("not a sealed plan");
  const saltAt = FORMAT.length;
  const ivAt = saltAt + SALT_BYTES;
  const tagAt = ivAt + IV_BYTES;
  const salt = sealed.subarray(saltAt, ivAt);
  const iv = sealed.subarray(ivAt, tagAt);
  const tag = sealed.subarray(tagAt, header);
  const decipher = createDecipheriv("aes-256-gcm", derive(secret, salt), iv);
  decipher.setAAD(FORMAT);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(header)), decipher.final()]);
  } catch {
    throw new PlanArtifactError("the sealed plan does not open with this key, or it was changed after it was sealed");
  }
};

if (require.main === module) {
  const [command, input, output] = process.argv.slice(2);
  try {
    if (!(command === "seal" || command === "open") || !input || !output) throw new PlanArtifactError("usage: plan-artifact.ts seal|open <input> <output>");
    const secret = process.env[PLAN_KEY_VARIABLE] ?? "";
    const result = command === "seal" ? seal(readFileSync(input), secret) : open(readFileSync(input), secret);
    writeFileSync(output, result, { mode: 0o600 });
    if (command === "seal") rmSync(input, { force: true });
  } catch (error) {
    if (!(error instanceof PlanArtifactError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
