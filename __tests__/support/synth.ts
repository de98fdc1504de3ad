import { type App, type TerraformStack, Testing } from "cdktf";
import type { EnvironmentConfig } from "../../config/schema";

/** A synthesized stack as Terraform JSON, for assertions on exact blocks. */
export interface SynthesizedStack {
  readonly json: string;
  readonly tf: {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
    output?: Record<string, Record<string, unknown>>;
    variable?: Record<string, Record<string, unknown>>;
    terraform?: Record<string, unknown>;
    provider?: Record<string, unknown[]>;
  };
}

export const synthStack = (stack: TerraformStack): SynthesizedStack => {
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
};

/** Builds a stack in a fresh test app and synthesizes it. */
export const synthWith = <S extends TerraformStack>(build: (app: App) => S): SynthesizedStack & { stack: S } => {
  const stack = build(Testing.app());
  return { stack, ...synthStack(stack) };
};

/** All resources of one type, keyed by logical id. */
export const resourcesOf = (synth: SynthesizedStack, type: string): Record<string, Record<string, unknown>> => synth.tf.resource[type] ?? {};

/** A deep copy of an environment with some fields replaced. */
export const withChanges = (env: EnvironmentConfig, changes: Partial<EnvironmentConfig>): EnvironmentConfig => ({
  ...structuredClone(env),
  ...changes,
});
