import { loadConfig } from "./config";
import { ConfigError } from "./config/problems";
import { ConfigFileError } from "./config/read";

/** cdktf's own default output directory (cdktf.json sets none). */
const DEFAULT_OUTDIR = "cdktf.out";

const main = async (): Promise<void> => {
  const config = loadConfig();
  // The stacks, cdktf and the provider bindings load only once the configuration is valid: a
  // mistake in it is reported in about half the time a synth takes.
  const { synthesizePlatform } = await import("./stacks/platform");
  const summary = synthesizePlatform(config, process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR, { costDetail: process.env.COST_DETAIL === "1" });
  process.stdout.write(`${summary}\n`);
};

/** A mistake in the configuration: reported in its own words, without a stack trace. */
const isUsersMistake = async (error: unknown): Promise<boolean> =>
  error instanceof ConfigError || error instanceof ConfigFileError || error instanceof (await import("./aspects/guardrails")).GuardrailError;

main().catch(async (error: unknown) => {
  if (!(error instanceof Error) || !(await isUsersMistake(error))) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
