import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commentMarker, type PlanSummary, parsePlan, renderComment, renderForkNotice } from "../../tools/plan-comment";
import { describeWithTools, findTool } from "../support/tools";

const terraform = findTool("terraform");
const ROOT = join(__dirname, "..", "..");

interface Run {
  readonly output: string;
  readonly exitCode: number;
}

/** Runs a command in a directory with stdout and stderr interleaved, as a CI log shows them. */
const run = (dir: string, command: string, extraEnv: NodeJS.ProcessEnv = {}): Run => {
  const result = spawnSync("bash", ["-c", `${command} 2>&1`], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...extraEnv },
  });
  return { output: result.stdout, exitCode: result.status ?? -1 };
};

const must = (dir: string, command: string): void => {
  const result = run(dir, command);
  if (result.exitCode !== 0) throw new Error(`${command} failed:\n${result.output}`);
};

const resource = (name: string, input: string, replaceTrigger = "1"): string =>
  `resource "terraform_data" "${name}" {\n  input            = "${input}"\n  triggers_replace = ["${replaceTrigger}"]\n}\n`;

const BASE = resource("server", "cx22") + resource("dns", "203.0.113.10");

describeWithTools("plan comments from real terraform plans", { terraform }, () => {
  let dir: string;
  const plans: Record<string, Run> = {};

  /** Plans a configuration against the state that BASE was applied to. */
  const planOf = (config: string): Run => {
    writeFileSync(join(dir, "main.tf"), config);
    return run(dir, "terraform plan -no-color -input=false");
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "plan-comment-"));
    writeFileSync(join(dir, "main.tf"), BASE);
    must(dir, "terraform init -no-color -input=false");
    must(dir, "terraform apply -no-color -input=false -auto-approve");
    plans.noChanges = planOf(BASE);
    plans.add = planOf(BASE + resource("volume", "50"));
    plans.update = planOf(resource("server", "cx32") + resource("dns", "203.0.113.10"));
    plans.replace = planOf(resource("server", "cx22", "2") + resource("dns", "203.0.113.10"));
    plans.destroy = planOf(resource("server", "cx22"));
    plans.failing = planOf(`${BASE}resource "terraform_data" "broken" {\n  input = var.missing\n}\n`);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const parsed = (name: string): PlanSummary => parsePlan("staging-infra", plans[name].output, plans[name].exitCode);

  it("reports no changes", () => {
    const summary = parsed("noChanges");
    expect(summary).toMatchObject({ status: "no-changes", counts: {}, replaced: [], destroyed: [], errors: [] });
    const comment = renderComment(summary);
    expect(comment.startsWith(`${commentMarker("staging-infra")}\n### ✅ \`staging-infra\`: no changes\n`)).toBe(true);
    expect(comment).not.toContain("[!WARNING]");
  });

  it("summarises an addition", () => {
    const summary = parsed("add");
    expect(summary).toMatchObject({ status: "changes", counts: { add: 1, change: 0, destroy: 0 }, replaced: [], destroyed: [] });
    expect(renderComment(summary)).toContain("### 📝 `staging-infra`: 1 to add, 0 to change, 0 to destroy\n");
  });

  it("summarises an in-place update without a warning", () => {
    const summary = parsed("update");
    expect(summary).toMatchObject({ status: "changes", counts: { add: 0, change: 1, destroy: 0 }, replaced: [], destroyed: [] });
    expect(renderComment(summary)).not.toContain("[!WARNING]");
  });

  it("calls out a replacement above the folded plan", () => {
    const summary = parsed("replace");
    expect(summary).toMatchObject({ status: "changes", counts: { add: 1, change: 0, destroy: 1 }, replaced: ["terraform_data.server"], destroyed: [] });
    const comment = renderComment(summary);
    expect(comment).toContain(
      "### ⚠️ `staging-infra`: 1 to add, 0 to change, 1 to destroy\n\n> [!WARNING]\n> This plan destroys or replaces resources:\n> - `terraform_data.server` is **replaced** (destroyed, then created)\n\n<details>",
    );
  });

  it("calls out a destruction above the folded plan", () => {
    const summary = parsed("destroy");
    expect(summary).toMatchObject({ status: "changes", counts: { add: 0, change: 0, destroy: 1 }, replaced: [], destroyed: ["terraform_data.dns"] });
    const comment = renderComment(summary);
    expect(comment.indexOf("> - `terraform_data.dns` is **destroyed**")).toBeLessThan(comment.indexOf("<details>"));
    expect(comment).toContain("# terraform_data.dns will be destroyed");
  });

  it("fails on a plan that errors, naming the error", () => {
    expect(plans.failing.exitCode).not.toBe(0);
    const summary = parsed("failing");
    expect(summary).toMatchObject({ status: "failed", errors: ["Reference to undeclared input variable"] });
    expect(renderComment(summary)).toContain(
      "### ❌ `staging-infra`: plan failed\n\n> [!CAUTION]\n> The plan failed:\n> - Reference to undeclared input variable\n",
    );
  });

  it("fails a plan whose exit code is non-zero even without an Error block", () => {
    expect(parsePlan("staging-infra", plans.add.output, 1).status).toBe("failed");
  });

  it("folds the whole plan in a fence the plan cannot close", () => {
    const summary = parsed("replace");
    const comment = renderComment({ ...summary, plan: `${summary.plan}\n\`\`\`\nnot markdown` }, { runUrl: "https://github.com/acme/infra/actions/runs/1" });
    expect(comment).toContain("<details><summary>Full plan</summary>\n\n````text\n");
    expect(comment).toContain("# terraform_data.server must be replaced");
    expect(comment).toContain("```\nnot markdown\n````\n\n</details>\n\n[Workflow run](https://github.com/acme/infra/actions/runs/1)\n");
  });

  it("cuts a huge plan below GitHub's comment limit", () => {
    const summary = parsed("add");
    const comment = renderComment({ ...summary, plan: "x".repeat(200000) });
    expect(comment.length).toBeLessThan(65536);
    expect(comment).toContain("Cut at 60000 characters; the job log has the whole plan.");
  });

  it("tells fork pull requests why there is no plan", () => {
    expect(renderForkNotice("production-infra")).toContain(
      `${commentMarker("production-infra")}\n### ⏭️ \`production-infra\`: no plan for pull requests from forks`,
    );
  });

  it("runs as a CLI that writes the comment and the failed flag for the workflow", () => {
    const planFile = join(dir, "failing.txt");
    const commentFile = join(dir, "comment.md");
    const githubOutput = join(dir, "github-output");
    writeFileSync(planFile, plans.failing.output);
    writeFileSync(githubOutput, "");
    const cli = run(
      ROOT,
      `node -r @swc-node/register tools/plan-comment.ts --stack staging-infra --input ${planFile} --exit-code ${plans.failing.exitCode} --output ${commentFile}`,
      { GITHUB_OUTPUT: githubOutput },
    );
    expect(cli).toEqual({ output: "staging-infra: failed\n", exitCode: 0 });
    expect(readFileSync(githubOutput, "utf8")).toBe("failed=true\n");
    expect(readFileSync(commentFile, "utf8")).toBe(renderComment(parsed("failing")));
  });
});

describeWithTools("plan comments from a real cdktf diff", { terraform }, () => {
  let dir: string;
  const cdktf = (command: string, env: NodeJS.ProcessEnv = {}): Run => run(dir, `node_modules/.bin/cdktf ${command}`, { CI: "true", ...env });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cdktf-diff-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node app.js", terraformProviders: [], sendCrashReports: "false" }));
    writeFileSync(
      join(dir, "app.js"),
      [
        'const { App, TerraformStack, DataResource } = require("cdktf");',
        "const app = new App();",
        'const stack = new TerraformStack(app, "staging-apps");',
        'new DataResource(stack, "project", { input: "shop", triggersReplace: [process.env.GENERATION ?? "1"] });',
        'if (!process.env.DROP_DATABASE) new DataResource(stack, "database", { input: "postgres" });',
        "app.synth();",
      ].join("\n"),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("strips cdktf's colours and stack column before reading the plan", () => {
    const diff = cdktf("diff staging-apps");
    expect(diff.output).toContain("staging-apps  ");
    const summary = parsePlan("staging-apps", diff.output, diff.exitCode);
    expect(summary).toMatchObject({ status: "changes", counts: { add: 2, change: 0, destroy: 0 }, errors: [] });
    expect(summary.plan).toContain('\n  # terraform_data.project (project) will be created\n  + resource "terraform_data" "project" {');
    expect(summary.plan).not.toContain("\u001b[");
  });

  it("names replaced resources with their construct path and removed ones by address", () => {
    const deploy = cdktf("deploy staging-apps --auto-approve");
    expect(deploy.exitCode).toBe(0);
    const diff = cdktf("diff staging-apps", { GENERATION: "2", DROP_DATABASE: "1" });
    const summary = parsePlan("staging-apps", diff.output, diff.exitCode);
    expect(summary).toMatchObject({
      status: "changes",
      counts: { add: 1, change: 0, destroy: 2 },
      replaced: ["terraform_data.project (project)"],
      destroyed: ["terraform_data.database"],
    });
  });
});

describe("plan comments with hostile text", () => {
  const addresses = [
    "  # terraform_data.x`</details><img/src=x/onerror=alert(1)>@octocat` will be destroyed",
    '  # terraform_data.y["[click](https://evil.example)"] must be replaced',
    "Plan: 1 to add, 0 to change, 2 to destroy.",
  ].join("\n");
  const error = "│ Error: <script>alert(1)</script> **urgent** [login](https://evil.example) @acme/admins #1";
  const beforeThePlan = (comment: string): string => comment.slice(0, comment.indexOf("<details>"));
  const failed = renderComment(parsePlan("staging-apps", error, 1));
  const destroying = renderComment(parsePlan("staging-apps", addresses, 0));

  it("lets no HTML, link, emphasis or mention of an error through", () => {
    const callout = beforeThePlan(failed);
    expect(callout).not.toMatch(/<(?!!--)/);
    expect(callout).not.toMatch(/@(?!\u200b)/);
    expect(callout).not.toContain("**urgent**");
    expect(callout).toContain(
      "> - &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*\\*urgent\\*\\* \\[login\\]\\(https://evil\\.example\\) @\u200bacme/admins \\#1\n",
    );
  });

  it("shows addresses as code spans their backticks cannot close", () => {
    const callout = beforeThePlan(destroying);
    expect(callout).toContain("> - `` terraform_data.x`</details><img/src=x/onerror=alert(1)>@octocat` `` is **destroyed**");
    expect(callout).toContain('> - `terraform_data.y["[click](https://evil.example)"]` is **replaced** (destroyed, then created)');
  });

  it("keeps the full plan inside a fence it cannot close", () => {
    const plan = destroying.slice(destroying.indexOf("<details>"));
    expect(plan.split("\n")[2]).toBe("```text");
    expect(plan).toContain("\n```\n\n</details>");
  });
});
