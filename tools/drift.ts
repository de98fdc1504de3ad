/**
 * Drift report: one GitHub issue per stack whose scheduled plan is not empty (the real world moved
 * away from the state, or main holds changes nobody applied), updated while it stays so and closed
 * once the plan is empty again. `.github/workflows/drift.yml` plans every stack with read-only
 * credentials, as the pull-request diff does, and hands each stack's output and exit code here.
 *
 * CLI: GH_TOKEN=… node -r @swc-node/register tools/drift.ts <owner>/<repo> <dir>
 *   <dir> holds `<stack>.txt` (the output of `npm run diff -- <stack>`) and `<stack>.exit` (its exit code)
 *   for every stack. Exits 1 when a plan failed (its issue is left as it was), 2 on a bad argument or API error.
 *
 * GitHub REST calls (https://docs.github.com/en/rest/issues):
 *   GET   /repos/{owner}/{repo}/issues?state=open&labels=drift   list repository issues (pull requests, which
 *         the endpoint also returns, carry a `pull_request` key and are skipped)
 *   POST  /repos/{owner}/{repo}/issues                           create an issue (title, body, labels)
 *   PATCH /repos/{owner}/{repo}/issues/{issue_number}            update an issue (body; state and state_reason)
 *   POST  /repos/{owner}/{repo}/issues/{issue_number}/comments   create an issue comment
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expectOk, type GitHubApi, GitHubApiError, gitHubApiFromEnv } from "./github-api";
import { type PlanSummary, parsePlan, renderComment } from "./plan-comment";

export const DRIFT_LABEL = "drift";

/** The hidden first line that ties an issue to its stack; the title may be edited by people. */
export const driftMarker = (stack: string): string => `<!-- drift:${stack} -->`;

interface Issue {
  readonly number: number;
  readonly body?: string | null;
  readonly pull_request?: unknown;
}

export interface DriftOutcome {
  readonly stack: string;
  readonly action: "opened" | "updated" | "closed" | "none" | "failed";
  readonly issue?: number;
}

const issueBody = (summary: PlanSummary, runUrl: string | undefined): string =>
  [
    driftMarker(summary.stack),
    `The scheduled plan of \`${summary.stack}\` is not empty: what runs differs from the state or main holds changes that were never applied. Deploy main, or change the configuration to match what runs. This issue closes itself when a scheduled plan is empty again.`,
    "",
    renderComment(summary, { runUrl }),
  ].join("\n");

/** Opens, updates or closes each stack's drift issue to match its latest plan. */
export const syncDriftIssues = async (api: GitHubApi, repo: string, summaries: readonly PlanSummary[], runUrl?: string): Promise<DriftOutcome[]> => {
  const list = `/repos/${repo}/issues?state=open&labels=${DRIFT_LABEL}&per_page=100`;
  const open = (expectOk(await api("GET", list), `GET ${list}`) as Issue[]).filter((issue) => issue.pull_request === undefined);
  const outcomes: DriftOutcome[] = [];
  for (const summary of summaries) {
    const { stack } = summary;
    const existing = open.find((issue) => (issue.body ?? "").startsWith(driftMarker(stack)));
    if (summary.status === "failed") {
      outcomes.push({ stack, action: "failed", issue: existing?.number });
    } else if (summary.status === "changes") {
      const body = issueBody(summary, runUrl);
      if (existing) {
        expectOk(await api("PATCH", `/repos/${repo}/issues/${existing.number}`, { body }), `PATCH issue ${existing.number}`);
        outcomes.push({ stack, action: "updated", issue: existing.number });
      } else {
        const created = expectOk(await api("POST", `/repos/${repo}/issues`, { title: `Drift: ${stack}`, body, labels: [DRIFT_LABEL] }), "POST issue") as Issue;
        outcomes.push({ stack, action: "opened", issue: created.number });
      }
    } else if (existing && summary.status === "no-changes") {
      const note = `The scheduled plan of \`${stack}\` is empty again${runUrl ? ` ([run](${runUrl}))` : ""}: no drift. Closing.`;
      expectOk(await api("POST", `/repos/${repo}/issues/${existing.number}/comments`, { body: note }), `POST comment on issue ${existing.number}`);
      expectOk(
        await api("PATCH", `/repos/${repo}/issues/${existing.number}`, { state: "closed", state_reason: "completed" }),
        `PATCH issue ${existing.number}`,
      );
      outcomes.push({ stack, action: "closed", issue: existing.number });
    } else {
      outcomes.push({ stack, action: "none" });
    }
  }
  return outcomes;
};

/** Each stack's plan summary from `<stack>.txt` and `<stack>.exit` in `dir`. */
export const readPlans = (dir: string): PlanSummary[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => {
      const stack = name.slice(0, -".txt".length);
      const exit = Number(readFileSync(join(dir, `${stack}.exit`), "utf8").trim());
      return parsePlan(stack, readFileSync(join(dir, name), "utf8"), Number.isInteger(exit) ? exit : 1);
    });

const main = async (): Promise<void> => {
  const [repo, dir] = process.argv.slice(2);
  if (!repo || !dir || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    process.stderr.write("usage: tools/drift.ts <owner>/<repo> <directory of <stack>.txt and <stack>.exit>\n");
    process.exitCode = 2;
    return;
  }
  try {
    const runUrl = process.env.RUN_URL;
    const outcomes = await syncDriftIssues(gitHubApiFromEnv(process.env), repo, readPlans(dir), runUrl);
    for (const o of outcomes) process.stdout.write(`${o.stack}: ${o.action}${o.issue ? ` #${o.issue}` : ""}\n`);
    if (outcomes.some((o) => o.action === "failed")) process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    process.stderr.write(`drift: ${error.message}\n`);
    process.exitCode = 2;
  }
};

if (require.main === module) void main();
