/**
 * The example's production over its life, deployed from nothing once with the real `cdktf deploy`
 * (infra, whose bootstrap installs the fake Coolify over SSH, then apps, on the twin). First what
 * Terraform itself refuses or keeps (an empty plan, no replacement of a running server, `cdktf
 * destroy` refused, the cost for the pull-request comment); then day 2, where production differs
 * from staging by its protections: a roll-out; a second worker, and the removal of a worker, which
 * the protections refuse in one step and let through in the two reviewed steps of
 * docs/runbook/workers.md; the last worker, which cannot go while applications run on it, goes once
 * they moved, and the first worker comes back to the one-server production; the host's resize, and
 * its replacement, which Hetzner refuses (docs/runbook/rebuild-host.md); an environment scaffolded
 * as `npm run new-environment` does, added next to production and removed entirely as
 * docs/runbook/destroy-staging.md says; and last a database's deletion, refused until reviewed.
 * Terraform's state, the twin's and the host's persist across the steps, in this order; every
 * day-2 step ends with the stacks planning nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplicationConfig, EnvironmentConfig, GuardrailException } from "../../config/schema";
import { secretVariableName } from "../../constructs/coolify/apps-secrets";
import { privateAddress } from "../../model/environment";
import { keyPair, scaffoldEnvironment } from "../../tools/new-environment";
import { configuredImage, type TwinState } from "../fixtures/twin/coolify-twin";
import type { Finished } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, deployedForSuite } from "../terraform/environment-harness";
import * as day2 from "./day2";
import * as host from "./host-steps";

type StackJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

describeWithTools("production: cdktf deploy from nothing, what Terraform refuses or keeps, then day 2 with its protections (twin)", DEPLOY_TOOLS, () => {
  // A production deploy on a busy 2-core machine takes longer than jest's default of 120 s.
  jest.setTimeout(300_000);
  const deployed = deployedForSuite("production", "127.0.0.23", { twin: true });
  beforeAll(() => day2.useSshKeys(deployed));
  const { project, env: production } = deployed;
  const [infra, apps] = deployed.stacks();
  let env: EnvironmentConfig;
  /** The `cdktf deploy` from nothing that the first tests look at. */
  let deployment: Finished;

  const plan = async (stack: string): Promise<string> => {
    const result = await project.terraform(stack, ["plan", "-input=false"]);
    if (result.code !== 0) throw new Error(result.output);
    return result.stdout;
  };
  const synthesize = async (config: EnvironmentConfig): Promise<void> => {
    project.writeConfig(deployed.config(config));
    const synth = await project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
  };

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
    // Replaced, not updated, with its secrets (Loki's gateway holds the workers' push token only while there
    // are workers): provider v0.1.17 plans any change of a compose service as a replacement (`type` is
    // Computed and RequiresReplace, null in state since Coolify's answer has none, and the framework plans a
    // computed null as unknown in an update; internal/service/service/resource.go). Coolify's delete removes
    // the service's named volumes; the monitoring keeps its data in host directories instead, which the
    // delete leaves (constructs/observability/compose.ts MONITORING_DATA_DIR): each step checks it kept.
    ...replacedMonitoringService,
  });
  /** The monitoring service's replacement, with its secrets and its start. */
  const replacedMonitoringService: Record<string, string> = {
    "coolify_service.operations_monitoring": "delete,create",
    "coolify_envs_bulk.operations_monitoring-secrets": "delete,create",
    "coolify_resource_action.operations_monitoring-start": "delete,create",
  };

  /**
   * The twin without the monitoring service (and what hangs off it): a worker change replaces it (see
   * monitoringOf), so it comes back under a new uuid. `replacedMonitoring` says that it did. The
   * servers' disks stay in: what the replacement does to them is part of "nothing else moved".
   */
  const withoutMonitoring = (state: TwinState): TwinState => {
    const monitoring = new Set((state.services ?? []).filter((service) => service.name === "monitoring").map((service) => service.uuid));
    return {
      ...state,
      services: state.services?.filter((service) => !monitoring.has(service.uuid)),
      scheduledTasks: state.scheduledTasks?.filter((task) => !monitoring.has(task.parent.uuid)),
    };
  };
  const monitoringUuids = (state: TwinState): string[] =>
    (state.services ?? []).filter((service) => service.name === "monitoring").map((service) => service.uuid);
  /** The monitoring service is in the twin once, under another uuid than before. */
  const replacedMonitoring = (before: TwinState, after: TwinState): void => {
    expect(monitoringUuids(after)).toHaveLength(1);
    expect(monitoringUuids(before)).toHaveLength(1);
    expect(monitoringUuids(after)).not.toEqual(monitoringUuids(before));
  };
  /** After a replacement, every store of the new monitoring service finds what the old one had written, `step`'s file among it. */
  const keptMonitoringData = (written: ReturnType<typeof day2.monitoringData>, step: string): void => {
    const now = day2.monitoringData(deployed.twin());
    expect(now).toEqual(written);
    for (const files of Object.values(now)) expect(Object.keys(files ?? {})).toContain(`${step}.dat`);
  };

  /** `npm run deploy -- <stack>`: synth, saved plan, the stateful-deletion check, then apply of that plan. */
  const npmDeploy = (stack: string) => deployed.scriptInTurn("tools/stack-plan.ts", ["deploy", stack]);

  const reviewed = (rule: GuardrailException["rule"], path: string, reason = "worker-2 retired: its jobs moved to worker-1 (OPS-12)"): GuardrailException => ({
    rule,
    path,
    reason,
    approvedBy: "alice",
  });

  beforeAll(() => {
    env = structuredClone(deployed.env);
  });

  it("deploys infra (running the bootstrap over SSH) and then apps with the real cdktf CLI", async () => {
    deployment = await deployed.deploy();
    const deploy = deployment;
    expect(deploy.output).toContain(`bootstrap: verify: the token works; Coolify ${production.coolify.version} is ready`);
    // cdktf plans the apps stack only once the infra stack (its dependency) is applied.
    expect(deploy.output.indexOf("bootstrap: verify:")).toBeLessThan(deploy.output.indexOf("coolify_project."));
    expect(deploy.code).toBe(0);
    expect(deployed.installerCalls()).toHaveLength(1);
    // The worker is usable (Coolify installed Docker and validated it) before anything is created on it.
    const position = (pattern: RegExp): number => deploy.output.search(pattern);
    const workerReady = position(/terraform_data\.servers_worker-1-ready_\w+: Creation complete/);
    expect(workerReady).toBeGreaterThan(0);
    for (const onWorker of [/coolify_application_private_git\.\S+app-api\S*: Creating\.\.\./, /coolify_database_mongodb\.\S+db-events\S*: Creating\.\.\./]) {
      expect(position(onWorker)).toBeGreaterThan(workerReady);
    }
  });

  it("deploys production from nothing: the apps stack meets the Coolify the bootstrap installed", async () => {
    expect({ code: deployment.code, output: deployment.code === 0 ? "" : deployment.output }).toEqual({ code: 0, output: "" });
    // Production's web has no deployOnCreate: Coolify holds it configured, and its repository deploys it (the deploy URL).
    const web = day2.twinApplication(deployed, "web");
    expect([configuredImage(web), web.running]).toEqual(["ghcr.io/acme/shop-web:2.3.1", null]);
    expect(await protections()).toEqual(AS_DEPLOYED);
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("has nothing to change afterwards: a plan of each stack is empty", async () => {
    for (const stack of [infra, apps]) {
      const plan = await project.terraform(stack, ["plan", "-input=false", "-detailed-exitcode"]);
      expect({ stack, code: plan.code }).toEqual({ stack, code: 0 });
      expect(plan.stdout).toContain("No changes.");
    }
  });

  it("plans no replacement of a running server when its image, user data or SSH keys change", async () => {
    await synthesize({ ...production, hetzner: { ...production.hetzner, image: "debian-12" }, sshPublicKeys: production.sshPublicKeys.slice(0, 1) });
    const file = join(project.stackDir(infra), "cdk.tf.json");
    const tf = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    for (const server of Object.values(tf.resource.hcloud_server)) server.user_data = `${String(server.user_data)}# changed\n`;
    writeFileSync(file, JSON.stringify(tf, null, 2));

    const output = await plan(infra);
    expect(output).not.toMatch(/hcloud_server\.\S+ must be replaced/);
    expect(output).not.toMatch(/# hcloud_server\.\S+ will be (updated|destroyed)/);
    // Without ignore_changes the same change would replace both servers: the local provider knows these force replacement.
    for (const server of Object.values(tf.resource.hcloud_server)) delete (server.lifecycle as Record<string, unknown>).ignore_changes;
    writeFileSync(file, JSON.stringify(tf, null, 2));
    expect(await plan(infra)).toMatch(/# hcloud_server\.\S+ must be replaced/);
    await synthesize(production);
  });

  it("refuses cdktf destroy of production-infra (prevent_destroy) and destroys nothing", async () => {
    const before = await project.terraform(infra, ["state", "list"]);
    const destroy = await project.cdktf(["destroy", infra, "--auto-approve", "--ignore-missing-stack-dependencies"]);
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toContain("Invoking Terraform CLI failed with exit code 1");
    // cdktf does not always flush Terraform's error text before it exits; Terraform states the reason.
    const destroyPlan = await project.terraform(infra, ["plan", "-destroy", "-input=false"]);
    expect(destroyPlan.code).toBe(1);
    expect(destroyPlan.stderr).toContain("Error: Instance cannot be destroyed");
    expect(destroyPlan.stderr).toContain("lifecycle.prevent_destroy");
    expect((await project.terraform(infra, ["state", "list"])).stdout).toBe(before.stdout);
    expect(before.stdout.split("\n").filter(Boolean).length).toBeGreaterThan(20);
  });

  it("leaves, for the pull-request comment, the stack's monthly cost before and after its plan: figures, no secret", async () => {
    const costDir = mkdtempSync(join(tmpdir(), "plan-cost-"));
    const diff = await project.script("tools/stack-plan.ts", ["diff", infra], { PLAN_COST_DIR: costDir });
    expect(diff.code).toBe(0);
    const text = readFileSync(join(costDir, `${infra}.json`), "utf8");
    const cost = JSON.parse(text) as { before: { lines: { address: string }[] }; after: { lines: { address: string }[] }; changes: unknown[] };
    expect(cost.changes).toEqual([]);
    expect(cost.after.lines.map((line) => line.address)).toEqual(cost.before.lines.map((line) => line.address));
    expect(cost.after.lines.map((line) => line.address)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hcloud_server\./), expect.stringMatching(/^hcloud_volume\./)]),
    );
    for (const [name, value] of Object.entries(project.env)) if (name.startsWith("TF_VAR_") && value) expect(text).not.toContain(value);
  });

  it("changes the image, a variable and a secret and adds a URL in one change: updated in place in Coolify; the monitoring probes the URL, its data kept", async () => {
    const secret = `TF_VAR_${secretVariableName("shop_database_url")}`;
    deployed.project.env[secret] = "postgres://shop:rotated@shop-db:5432/shop";
    const [project, ...others] = env.apps?.projects ?? [];
    const change = (app: ApplicationConfig): ApplicationConfig =>
      app.kind === "docker-image" && app.name === "web"
        ? { ...app, image: "ghcr.io/acme/shop-web:2.4.0", env: { ...app.env, NODE_ENV: "production-2" }, domains: [...(app.domains ?? []), "www.example.com"] }
        : app;
    env = { ...env, apps: { ...env.apps, projects: [{ ...project, applications: project.applications?.map(change) }, ...others] } };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      "coolify_application_docker_image.project-shop_app-web_application": "update",
      "coolify_environment_variable.project-shop_app-web_env-NODE_ENV": "update",
      "coolify_environment_variable.project-shop_app-web_env-DATABASE_URL": "update",
      // The new URL is a blackbox probe target: the monitoring's document changes.
      ...replacedMonitoringService,
    });
    const twin = deployed.twin();
    const written = day2.writeMonitoringData(deployed, "www-url-added");
    await day2.applyPlan(deployed, apps);
    replacedMonitoring(twin, deployed.twin());
    keptMonitoringData(written, "www-url-added");
    expect(String(deployed.twin().services?.find((service) => service.name === "monitoring")?.running?.compose)).toContain("https://www.example.com");
    const after = day2.twinApplication(deployed, "web");
    expect(configuredImage(after)).toBe("ghcr.io/acme/shop-web:2.4.0");
    expect(Object.fromEntries(after.variables.map((variable) => [variable.key, variable.value]))).toMatchObject({
      NODE_ENV: "production-2",
      DATABASE_URL: "postgres://shop:rotated@shop-db:5432/shop",
    });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("rotates the api's deploy key in place: Coolify holds the new key after the first apply, which provider v0.1.17 fails as inconsistent; the next plan is empty", async () => {
    const variable = `TF_VAR_${secretVariableName("shop_api_deploy_key")}`;
    const deployKey = (twin: TwinState) =>
      twin.privateKeys?.find((key) => key.id === twin.applications.find((app) => app.fields.name === "api")?.fields.private_key_id);
    const before = deployed.twin();
    deployed.project.env[variable] = day2.sshKey("deploy@shop-api");
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({ "coolify_private_key.project-shop_app-api_deploy-key": "update" });
    // The provider plans the key's public half and fingerprint as they were (UseStateForUnknown) and
    // reads the new ones back (internal/service/privatekey/resource.go): Terraform reports the
    // inconsistency after Coolify took the key, and keeps what the provider read.
    const first = await deployed.terraformInTurn(apps, ["apply", "-input=false", "day2.tfplan"]);
    expect(first.code).toBe(1);
    expect(first.output).toContain("Provider produced inconsistent result after apply");
    const after = deployed.twin();
    expect(deployKey(after)).toMatchObject({ uuid: deployKey(before)?.uuid, public_key: day2.publicHalf(deployed.project.env[variable] ?? "") });
    expect({ ...after, privateKeys: [] }).toEqual({ ...before, privateKeys: [] });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  /** Worker `name` as the twin holds its registration: its private address, root on port 22, the workers' key, Sentinel pushing to the host over the private network. */
  const registered = (name: string) => ({
    ip: privateAddress({ name, role: "worker" }),
    user: "root",
    port: 22,
    key: { name: "production-workers", public_key: day2.publicHalf(deployed.project.env.TF_VAR_worker_ssh_private_key ?? "") },
    sentinel: { enabled: true, url: `http://${privateAddress({ name: "coolify", role: "coolify-host" })}:8000` },
    usable: true,
  });
  /** The servers Coolify holds, by name. */
  const twinServers = (): string[] => deployed.twin().servers.map((server) => server.name);

  it("registers the worker in Coolify through the twin: its server, the workers' key, Sentinel; what runs on it is held there too", () => {
    const twin = deployed.twin();
    expect(day2.twinRegistration(twin, "production-worker-1")).toEqual(registered("worker-1"));
    const worker = twin.servers.find((server) => server.name === "production-worker-1")?.uuid;
    const onWorker = [
      ...twin.applications.map((app) => [app.fields.name, app.server_uuid]),
      ...(twin.data?.databases ?? []).map((db) => [db.fields.name, db.server_uuid]),
      ...(twin.services ?? []).map((service) => [service.name, service.server_uuid]),
    ].filter(([, server]) => server === worker);
    expect(onWorker.map(([name]) => name).sort()).toEqual(["agent-worker-1", "api", "events"]);
    // The api's deploy key is the team's too, and the api names it.
    const api = twin.applications.find((app) => app.fields.name === "api");
    expect(twin.privateKeys?.find((key) => key.id === api?.fields.private_key_id)?.public_key).toBe(
      day2.publicHalf(deployed.project.env[`TF_VAR_${secretVariableName("shop_api_deploy_key")}`] ?? ""),
    );
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
    const written = day2.writeMonitoringData(deployed, "worker-2-added");
    await day2.applyPlan(deployed, apps);
    keptMonitoringData(written, "worker-2-added");
    const after = await day2.hetznerServers(deployed, infra);
    expect(after).toEqual({
      ...before,
      "production-worker-2": expect.objectContaining({ placement_group_id: before["production-coolify"].placement_group_id }),
    });
    expect(await protections()).toMatchObject({ "production-worker-2": true, "production-worker-2-ipv4": true, "production-worker-2-ipv6": true });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("holds the second worker's registration beside the first", () => {
    expect(twinServers()).toEqual(["localhost", "production-worker-1", "production-worker-2"]);
    expect(day2.twinRegistration(deployed.twin(), "production-worker-2")).toEqual(registered("worker-2"));
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
    const written = day2.writeMonitoringData(deployed, "worker-2-removed");
    await day2.applyPlan(deployed, apps);
    keptMonitoringData(written, "worker-2-removed");
    const { "production-worker-2": removed, ...kept } = before;
    expect(removed).toBeDefined();
    expect(await day2.hetznerServers(deployed, infra)).toEqual(kept);
    expect(await protections()).toEqual(AS_DEPLOYED);
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("no longer holds worker-2 in Coolify: its server went, with its Sentinel setting; worker-1 and the workers' key stay", () => {
    expect(twinServers()).toEqual(["localhost", "production-worker-1"]);
    expect(day2.twinRegistration(deployed.twin(), "production-worker-1")).toEqual(registered("worker-1"));
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

  /** Why the last worker goes, in each of its reviewed exceptions. */
  const LAST_WORKER = "worker-1 retired: production runs on its host alone (OPS-31)";

  it("moves what runs on the last worker to the host first: the api is replaced there, the events database (prevent_destroy) removed with a reviewed exception and created again on the host", async () => {
    const servers = await day2.hetznerServers(deployed, infra);
    const written = day2.writeMonitoringData(deployed, "moved-to-host");
    const twin = deployed.twin();
    // Without `server`, an application or database runs on the Coolify host.
    const toHost = <T extends { readonly server?: string }>(resource: T): T => (resource.server === "worker-1" ? { ...resource, server: undefined } : resource);
    const [project, ...others] = env.apps?.projects ?? [];
    const events = project.databases?.find((database) => database.name === "events");
    expect(events?.server).toBe("worker-1");
    const withShop = (databases: typeof project.databases): EnvironmentConfig => ({
      ...env,
      apps: { ...env.apps, projects: [{ ...project, applications: project.applications?.map(toHost), databases }, ...others] },
    });
    const moved = withShop(project.databases?.map(toHost));

    // 1. The api moves (Coolify's server_uuid forces its replacement); a production
    // database has prevent_destroy, so it cannot be replaced: it leaves with a reviewed deletion, after a backup.
    env = withShop(project.databases?.filter((database) => database.name !== "events"));
    await day2.resynthesize(deployed, env);
    const dns = await day2.plannedActions(deployed, infra);
    // On the host, the wildcard record serves the api: its own A and AAAA records, which pointed at the worker, go.
    expect(day2.byName(dns)).toEqual({
      "cloudflare_dns_record.dns_app-apiexamplecom-a": "delete",
      "cloudflare_dns_record.dns_app-apiexamplecom-aaaa": "delete",
    });
    await day2.applyPlan(deployed, infra);
    const planned = day2.byName(await day2.plannedActions(deployed, apps));
    expect(planned).toMatchObject({
      "coolify_application_private_git.project-shop_app-api_application": "delete,create",
      "coolify_database_mongodb.project-shop_db-events_database": "delete",
    });
    expect(Object.keys(planned).filter((address) => !/app-api|db-events|operations_monitoring/.test(address))).toEqual([]);
    const refused = await npmDeploy(apps);
    expect(refused.code).toBe(1);
    const deleted = [...refused.stdout.matchAll(/- (production-apps\/\S+) would be deleted$/gm)].map((match) => match[1]);
    expect(day2.byName(Object.fromEntries(deleted.map((path) => [path, "delete"])))).toEqual({
      "production-apps/coolify_database_mongodb.project-shop_db-events_database": "delete",
    });
    env = { ...env, guardrailExceptions: deleted.map((path) => reviewed("stateful-deletion", path, "events backed up; restored on the host (OPS-31)")) };
    deployed.project.writeConfig(deployed.config(env));
    const left = await npmDeploy(apps);
    expect(left.stdout).toContain(`- ${deleted[0]} would be deleted: allowed by the exception approved by alice`);
    expect(left.code).toBe(0);

    // 2. The database again, on the host (its data restored from the backup: docs/runbook/restore-database.md).
    env = { ...moved, guardrailExceptions: [] };
    await day2.resynthesize(deployed, env);
    const added = day2.byName(await day2.plannedActions(deployed, apps));
    expect(added).toMatchObject({ "coolify_database_mongodb.project-shop_db-events_database": "create" });
    expect(Object.keys(added).filter((address) => !/db-events|operations_monitoring/.test(address))).toEqual([]);
    await day2.applyPlan(deployed, apps);
    expect(await day2.hetznerServers(deployed, infra)).toEqual(servers);
    // What moved is now on the host (on the worker the twin held it too, and deleted it there); the
    // monitoring service was replaced (monitoringOf); the rest, apart from what is on the worker, is as it was.
    const now = deployed.twin();
    const hostUuid = now.servers[0].uuid;
    const api = now.applications.filter((app) => app.fields.name === "api");
    const eventsDb = now.data?.databases.filter((db) => db.fields.name === "events") ?? [];
    expect([...api, ...eventsDb].map((resource) => resource.server_uuid)).toEqual([hostUuid, hostUuid]);
    replacedMonitoring(twin, now);
    keptMonitoringData(written, "moved-to-host");
    const arrived = new Set([...api, ...eventsDb].map((resource) => resource.uuid));
    const settled = (state: TwinState): TwinState => {
      const rest = withoutMonitoring(day2.hostOnly(state));
      return {
        ...rest,
        applications: rest.applications.filter((app) => !arrived.has(app.uuid)),
        deployments: rest.deployments.filter((deployment) => !arrived.has(deployment.application_uuid)),
        data: rest.data && { ...rest.data, databases: rest.data.databases.filter((db) => !arrived.has(db.uuid)), ids: {} },
      };
    };
    expect(settled(now)).toEqual(settled(twin));
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("removes the last worker in two reviewed steps: its and the network's protection lifted, then the worker, the network and the workers' key go; the host runs on", async () => {
    const written = day2.writeMonitoringData(deployed, "last-worker-removed");
    const twin = deployed.twin();
    const before = await day2.hetznerServers(deployed, infra);
    // 1. One reviewed production-protection exception per protected resource that goes: the worker's three and the network.
    env = {
      ...env,
      guardrailExceptions: [...["server", "ipv4", "ipv6"].map((id) => `${infra}/worker-1/${id}`), `${infra}/private-network/network`].map((path) =>
        reviewed("production-protection", path, LAST_WORKER),
      ),
    };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, infra))).toEqual({
      ...day2.workerInHetzner("worker-1", "update"),
      "hcloud_network.private-network": "update",
    });
    await day2.applyPlan(deployed, infra);
    expect(await protections()).toEqual({ ...AS_DEPLOYED, "production-worker-1": false, "production-worker-1-ipv4": false, "production-worker-1-ipv6": false });
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);

    // 2. The worker leaves the configuration; npm run deploy names what it deletes, and reviewed deletions let it through.
    const withoutWorkers = { ...env, servers: env.servers.filter((server) => server.role !== "worker"), guardrailExceptions: [] };
    deployed.project.writeConfig(deployed.config(withoutWorkers));
    const refused = await npmDeploy(infra);
    expect(refused.code).toBe(1);
    const deleted = [...refused.stdout.matchAll(/- (production-infra\/\S+) would be deleted$/gm)].map((match) => match[1]);
    expect(day2.byName(Object.fromEntries(deleted.map((path) => [path, "delete"])))).toEqual({
      "production-infra/hcloud_primary_ip.worker-1_ipv4": "delete",
      "production-infra/hcloud_primary_ip.worker-1_ipv6": "delete",
      "production-infra/hcloud_server.worker-1_server": "delete",
    });
    env = { ...withoutWorkers, guardrailExceptions: deleted.map((path) => reviewed("stateful-deletion", path, LAST_WORKER)) };
    deployed.project.writeConfig(deployed.config(env));
    const removed = await npmDeploy(infra);
    expect(removed.stdout).toContain(`- ${deleted[0]} would be deleted: allowed by the exception approved by alice`);
    // The worker's server, two addresses and Docker install, the network and its subnet; the host leaves the network in place.
    expect(removed.stdout).toMatch(/Apply complete! Resources: 0 added, 1 changed, 6 destroyed/);
    expect(removed.code).toBe(0);
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      ...day2.workerInCoolify("worker-1", "delete"),
      ...monitoringOf("worker-1", "delete"),
      ...day2.workersKey("delete"),
    });
    await day2.applyPlan(deployed, apps);
    expect(await day2.hetznerServers(deployed, infra)).toEqual({ "production-coolify": { ...before["production-coolify"], private_ip: null } });
    expect(await protections()).toEqual({ "production-coolify": true, "production-coolify-ipv4": true, "production-coolify-ipv6": true });
    replacedMonitoring(twin, deployed.twin());
    keptMonitoringData(written, "last-worker-removed");
    expect(withoutMonitoring(day2.hostOnly(deployed.twin()))).toEqual(withoutMonitoring(day2.hostOnly(twin)));
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("holds no worker and no workers' key in Coolify once the last worker went; the api's deploy key stays", () => {
    expect(twinServers()).toEqual(["localhost"]);
    expect(deployed.twin().privateKeys?.map((key) => key.name)).toEqual(["production-shop-api-deploy"]);
  });

  it("adds the first worker to the one-server production: created protected in the host's placement group, with a protected network; the running host joins it in place", async () => {
    const written = day2.writeMonitoringData(deployed, "first-worker-added");
    const twin = deployed.twin();
    const before = await day2.hetznerServers(deployed, infra);
    env = { ...env, servers: [...env.servers, { name: "worker-1", role: "worker", serverType: "cpx22" }], guardrailExceptions: [] };
    await day2.resynthesize(deployed, env);
    expect(day2.byName(await day2.plannedActions(deployed, infra))).toEqual({
      ...day2.workerInHetzner("worker-1", "create"),
      ...day2.workerDockerInstall("worker-1", "create"),
      "hcloud_network.private-network": "create",
      "hcloud_network_subnet.private-network_subnet": "create",
      "hcloud_server.coolify_server": "update",
    });
    await day2.applyPlan(deployed, infra);
    expect(day2.byName(await day2.plannedActions(deployed, apps))).toEqual({
      ...day2.workerInCoolify("worker-1", "create"),
      ...monitoringOf("worker-1", "create"),
      ...day2.workersKey("create"),
    });
    await day2.applyPlan(deployed, apps);
    const after = await day2.hetznerServers(deployed, infra);
    expect(after).toEqual({
      "production-coolify": { ...before["production-coolify"], private_ip: privateAddress({ name: "coolify", role: "coolify-host" }) },
      "production-worker-1": {
        id: expect.any(String),
        placement_group_id: before["production-coolify"].placement_group_id,
        private_ip: privateAddress({ name: "worker-1", role: "worker" }),
        status: "running",
      },
    });
    expect(await protections()).toEqual(AS_DEPLOYED);
    const network = (await day2.stateResources(deployed, infra)).find((resource) => resource.type === "hcloud_network");
    expect(network?.values.delete_protection).toBe(true);
    replacedMonitoring(twin, deployed.twin());
    keptMonitoringData(written, "first-worker-added");
    expect(withoutMonitoring(day2.hostOnly(deployed.twin()))).toEqual(withoutMonitoring(day2.hostOnly(twin)));
    expect(await day2.bothConverged(deployed)).toEqual([day2.NO_CHANGES, day2.NO_CHANGES]);
  });

  it("registers the first worker again in Coolify, with the workers' key created again", () => {
    expect(twinServers()).toEqual(["localhost", "production-worker-1"]);
    expect(day2.twinRegistration(deployed.twin(), "production-worker-1")).toEqual(registered("worker-1"));
  });

  it("resizes the host's server type in place: same server, running, nothing else planned, the bootstrap not run", async () => {
    env = await host.resize(deployed, env, "ccx23");
  });

  it("refuses to replace the protected host (Hetzner answers protected): the server stays, and the next apply only runs the bootstrap again", async () => {
    const [before] = await host.stateOf(deployed, infra, "hcloud_server");
    const server = `hcloud_server.${Object.keys(deployed.project.synthesized(infra).resource?.hcloud_server ?? {}).find((key) => key.startsWith("coolify_"))}`;
    const changes = await host.savedPlan(deployed, infra, [`-replace=${server}`]);
    expect(host.actions(changes)[server]).toBe("delete,create");

    const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);

    expect(apply.code).toBe(1);
    expect(apply.output.replace(/\s*\n\s*/g, " ")).toContain("protected: hcloud_server production-coolify has delete protection on");
    expect(apply.output).not.toContain("Provisioning with");
    const [after] = (await host.stateOf(deployed, infra, "hcloud_server")).filter((s) => s.id === before.id);
    expect(after).toEqual(before);
    // Terraform destroyed the bootstrap (it depends on the server) before Hetzner refused the server's delete.
    expect(host.actions(await host.savedPlan(deployed, infra))).toEqual({ "null_resource.coolify_bootstrap": "create" });
    const installs = deployed.installerCalls().length;
    const again = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);
    expect(again.code).toBe(0);
    expect(again.output).toContain("bootstrap: root user: present");
    expect(deployed.installerCalls()).toHaveLength(installs);
    expect(await host.emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
  });

  /** The newly added environment, scaffolded as `npm run new-environment -- staging` would next to production. */
  let added: EnvironmentConfig;
  const [addedInfra, addedApps] = ["staging-infra", "staging-apps"];

  /** Production's state files as they are on disk, and what the twin holds for production's project: applications, databases with their backups, S3 storages. */
  const untouched = () => {
    const twin = deployed.twin();
    const project = day2.twinApplication(deployed, "web").project_uuid;
    return {
      state: readdirSync(deployed.project.dir)
        .filter((name) => /^terraform\.production-(infra|apps)\.tfstate$/.test(name))
        .map((name) => readFileSync(join(deployed.project.dir, name), "utf8")),
      twin: twin.applications.filter((app) => app.project_uuid === project),
      databases: twin.data?.databases.filter((db) => db.project_uuid === project),
      s3Storages: twin.data?.s3Storages.filter((storage) => String(storage.fields.name).startsWith("production-")),
    };
  };

  it("adds an environment as npm run new-environment scaffolds it: its stacks apply against the twin, production's do not move", async () => {
    const before = untouched();
    expect(before.state).toHaveLength(2);
    // The databases on the Coolify host are in the twin, each with its backup but the ephemeral cache; events moved
    // there from the last worker.
    expect(before.databases?.map((db) => [db.fields.name, db.backups.length]).sort()).toEqual([
      ["cache", 0],
      ["events", 1],
      ["legacy", 1],
      ["shop-db", 1],
    ]);
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

  it("refuses, before apply, a plan that deletes a database removed from the configuration; a reviewed exception lets it through", async () => {
    const projects = env.apps?.projects ?? [];
    const withoutDatabase: EnvironmentConfig = {
      ...env,
      apps: { ...production.apps, projects: projects.map((p) => ({ ...p, databases: p.databases?.filter((d) => d.kind !== "postgresql") })) },
    };
    expect(projects.some((p) => p.databases?.some((d) => d.kind === "postgresql"))).toBe(true);
    project.writeConfig(deployed.config(withoutDatabase));

    const refused = await project.script("tools/stack-plan.ts", ["deploy", apps]);
    expect(refused.code).toBe(1);
    const address = /- (production-apps\/coolify_database_postgresql\.\S+) would be deleted/.exec(refused.stdout)?.[1];
    expect(address).toBeDefined();
    expect(refused.stderr.trim()).toBe("production-apps: the plan deletes stateful production resources; nothing was applied");
    expect(refused.output).not.toContain("Apply complete");
    expect(refused.output).not.toMatch(/\n\s+at /);

    const excepted: EnvironmentConfig = {
      ...withoutDatabase,
      guardrailExceptions: [{ rule: "stateful-deletion", path: address ?? "", reason: "shop database retired after the export (OPS-7)", approvedBy: "alice" }],
    };
    project.writeConfig(deployed.config(excepted));
    const allowed = await project.script("tools/stack-plan.ts", ["deploy", apps]);
    expect(allowed.stdout).toContain(`- ${address} would be deleted: allowed by the exception approved by alice`);
    // The monitoring follows: the retired database's backup alert leaves its rules, and the service restarts.
    expect(allowed.stdout).toMatch(/Apply complete! Resources: \d+ added, \d+ changed, [1-9]\d* destroyed/);
    expect(allowed.code).toBe(0);
  });
});
