/**
 * Day 2 on a running production, proved on the twin. Production differs from staging by its
 * protections, so this suite proves those on the steps staging-day2 runs: production is deployed
 * once with plain `terraform` (infra, whose bootstrap installs the fake Coolify over SSH, then apps),
 * then a roll-out, a second worker, and the removal of a worker, which the protections refuse in one
 * step and let through in the two reviewed steps of docs/runbook/workers.md; the last worker, which
 * applications run on, cannot be removed. Then an environment scaffolded as `npm run new-environment`
 * does is added next to production and removed entirely as docs/runbook/destroy-staging.md says.
 * Terraform's state, the twin's and the host's persist across the steps; every step ends with the
 * stacks planning nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApplicationConfig, EnvironmentConfig, GuardrailException } from "../../config/schema";
import { secretVariableName } from "../../constructs/coolify/apps-secrets";
import { keyPair, scaffoldEnvironment } from "../../tools/new-environment";
import { configuredImage } from "../fixtures/twin/coolify-twin";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, deployedForSuite } from "../terraform/environment-harness";
import * as day2 from "./day2";

describeWithTools("production, day 2: protections on a running environment (twin)", DEPLOY_TOOLS, () => {
  // A production deploy on a busy 2-core machine takes longer than jest's default of 120 s.
  jest.setTimeout(300_000);
  const deployed = deployedForSuite("production", "127.0.0.23", { twin: true });
  const [infra, apps] = deployed.stacks();
  let env: EnvironmentConfig;

  /** Each server's and primary IP's Hetzner delete protection in infra's state, by name. */
  const protections = async (): Promise<Record<string, unknown>> =>
    Object.fromEntries(
      (await day2.stateResources(deployed, infra))
        .filter((resource) => resource.type === "hcloud_server" || resource.type === "hcloud_primary_ip")
        .map(({ values }) => [String(values.name), values.delete_protection]),
    );

  /** Delete protection of production's servers and primary IPs as the example configures them. */
  const AS_DEPLOYED = Object.fromEntries(
    ["coolify", "worker-1"].flatMap((server) => ["", "-ipv4", "-ipv6"].map((suffix) => [`production-${server}${suffix}`, true])),
  );

  /** Production's monitoring follows a worker: its agent service comes or goes, and Prometheus restarts with the new targets. */
  const monitoringOf = (worker: string, action: string): Record<string, string> => ({
    [`coolify_service.operations_agent-${worker}`]: action,
    // The worker's agent pushes its logs with the Loki push token (docs/security.md).
    [`coolify_envs_bulk.operations_agent-${worker}-secrets`]: action,
    [`coolify_resource_action.operations_agent-${worker}-start`]: action,
    // Replaced, not updated, with its secrets: provider v0.1.17 plans any change of a compose service as a
    // replacement (`type` is Computed and RequiresReplace, null in state since Coolify's answer has none,
    // and the framework plans a computed null as unknown in an update; internal/service/service/resource.go).
    "coolify_service.operations_monitoring": "delete,create",
    "coolify_envs_bulk.operations_monitoring-secrets": "delete,create",
    "coolify_resource_action.operations_monitoring-start": "delete,create",
  });

  /** `npm run deploy -- <stack>`: synth, saved plan, the stateful-deletion check, then apply of that plan. */
  const npmDeploy = (stack: string) => deployed.scriptInTurn("tools/stack-plan.ts", ["deploy", stack]);

  const reviewed = (rule: GuardrailException["rule"], path: string): GuardrailException => ({
    rule,
    path,
    reason: "worker-2 retired: its jobs moved to worker-1 (OPS-12)",
    approvedBy: "alice",
  });

  beforeAll(() => {
    env = structuredClone(deployed.env);
  });

  it("deploys production from nothing with plain terraform: the apps stack meets the Coolify the bootstrap installed", async () => {
    const deploy = await deployed.terraformDeploy();
    expect({ code: deploy.code, output: deploy.code === 0 ? "" : deploy.output }).toEqual({ code: 0, output: "" });
    // Production's web has no deployOnCreate: Coolify holds it configured, and its repository deploys it (the deploy URL).
    const web = day2.twinApplication(deployed, "web");
    expect([configuredImage(web), web.running]).toEqual(["ghcr.io/acme/shop-web:2.3.1", null]);
    expect(await protections()).toEqual(AS_DEPLOYED);
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("changes the image, a variable and a secret in one change: updated in place in Coolify, nothing stateful touched", async () => {
    const secret = `TF_VAR_${secretVariableName("shop_database_url")}`;
    deployed.project.env[secret] = "postgres://shop:rotated@shop-db:5432/shop";
    const [project, ...others] = env.apps?.projects ?? [];
    const change = (app: ApplicationConfig): ApplicationConfig =>
      app.kind === "docker-image" && app.name === "web" ? { ...app, image: "ghcr.io/acme/shop-web:2.4.0", env: { ...app.env, NODE_ENV: "production-2" } } : app;
    env = { ...env, apps: { ...env.apps, projects: [{ ...project, applications: project.applications?.map(change) }, ...others] } };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      "coolify_application_docker_image.project-shop_app-web_application": "update",
      "coolify_environment_variable.project-shop_app-web_env-NODE_ENV": "update",
      "coolify_environment_variable.project-shop_app-web_env-DATABASE_URL": "update",
    });
    await day2.applyPlan(deployed, apps);
    const after = day2.twinApplication(deployed, "web");
    expect(configuredImage(after)).toBe("ghcr.io/acme/shop-web:2.4.0");
    expect(Object.fromEntries(after.variables.map((variable) => [variable.key, variable.value]))).toMatchObject({
      NODE_ENV: "production-2",
      DATABASE_URL: "postgres://shop:rotated@shop-db:5432/shop",
    });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("adds a second worker: created protected, nothing else moves; Coolify registers it", async () => {
    const before = await day2.hetznerServers(deployed, infra);
    env = { ...env, servers: [...env.servers, { name: "worker-2", role: "worker", serverType: "cpx22" }] };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, infra))).toEqual({
      ...day2.workerInHetzner("worker-2", "create"),
      ...day2.workerDockerInstall("worker-2", "create"),
    });
    await day2.applyPlan(deployed, infra);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      ...day2.workerInCoolify("worker-2", "create"),
      ...monitoringOf("worker-2", "create"),
    });
    await day2.applyPlan(deployed, apps);
    const after = await day2.hetznerServers(deployed, infra);
    expect(after).toEqual({
      ...before,
      "production-worker-2": expect.objectContaining({ placement_group_id: before["production-coolify"].placement_group_id }),
    });
    expect(await protections()).toMatchObject({ "production-worker-2": true, "production-worker-2-ipv4": true, "production-worker-2-ipv6": true });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  let retired: string[] = [];

  it("refuses to remove a worker in one step: npm run deploy stops before apply, and Hetzner refuses even a reviewed deletion (protected)", async () => {
    const state = await deployed.project.terraform(infra, ["state", "list"]);
    const withWorker = env;
    env = { ...env, servers: env.servers.filter((server) => server.name !== "worker-2") };
    deployed.project.writeConfig(deployed.config(env));
    const refused = await npmDeploy(infra);
    expect(refused.code).toBe(1);
    retired = [...refused.stdout.matchAll(/- (production-infra\/\S+) would be deleted$/gm)].map((match) => match[1]);
    expect(day2.byName(Object.fromEntries(retired.map((path) => [path, "delete"])))).toEqual({
      "production-infra/hcloud_primary_ip.worker-2_ipv4": "delete",
      "production-infra/hcloud_primary_ip.worker-2_ipv6": "delete",
      "production-infra/hcloud_server.worker-2_server": "delete",
    });
    expect(refused.stderr.trim()).toBe("production-infra: the plan deletes stateful production resources; nothing was applied");

    // Reviewed deletions alone are not enough: the server still has Hetzner's delete protection.
    env = { ...env, guardrailExceptions: retired.map((path) => reviewed("stateful-deletion", path)) };
    deployed.project.writeConfig(deployed.config(env));
    const protectedByHetzner = await npmDeploy(infra);
    expect(protectedByHetzner.code).not.toBe(0);
    expect(protectedByHetzner.output).toContain(
      'protected: hcloud_server production-worker-2 has delete protection on; the Hetzner Cloud API refuses to delete it (error code "protected")',
    );
    // Terraform had already destroyed the worker's Docker install record (it depends on the server, so it goes first); nothing stateful moved.
    const dockerInstall = Object.keys(day2.workerDockerInstall("worker-2", "create"))[0];
    expect((await deployed.project.terraform(infra, ["state", "list"])).stdout).toBe(state.stdout.replace(`${dockerInstall}\n`, ""));
    env = withWorker;
    await day2.resynthesize(deployed, env);
    // Terraform keeps what the failed apply did to the state: the worker's outputs are gone and its Docker install record;
    // the next apply restores the outputs and runs the install again (it changes nothing on a worker that has that Docker).
    expect(await day2.plannedActions(deployed, infra)).toEqual(day2.workerDockerInstall("worker-2", "create"));
    await day2.applyPlan(deployed, infra);
    expect(await deployed.project.terraform(infra, ["output", "-raw", "server_worker_2_name"])).toMatchObject({ code: 0, stdout: "production-worker-2" });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("removes a worker in two reviewed steps: its protection lifted (updates only), then its deletion let through; the rest stays protected", async () => {
    const lifted = ["server", "ipv4", "ipv6"].map((id) => reviewed("production-protection", `${infra}/worker-2/${id}`));
    env = { ...env, guardrailExceptions: lifted };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, infra))).toEqual(day2.workerInHetzner("worker-2", "update"));
    await day2.applyPlan(deployed, infra);
    expect(await protections()).toMatchObject({
      "production-worker-2": false,
      "production-worker-2-ipv4": false,
      "production-coolify": true,
      "production-worker-1": true,
    });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);

    const before = await day2.hetznerServers(deployed, infra);
    env = {
      ...env,
      servers: env.servers.filter((server) => server.name !== "worker-2"),
      guardrailExceptions: retired.map((path) => reviewed("stateful-deletion", path)),
    };
    deployed.project.writeConfig(deployed.config(env));
    const deleted = await npmDeploy(infra);
    expect(deleted.stdout).toContain(`- ${retired[0]} would be deleted: allowed by the exception approved by alice`);
    expect(deleted.stdout).toMatch(/Apply complete! Resources: 0 added, 0 changed, 4 destroyed/);
    expect(deleted.code).toBe(0);
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      ...day2.workerInCoolify("worker-2", "delete"),
      ...monitoringOf("worker-2", "delete"),
    });
    await day2.applyPlan(deployed, apps);
    const { "production-worker-2": removed, ...kept } = before;
    expect(removed).toBeDefined();
    expect(await day2.hetznerServers(deployed, infra)).toEqual(kept);
    expect(await protections()).toEqual(AS_DEPLOYED);
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("refuses to remove the last worker while applications and databases run on it, naming each, before anything is planned", async () => {
    const withoutWorkers: EnvironmentConfig = { ...env, servers: env.servers.filter((server) => server.role !== "worker") };
    deployed.project.writeConfig(deployed.config(withoutWorkers));
    const synth = await deployed.project.script("main.ts", []);
    expect(synth.code).not.toBe(0);
    expect(synth.stderr).toContain(
      'environment "production": apps.projects[0].applications[1].server: application "api" in project "shop": unknown server "worker-1" (allowed: coolify)',
    );
    expect(synth.stderr).toContain(
      'environment "production": apps.projects[0].databases[1].server: database "events" in project "shop": unknown server "worker-1" (allowed: coolify)',
    );
    expect(synth.output).not.toMatch(/\n\s+at /);
    deployed.project.writeConfig(deployed.config(env));
  });

  /** The newly added environment, scaffolded as `npm run new-environment -- staging` would next to production. */
  let added: EnvironmentConfig;
  const [addedInfra, addedApps] = ["staging-infra", "staging-apps"];

  /** Production's state files as they are on disk, and what the twin holds for production's project. */
  const untouched = () => ({
    state: readdirSync(deployed.project.dir)
      .filter((name) => /^terraform\.production-(infra|apps)\.tfstate$/.test(name))
      .map((name) => readFileSync(join(deployed.project.dir, name), "utf8")),
    twin: deployed.twin().applications.filter((app) => app.project_uuid === day2.twinApplication(deployed, "web").project_uuid),
  });

  it("adds an environment as npm run new-environment scaffolds it: its stacks apply against the twin, production's do not move", async () => {
    const before = untouched();
    expect(before.state).toHaveLength(2);
    added = scaffoldEnvironment([env], "staging", { deployPublicKey: keyPair("ci-deploy@staging")[1], hostPublicKey: env.sshHostKey }).env;
    deployed.shareHostWith(added);
    deployed.project.writeConfig({ environments: [...deployed.config(env).environments, ...deployed.config(added).environments] });
    await deployed.synth();
    const init = await deployed.project.terraform(addedInfra, ["init", "-input=false"]);
    expect(init.code).toBe(0);
    const planned = await day2.plannedActions(deployed, addedInfra);
    expect(new Set(Object.values(planned))).toEqual(new Set(["create"]));
    const names = (await deployed.project.terraform(addedInfra, ["show", "-json", "day2.tfplan"])).stdout.match(/"name":"[^"]*"/g) ?? [];
    expect(names.filter((name) => name.includes("production"))).toEqual([]);
    expect(await deployed.terraformDeploy([addedInfra, addedApps])).toMatchObject({ code: 0 });
    expect(await Promise.all([addedInfra, addedApps, infra, apps].map((stack) => day2.converged(deployed, stack)))).toEqual([
      day2.NO_CHANGES,
      day2.NO_CHANGES,
      day2.NO_CHANGES,
      day2.NO_CHANGES,
    ]);
    expect(untouched()).toEqual(before);
  });

  it("removes staging entirely as the runbook says, apps then infra: everything of staging goes, production does not move", async () => {
    const before = untouched();
    const lost = await day2.stateResources(deployed, addedInfra);
    expect(lost.map((resource) => resource.type)).toEqual(
      expect.arrayContaining(["hcloud_server", "hcloud_primary_ip", "cloudflare_dns_record", "hcloud_firewall"]),
    );
    const managed = lost.filter((resource) => !resource.address.startsWith("data."));
    for (const stack of [addedApps, addedInfra]) {
      const destroy = await deployed.project.terraform(stack, ["apply", "-destroy", "-input=false", "-auto-approve"]);
      expect({ stack, code: destroy.code, output: destroy.code === 0 ? "" : destroy.output }).toEqual({ stack, code: 0, output: "" });
      expect((await deployed.project.terraform(stack, ["state", "list"])).stdout).toBe("");
      // The scaffolded environment has no applications: its apps stack holds only the lookup of Coolify's own server.
      if (stack === addedInfra) expect(destroy.stdout).toContain(`Apply complete! Resources: 0 added, 0 changed, ${managed.length} destroyed.`);
    }
    deployed.project.writeConfig(deployed.config(env));
    await deployed.synth();
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
    expect(untouched()).toEqual(before);
  });
});
