/**
 * `npm run diff -- <stack or environment>...` and `npm run deploy -- <stack or environment>...`
 *
 * Synthesizes, then for each stack (infra before apps): `terraform plan` into a saved plan in a
 * private temporary directory, the stateful-deletion check on that saved plan (tools/plan-guard.ts),
 * and for deploy `terraform apply` of exactly that plan. Saved plans hold secrets, so the directory
 * is readable by its owner only and removed whatever happens. A diff plans with placeholders for
 * the required variables it is not given (tools/plan-placeholders.ts); a deploy never does.
 *
 * The deploy workflow splits a deploy in two so that a reviewer approves the plan itself:
 *   stack-plan.ts plan <stack> <plan file>   saves the checked plan (owner-only) for the apply job
 *   stack-plan.ts apply <stack> <plan file>  checks that saved plan again, applies it, deletes it
 * In CI (CI or GITHUB_ACTIONS set to true) every mode refuses to run without STATE_BACKEND: a
 * runner's local state would be lost with the runner.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";
import { STACK_KINDS, stackName } from "../config/naming";
import { ConfigError } from "../config/problems";
import { ConfigFileError } from "../config/read";
import type { EnvironmentConfig } from "../config/schema";
import { planCost } from "../cost/plan";
import { STATE_VARIABLES } from "../stacks/state-backend";
import { requiredVariables } from "./ci-secrets";
import { waitingLine } from "./plan-comment";
import { coolifyDowngrade, describeDeletions, type SavedPlan, statefulDeletions } from "./plan-guard";
import { planPlaceholders } from "./plan-placeholders";

const MODES = ["diff", "deploy", "plan", "apply"] as const;
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

/** The refusal CI gets without a remote state store; `undefined` when the run may go on. */
export const localStateInCi = (variables: NodeJS.ProcessEnv): string | undefined => {
  const inCi = variables.CI === "true" || variables.GITHUB_ACTIONS === "true";
  if (!inCi || variables[STATE_VARIABLES.backend]) return undefined;
  return `${STATE_VARIABLES.backend} is not set: CI refuses to plan or deploy against local state, which would be lost with the runner (set the ${STATE_VARIABLES.backend} variable of the GitHub environment; see docs/delivery.md)`;
};

interface RunOptions {
  readonly cwd?: string;
  readonly capture?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

const run = (command: string, args: readonly string[], options: RunOptions = {}): Promise<{ code: number; stdout: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"] });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });

const terraform = async (dir: string, args: readonly string[], options: { capture?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<string> => {
  const result = await run("terraform", [`-chdir=${dir}`, ...args], options);
  if (result.code !== 0) throw new StackPlanError(`terraform ${args[0]} failed in ${dir} (see above)`);
  return result.stdout;
};

/**
 * With PLAN_COST_DIR set, each stack's monthly cost before and after its plan goes to
 * `<dir>/<stack>.json` for the pull-request comment: figures and addresses only, so unlike the saved
 * plan it holds no secret and may outlive this run.
 */
const PLAN_COST_DIR = "PLAN_COST_DIR";

/** The stateful-deletion check on a saved plan; throws when it blocks. */
const checkSavedPlan = async (dir: string, { stack, env }: Target, planFile: string): Promise<void> => {
  const plan = JSON.parse(await terraform(dir, ["show", "-json", planFile], { capture: true })) as SavedPlan;
  const costDir = process.env[PLAN_COST_DIR];
  if (costDir) writeFileSync(join(costDir, `${stack}.json`), JSON.stringify(planCost(plan)));
  const { blocked, text } = describeDeletions(statefulDeletions(plan, stack, env));
  if (text) process.stdout.write(`${text}\n`);
  if (blocked) throw new StackPlanError(`${stack}: the plan deletes stateful production resources; nothing was applied`);
  const downgrade = coolifyDowngrade(plan, env.name);
  if (downgrade) throw new StackPlanError(`${stack}: ${downgrade}; nothing was applied`);
};

/** A diff's variables: the process's own, and placeholders for the required ones it lacks. */
const diffEnvironment = (dir: string): NodeJS.ProcessEnv => {
  const placeholders = planPlaceholders(requiredVariables(dir), process.env);
  const names = Object.keys(placeholders).map((name) => name.slice("TF_VAR_".length));
  if (names.length > 0) process.stdout.write(`planning with placeholders for values this plan is not given: ${names.join(", ")}\n`);
  return { ...process.env, ...placeholders };
};

/**
 * Whether the environment's infra stack has never been applied: its state lists no resource. An
 * apps stack cannot be planned then (its provider needs the Coolify the infra stack installs).
 * A state that cannot be read is an error, not a new environment.
 */
const infraNotDeployed = async (env: EnvironmentConfig, outdir: string): Promise<boolean> => {
  const dir = join(outdir, "stacks", stackName(env, "infra"));
  await terraform(dir, ["init", "-input=false", "-no-color"], { capture: true });
  // `terraform show -json` of a state that does not exist yet prints no `values`; `state list` would fail.
  const state = JSON.parse(await terraform(dir, ["show", "-json", "-no-color"], { capture: true })) as { values?: { root_module?: { resources?: unknown[] } } };
  return (state.values?.root_module?.resources ?? []).length === 0;
};

const planStack = async (mode: "diff" | "deploy", target: Target, outdir: string): Promise<void> => {
  const dir = join(outdir, "stacks", target.stack);
  const { stack, env } = target;
  if (mode === "diff" && stack === stackName(env, "apps") && (await infraNotDeployed(env, outdir))) {
    process.stdout.write(`\n${waitingLine(stack, stackName(env, "infra"))}\n`);
    return;
  }
  process.stdout.write(`\n${stack}: ${mode === "deploy" ? "planning, then applying the saved plan" : "planning"}\n`);
  await terraform(dir, ["init", "-input=false", "-no-color"], { capture: true });
  const planDir = mkdtempSync(join(tmpdir(), `${stack}-plan-`));
  try {
    const planFile = join(planDir, "tfplan");
    await terraform(dir, ["plan", "-input=false", "-no-color", `-out=${planFile}`], { env: mode === "diff" ? diffEnvironment(dir) : process.env });
    await checkSavedPlan(dir, target, planFile);
    if (mode === "deploy") await terraform(dir, ["apply", "-input=false", "-no-color", planFile]);
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
};

/** `plan`: the checked saved plan, readable by its owner only, for a reviewer to approve. */
const savePlan = async (target: Target, outdir: string, planFile: string): Promise<void> => {
  const dir = join(outdir, "stacks", target.stack);
  await terraform(dir, ["init", "-input=false", "-no-color"], { capture: true });
  try {
    await terraform(dir, ["plan", "-input=false", "-no-color", `-out=${planFile}`]);
    chmodSync(planFile, 0o600);
    await checkSavedPlan(dir, target, planFile);
  } catch (error) {
    rmSync(planFile, { force: true });
    throw error;
  }
};

/** `apply`: exactly the approved saved plan (Terraform refuses it if the state moved on), then deleted. */
const applySavedPlan = async (target: Target, outdir: string, planFile: string): Promise<void> => {
  if (!existsSync(planFile)) throw new StackPlanError(`${planFile} does not exist: apply takes the saved plan of the plan job`);
  const dir = join(outdir, "stacks", target.stack);
  try {
    await terraform(dir, ["init", "-input=false", "-no-color"], { capture: true });
    await checkSavedPlan(dir, target, planFile);
    await terraform(dir, ["apply", "-input=false", "-no-color", planFile]);
  } finally {
    rmSync(planFile, { force: true });
  }
};

/**
 * The synth runs under the TypeScript loader this tool was started with (`npm run` starts it with
 * `-r @swc-node/register`; the tests with their cached hook), else @swc-node/register's own.
 */
const typeScriptLoader = (): string[] => {
  const at = process.execArgv.findIndex((arg) => arg === "-r" || arg === "--require");
  return at >= 0 ? process.execArgv.slice(at, at + 2) : ["-r", "@swc-node/register"];
};

const main = async (): Promise<void> => {
  const [mode, ...args] = process.argv.slice(2);
  if (!MODES.includes(mode as Mode)) {
    throw new StackPlanError("usage: stack-plan.ts diff|deploy <stack or environment>... | plan|apply <stack> <plan file>");
  }
  const refusal = localStateInCi(process.env);
  if (refusal) throw new StackPlanError(refusal);
  const savedPlanMode = mode === "plan" || mode === "apply";
  if (savedPlanMode && args.length !== 2) throw new StackPlanError(`usage: stack-plan.ts ${mode} <stack> <plan file>`);
  const chosen = targets(savedPlanMode ? args.slice(0, 1) : args, loadConfig().environments);
  if (savedPlanMode && (chosen.length !== 1 || chosen[0].stack !== args[0])) throw new StackPlanError(`${mode} takes one stack, not an environment`);
  const synth = await run(process.execPath, [...typeScriptLoader(), join(__dirname, "..", "main.ts")]);
  if (synth.code !== 0) throw new StackPlanError("synth failed (see above)");
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  if (mode === "plan") await savePlan(chosen[0], outdir, args[1]);
  else if (mode === "apply") await applySavedPlan(chosen[0], outdir, args[1]);
  else for (const target of chosen) await planStack(mode as "diff" | "deploy", target, outdir);
};

if (require.main === module) {
  main().catch((error: Error) => {
    if (!(error instanceof StackPlanError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
