/**
 * Turns what `cdktf diff` (or `terraform plan`) printed for one stack into a pull-request comment:
 * the summary line, destroy/replace actions called out first, errors, and the full plan folded.
 *
 * CLI: node -r @swc-node/register tools/plan-comment.ts --stack <name> --input <plan.txt>
 *        --exit-code <n> --output <comment.md> [--run-url <url>] [--plan-json <show.json>]
 * `--plan-json` takes `terraform show -json <saved plan>` and adds the monthly cost before and after.
 *      node -r @swc-node/register tools/plan-comment.ts --stack <name> --fork --output <comment.md>
 * Appends `failed=true|false` to $GITHUB_OUTPUT when it is set.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type PlanCost, planCost, renderCost } from "../cost/plan";

export type PlanStatus = "no-changes" | "changes" | "failed" | "waiting";

/**
 * What `npm run diff` prints instead of a plan for an apps stack whose infra stack has no state yet
 * (a new environment: there is no Coolify to plan against).
 */
export const waitingLine = (stack: string, infra: string): string => `${stack}: waits for ${infra} (no state yet: the environment is new), not planned`;

export interface PlanSummary {
  readonly stack: string;
  readonly status: PlanStatus;
  /** The counts of Terraform's `Plan:` line, e.g. `{ add: 2, change: 1, destroy: 0 }`; empty without one. */
  readonly counts: Readonly<Record<string, number>>;
  readonly replaced: readonly string[];
  readonly destroyed: readonly string[];
  /** The headline of every `Error:` block. */
  readonly errors: readonly string[];
  /** The output without colours and without cdktf's stack-name column. */
  readonly plan: string;
  /** For `waiting`: the stack that must be deployed first. */
  readonly waitsFor?: string;
}

/** GitHub rejects comments over 65536 characters; the rest of the comment needs some room. */
const MAX_PLAN_CHARS = 60000;

// cdktf colours its output even when it is piped into a file.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with the ESC control character.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Text without colours and cursor movements. */
export const withoutAnsi = (text: string): string => text.replace(ANSI, "");

/** cdktf prints `<stack>  ` before a block and indents its continuation lines to the same width. */
const stripStackColumn = (lines: readonly string[], stack: string): string[] => {
  const label = `${stack}  `;
  const indent = " ".repeat(label.length);
  return lines.map((line) => (line.startsWith(label) || line.startsWith(indent) ? line.slice(label.length) : line));
};

export const cleanPlanOutput = (output: string, stack: string): string =>
  stripStackColumn(withoutAnsi(output).replace(/\r/g, "").split("\n"), stack).join("\n").trim();

const matches = (lines: readonly string[], pattern: RegExp): string[] =>
  lines.flatMap((line) => {
    const match = pattern.exec(line);
    return match ? [match[1]] : [];
  });

const parseCounts = (lines: readonly string[]): Record<string, number> => {
  const line = lines.find((l) => /^Plan: /.test(l.trim()));
  if (!line) return {};
  return Object.fromEntries([...line.matchAll(/(\d+) to (\w+)/g)].map(([, count, verb]) => [verb, Number(count)]));
};

/** A resource heading of the plan: `# <address>`, and from cdktf also ` (<construct path>)`. */
const ADDRESS = String.raw`^\s*# (\S+(?: \([^)]*\))?)`;

/** Reads one stack's plan output; a non-zero exit code or any `Error:` block makes it a failed plan. */
export const parsePlan = (stack: string, output: string, exitCode: number): PlanSummary => {
  const plan = cleanPlanOutput(output, stack);
  const lines = plan.split("\n");
  const counts = parseCounts(lines);
  const errors = matches(lines, /^[│\s]*Error: (.+)$/);
  const noChanges = lines.some((l) => /^No changes\./.test(l.trim()));
  const hasPlan = Object.keys(counts).length > 0 || lines.some((l) => /^Changes to Outputs:/.test(l.trim()));
  const waitsFor = lines.map((l) => new RegExp(`^${stack}: waits for (\\S+) \\(no state yet`).exec(l.trim())?.[1]).find(Boolean);
  const failed = exitCode !== 0 || errors.length > 0;
  const status: PlanStatus = !failed && waitsFor ? "waiting" : failed || (!noChanges && !hasPlan) ? "failed" : noChanges ? "no-changes" : "changes";
  return {
    stack,
    status,
    waitsFor: status === "waiting" ? waitsFor : undefined,
    counts,
    replaced: matches(lines, new RegExp(`${ADDRESS} (?:must be replaced|will be replaced|is tainted, so must be replaced)`)),
    destroyed: matches(lines, new RegExp(`${ADDRESS} will be destroyed`)),
    errors,
    plan,
  };
};

/**
 * Text from a plan (errors, addresses) is untrusted: a configuration or a provider may put
 * markdown, HTML or `@mentions` in it. Outside code it is shown literally: HTML characters become
 * entities, markdown's punctuation is backslash-escaped, and a zero-width space after `@` keeps
 * GitHub from notifying anyone.
 */
export const escapeMarkdown = (text: string): string =>
  text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, "\\$&")
    .replace(/@/g, "@\u200b");

/** An inline code span no backtick in the text can close; code shows HTML and mentions as text. */
export const inlineCode = (text: string): string => {
  const flat = text.replace(/[\r\n]+/g, " ");
  const marks = "`".repeat(Math.max(1, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${marks}${pad}${flat}${pad}${marks}`;
};

export const commentMarker = (stack: string): string => `<!-- cdktf-diff:${stack} -->`;

const describeCounts = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([verb, count]) => `${count} to ${verb}`)
    .join(", ");

const headline = (summary: PlanSummary): string => {
  const title = inlineCode(summary.stack);
  if (summary.status === "failed") return `### ❌ ${title}: plan failed`;
  if (summary.status === "no-changes") return `### ✅ ${title}: no changes`;
  if (summary.status === "waiting") return `### ⏳ ${title}: waits for \`${summary.waitsFor}\``;
  const counts = describeCounts(summary.counts);
  const icon = summary.replaced.length + summary.destroyed.length > 0 ? "⚠️" : "📝";
  return `### ${icon} ${title}: ${counts || "output values change only"}`;
};

const callouts = (summary: PlanSummary): string[] => {
  if (summary.status === "failed") {
    const errors = summary.errors.length > 0 ? summary.errors : ["the plan exited with an error; see the output below"];
    return ["> [!CAUTION]", "> The plan failed:", ...errors.map((e) => `> - ${escapeMarkdown(e)}`)];
  }
  const risky = [
    ...summary.replaced.map((a) => `> - ${inlineCode(a)} is **replaced** (destroyed, then created)`),
    ...summary.destroyed.map((a) => `> - ${inlineCode(a)} is **destroyed**`),
  ];
  return risky.length > 0 ? ["> [!WARNING]", "> This plan destroys or replaces resources:", ...risky] : [];
};

/** A code fence longer than any backtick run in the text, so the plan cannot close it early. */
const fence = (text: string): string => "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

const foldedPlan = (plan: string): string[] => {
  const truncated = plan.length > MAX_PLAN_CHARS;
  const body = truncated ? `${plan.slice(0, MAX_PLAN_CHARS)}\n…` : plan;
  const marks = fence(body);
  return [
    "<details><summary>Full plan</summary>",
    "",
    `${marks}text`,
    body,
    marks,
    ...(truncated ? ["", `Cut at ${MAX_PLAN_CHARS} characters; the job log has the whole plan.`] : []),
    "",
    "</details>",
  ];
};

export interface CommentOptions {
  /** Link to the workflow run, shown under the plan. */
  readonly runUrl?: string;
  /** The cost section (`renderCost` of the saved plan), shown above the plan. */
  readonly cost?: readonly string[];
}

/** The markdown comment for one stack; the hidden marker lets the workflow update it in place. */
export const renderComment = (summary: PlanSummary, options: CommentOptions = {}): string => {
  const parts = [commentMarker(summary.stack), headline(summary), ""];
  const called = callouts(summary);
  if (called.length > 0) parts.push(...called, "");
  if (options.cost) parts.push(...options.cost, "");
  parts.push(...foldedPlan(summary.plan));
  if (options.runUrl) parts.push("", `[Workflow run](${options.runUrl})`);
  return `${parts.join("\n")}\n`;
};

/** What a pull request from a fork gets instead of a plan: it runs without the environment's secrets. */
export const renderForkNotice = (stack: string): string =>
  [
    commentMarker(stack),
    `### ⏭️ ${inlineCode(stack)}: no plan for pull requests from forks`,
    "",
    "GitHub gives workflows triggered from forks no secrets, so this stack was not planned against the real state.",
    "A maintainer can push the branch to this repository to get the diff.",
    "",
  ].join("\n");

const main = (): void => {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      input: { type: "string" },
      "exit-code": { type: "string" },
      output: { type: "string" },
      "run-url": { type: "string" },
      "plan-json": { type: "string" },
      "cost-json": { type: "string" },
      fork: { type: "boolean", default: false },
    },
  });
  const { stack, input, output } = values;
  const usage =
    "usage: plan-comment.ts --stack <name> --output <file> (--input <plan.txt> --exit-code <n> [--run-url <url>] [--plan-json <show.json> | --cost-json <stack cost from npm run diff>] | --fork)";
  if (!stack || !output) throw new Error(usage);
  const reportFailed = (failed: boolean): void => {
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `failed=${failed}\n`);
  };
  if (values.fork) {
    writeFileSync(output, renderForkNotice(stack));
    reportFailed(false);
    return;
  }
  if (!input || values["exit-code"] === undefined) throw new Error(usage);
  const summary = parsePlan(stack, readFileSync(input, "utf8"), Number(values["exit-code"]));
  const planJson = values["plan-json"];
  const costJson = values["cost-json"];
  const planCostOf = (): PlanCost | undefined => {
    if (planJson) return planCost(JSON.parse(readFileSync(planJson, "utf8")));
    if (costJson && existsSync(costJson)) return JSON.parse(readFileSync(costJson, "utf8")) as PlanCost;
    return undefined;
  };
  const stackCost = summary.status === "failed" ? undefined : planCostOf();
  const cost = stackCost && renderCost(stackCost);
  writeFileSync(output, renderComment(summary, { runUrl: values["run-url"], cost }));
  const counts = describeCounts(summary.counts);
  process.stdout.write(`${stack}: ${summary.status}${counts ? ` (${counts})` : ""}\n`);
  reportFailed(summary.status === "failed");
};

if (require.main === module) main();
