/**
 * The output directory holds one complete synth: the app writes into a fresh sibling directory and
 * it replaces the output directory only once every stack has synthesized and passed its guardrails.
 * A rejected synth leaves the previous output untouched, so `cdktf deploy --skip-synth` or
 * `terraform -chdir=<outdir>/stacks/<stack>` can never apply half of a rejected configuration.
 */
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** What `terraform init` leaves in a stack's directory: kept across synths, so that a synth needs no new init. */
const INIT_FILES = [".terraform", ".terraform.lock.hcl"];

const STACKS = "stacks";

const carryInitFiles = (from: string, to: string): void => {
  const stacks = join(from, STACKS);
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    if (!existsSync(join(to, STACKS, stack))) continue;
    for (const file of INIT_FILES) {
      const source = join(stacks, stack, file);
      if (existsSync(source) && !existsSync(join(to, STACKS, stack, file))) renameSync(source, join(to, STACKS, stack, file));
    }
  }
};

/** Runs `synth` into a fresh directory next to `outdir` and puts it in `outdir`'s place only if `synth` returns. */
export const synthInPlaceOf = <T>(outdir: string, synth: (next: string) => T): T => {
  const target = resolve(outdir);
  const next = mkdtempSync(join(dirname(target), `.${basename(target)}.next-`));
  let result: T;
  try {
    result = synth(next);
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) {
    carryInitFiles(target, next);
    const previous = `${next}.previous`;
    renameSync(target, previous);
    renameSync(next, target);
    rmSync(previous, { recursive: true, force: true });
  } else {
    renameSync(next, target);
  }
  return result;
};
