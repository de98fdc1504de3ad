/**
 * A pull request that adds an environment: its apps stack cannot be planned before its infra stack
 * installed Coolify, so `npm run diff` reports it as waiting for `<env>-infra` instead of failing,
 * and the pull-request comment says so; a state that cannot be read still fails.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parsePlan, renderComment, waitingLine } from "../../tools/plan-comment";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { exampleEnvironment } from "../terraform/environment-harness";

describe("the comment for an apps stack that waits for its infra stack", () => {
  it("says what it waits for, and is not a failure", () => {
    const output = `\nsynthesized\n${waitingLine("qa-apps", "qa-infra")}\n`;
    const summary = parsePlan("qa-apps", output, 0);
    expect(summary).toMatchObject({ status: "waiting", waitsFor: "qa-infra" });
    expect(renderComment(summary)).toContain("### ⏳ `qa-apps`: waits for `qa-infra`");
  });

  it("is a failure when the run failed all the same", () => {
    expect(parsePlan("qa-apps", waitingLine("qa-apps", "qa-infra"), 1).status).toBe("failed");
  });
});

describeWithTools("npm run diff for a new environment, with the real terraform", TERRAFORM_TOOLS, () => {
  const staging = exampleEnvironment("staging");
  const project = new CdktfProject({ environments: [staging] });

  it("reports the apps stack as waiting for the infra stack, which has no state yet, and exits 0", async () => {
    const diff = await project.script("tools/stack-plan.ts", ["diff", "staging-apps"]);

    expect(diff.stdout).toContain(waitingLine("staging-apps", "staging-infra"));
    expect(diff.code).toBe(0);
    expect(parsePlan("staging-apps", diff.stdout, diff.code).status).toBe("waiting");
  });

  it("still fails when the infra stack's state cannot be read", async () => {
    const infraDir = project.stackDir("staging-infra");
    const stateFile = readdirSync(project.dir).find((name) => name.endsWith("staging-infra.tfstate")) ?? "terraform.staging-infra.tfstate";
    writeFileSync(join(project.dir, stateFile), "{ not a state");
    writeFileSync(join(infraDir, "terraform.tfstate"), "{ not a state");

    const diff = await project.script("tools/stack-plan.ts", ["diff", "staging-apps"]);

    expect(diff.code).toBe(1);
    expect(diff.stdout).not.toContain("waits for");
    expect(diff.stderr).toContain("Unsupported state file format");
    expect(diff.stderr).toContain("failed in cdktf.out/stacks/staging-infra");
    expect(parsePlan("staging-apps", diff.stdout + diff.stderr, diff.code).status).toBe("failed");
  });
});
