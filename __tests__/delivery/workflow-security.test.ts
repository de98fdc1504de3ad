/**
 * The security model of the workflows (docs/security.md), read from the parsed YAML: what a job
 * that runs pull-request code holds, how a deploy reaches production, and how actions are pinned.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { DEFAULT_WAIT_TIMEOUT_SECONDS } from "../../constructs/bootstrap/coolify-bootstrap";
import { PLAN_SECRETS, requiredVariables, secretForVariable } from "../../tools/ci-secrets";
import { GITHUB_HOSTED, RUNNER_LABELS } from "../../tools/runners";
import { ROOT, synthWithConfig } from "../support/app";

type Step = { uses?: string; run?: string; name?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = {
  environment?: string;
  permissions?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  needs?: string | string[];
  if?: string;
  secrets?: unknown;
  "timeout-minutes"?: number;
  "runs-on"?: string | string[];
};
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const WORKFLOWS = join(ROOT, ".github", "workflows");
const ACTIONS = join(ROOT, ".github", "actions");
const text = (file: string): string => readFileSync(file, "utf8");
const workflow = (name: string): Workflow => load(text(join(WORKFLOWS, name))) as Workflow;
const workflowFiles = readdirSync(WORKFLOWS).map((f) => join(WORKFLOWS, f));
const actionFiles = readdirSync(ACTIONS).map((d) => join(ACTIONS, d, "action.yml"));
const secretsIn = (value: unknown): string[] => [...JSON.stringify(value ?? "").matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
const writes = (permissions: Record<string, string> | undefined): string[] =>
  Object.entries(permissions ?? {})
    .filter(([, level]) => level === "write")
    .map(([scope]) => scope);
const needs = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

describe("secrets in workflows", () => {
  it("never hands a job all secrets at once", () => {
    for (const file of [...workflowFiles, ...actionFiles]) {
      expect({ file, toJSON: /toJSON\(\s*secrets\s*\)/i.test(text(file)), inherit: /secrets:\s*inherit/.test(text(file)) }).toEqual({
        file,
        toJSON: false,
        inherit: false,
      });
    }
  });

  it("gives no job that runs pull-request code a secret or a token that can write", () => {
    const readOnly = new Set(PLAN_SECRETS.map((s) => s.name));
    for (const file of workflowFiles) {
      const wf = load(text(file)) as Workflow;
      if (!("pull_request" in wf.on) && !("pull_request_target" in wf.on)) continue;
      expect({ file, target: "pull_request_target" in wf.on }).toEqual({ file, target: false });
      expect(writes(wf.permissions)).toEqual([]);
      for (const [id, job] of Object.entries(wf.jobs)) {
        const runsCode = (job.steps ?? []).some((step) => step.run !== undefined || step.uses?.startsWith("actions/checkout@") || step.uses?.startsWith("./"));
        if (!runsCode) continue;
        expect({ file, id, writes: writes(job.permissions), secrets: secretsIn(job).filter((name) => !readOnly.has(name)) }).toEqual({
          file,
          id,
          writes: [],
          secrets: [],
        });
      }
    }
  });

  it("plans pull requests in the <env>-plan environments, each step getting only the secrets it names", () => {
    const diff = workflow("diff.yml");
    expect(diff.jobs.diff.environment).toBe("${{ matrix.environment }}-plan");
    const withSecrets = (diff.jobs.diff.steps ?? []).filter((step) => secretsIn(step).length > 0);
    expect(withSecrets.map((step) => step.name)).toEqual([
      "Preflight against the Hetzner API (server types orderable in their location now; location and image exist)",
      "Plan with read-only credentials (saved plan, checked, then removed)",
    ]);
    // The preflight only reads from Hetzner's API: the read-only Hetzner token and nothing else.
    expect(secretsIn(withSecrets[0])).toEqual(["HCLOUD_READ_TOKEN"]);
    expect(Object.fromEntries(Object.entries(withSecrets[1].env ?? {}))).toEqual(
      Object.fromEntries(PLAN_SECRETS.map((secret) => [secret.variable, `\${{ secrets.${secret.name} }}`])),
    );
    // Commenting needs a token that writes; that job checks nothing out and runs nothing of the pull request.
    expect(diff.jobs.comment.permissions).toEqual({ "pull-requests": "write" });
    expect((diff.jobs.comment.steps ?? []).map((step) => step.uses?.split("@")[0])).toEqual(["actions/download-artifact", "actions/github-script"]);
  });

  it("gives each deploy plan exactly the variables its stack requires, from secrets named after them", async () => {
    const synth = await synthWithConfig(undefined);
    expect(synth.code).toBe(0);
    const stacks = readdirSync(join(synth.outdir, "stacks"));
    const plan = (workflow("deploy-stack.yml").jobs.plan.steps ?? []).find((step) => step.run?.includes("stack-plan.ts plan"));
    const env = plan?.env ?? {};
    for (const kind of ["infra", "apps"]) {
      const required = new Set(stacks.filter((s) => s.endsWith(`-${kind}`)).flatMap((s) => requiredVariables(join(synth.outdir, "stacks", s))));
      const given = Object.entries(env)
        .filter(([name, value]) => name.startsWith("TF_VAR_") && (!value.includes("inputs.kind") || value.includes(`inputs.kind == '${kind}'`)))
        .map(([name, value]) => {
          const secret = secretForVariable(name.slice("TF_VAR_".length));
          expect(value).toContain(`secrets.${secret.name}`);
          return name.slice("TF_VAR_".length);
        });
      expect({ kind, missing: [...required].filter((name) => !given.includes(name)) }).toEqual({ kind, missing: [] });
      expect({ kind, extra: given.filter((name) => !required.has(name) && name !== "coolify_token") }).toEqual({ kind, extra: [] });
    }
  }, 120_000);
});

describe("deploys", () => {
  const deploy = workflow("deploy.yml");
  const stack = workflow("deploy-stack.yml");

  it("deploy only commits on main whose CI passed", () => {
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "workflow_dispatch", "workflow_run"]);
    expect(deploy.on.push).toEqual({ tags: ["v*"] });
    expect(deploy.on.workflow_run).toEqual({ workflows: ["CI"], types: ["completed"], branches: ["main"] });
    const gate = (deploy.jobs.gate.steps ?? []).map((step) => step.run ?? "").join("\n");
    expect(gate).toContain('git merge-base --is-ancestor "$SHA" "$main_head"');
    expect(gate).toContain("actions/workflows/ci.yml/runs?head_sha=$SHA&status=success");
    for (const [id, job] of Object.entries(deploy.jobs).filter(([id]) => id !== "gate")) {
      expect({ id, gate: needs(job).includes("gate"), uses: job.uses, sha: JSON.stringify(job) }).toEqual({
        id,
        gate: true,
        uses: "./.github/workflows/deploy-stack.yml",
        sha: expect.stringContaining('"sha":"${{ needs.gate.outputs.sha }}"'),
      });
    }
    expect(needs(deploy.jobs["production-apps"])).toContain("production-infra");
  });

  it("apply exactly the saved plan a reviewer approved, sealed in between", () => {
    const { plan, apply } = stack.jobs;
    const planRuns = (plan.steps ?? []).map((step) => step.run ?? "");
    expect(planRuns.some((r) => r.includes('stack-plan.ts plan "$STACK" "$RUNNER_TEMP/plan/tfplan"'))).toBe(true);
    expect(planRuns.some((r) => r.includes('plan-artifact.ts seal "$RUNNER_TEMP/plan/tfplan" "$RUNNER_TEMP/plan/tfplan.sealed"'))).toBe(true);
    const upload = (plan.steps ?? []).find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ path: "${{ runner.temp }}/plan/tfplan.sealed", "retention-days": 1 });
    expect(apply.environment).toBe("${{ inputs.environment }}");
    expect(needs(apply)).toEqual(["plan"]);
    const order = (apply.steps ?? []).map((step) => step.uses?.split("@")[0] ?? step.run ?? "");
    const at = (needle: string): number => order.findIndex((s) => s.includes(needle));
    expect(at("actions/download-artifact")).toBeGreaterThan(-1);
    expect(at("plan-artifact.ts open")).toBeGreaterThan(at("actions/download-artifact"));
    expect(at('stack-plan.ts apply "$STACK" "$RUNNER_TEMP/plan/tfplan"')).toBeGreaterThan(at("plan-artifact.ts open"));
    const download = (apply.steps ?? []).find((step) => step.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with?.name).toBe(upload?.with?.name);
    for (const file of workflowFiles) expect({ file, autoApprove: text(file).includes("auto-approve") }).toEqual({ file, autoApprove: false });
  });

  it("keep credentials that write to the apply job, behind the environment's reviewers", () => {
    const { plan, apply } = stack.jobs;
    expect(plan.environment).toBe("${{ inputs.environment }}-deploy-plan");
    const planCredentials = secretsIn(plan).filter((name) => !name.startsWith("TF_VAR_") && name !== "PLAN_ENCRYPTION_KEY");
    expect(planCredentials.filter((name) => !PLAN_SECRETS.some((s) => s.name === name))).toEqual([]);
    expect(secretsIn(apply)).toEqual(expect.arrayContaining(["HCLOUD_TOKEN", "CLOUDFLARE_API_TOKEN", "STATE_ACCESS_KEY_ID", "STATE_SECRET_ACCESS_KEY"]));
  });

  it("give the apply time for the bootstrap's worst case", () => {
    const waits = (text(join(ROOT, "constructs", "bootstrap", "coolify-bootstrap.sh")).match(/^\s+wait_for_\w+$/gm) ?? []).length;
    expect(waits).toBeGreaterThanOrEqual(3);
    const sshConnectMinutes = 5;
    const worstCaseMinutes = (waits * DEFAULT_WAIT_TIMEOUT_SECONDS) / 60 + sshConnectMinutes;
    expect(stack.jobs.apply["timeout-minutes"]).toBeGreaterThanOrEqual(worstCaseMinutes + 15);
  });
});

describe("runners", () => {
  const jobs = workflowFiles.flatMap((file) =>
    Object.entries((load(text(file)) as Workflow).jobs).map(([id, job]) => ({ at: `${file.slice(WORKFLOWS.length + 1)} ${id}`, job })),
  );
  const runsOn = (at: string): unknown => jobs.find((j) => j.at === at)?.job["runs-on"];

  it("run every job on a GitHub-hosted runner or on an ephemeral runner of exactly one of two groups", () => {
    const allowed = [GITHUB_HOSTED, RUNNER_LABELS.plan, RUNNER_LABELS.deploy].map((r) => JSON.stringify(r));
    for (const { at, job } of jobs.filter(({ job }) => job.uses === undefined)) {
      expect({ at, allowed: allowed.includes(JSON.stringify(job["runs-on"])) }).toEqual({ at, allowed: true });
    }
    expect(RUNNER_LABELS.plan).toContain("ephemeral");
    expect(RUNNER_LABELS.deploy).toContain("ephemeral");
    expect(RUNNER_LABELS.plan.filter((label) => !(RUNNER_LABELS.deploy as readonly string[]).includes(label))).toEqual(["coolify-plan"]);
  });

  it("keep the pull-request plan off the deploy runners, and the deploy on them", () => {
    expect(runsOn("diff.yml diff")).toEqual(RUNNER_LABELS.plan);
    expect(runsOn("deploy-stack.yml plan")).toEqual(RUNNER_LABELS.deploy);
    expect(runsOn("deploy-stack.yml apply")).toEqual(RUNNER_LABELS.deploy);
    const onDeployRunners = jobs.filter(({ job }) => JSON.stringify(job["runs-on"]) === JSON.stringify(RUNNER_LABELS.deploy)).map(({ at }) => at);
    expect(onDeployRunners).toEqual(["deploy-stack.yml plan", "deploy-stack.yml apply"]);
    // deploy-stack.yml is only ever called by deploy.yml, whose gate admits commits of main only.
    expect(Object.keys(workflow("deploy-stack.yml").on)).toEqual(["workflow_call"]);
  });
});

describe("third-party actions", () => {
  it("are pinned by a full commit SHA with the tag in a comment", () => {
    const uses = [...workflowFiles, ...actionFiles].flatMap((file) =>
      text(file)
        .split("\n")
        .filter((line) => /^\s*(?:-\s+)?uses:/.test(line) && !/uses:\s*\.\//.test(line))
        .map((line) => ({ file, line: line.trim() })),
    );
    expect(uses.length).toBeGreaterThan(5);
    for (const { file, line } of uses)
      expect({ file, line }).toEqual({ file, line: expect.stringMatching(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/) });
  });
});
