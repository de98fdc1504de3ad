import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TS_NODE_ARGS } from "./tools";

const run = promisify(execFile);
export const ROOT = join(__dirname, "..", "..");

export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in the repository with the process environment plus `env`; never throws on a failing exit. */
export const runApp = async (command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> => {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

export interface SynthRun extends Finished {
  /** Whether anything was written to the output directory. */
  readonly wrote: boolean;
  readonly outdir: string;
}

/**
 * The synth with `PLATFORM_CONFIG` set to `config` (undefined leaves it unset) and a fresh output
 * directory: the program `npm run synth` runs, started without npm (main.test.ts runs it through
 * the cdktf CLI, whose app is `npm run --silent synth`).
 */
export const synthWithConfig = async (config: string | undefined): Promise<SynthRun> => {
  const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "cdktf.out");
  const env: NodeJS.ProcessEnv = { CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: config };
  if (config === undefined) delete env.PLATFORM_CONFIG;
  const finished = await runApp(process.execPath, [...TS_NODE_ARGS, "main.ts"], env);
  return { ...finished, outdir, wrote: existsSync(outdir) };
};

/** Writes `text` to a fresh file and returns its path. */
export const fileWith = (text: string | Buffer, name = "platform.json"): string => {
  const file = join(mkdtempSync(join(tmpdir(), "config-")), name);
  writeFileSync(file, text);
  return file;
};
