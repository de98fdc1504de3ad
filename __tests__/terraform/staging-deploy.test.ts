/**
 * The staging environment of the example through the paths people use: `cdktf deploy` of both
 * stacks, `cdktf diff` with nothing to change, `npm run outputs` reading the real state, and a
 * pull-request comment rendered from a real `cdktf diff` after a configuration change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePlan, renderComment } from "../../tools/plan-comment";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, deployedForSuite } from "./environment-harness";

describeWithTools("staging: cdktf deploy, diff, outputs and a pull-request comment", DEPLOY_TOOLS, () => {
  const deployed = deployedForSuite("staging", "127.0.0.2");
  const { project, env: staging } = deployed;
  const [infra, apps] = deployed.stacks();

  it("deploys infra then apps in one cdktf deploy, the bootstrap included", async () => {
    const deploy = await deployed.deploy();
    expect(deploy.output).toContain(`bootstrap: verify: the token works; Coolify ${staging.coolify.version} is ready`);
    // cdktf plans the apps stack only once the infra stack (its dependency) is applied.
    expect(deploy.output.indexOf("bootstrap: verify:")).toBeLessThan(deploy.output.indexOf("coolify_project."));
    expect(deploy.code).toBe(0);
    // Terraform's real apply order: the first deployment starts once every variable of its application
    // exists, and backups are configured once their storage passed Coolify's check.
    const positions = (pattern: RegExp): number[] => [...deploy.output.matchAll(pattern)].map((match) => match.index ?? -1);
    const variablesDone = positions(/coolify_environment_variable\.project-shop_app-web_env-\w+: Creation complete/g);
    const [deploymentStart] = positions(/coolify_deployment\.project-shop_app-web_first-deployment_\w+: Creating\.\.\./g);
    expect(variablesDone).toHaveLength(2);
    expect(Math.max(...variablesDone)).toBeLessThan(deploymentStart);
    const [validated] = positions(/coolify_s3_storage_validate\.backup-storages_backups-validate_\w+: Creation complete/g);
    const backupsStart = positions(/coolify_database_backup\.\S+: Creating\.\.\./g);
    expect(backupsStart).toHaveLength(2);
    expect(validated).toBeLessThan(Math.min(...backupsStart));
  });

  it("reports no changes for either stack afterwards", async () => {
    for (const stack of [infra, apps]) {
      const diff = await project.cdktf(["diff", stack]);
      expect({ stack, code: diff.code, summary: parsePlan(stack, diff.output, diff.code).status }).toEqual({ stack, code: 0, summary: "no-changes" });
    }
  });

  it("publishes the non-sensitive outputs read from the real state (npm run outputs)", async () => {
    const result = await project.script("tools/outputs.ts", [staging.name]);
    expect(result.code).toBe(0);
    const outputs = JSON.parse(readFileSync(join(project.dir, "outputs", `${staging.name}.json`), "utf8")) as Record<string, Record<string, unknown>>;
    expect(outputs[infra]).toMatchObject({
      coolify_url: `https://coolify.${staging.domain}`,
      server_coolify_ipv4: deployed.address,
      server_coolify_name: `${staging.name}-coolify`,
    });
    expect(Object.keys(outputs[apps]).length).toBeGreaterThan(3);
    const sensitive = Object.entries(project.synthesized(apps).output as Record<string, { sensitive?: boolean }>)
      .filter(([, output]) => output.sensitive)
      .map(([name]) => name);
    expect(sensitive.length).toBeGreaterThan(0);
    for (const name of sensitive) expect(outputs[apps]).not.toHaveProperty(name);
  });

  it("renders a pull-request comment from a real cdktf diff after a configuration change", async () => {
    project.writeConfig(deployed.config({ ...staging, hetzner: { ...staging.hetzner, serverType: "cpx32" } }));
    const diff = await project.cdktf(["diff", infra]);
    const summary = parsePlan(infra, diff.output, diff.code);
    expect(summary).toMatchObject({ status: "changes", counts: { add: 0, change: 1, destroy: 0 }, replaced: [], destroyed: [] });
    const comment = renderComment(summary);
    expect(comment).toContain(`<!-- cdktf-diff:${infra} -->`);
    expect(comment).toContain("hcloud_server.coolify_server_");
    expect(comment).toContain(`~ server_type        = "${staging.hetzner.serverType}" -> "cpx32"`);
  });

  it("shows a change that must replace the server (its location) as a replacement", async () => {
    project.writeConfig(deployed.config({ ...staging, hetzner: { ...staging.hetzner, location: "fsn1" } }));
    expect((await project.script("main.ts", [])).code).toBe(0);
    const plan = await project.terraform(infra, ["plan", "-input=false"]);
    const summary = parsePlan(infra, plan.output, plan.code);
    expect(summary.status).toBe("changes");
    expect(summary.replaced).toEqual(expect.arrayContaining([expect.stringMatching(/^hcloud_server\.coolify_server_\S+$/)]));
    expect(summary.plan).toMatch(/~ location\s+= "nbg1" -> "fsn1" # forces replacement/);
  });
});
