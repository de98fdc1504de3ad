/**
 * Where the workflows' jobs run (docs/delivery.md, "Runners"). Jobs that talk to no cloud API run
 * on GitHub-hosted runners, a fresh virtual machine per job. The jobs that need a fixed egress
 * address (Coolify's API answers only `coolify.deployRunnerCidrs`; the bootstrap's SSH only
 * `adminCidrs`) run on self-hosted runners of two separate groups, each runner registered with
 * `--ephemeral` (one job, then the machine is destroyed), so nothing a job leaves behind meets
 * the next job:
 * - `coolify-plan`: the pull-request plan, which runs a branch's code with read-only credentials;
 * - `coolify-deploy`: the deploy's plan and apply, which run only code of main with the credentials
 *   that write.
 * A runner's labels are set when it is registered; these are the labels the workflows ask for.
 */
export const GITHUB_HOSTED = "ubuntu-latest";

export const RUNNER_LABELS = {
  plan: ["self-hosted", "ephemeral", "coolify-plan"],
  deploy: ["self-hosted", "ephemeral", "coolify-deploy"],
} as const;

/** Labels of our self-hosted runners that actionlint cannot know (its `self-hosted-runner.labels`). */
export const SELF_HOSTED_LABELS: readonly string[] = [...new Set(Object.values(RUNNER_LABELS).flat())].filter((label) => label !== "self-hosted");
