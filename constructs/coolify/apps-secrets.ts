import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { S3StorageConfig } from "../../config/schema";

/** Names of the sensitive variables the apps stack reads; set them as `TF_VAR_<name>`. */
export const secretVariableName = (secret: string): string => `secret_${secret}`;
export const s3VariableNames = (storage: Pick<S3StorageConfig, "name">): { accessKey: string; secretKey: string } => {
  const base = `s3_${storage.name.replace(/-/g, "_")}`;
  return { accessKey: `${base}_access_key`, secretKey: `${base}_secret_key` };
};
export const DISCORD_WEBHOOK_VARIABLE = "discord_webhook_url";
export const WORKER_PRIVATE_KEY_VARIABLE = "worker_ssh_private_key";

/**
 * The sensitive, required variables of one apps stack, created once each however many resources
 * use them, directly under the stack so that their names are exactly the ones documented.
 */
export class AppsSecrets {
  private readonly stack: TerraformStack;
  private readonly variables = new Map<string, TerraformVariable>();

  constructor(scope: Construct) {
    this.stack = TerraformStack.of(scope);
  }

  /** The value of a sensitive variable, as a token. */
  value(name: string, description: string): string {
    let variable = this.variables.get(name);
    if (!variable) {
      variable = new TerraformVariable(this.stack, name, { type: "string", sensitive: true, nullable: false, description });
      this.variables.set(name, variable);
    }
    return variable.stringValue;
  }

  secret(name: string): string {
    return this.value(secretVariableName(name), `Secret "${name}" used by applications`);
  }
}
