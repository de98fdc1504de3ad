/**
 * deploy.yml's gate, run for real: the step's own bash script, with real git against a local
 * "origin" (commits on main, a side branch, a tag named `main`, a release tag) and a local stand-in
 * of GitHub's "list workflow runs for a workflow" endpoint
 * (GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs?head_sha=&status=,
 * https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow).
 * Staging takes only the newest commit of main: re-running an old green CI run, or a tag named
 * `main`, deploys nothing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { runWithInput } from "../support/bash";
import { GitHubStandIn } from "../support/github-stand-in";

const ROOT = join(__dirname, "..", "..");
const TOKEN = "ghs_stand_in_actions_token";
const REPO = "acme/platform";

type Step = { id?: string; run?: string };
const deploy = load(readFileSync(join(ROOT, ".github", "workflows", "deploy.yml"), "utf8")) as { jobs: { gate: { steps: Step[] } } };
const script = deploy.jobs.gate.steps.find((step) => step.id === "check")?.run ?? "";

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
  }).trim();

describe("the deploy gate", () => {
  const dir = mkdtempSync(join(tmpdir(), "deploy-gate-"));
  const origin = join(dir, "origin.git");
  const work = join(dir, "work");
  const checkout = join(dir, "checkout");
  const commits: Record<string, string> = {};
  const green = new Set<string>();
  const standIn = new GitHubStandIn(TOKEN).on("GET", new RegExp(`^/repos/${REPO}/actions/workflows/ci\\.yml/runs$`), ({ query }) => {
    const sha = query.get("head_sha") ?? "";
    const runs = query.get("status") === "success" && green.has(sha) ? [{ id: 1, head_sha: sha, status: "completed", conclusion: "success" }] : [];
    return { status: 200, body: { total_count: runs.length, workflow_runs: runs } };
  });
  let api = "";

  beforeAll(async () => {
    api = await standIn.start();
    git(dir, "init", "-q", "--bare", origin);
    git(dir, "init", "-q", "-b", "main", work);
    const commit = (name: string): string => {
      writeFileSync(join(work, "file"), name);
      git(work, "add", "file");
      git(work, "commit", "-q", "-m", name);
      return git(work, "rev-parse", "HEAD");
    };
    commits.old = commit("old");
    git(work, "checkout", "-q", "-b", "side");
    commits.side = commit("side");
    git(work, "checkout", "-q", "main");
    commits.newest = commit("newest");
    git(work, "tag", "main", commits.side);
    git(work, "tag", "v1.0.0", commits.old);
    git(work, "remote", "add", "origin", origin);
    git(
      work,
      "push",
      "-q",
      "origin",
      "refs/heads/main:refs/heads/main",
      "refs/heads/side:refs/heads/side",
      "refs/tags/main:refs/tags/main",
      "refs/tags/v1.0.0:refs/tags/v1.0.0",
    );
    // What actions/checkout with fetch-depth 0 leaves: the full history.
    git(dir, "clone", "-q", "--no-checkout", origin, checkout);
    for (const sha of Object.values(commits)) green.add(sha);
  });

  afterAll(() => standIn.stop());

  const gate = async (env: { EVENT: string; REF: string; SHA: string; RUN_EVENT?: string }) => {
    const output = join(mkdtempSync(join(tmpdir(), "gate-output-")), "output");
    writeFileSync(output, "");
    const run = await runWithInput("bash", ["-c", script], "", {
      ...process.env,
      RUN_EVENT: "",
      ...env,
      GH_TOKEN: TOKEN,
      GITHUB_API_URL: api,
      GITHUB_REPOSITORY: REPO,
      GITHUB_OUTPUT: output,
      PWD: checkout,
      GIT_DIR: join(checkout, ".git"),
    });
    return { status: run.status, error: (run.stdout.match(/::error title=([^:]+)::/) ?? [])[1], output: readFileSync(output, "utf8") };
  };

  it("deploys staging when CI passes on the newest commit of main", async () => {
    expect(await gate({ EVENT: "workflow_run", RUN_EVENT: "push", REF: "refs/heads/main", SHA: commits.newest })).toEqual({
      status: 0,
      error: undefined,
      output: `sha=${commits.newest}\n`,
    });
  });

  it("refuses a re-run of an old green CI run: no rollback without review", async () => {
    expect(await gate({ EVENT: "workflow_run", RUN_EVENT: "push", REF: "refs/heads/main", SHA: commits.old })).toMatchObject({
      status: 1,
      error: "Not the newest commit of main",
      output: "",
    });
  });

  it("refuses a commit a tag named main points at, wherever it is", async () => {
    // CI of the tag's push reports head_branch "main", which passes workflow_run's branch filter.
    expect(await gate({ EVENT: "workflow_run", RUN_EVENT: "push", REF: "refs/heads/main", SHA: commits.side })).toMatchObject({
      status: 1,
      error: "Not on main",
    });
    expect(await gate({ EVENT: "workflow_dispatch", REF: "refs/tags/main", SHA: commits.side })).toMatchObject({ status: 1, error: "Not the branch main" });
  });

  it("refuses CI of a pull request whose branch is named main, and a commit without green CI", async () => {
    expect(await gate({ EVENT: "workflow_run", RUN_EVENT: "pull_request", REF: "refs/heads/main", SHA: commits.newest })).toMatchObject({
      status: 1,
      error: "Not a push to main",
    });
    green.delete(commits.newest);
    try {
      expect(await gate({ EVENT: "workflow_run", RUN_EVENT: "push", REF: "refs/heads/main", SHA: commits.newest })).toMatchObject({
        status: 1,
        error: "CI has not passed",
      });
    } finally {
      green.add(commits.newest);
    }
  });

  it("lets a release tag name an older commit of main (production's reviewers approve it), and a manual run only the newest", async () => {
    expect(await gate({ EVENT: "push", REF: "refs/tags/v1.0.0", SHA: commits.old })).toMatchObject({ status: 0, output: `sha=${commits.old}\n` });
    expect(await gate({ EVENT: "workflow_dispatch", REF: "refs/heads/main", SHA: commits.old })).toMatchObject({
      status: 1,
      error: "Not the newest commit of main",
    });
    expect(await gate({ EVENT: "workflow_dispatch", REF: "refs/heads/main", SHA: commits.newest })).toMatchObject({ status: 0 });
  });
});
