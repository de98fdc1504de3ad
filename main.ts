import { App } from "cdktf";
import { loadConfig } from "./config";
import { ConfigError } from "./config/problems";
import { stackName } from "./config/naming";
import { AppsStack } from "./stacks/apps-stack";
import { InfraStack } from "./stacks/infra-stack";
import { applyStateBackend } from "./stacks/state-backend";

const main = (): void => {
  const config = loadConfig();
  const app = new App();
  for (const env of config.environments) {
    const infra = new InfraStack(app, stackName(env, "infra"), { env });
    new AppsStack(app, stackName(env, "apps"), { env, infra });
  }
  applyStateBackend(app, config.environments);
  app.synth();
};

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
