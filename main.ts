import { App } from "cdktf";
import { loadConfig } from "./config";
import { ConfigError } from "./config/problems";
import { stackName } from "./config/naming";
import { InfraStack } from "./stacks/infra-stack";

const main = (): void => {
  const config = loadConfig();
  const app = new App();
  for (const env of config.environments) {
    new InfraStack(app, stackName(env, "infra"), { env });
  }
  app.synth();
};

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
