import { App } from "cdktf";
import { enforceGuardrails, GuardrailError } from "./aspects/guardrails";
import { stackSummary } from "./aspects/synth-summary";
import { loadConfig } from "./config";
import { ConfigError } from "./config/problems";
import { ConfigFileError } from "./config/read";
import type { PlatformConfig } from "./config/schema";
import { environmentModel } from "./model/environment";
import { useCheapTokenStackTraces } from "./runtime/stack-traces";
import { synthInPlaceOf } from "./runtime/synth-output";
import { AppsStack } from "./stacks/apps-stack";
import { InfraStack } from "./stacks/infra-stack";
import { applyStateBackend } from "./stacks/state-backend";

const main = (): void => {
  useCheapTokenStackTraces();
  const config = loadConfig();
  const checked = synthInPlaceOf(process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR, (outdir) => synthesize(config, outdir));
  const detail = process.env.COST_DETAIL === "1";
  process.stdout.write(`${checked.map(({ stack, guardrails }) => stackSummary(stack.node.id, guardrails, { costDetail: detail })).join("\n")}\n`);
};

/** cdktf's own default output directory (cdktf.json sets none). */
const DEFAULT_OUTDIR = "cdktf.out";

const synthesize = (config: PlatformConfig, outdir: string) => {
  const app = new App({ outdir });
  const checked = config.environments.flatMap((env) => {
    const environment = environmentModel(env);
    const infra = new InfraStack(app, environment.stackNames.infra, { environment });
    const apps = new AppsStack(app, environment.stackNames.apps, { environment, infra });
    // cdktf synthesizes and validates stacks in order, so the apps stack, last, sees the whole environment's cost.
    const infraGuardrails = enforceGuardrails(infra, environment);
    const budget = env.monthlyBudgetEur === undefined ? undefined : { monthlyEur: env.monthlyBudgetEur, withStacks: [infraGuardrails] };
    return [
      { stack: infra, guardrails: infraGuardrails },
      { stack: apps, guardrails: enforceGuardrails(apps, environment, budget) },
    ];
  });
  applyStateBackend(app, config.environments);
  app.synth();
  return checked;
};

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ConfigFileError || error instanceof GuardrailError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
