/**
 * `npm run outputs -- <env>`: writes the non-sensitive outputs of `<env>-infra` and `<env>-apps`
 * to `outputs/<env>.json` for application repositories (see docs/outputs.md).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";
import { type StackKind, stackName } from "../config/naming";
import { ConfigError } from "../config/problems";
import { ConfigFileError } from "../config/read";

const STACK_KINDS: readonly StackKind[] = ["infra", "apps"];
export const OUTPUTS_DIR = "outputs";
const SYNTH_DIR = "cdktf.out";

type OutputsByStack = Record<string, Record<string, unknown>>;

/** A failure reported as one line, without a stack trace. */
export class OutputsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The environment named on the command line; throws naming the allowed values. */
export const environmentArgument = (args: readonly string[], environments: readonly string[]): string => {
  const usage = `usage: npm run outputs -- <environment> (one of: ${environments.join(", ")})`;
  if (args.length !== 1) throw new OutputsError(`expected exactly one environment, got ${args.length}; ${usage}`, 2);
  if (!environments.includes(args[0])) throw new OutputsError(`unknown environment ${JSON.stringify(args[0])}; ${usage}`, 2);
  return args[0];
};

/** Names of the outputs a synthesized stack (`cdk.tf.json`) marks sensitive. */
export const sensitiveOutputNames = (synthesized: { readonly output?: Record<string, { readonly sensitive?: boolean }> }): Set<string> =>
  new Set(
    Object.entries(synthesized.output ?? {})
      .filter(([, output]) => output.sensitive === true)
      .map(([name]) => name),
  );

/**
 * Keeps only what may be shared: drops every output the stack declares sensitive (cdktf already
 * leaves their values out; this holds even if a value slips through) and the empty entries.
 */
export const publicOutputs = (fetched: OutputsByStack, sensitiveByStack: ReadonlyMap<string, ReadonlySet<string>>): OutputsByStack =>
  Object.fromEntries(
    Object.entries(fetched).map(([stack, outputs]) => [
      stack,
      Object.fromEntries(Object.entries(outputs).filter(([name, value]) => value !== undefined && value !== null && !sensitiveByStack.get(stack)?.has(name))),
    ]),
  );

const main = (): void => {
  const config = loadConfig();
  const env = environmentArgument(
    process.argv.slice(2),
    config.environments.map((e) => e.name),
  );
  const stacks = STACK_KINDS.map((kind) => stackName({ name: env }, kind));
  const scratch = mkdtempSync(join(tmpdir(), "outputs-"));
  try {
    const fetchedFile = join(scratch, "outputs.json");
    try {
      execFileSync("npx", ["--no-install", "cdktf", "output", ...stacks, "--outputs-file", fetchedFile], {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      });
    } catch {
      throw new OutputsError(`cdktf output ${stacks.join(" ")} failed (see above); are the stacks deployed and the state backend reachable?`, 1);
    }
    const sensitive = new Map(
      stacks.map((stack) => [stack, sensitiveOutputNames(JSON.parse(readFileSync(join(SYNTH_DIR, "stacks", stack, "cdk.tf.json"), "utf8")))]),
    );
    const result = publicOutputs(JSON.parse(readFileSync(fetchedFile, "utf8")), sensitive);
    mkdirSync(OUTPUTS_DIR, { recursive: true });
    const target = join(OUTPUTS_DIR, `${env}.json`);
    writeFileSync(target, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`outputs: wrote ${target}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof OutputsError || error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
    process.stderr.write(`outputs: ${error.message}\n`);
    process.exitCode = error instanceof OutputsError ? error.exitCode : 2;
  }
}
