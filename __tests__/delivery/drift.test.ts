/**
 * Drift: tools/drift.ts against a stand-in of GitHub's issues API that keeps its issues and answers
 * in the documented shapes (https://docs.github.com/en/rest/issues/issues: list repository issues,
 * create an issue, update an issue; https://docs.github.com/en/rest/issues/comments: create an
 * issue comment), fed with real `terraform plan` output of a twin whose state was changed behind
 * Terraform's back (`terraform state push` of an edited state). The twin is a one-resource
 * configuration (`terraform_data`, Terraform's built-in provider, so no provider to install): it
 * proves the path from a real plan that differs from the state to an issue and back, not that our
 * providers detect drift in Hetzner, Cloudflare or Coolify (the local providers pass state through).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { DRIFT_LABEL, driftMarker, syncDriftIssues } from "../../tools/drift";
import { gitHubApi } from "../../tools/github-api";
import { parsePlan } from "../../tools/plan-comment";
import { GitHubStandIn } from "../support/github-stand-in";
import { TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const ROOT = join(__dirname, "..", "..");
const TOKEN = "ghs_stand_in_drift_token";
const REPO = "acme/platform";
const STACK = "staging-infra";

interface StoredIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: { name: string }[];
  comments: string[];
  pull_request?: { url: string };
}

/** GitHub's issues, kept between calls; bodies are checked as the API validates them (422 otherwise). */
const issuesApi = (issues: StoredIssue[]): GitHubStandIn => {
  const base = `/repos/${REPO}/issues`;
  const shape = (issue: StoredIssue) => ({ ...issue, comments: issue.comments.length, html_url: `https://github.com/${REPO}/issues/${issue.number}` });
  const invalid = (message: string) => ({ status: 422, body: { message: "Validation Failed", errors: [{ message }] } });
  return new GitHubStandIn(TOKEN)
    .on("GET", new RegExp(`^${base}$`), ({ query }) => {
      const state = query.get("state") ?? "open";
      const labels = (query.get("labels") ?? "").split(",").filter(Boolean);
      const found = issues.filter((i) => (state === "all" || i.state === state) && labels.every((l) => i.labels.some((have) => have.name === l)));
      return { status: 200, body: found.map(shape) };
    })
    .on("POST", new RegExp(`^${base}$`), ({ body }) => {
      const { title, body: text, labels } = body as { title?: unknown; body?: unknown; labels?: unknown };
      if (typeof title !== "string" || title === "") return invalid("title is required");
      if (labels !== undefined && !(Array.isArray(labels) && labels.every((l) => typeof l === "string"))) return invalid("labels must be strings");
      const issue: StoredIssue = {
        number: issues.length + 1,
        title,
        body: typeof text === "string" ? text : "",
        state: "open",
        state_reason: null,
        labels: ((labels as string[] | undefined) ?? []).map((name) => ({ name })),
        comments: [],
      };
      issues.push(issue);
      return { status: 201, body: shape(issue) };
    })
    .on("PATCH", new RegExp(`^${base}/(\\d+)$`), ({ match, body }) => {
      const issue = issues.find((i) => i.number === Number(match[1]));
      if (!issue) return { status: 404, body: { message: "Not Found" } };
      const update = body as { body?: string; state?: string; state_reason?: string };
      if (update.state !== undefined && !["open", "closed"].includes(update.state)) return invalid("state is not included in the list");
      if (update.state_reason !== undefined && !["completed", "not_planned", "reopened"].includes(update.state_reason))
        return invalid("state_reason is invalid");
      if (update.body !== undefined) issue.body = update.body;
      if (update.state !== undefined) issue.state = update.state as StoredIssue["state"];
      if (update.state_reason !== undefined) issue.state_reason = update.state_reason;
      return { status: 200, body: shape(issue) };
    })
    .on("POST", new RegExp(`^${base}/(\\d+)/comments$`), ({ match, body }) => {
      const issue = issues.find((i) => i.number === Number(match[1]));
      if (!issue) return { status: 404, body: { message: "Not Found" } };
      const text = (body as { body?: unknown }).body;
      if (typeof text !== "string" || text === "") return invalid("body is required");
      issue.comments.push(text);
      return { status: 201, body: { id: issue.comments.length, body: text } };
    });
};

describeWithTools("drift issues from a twin whose state changed behind Terraform's back", TERRAFORM_TOOLS, () => {
  const twin = mkdtempSync(join(tmpdir(), "drift-twin-"));
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  const terraform = (...args: string[]) => spawnSync("terraform", args, { cwd: twin, env, encoding: "utf8" });
  const issues: StoredIssue[] = [
    // A pull request carrying the label: the issues endpoint lists it too, and it must be left alone.
    {
      number: 99,
      title: "Fix drift",
      body: driftMarker(STACK),
      state: "open",
      state_reason: null,
      labels: [{ name: DRIFT_LABEL }],
      comments: [],
      pull_request: { url: "x" },
    },
  ];
  const standIn = issuesApi(issues);
  let api: ReturnType<typeof gitHubApi>;

  /** A real scheduled plan: Terraform's own verdict (-detailed-exitcode) and the summary the tool reads. */
  const plan = () => {
    const result = terraform("plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode");
    // The workflow's `npm run diff` exits 0 for any plan that succeeded, changes or not.
    return { detailed: result.status, summary: parsePlan(STACK, result.stdout + result.stderr, result.status === 2 ? 0 : (result.status ?? 1)) };
  };

  /** Changes the resource's recorded input in the state, as someone outside Terraform would. */
  const pushState = (input: string) => {
    const state = JSON.parse(terraform("state", "pull").stdout) as { serial: number; resources: { instances: { attributes: Record<string, unknown> }[] }[] };
    state.serial += 1;
    const attributes = state.resources[0].instances[0].attributes;
    attributes.input = { value: input, type: "string" };
    attributes.output = { value: input, type: "string" };
    writeFileSync(join(twin, "edited.tfstate"), JSON.stringify(state));
    expect(terraform("state", "push", "edited.tfstate").status).toBe(0);
  };

  beforeAll(async () => {
    api = gitHubApi(await standIn.start(), TOKEN);
    writeFileSync(join(twin, "main.tf"), 'resource "terraform_data" "release" {\n  input = "v2"\n}\n');
    expect(terraform("init", "-input=false", "-no-color").status).toBe(0);
    expect(terraform("apply", "-input=false", "-no-color", "-auto-approve").status).toBe(0);
  }, 60_000);

  afterAll(() => standIn.stop());

  it("has nothing to report while the state matches the configuration", async () => {
    const { detailed, summary } = plan();
    expect({ detailed, status: summary.status }).toEqual({ detailed: 0, status: "no-changes" });
    expect(await syncDriftIssues(api, REPO, [summary])).toEqual([{ stack: STACK, action: "none" }]);
    expect(issues.filter((i) => i.pull_request === undefined)).toEqual([]);
  });

  it("opens one issue when the state is changed behind Terraform's back, and updates it on the next run", async () => {
    pushState("v1");
    const { detailed, summary } = plan();
    expect({ detailed, status: summary.status, counts: summary.counts }).toEqual({ detailed: 2, status: "changes", counts: { add: 0, change: 1, destroy: 0 } });
    expect(await syncDriftIssues(api, REPO, [summary], "https://github.com/acme/platform/actions/runs/1")).toEqual([
      { stack: STACK, action: "opened", issue: 2 },
    ]);
    const issue = issues.find((i) => i.number === 2);
    expect(issue).toMatchObject({ title: `Drift: ${STACK}`, state: "open", labels: [{ name: DRIFT_LABEL }] });
    expect(issue?.body.startsWith(driftMarker(STACK))).toBe(true);
    expect(issue?.body).toContain("terraform_data.release");
    expect(await syncDriftIssues(api, REPO, [plan().summary], "https://github.com/acme/platform/actions/runs/2")).toEqual([
      { stack: STACK, action: "updated", issue: 2 },
    ]);
    expect(issue?.body).toContain("actions/runs/2");
    expect(issues.filter((i) => i.state === "open" && i.pull_request === undefined)).toHaveLength(1);
  });

  it("leaves the issue as it is when the plan fails", async () => {
    const failed = parsePlan(STACK, "Error: error configuring S3 Backend: no valid credential sources", 1);
    expect(await syncDriftIssues(api, REPO, [failed])).toEqual([{ stack: STACK, action: "failed", issue: 2 }]);
    expect(issues.find((i) => i.number === 2)?.state).toBe("open");
  });

  it("closes the issue with a comment once the drift is gone, and never touches the pull request", async () => {
    pushState("v2");
    const { detailed, summary } = plan();
    expect(detailed).toBe(0);
    expect(await syncDriftIssues(api, REPO, [summary])).toEqual([{ stack: STACK, action: "closed", issue: 2 }]);
    expect(issues.find((i) => i.number === 2)).toMatchObject({ state: "closed", state_reason: "completed", comments: [expect.stringContaining("no drift")] });
    expect(issues.find((i) => i.number === 99)).toMatchObject({ state: "open", comments: [] });
  });

  it("is scheduled in drift.yml with the read-only credentials of the diff job, on the plan runners", () => {
    type Job = { "runs-on"?: unknown; environment?: string; permissions?: Record<string, string>; steps?: { env?: Record<string, string>; run?: string }[] };
    const drift = load(readFileSync(join(ROOT, ".github", "workflows", "drift.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };
    const diff = load(readFileSync(join(ROOT, ".github", "workflows", "diff.yml"), "utf8")) as { jobs: Record<string, Job> };
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const credentials = (job: Job) => (job.steps ?? []).find((s) => s.run?.includes("npm run --silent diff"))?.env;
    expect(credentials(drift.jobs.plan)).toEqual(credentials(diff.jobs.diff));
    expect(drift.jobs.plan["runs-on"]).toEqual(diff.jobs.diff["runs-on"]);
    expect(drift.jobs.plan.permissions).toEqual({ contents: "read" });
    expect(drift.jobs.report.permissions).toEqual({ contents: "read", issues: "write" });
    expect(JSON.stringify(drift.jobs.report)).not.toContain("secrets.");
  });
});
