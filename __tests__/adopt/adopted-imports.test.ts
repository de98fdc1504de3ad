/** `apps.adopted` in a real synth: a path that names no resource stops the synth with one line. */
import { exampleConfig } from "../../config";
import { fileWith, synthWithConfig } from "../support/app";

describe("apps.adopted", () => {
  it("fails the synth, naming the environment and the path, when a path matches no resource", async () => {
    const environments = exampleConfig.environments.map((environment) =>
      environment.name === "staging" && environment.apps
        ? { ...environment, apps: { ...environment.apps, adopted: { "project-shop/project": "og888os", "project-shop/app-gone/application": "k8s0w4c" } } }
        : environment,
    );
    const run = await synthWithConfig(fileWith(JSON.stringify({ environments })));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Invalid configuration (1 problem):\n  - environment "staging": apps.adopted["project-shop/app-gone/application"]: matches no resource of staging-apps (allowed: the construct path of a resource the configuration creates, as npm run adopt writes it)\n',
    );
  }, 30_000);
});
