import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";

/**
 * A sensitive variable that defaults to null, so the provider falls back to its own environment
 * variable (e.g. `HCLOUD_TOKEN`) when `TF_VAR_<name>` is not set. Synth never needs the value.
 */
export const credentialVariable = (scope: Construct, name: string, description: string): TerraformVariable => {
  const variable = new TerraformVariable(scope, name, { type: "string", sensitive: true, nullable: true, description });
  // cdktf cannot express `default = null` through props; without it the variable would be required.
  variable.addOverride("default", null);
  return variable;
};
