/**
 * The setup check: reads the repository settings the security model needs (docs/security.md,
 * "Repository settings this model needs") through GitHub's REST API and lists every one that is
 * missing. They cannot be written in YAML, so nothing else would notice one being switched off.
 * Run it as a repository admin (the endpoints below answer only admins):
 *
 *   GH_TOKEN=$(gh auth token) node -r @swc-node/register tools/repo-settings.ts <owner>/<repo>
 *
 * Exits 1 with one line per missing setting, 2 when the API cannot be read.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { loadConfig } from "../config";
import { STATE_VARIABLES } from "../stacks/state-backend";
import { PLAN_SECRETS } from "./ci-secrets";
import { expectOk, type GitHubApi, GitHubApiError, gitHubApiFromEnv } from "./github-api";

/** What the check needs to know of an environment of the configuration. */
export interface SettingsEnvironment {
  readonly name: string;
  readonly production: boolean;
}

/** The name of CI's job, which is the status check branch protection must require. */
export const ciCheckName = (): string => {
  const ci = load(readFileSync(join(__dirname, "..", ".github", "workflows", "ci.yml"), "utf8")) as { jobs: Record<string, { name?: string }> };
  const name = ci.jobs.check?.name;
  if (!name) throw new Error(".github/workflows/ci.yml has no job `check` with a name");
  return name;
};

// GET /repos/{owner}/{repo}/actions/permissions/workflow
// https://docs.github.com/en/rest/actions/permissions#get-default-workflow-permissions-for-a-repository
interface WorkflowPermissions {
  readonly default_workflow_permissions: "read" | "write";
  readonly can_approve_pull_request_reviews: boolean;
}

// GET /repos/{owner}/{repo}/branches/{branch}/protection
// https://docs.github.com/en/rest/branches/branch-protection#get-branch-protection
interface BranchProtection {
  readonly required_status_checks?: { readonly contexts?: readonly string[]; readonly checks?: readonly { readonly context: string }[] } | null;
  readonly required_pull_request_reviews?: {
    readonly required_approving_review_count?: number;
    readonly require_last_push_approval?: boolean;
  } | null;
}

// GET /repos/{owner}/{repo}/environments
// https://docs.github.com/en/rest/deployments/environments#list-environments
interface Environments {
  readonly environments: readonly {
    readonly name: string;
    readonly protection_rules?: readonly { readonly type: string }[];
    readonly deployment_branch_policy: { readonly protected_branches: boolean; readonly custom_branch_policies: boolean } | null;
  }[];
}

// GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies
// https://docs.github.com/en/rest/deployments/branch-policies#list-deployment-branch-policies
interface BranchPolicies {
  readonly branch_policies: readonly { readonly name: string; readonly type?: "branch" | "tag" }[];
}

// GET /repos/{owner}/{repo}/actions/permissions/fork-pr-contributor-approval
// https://docs.github.com/en/rest/actions/permissions#get-fork-pr-contributor-approval-permissions-for-a-repository
// (answers 422 for a private repository, where fork pull requests do not run without an invitation)
interface ForkApproval {
  readonly approval_policy: string;
}

// GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}
// https://docs.github.com/en/rest/actions/variables#get-an-environment-variable
interface Variable {
  readonly name: string;
  readonly value: string;
}

/** Backends under which a pull-request plan's state key can write (Hetzner: no read-only keys). */
const WRITING_PLAN_BACKENDS: ReadonlySet<string> = new Set(PLAN_SECRETS.flatMap((secret) => secret.writesWith ?? []));

/** The deployment refs of every environment a pull request must never reach. */
const DEPLOY_REFS = ["branch:main", "tag:v*"];

/** Every repository setting of docs/security.md that is not as it must be, one line each. */
export const repositorySettingProblems = async (api: GitHubApi, repo: string, environments: readonly SettingsEnvironment[]): Promise<string[]> => {
  const problems: string[] = [];
  const get = async <T>(path: string): Promise<T> => expectOk(await api("GET", `/repos/${repo}${path}`), `GET /repos/${repo}${path}`) as T;

  const workflow = await get<WorkflowPermissions>("/actions/permissions/workflow");
  if (workflow.default_workflow_permissions !== "read")
    problems.push('Actions → Workflow permissions: must be "Read repository contents and packages permissions"');
  if (workflow.can_approve_pull_request_reviews !== false)
    problems.push('Actions → Workflow permissions: "Allow GitHub Actions to create and approve pull requests" must be off');

  const fork = await api("GET", `/repos/${repo}/actions/permissions/fork-pr-contributor-approval`);
  if (fork.status !== 422) {
    const policy = (expectOk(fork, `GET /repos/${repo}/actions/permissions/fork-pr-contributor-approval`) as ForkApproval).approval_policy;
    if (policy !== "all_external_contributors")
      problems.push(`Actions → Fork pull request workflows: must be "Require approval for all external contributors" (is ${policy})`);
  }

  const protection = await api("GET", `/repos/${repo}/branches/main/protection`);
  if (protection.status === 404) {
    problems.push("Branches: main has no branch protection (pull requests with review, the CI check required, approval of the most recent push)");
  } else {
    const rules = expectOk(protection, `GET /repos/${repo}/branches/main/protection`) as BranchProtection;
    const reviews = rules.required_pull_request_reviews;
    if (!reviews || (reviews.required_approving_review_count ?? 0) < 1)
      problems.push("Branches → main: must require a pull request with at least one approving review");
    if (reviews?.require_last_push_approval !== true) problems.push('Branches → main: "Require approval of the most recent reviewable push" must be on');
    const check = ciCheckName();
    const required = [...(rules.required_status_checks?.contexts ?? []), ...(rules.required_status_checks?.checks ?? []).map((c) => c.context)];
    if (!required.includes(check)) problems.push(`Branches → main: the status check "${check}" (ci.yml) must be required`);
  }

  const existing = new Map((await get<Environments>("/environments")).environments.map((env) => [env.name, env]));
  for (const env of environments) {
    const wanted = [
      { name: `${env.name}-plan`, reviewers: env.production, deployRefs: false },
      { name: `${env.name}-deploy-plan`, reviewers: false, deployRefs: true },
      { name: `${env.name}-drift`, reviewers: false, deployRefs: true },
      { name: env.name, reviewers: env.production, deployRefs: true },
    ];
    for (const { name, reviewers, deployRefs } of wanted) {
      const found = existing.get(name);
      if (!found) {
        problems.push(`Environments: ${name} is missing`);
        continue;
      }
      const hasReviewers = (found.protection_rules ?? []).some((rule) => rule.type === "required_reviewers");
      if (reviewers && !hasReviewers) problems.push(`Environments → ${name}: must have required reviewers`);
      if (!deployRefs) {
        const variable = `/environments/${encodeURIComponent(name)}/variables/${STATE_VARIABLES.backend}`;
        const backend = await api("GET", `/repos/${repo}${variable}`);
        const kind = backend.status === 404 ? undefined : (expectOk(backend, `GET /repos/${repo}${variable}`) as Variable).value;
        if (!hasReviewers && kind !== undefined && WRITING_PLAN_BACKENDS.has(kind)) {
          problems.push(
            `Environments → ${name}: must have required reviewers, because with ${STATE_VARIABLES.backend}=${kind} its state key can write (docs/security.md)`,
          );
        }
        continue;
      }
      const custom = found.deployment_branch_policy?.custom_branch_policies === true;
      const refs = custom
        ? (await get<BranchPolicies>(`/environments/${encodeURIComponent(name)}/deployment-branch-policies`)).branch_policies
            .map((p) => `${p.type ?? "branch"}:${p.name}`)
            .sort()
        : [];
      if (!custom || JSON.stringify(refs) !== JSON.stringify(DEPLOY_REFS)) {
        problems.push(
          `Environments → ${name}: deployment branches and tags must be exactly the branch main and the tags v* (is ${custom ? refs.join(", ") || "none" : "not restricted to selected refs"})`,
        );
      }
    }
  }
  return problems;
};

const main = async (): Promise<void> => {
  const repo = process.argv[2];
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    process.stderr.write("usage: tools/repo-settings.ts <owner>/<repo> (with GH_TOKEN of a repository admin)\n");
    process.exitCode = 2;
    return;
  }
  try {
    const environments = loadConfig().environments.map((env) => ({ name: env.name, production: env.production === true }));
    const problems = await repositorySettingProblems(gitHubApiFromEnv(process.env), repo, environments);
    for (const problem of problems) process.stdout.write(`${problem}\n`);
    process.stdout.write(`repository settings of ${repo}: ${problems.length} problem(s)\n`);
    if (problems.length > 0) process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    process.stderr.write(`repo-settings: ${error.message}\n`);
    process.exitCode = 2;
  }
};

if (require.main === module) void main();
