/**
 * `npm run diff -- <stack or environment>...` and `npm run deploy -- <stack or environment>...`
 *
 * Synthesizes, then for each stack (infra before apps): `terraform plan` into a saved plan in a
 * private temporary directory, the stateful-deletion check on that saved plan (scripts/plan-guard.ts),
 * and for deploy `terraform apply` of exactly that plan. Saved plans hold secrets, so the directory
 * is readable by its owner only and removed whatever happens.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";
import { STACK_KINDS, stackName } from "../config/naming";
import { ConfigError } from "../config/problems";
import { ConfigFileError } from "../config/read";
import type { EnvironmentConfig } from "../config/schema";
import { waitingLine } from "./plan-comment";
import { describeDeletions, type SavedPlan, statefulDeletions } from "./plan-guard";

const MODES = ["diff", "deploy"] as const;
type Mode = (typeof MODES)[number];

/** A failure reported as one line, without a stack trace. */
class StackPlanError extends Error {}

interface Target {
  readonly stack: string;
  readonly env: EnvironmentConfig;
}

/** Stacks named on the command line, each an `<env>-<kind>` stack or an environment (both its stacks). */
export const targets = (args: readonly string[], environments: readonly EnvironmentConfig[]): Target[] => {
  const all = environments.flatMap((env) => STACK_KINDS.map((kind) => ({ stack: stackName(env, kind), env })));
  if (args.length === 0) throw new StackPlanError(`name at least one stack or environment (stacks: ${all.map((t) => t.stack).join(", ")})`);
  const chosen = args.flatMap((arg) => {
    const matching = all.filter((t) => t.stack === arg || t.env.name === arg);
    if (matching.length === 0) throw new StackPlanError(`unknown stack or environment ${JSON.stringify(arg)} (stacks: ${all.map((t) => t.stack).join(", ")})`);
    return matching;
  });
  return all.filter((t) => chosen.includes(t));
};

const run = (command: string, args: readonly string[], options: { cwd?: string; capture?: boolean } = {}): Promise<{ code: number; stdout: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"] });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });

const terraform = async (dir: string, args: readonly string[], capture = false): Promise<string> => {
  const result = await run("terraform", [`-chdir=${dir}`, ...args], { capture });
  if (result.code !== 0) throw new StackPlanError(`terraform ${args[0]} failed in ${dir} (see above)`);
  return result.stdout;
};

/**
 * Whether the environment's infra stack has never been applied: its state lists no resource. An
 * apps stack cannot be planned then (its provider needs the Coolify the infra stack installs).
 * A state that cannot be read is an error, not a new environment.
 */
const infraNotDeployed = async (env: EnvironmentConfig, outdir: string): Promise<boolean> => {
  const dir = join(outdir, "stacks", stackName(env, "infra"));
  await terraform(dir, ["init", "-input=false", "-no-color"], true);
  // `terraform show -json` of a state that does not exist yet prints no `values`; `state list` would fail.
  const state = JSON.parse(await terraform(dir, ["show", "-json", "-no-color"], true)) as { values?: { root_module?: { resources?: unknown[] } } };
  return (state.values?.root_module?.resources ?? []).length === 0;
};

const planStack = async (mode: Mode, { stack, env }: Target, outdir: string): Promise<void> => {
  const dir = join(outdir, "stacks", stack);
  if (mode === "diff" && stack === stackName(env, "apps") && (await infraNotDeployed(env, outdir))) {
    process.stdout.write(`\n${waitingLine(stack, stackName(env, "infra"))}\n`);
    return;
  }
  process.stdout.write(`\n${stack}: ${mode === "deploy" ? "planning, then applying the saved plan" : "planning"}\n`);
  await terraform(dir, ["init", "-input=false", "-no-color"], true);
  const planDir = mkdtempSync(join(tmpdir(), `${stack}-plan-`));
  try {
    const planFile = join(planDir, "tfplan");
    await terraform(dir, ["plan", "-input=false", "-no-color", `-out=${planFile}`]);
    const plan = JSON.parse(await terraform(dir, ["show", "-json", planFile], true)) as SavedPlan;
    const { blocked, text } = describeDeletions(statefulDeletions(plan, stack, env));
    if (text) process.stdout.write(`${text}\n`);
    if (blocked) throw new StackPlanError(`${stack}: the plan deletes stateful production resources; nothing was applied`);
    if (mode === "deploy") await terraform(dir, ["apply", "-input=false", "-no-color", planFile]);
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
};

const main = async (): Promise<void> => {
  const [mode, ...args] = process.argv.slice(2);
  if (!MODES.includes(mode as Mode)) throw new StackPlanError(`usage: stack-plan.ts diff|deploy <stack or environment>...`);
  const chosen = targets(args, loadConfig().environments);
  const synth = await run(process.execPath, ["-r", "@swc-node/register", join(__dirname, "..", "main.ts")]);
  if (synth.code !== 0) throw new StackPlanError("synth failed (see above)");
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  for (const target of chosen) await planStack(mode as Mode, target, outdir);
};

if (require.main === module) {
  main().catch((error: Error) => {
    if (!(error instanceof StackPlanError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
