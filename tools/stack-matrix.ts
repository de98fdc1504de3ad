/**
 * The stacks a pull request's diff matrix covers: every synthesized stack (cdktf.out/manifest.json)
 * with the environment it belongs to, as the JSON a workflow's `matrix.include` takes.
 *
 * CLI: node -r @swc-node/register tools/stack-matrix.ts [cdktf.out]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config";
import type { EnvironmentConfig } from "../config/schema";
import { environmentOf } from "../stacks/state-backend";

export interface MatrixEntry {
  readonly stack: string;
  readonly environment: string;
}

interface Manifest {
  readonly stacks: Readonly<Record<string, unknown>>;
}

export const stackMatrix = (outdir: string, environments: readonly Pick<EnvironmentConfig, "name">[]): MatrixEntry[] => {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  return Object.keys(manifest.stacks)
    .sort()
    .map((stack) => ({ stack, environment: environmentOf(stack, environments) }));
};

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(stackMatrix(process.argv[2] ?? "cdktf.out", loadConfig().environments))}\n`);
}
