/**
 * The saved-plan check `npm run diff` and `npm run deploy` make on an infra stack's plan: a new
 * Coolify bootstrap that would run an older Coolify than the last apply installed is refused, naming
 * the environment and coolify.version. Changes shaped as `terraform show -json` writes them; the
 * check on a real saved plan runs in __tests__/twin/staging-day2.test.ts.
 */
import { coolifyDowngrade } from "../../tools/plan-guard";

const bootstrap = (before: string | null, after: string) => ({
  resource_changes: [
    {
      address: "null_resource.coolify_bootstrap",
      mode: "managed",
      type: "null_resource",
      change: {
        actions: before === null ? ["create"] : ["delete", "create"],
        before: before === null ? null : { id: "1", triggers: { coolify_version: before } },
        after: { triggers: { coolify_version: after } },
      },
    },
  ],
});

describe("saved-plan check on the Coolify version", () => {
  it("refuses a plan that takes the host back to an older Coolify, comparing versions as numbers", () => {
    expect(coolifyDowngrade(bootstrap("4.3.10", "4.3.9"), "staging")).toBe(
      'Plan refused: environment "staging": coolify.version 4.3.9 is older than Coolify 4.3.10, which the last apply installed; Coolify cannot be downgraded, set coolify.version to 4.3.10 or later',
    );
  });

  it("lets an upgrade, a re-run of the same version, a first install and a plan without the bootstrap through", () => {
    expect(coolifyDowngrade(bootstrap("4.3.9", "4.3.10"), "staging")).toBeUndefined();
    expect(coolifyDowngrade(bootstrap("4.3.10", "4.3.10"), "staging")).toBeUndefined();
    expect(coolifyDowngrade(bootstrap(null, "4.3.8"), "staging")).toBeUndefined();
    expect(coolifyDowngrade({ resource_changes: [] }, "staging")).toBeUndefined();
  });
});
