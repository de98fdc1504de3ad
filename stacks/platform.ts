/**
 * The whole platform from a checked configuration: one infra and one apps stack per environment,
 * each under the guardrails, and the state backend; written into `outdir` only if all of it passes.
 */
import { App } from "cdktf";
import { enforceGuardrails } from "../aspects/guardrails";
import { stackSummary } from "../aspects/synth-summary";
import type { PlatformConfig } from "../config/schema";
import { environmentModel } from "../model/environment";
import { useCheapTokenStackTraces } from "../runtime/stack-traces";
import { synthInPlaceOf } from "../runtime/synth-output";
import { AppsStack } from "./apps-stack";
import { InfraStack } from "./infra-stack";
import { applyStateBackend } from "./state-backend";

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

/** Synthesizes every stack into `outdir` and returns the per-stack summary printed after a synth. */
export const synthesizePlatform = (config: PlatformConfig, outdir: string, options: { readonly costDetail: boolean }): string => {
  useCheapTokenStackTraces();
  const checked = synthInPlaceOf(outdir, (next) => synthesize(config, next));
  return checked.map(({ stack, guardrails }) => stackSummary(stack.node.id, guardrails, options)).join("\n");
};
