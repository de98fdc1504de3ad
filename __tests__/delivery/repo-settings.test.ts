/**
 * The setup check (tools/repo-settings.ts) against a local stand-in of GitHub's REST API answering
 * in the documented shapes: a repository set up as docs/security.md says passes; each setting
 * switched off is reported in one line, among them "Actions may not create or approve pull
 * requests" and "require approval of the most recent push".
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import { GitHubApiError, gitHubApi } from "../../tools/github-api";
import { ciCheckName, repositorySettingProblems } from "../../tools/repo-settings";
import { GitHubStandIn } from "../support/github-stand-in";

const ROOT = join(__dirname, "..", "..");
const TOKEN = "ghp_stand_in_admin_token";
const REPO = "acme/platform";
const environments = exampleConfig.environments.map((env) => ({ name: env.name, production: env.production === true }));

interface EnvironmentAnswer {
  readonly id: number;
  readonly name: string;
  readonly protection_rules: readonly { readonly id: number; readonly type: string; readonly reviewers?: readonly unknown[] }[];
  readonly deployment_branch_policy: { readonly protected_branches: boolean; readonly custom_branch_policies: boolean } | null;
}

/** The repository's settings as the GitHub API reports them; each test changes what it needs. */
const settings = () => ({
  workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: false },
  fork: { approval_policy: "all_external_contributors" },
  protection: {
    url: `https://api.github.com/repos/${REPO}/branches/main/protection`,
    required_status_checks: { strict: true, contexts: [ciCheckName()], checks: [{ context: ciCheckName(), app_id: 15368 }] },
    required_pull_request_reviews: {
      dismiss_stale_reviews: true,
      require_code_owner_reviews: false,
      required_approving_review_count: 1,
      require_last_push_approval: true,
    },
  } as Record<string, unknown> | undefined,
  environments: environments.flatMap((env): EnvironmentAnswer[] => [
    {
      id: 1,
      name: `${env.name}-plan`,
      protection_rules: env.production ? [{ id: 11, type: "required_reviewers", reviewers: [] }] : [],
      deployment_branch_policy: null,
    },
    {
      id: 2,
      name: `${env.name}-deploy-plan`,
      protection_rules: [{ id: 12, type: "branch_policy" }],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    },
    {
      id: 4,
      name: `${env.name}-drift`,
      protection_rules: [{ id: 15, type: "branch_policy" }],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    },
    {
      id: 3,
      name: env.name,
      protection_rules: [...(env.production ? [{ id: 13, type: "required_reviewers", reviewers: [] }] : []), { id: 14, type: "branch_policy" }],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    },
  ]),
  /** STATE_BACKEND of each environment that sets it. */
  backends: new Map<string, string>(environments.map((env) => [`${env.name}-plan`, "r2"])),
  branchPolicies: [
    { id: 21, node_id: "MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NDcyMQ==", name: "main", type: "branch" },
    { id: 22, node_id: "MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NDcyMg==", name: "v*", type: "tag" },
  ],
});

const serve = (state: ReturnType<typeof settings>): GitHubStandIn => {
  const base = `/repos/${REPO}`;
  return new GitHubStandIn(TOKEN)
    .on("GET", new RegExp(`^${base}/actions/permissions/workflow$`), () => ({ status: 200, body: state.workflow }))
    .on("GET", new RegExp(`^${base}/actions/permissions/fork-pr-contributor-approval$`), () => ({ status: 200, body: state.fork }))
    .on("GET", new RegExp(`^${base}/branches/main/protection$`), () =>
      state.protection ? { status: 200, body: state.protection } : { status: 404, body: { message: "Branch not protected" } },
    )
    .on("GET", new RegExp(`^${base}/environments$`), () => ({
      status: 200,
      body: { total_count: state.environments.length, environments: state.environments },
    }))
    .on("GET", new RegExp(`^${base}/environments/([^/]+)/variables/STATE_BACKEND$`), ({ match }) => {
      const value = state.backends.get(decodeURIComponent(match[1]));
      return value === undefined
        ? { status: 404, body: { message: "Not Found" } }
        : { status: 200, body: { name: "STATE_BACKEND", value, created_at: "2026-01-02T03:04:05Z", updated_at: "2026-01-02T03:04:05Z" } };
    })
    .on("GET", new RegExp(`^${base}/environments/([^/]+)/deployment-branch-policies$`), () => ({
      status: 200,
      body: { total_count: state.branchPolicies.length, branch_policies: state.branchPolicies },
    }));
};

const check = async (state: ReturnType<typeof settings>): Promise<string[]> => {
  const standIn = serve(state);
  const root = await standIn.start();
  try {
    return await repositorySettingProblems(gitHubApi(root, TOKEN), REPO, environments);
  } finally {
    await standIn.stop();
  }
};

describe("the setup check of the repository settings", () => {
  it("passes a repository set up as docs/security.md says", async () => {
    expect(await check(settings())).toEqual([]);
  });

  it("reports Actions approving pull requests and a most recent push that needs no approval", async () => {
    const state = settings();
    state.workflow.can_approve_pull_request_reviews = true;
    state.protection = { ...state.protection, required_pull_request_reviews: { required_approving_review_count: 1, require_last_push_approval: false } };
    expect(await check(state)).toEqual([
      'Actions → Workflow permissions: "Allow GitHub Actions to create and approve pull requests" must be off',
      'Branches → main: "Require approval of the most recent reviewable push" must be on',
    ]);
  });

  it("reports an unprotected main, a fork policy that lets past contributors run, and a deploy environment open to every branch", async () => {
    const state = settings();
    state.protection = undefined;
    state.fork.approval_policy = "first_time_contributors";
    state.environments = state.environments.map((env) => (env.name === "production" ? { ...env, deployment_branch_policy: null } : env));
    expect(await check(state)).toEqual([
      'Actions → Fork pull request workflows: must be "Require approval for all external contributors" (is first_time_contributors)',
      "Branches: main has no branch protection (pull requests with review, the CI check required, approval of the most recent push)",
      "Environments → production: deployment branches and tags must be exactly the branch main and the tags v* (is not restricted to selected refs)",
    ]);
  });

  it("asks for reviewers on a plan environment whose Hetzner state key can write, and not for R2's read-only token", async () => {
    const state = settings();
    state.backends.set("staging-plan", "hetzner");
    expect(await check(state)).toEqual([
      "Environments → staging-plan: must have required reviewers, because with STATE_BACKEND=hetzner its state key can write (docs/security.md)",
    ]);
    state.backends.set("production-plan", "hetzner");
    expect(await check(state)).toHaveLength(1);
  });

  it("is documented: docs/security.md names both settings and the command", () => {
    const doc = readFileSync(join(ROOT, "docs", "security.md"), "utf8");
    expect(doc).toContain("Allow GitHub Actions to create and approve pull requests");
    expect(doc).toContain("Require approval of the most recent reviewable push");
    expect(doc).toContain("tools/repo-settings.ts");
    // What each state key can do, per backend, as tools/ci-secrets.ts says it.
    expect(doc).toMatch(
      /\| `STATE_READ_\*` \(`<env>-plan`, `<env>-deploy-plan`, `<env>-drift`\) \| Object Read on the environment's state bucket: reads its state, writes nothing \| reads \*\*and writes\*\* every bucket/,
    );
  });

  it("runs from the command line: one line per problem and exit 1; exit 2 with one line when the API refuses the token", async () => {
    const state = settings();
    state.environments = state.environments.filter((env) => env.name !== "staging-deploy-plan");
    const standIn = serve(state);
    const root = await standIn.start();
    try {
      const run = (token: string) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn("node", ["-r", "@swc-node/register", "tools/repo-settings.ts", REPO], {
            cwd: ROOT,
            env: { ...process.env, GH_TOKEN: token, GITHUB_API_URL: root },
          });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk;
          });
          child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk;
          });
          child.on("close", (status) => resolve({ status, stdout, stderr }));
        });
      const missing = await run(TOKEN);
      expect(missing).toMatchObject({ status: 1, stdout: `Environments: staging-deploy-plan is missing\nrepository settings of ${REPO}: 1 problem(s)\n` });
      const refused = await run("wrong");
      expect(refused).toMatchObject({ status: 2, stderr: `repo-settings: GET /repos/${REPO}/actions/permissions/workflow answered 401: Bad credentials\n` });
    } finally {
      await standIn.stop();
    }
  }, 30_000);

  it("turns an answer that is not GitHub's JSON, and an API it cannot reach, into one line naming the call", async () => {
    const standIn = new GitHubStandIn(TOKEN).on("GET", /^\/repos\/[^/]+\/[^/]+$/, () => ({
      status: 502,
      raw: { contentType: "text/html", text: "<html><body>Bad gateway</body></html>" },
    }));
    const root = await standIn.start();
    try {
      await expect(gitHubApi(root, TOKEN)("GET", `/repos/${REPO}`)).rejects.toThrow(
        new GitHubApiError(`GET /repos/${REPO} answered 502 with a body that is not JSON (text/html)`),
      );
    } finally {
      await standIn.stop();
    }
    await expect(gitHubApi(root, TOKEN)("GET", `/repos/${REPO}`)).rejects.toThrow(
      new GitHubApiError(`GET /repos/${REPO}: ${root} could not be reached (connect ECONNREFUSED ${root.replace("http://", "")})`),
    );
  });
});
