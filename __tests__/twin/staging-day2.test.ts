/**
 * The example's staging over its life, deployed from nothing once: first through the paths people
 * use (`cdktf deploy` of both stacks, where infra's bootstrap installs the fake Coolify over SSH and
 * apps' twinned Coolify resources go through that Coolify's API; `cdktf diff` with nothing to
 * change; `npm run outputs`; a pull-request comment from a real `cdktf diff`), then day 2 on the
 * twin: roll-outs, workers, the host's resize and rebuild onto the data volume it keeps
 * (docs/runbook/rebuild-host.md; staging is given a data volume here, as production has), the
 * rotations, Coolify's upgrade, and what Hetzner or the bootstrap refuse. Each day-2 step changes
 * the configuration or a secret, plans with the real Terraform (asserting which resources the plan
 * touches and how), applies exactly that plan, asserts what the twin and the host now run, and
 * plans again, which must be empty. The steps share one deployed environment, in this order.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplicationConfig, EnvironmentConfig } from "../../config/schema";
import { BOOTSTRAP_RESOURCE_ID } from "../../constructs/bootstrap/coolify-bootstrap";
import { secretVariableName } from "../../constructs/coolify/apps-secrets";
import { privateAddress } from "../../model/environment";
import { parsePlan, renderComment } from "../../tools/plan-comment";
import { coolifyDowngrade } from "../../tools/plan-guard";
import { configuredImage, type TwinApplication, type TwinState } from "../fixtures/twin/coolify-twin";
import { type Finished, run } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, type DeployedEnvironment, deployedForSuite } from "../terraform/environment-harness";
import {
  applyPlan,
  bothConverged,
  byName,
  converged,
  hetznerServers,
  hostOnly,
  NO_CHANGES,
  plannedActions,
  publicHalf,
  resynthesize,
  savedPlan,
  sshKey,
  twinApplication,
  twinRegistration,
  useSshKeys,
  workerDockerInstall,
  workerInCoolify,
  workerInHetzner,
  workersKey,
} from "./day2";
import * as host from "./host-steps";

/** The bootstrap's address, the same in every infra stack. */
const BOOTSTRAP = `null_resource.${BOOTSTRAP_RESOURCE_ID}`;

const web = (deployed: DeployedEnvironment): TwinApplication => twinApplication(deployed, "web");

describeWithTools("staging: cdktf deploy from nothing, then day 2 on a running environment (twin)", DEPLOY_TOOLS, () => {
  const deployed = deployedForSuite("staging", "127.0.0.4", {
    twin: true,
    configure: (env) => ({ ...env, servers: env.servers.map((s) => (s.role === "coolify-host" ? { ...s, volumeSizeGb: 10 } : s)) }),
  });
  beforeAll(() => useSshKeys(deployed));
  const { project, env: staging } = deployed;
  const [infra, apps] = deployed.stacks();
  let env: EnvironmentConfig;
  /** The `cdktf deploy` from nothing that the first tests look at. */
  let deployment: Finished;

  /** The environment with its `web` application changed by `change`, synthesized. */
  const reconfigure = async (change: (app: ApplicationConfig) => ApplicationConfig): Promise<void> => {
    const [project] = env.apps?.projects ?? [];
    env = {
      ...env,
      apps: { ...env.apps, projects: [{ ...project, applications: project.applications?.map((app) => (app.name === "web" ? change(app) : app)) }] },
    };
    deployed.project.writeConfig(deployed.config(env));
    const synth = await deployed.project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
  };

  const address = (type: string, id: string): string => {
    const resources = deployed.project.synthesized(apps).resource?.[type] ?? {};
    const key = Object.keys(resources).find((name) => name.startsWith(`project-shop_app-web_${id}`));
    if (!key) throw new Error(`no ${type} ${id} in ${apps}`);
    return `${type}.${key}`;
  };

  beforeAll(() => {
    env = structuredClone(deployed.env);
  });

  it("deploys infra then apps in one cdktf deploy, the bootstrap included", async () => {
    deployment = await deployed.deploy();
    const deploy = deployment;
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

  it("deploys staging from nothing: the apps stack meets the Coolify the bootstrap installed", async () => {
    expect(deployment.code).toBe(0);
    const twin = deployed.twin();
    expect(twin.projects.map((p) => [p.name, p.environments.map((e) => e.name)])).toEqual([["shop", ["production", "preview"]]]);
    // Terraform creates the two applications concurrently: the twin holds them in the order they arrived.
    const byAppName = [...twin.applications].sort((a, b) => String(a.fields.name).localeCompare(String(b.fields.name)));
    expect(byAppName.map((a) => [a.fields.name, configuredImage(a), a.running?.image ?? null])).toEqual([
      ["web", "ghcr.io/acme/shop-web:edge", "ghcr.io/acme/shop-web:edge"],
      ["web-preview", "ghcr.io/acme/shop-web:preview", null],
    ]);
    expect(web(deployed).running?.variables).toEqual({
      NODE_ENV: "staging",
      DATABASE_URL: deployed.project.env[`TF_VAR_${secretVariableName("shop_database_url")}`],
    });
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  it("deploys the infra stack: Coolify's, Docker's and containerd's data on the volume Hetzner's automount mounted", async () => {
    const { output } = deployment;
    const [mounted] = deployed.volumeMounts();
    expect(output).toContain(`live on ${mounted}`);
    expect(deployed.hostFiles().fstab.split("\n")[0]).toBe(`${deployed.volume} ${mounted} ext4 discard,nofail,defaults 0 0`);
    expect(await host.emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
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

  it("rolls out a new image tag: the application is updated in place and deployed again, nothing else moves", async () => {
    await reconfigure((app) => ({ ...app, image: "ghcr.io/acme/shop-web:1.4.0" }) as ApplicationConfig);
    expect(await plannedActions(deployed, apps)).toEqual({
      [address("coolify_application_docker_image", "application")]: "update",
      [address("coolify_deployment", "first-deployment")]: "delete,create",
    });
    const before = web(deployed);
    await applyPlan(deployed, apps);
    const after = web(deployed);
    expect([configuredImage(after), after.running?.image]).toEqual(["ghcr.io/acme/shop-web:1.4.0", "ghcr.io/acme/shop-web:1.4.0"]);
    expect(after.running?.deployment_uuid).not.toBe(before.running?.deployment_uuid);
    expect(after.running?.variables).toEqual(before.running?.variables);
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  it("changes a variable and rotates a secret: both are updated in place and the application restarts with them", async () => {
    const secret = `TF_VAR_${secretVariableName("shop_database_url")}`;
    deployed.project.env[secret] = "postgres://shop:rotated@shop-db:5432/shop";
    await reconfigure((app) => ({ ...app, env: { ...app.env, NODE_ENV: "staging-2" } }));
    expect(await plannedActions(deployed, apps)).toEqual({
      [address("coolify_environment_variable", "env-NODE_ENV")]: "update",
      [address("coolify_environment_variable", "env-DATABASE_URL")]: "update",
      [address("coolify_deployment", "first-deployment")]: "delete,create",
    });
    await applyPlan(deployed, apps);
    const after = web(deployed);
    expect(after.running).toMatchObject({
      image: "ghcr.io/acme/shop-web:1.4.0",
      variables: { NODE_ENV: "staging-2", DATABASE_URL: "postgres://shop:rotated@shop-db:5432/shop" },
    });
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  it("lets the application repository deploy with the documented POST to the published deploy URL", async () => {
    const output = await deployed.project.terraform(apps, ["output", "-raw", "app_shop__web_deploy_url"]);
    expect(output.stdout).toBe(`https://coolify.${env.domain}/api/v1/deploy?uuid=${web(deployed).uuid}`);
    const before = deployed.twin().deployments.length;
    // The fake curl (first on PATH in the project's environment) sends the environment's Coolify URL to the fake API.
    const trigger = await run(
      "curl",
      [
        "--fail-with-body",
        "--silent",
        "--show-error",
        "--request",
        "POST",
        "--header",
        `Authorization: Bearer ${deployed.secrets.apiToken}`,
        `${output.stdout}&force=false`,
      ],
      {
        cwd: deployed.project.dir,
        env: deployed.project.env,
      },
    );
    expect(trigger.code).toBe(0);
    expect(deployed.twin().deployments).toHaveLength(before + 1);
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  /** The environment with these servers, synthesized; infra's saved plan, as `<type>.<name without its hash>` → actions. */
  const withServers = async (servers: EnvironmentConfig["servers"]): Promise<Record<string, string>> => {
    env = { ...env, servers };
    await resynthesize(deployed, env);
    return byName(await plannedActions(deployed, infra));
  };

  /** Applies infra's saved plan, then plans apps (whose actions it returns) and applies that too. */
  const applyInfraThenApps = async (): Promise<Record<string, string>> => {
    await applyPlan(deployed, infra);
    const actions = byName(await plannedActions(deployed, apps));
    await applyPlan(deployed, apps);
    return actions;
  };

  /** What Coolify holds apart from the workers before the first is added: no worker step may move it. */
  let withoutWorkers: TwinState;

  it("adds the first worker: the worker is created in the environment's placement group, the running host stays where it is, Coolify registers it", async () => {
    withoutWorkers = hostOnly(deployed.twin());
    const before = await hetznerServers(deployed, infra);
    expect(await withServers([...env.servers, { name: "worker-1", role: "worker" }])).toEqual({
      ...workerInHetzner("worker-1", "create"),
      ...workerDockerInstall("worker-1", "create"),
      "hcloud_network.private-network": "create",
      "hcloud_network_subnet.private-network_subnet": "create",
      // The host joins the new network in place; its placement group is the one it was created in.
      "hcloud_server.coolify_server": "update",
    });
    expect(await applyInfraThenApps()).toEqual({ ...workerInCoolify("worker-1", "create"), ...workersKey("create") });
    const after = await hetznerServers(deployed, infra);
    expect(after["staging-coolify"]).toMatchObject({
      id: before["staging-coolify"].id,
      status: "running",
      private_ip: privateAddress({ name: "coolify", role: "coolify-host" }),
    });
    expect(after["staging-worker-1"]).toMatchObject({ placement_group_id: after["staging-coolify"].placement_group_id, status: "running" });
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
  });

  it("adds a second worker: only the new server and its addresses are created; the host and the first worker do not move", async () => {
    const before = await hetznerServers(deployed, infra);
    expect(await withServers([...env.servers, { name: "worker-2", role: "worker" }])).toEqual({
      ...workerInHetzner("worker-2", "create"),
      ...workerDockerInstall("worker-2", "create"),
    });
    expect(await applyInfraThenApps()).toEqual(workerInCoolify("worker-2", "create"));
    const after = await hetznerServers(deployed, infra);
    expect(after).toEqual({
      ...before,
      "staging-worker-2": {
        id: expect.any(String),
        placement_group_id: before["staging-coolify"].placement_group_id,
        private_ip: expect.any(String),
        status: "running",
      },
    });
    expect(after["staging-worker-2"].private_ip).not.toBe(before["staging-worker-1"].private_ip);
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
  });

  /** Worker `name` as the twin holds its registration: its private address, root on port 22, the workers' key, Sentinel pushing to the host over the private network. */
  const registered = (name: string) => ({
    ip: privateAddress({ name, role: "worker" }),
    user: "root",
    port: 22,
    key: { name: "staging-workers", public_key: publicHalf(deployed.project.env.TF_VAR_worker_ssh_private_key ?? "") },
    sentinel: { enabled: true, url: `http://${privateAddress({ name: "coolify", role: "coolify-host" })}:8000` },
    usable: true,
  });
  /** The servers Coolify holds, by name. */
  const twinServers = (): string[] => deployed.twin().servers.map((server) => server.name);

  it("holds both workers' registrations in Coolify: each server with its address, user, port and the workers' key, and its Sentinel URL", () => {
    const twin = deployed.twin();
    expect(twinServers()).toEqual(["localhost", "staging-worker-1", "staging-worker-2"]);
    expect(["worker-1", "worker-2"].map((name) => twinRegistration(twin, `staging-${name}`))).toEqual([registered("worker-1"), registered("worker-2")]);
    expect(hostOnly(twin)).toEqual(withoutWorkers);
  });

  it("rotates the workers' SSH key as the runbook says: a key Coolify cannot load fails the apply (422) and changes nothing; the new key replaces the old one, the servers move to it, nothing else moves", async () => {
    const twin = deployed.twin();
    const variable = "TF_VAR_worker_ssh_private_key";
    // The new key is created before the old one goes, the servers name it in between (constructs/coolify/coolify-servers.ts).
    const rotation = {
      ...workersKey("update"),
      "coolify_private_key.servers_worker-key": "create,delete",
      "coolify_server.servers_worker-1": "update",
      "coolify_server.servers_worker-2": "update",
    };
    // A key with a passphrase: Coolify cannot load it (app/Models/PrivateKey.php validatePrivateKey).
    const dir = mkdtempSync(join(tmpdir(), "day2-workers-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-C", "coolify-workers@staging", "-f", join(dir, "locked")]);
    deployed.project.env[variable] = readFileSync(join(dir, "locked"), "utf8");
    expect(byName(await plannedActions(deployed, apps))).toEqual(rotation);
    const refused = await deployed.terraformInTurn(apps, ["apply", "-input=false", "day2.tfplan"]);
    expect(refused.code).toBe(1);
    expect(refused.output.replace(/\s+/g, " ")).toContain('POST /api/v1/security/keys: 422 {"message":"Invalid private key."}');
    expect(deployed.twin()).toEqual(twin);

    // Step 2 of the runbook: the new private key in TF_VAR_WORKER_SSH_PRIVATE_KEY, then the apps stack.
    const next = sshKey("coolify-workers@staging");
    deployed.project.env[variable] = next;
    expect(byName(await plannedActions(deployed, apps))).toEqual(rotation);
    await applyPlan(deployed, apps);
    const after = deployed.twin();
    expect(["worker-1", "worker-2"].map((name) => twinRegistration(after, `staging-${name}`))).toEqual([registered("worker-1"), registered("worker-2")]);
    expect(registered("worker-1").key.public_key).toBe(publicHalf(next));
    expect(after.privateKeys?.map((key) => key.name)).toEqual(["staging-workers"]);
    expect(after.privateKeys?.map((key) => key.uuid)).not.toEqual(twin.privateKeys?.map((key) => key.uuid));
    expect(hostOnly(after)).toEqual(hostOnly(twin));
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
  });

  it("removes the first worker, keeping the second: only that server, its addresses and its registration go", async () => {
    const before = await hetznerServers(deployed, infra);
    expect(await withServers(env.servers.filter((server) => server.name !== "worker-1"))).toEqual({
      ...workerInHetzner("worker-1", "delete"),
      ...workerDockerInstall("worker-1", "delete"),
    });
    expect(await applyInfraThenApps()).toEqual(workerInCoolify("worker-1", "delete"));
    const { "staging-worker-1": removed, ...kept } = before;
    expect(removed).toBeDefined();
    expect(await hetznerServers(deployed, infra)).toEqual(kept);
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
  });

  it("no longer holds the first worker in Coolify; the second keeps its registration", () => {
    expect(twinServers()).toEqual(["localhost", "staging-worker-2"]);
    expect(twinRegistration(deployed.twin(), "staging-worker-2")).toEqual(registered("worker-2"));
    expect(hostOnly(deployed.twin())).toEqual(withoutWorkers);
  });

  it("removes the last worker: the worker, the network and the workers' key go, the host stays in the placement group, running", async () => {
    const before = await hetznerServers(deployed, infra);
    expect(await withServers(env.servers.filter((server) => server.role !== "worker"))).toEqual({
      ...workerInHetzner("worker-2", "delete"),
      ...workerDockerInstall("worker-2", "delete"),
      "hcloud_network.private-network": "delete",
      "hcloud_network_subnet.private-network_subnet": "delete",
      "hcloud_server.coolify_server": "update",
    });
    expect(await applyInfraThenApps()).toEqual({ ...workerInCoolify("worker-2", "delete"), ...workersKey("delete") });
    expect(await hetznerServers(deployed, infra)).toEqual({
      "staging-coolify": { ...before["staging-coolify"], private_ip: null },
    });
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
  });

  it("holds no worker and no key in Coolify once the last worker went", () => {
    expect(twinServers()).toEqual(["localhost"]);
    expect(deployed.twin().privateKeys).toEqual([]);
    expect(hostOnly(deployed.twin())).toEqual(withoutWorkers);
  });

  it("resizes the host's server type in place: same server, running, nothing else planned, the bootstrap not run", async () => {
    env = await host.resize(deployed, env, "cpx32");
  });

  it("refuses to size the host back down once the resize grew its disk (Hetzner: invalid_server_type); the provider had powered it off, and it stays off", async () => {
    const [before] = await host.stateOf(deployed, infra, "hcloud_server");
    await host.synthesize(deployed, { ...env, hetzner: { ...env.hetzner, serverType: "cpx22" } });
    const changes = await host.savedPlan(deployed, infra);
    expect(host.actions(changes)).toEqual({ [host.hostAddress(changes, "hcloud_server")]: "update" });
    const powered = deployed.powerCalls().length;
    const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);
    expect(apply.code).toBe(1);
    expect(apply.output.replace(/\s*\n\s*/g, " ")).toContain(
      "invalid_server_type: the Hetzner Cloud API refuses to change server staging-coolify to cpx22: its 80 GB disk is smaller than the server's 160 GB",
    );
    expect(host.powerCallsSince(deployed, powered)).toEqual(host.POWER_OFF_AND_CHANGE_TYPE("staging-coolify"));
    const [after] = await host.stateOf(deployed, infra, "hcloud_server");
    expect(after).toEqual({ ...before, status: "off" });
    // Back at the type it has, Terraform plans nothing: a server's status is Hetzner's to report, not configuration, so nothing starts it (docs/runbook/rebuild-host.md).
    await host.synthesize(deployed, env);
    expect(await host.emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
  });

  it("rebuilds the host from its image: a new server, the volume kept and attached to it, the bootstrap mounts it and finds Coolify's data", async () => {
    const [oldServer] = await host.stateOf(deployed, infra, "hcloud_server");
    const [oldVolume] = await host.stateOf(deployed, infra, "hcloud_volume");
    const server = `hcloud_server.${Object.keys(deployed.project.synthesized(infra).resource?.hcloud_server ?? {})[0]}`;
    const changes = await host.savedPlan(deployed, infra, [`-replace=${server}`]);
    // The AAAA records follow the new server's IPv6 address (the first of its primary IPv6 network), known after apply.
    const aaaa = changes.map((c) => c.address).filter((address) => /^cloudflare_dns_record\.dns_[\w-]+-aaaa_/.test(address));
    expect(aaaa.length).toBeGreaterThan(0);
    expect(host.actions(changes)).toEqual({
      [server]: "delete,create",
      [host.hostAddress(changes, "hcloud_volume")]: "update",
      "null_resource.coolify_bootstrap": "delete,create",
      ...Object.fromEntries(aaaa.map((address) => [address, "update"])),
    });
    const tokens = deployed.tokens();
    deployed.newRootDisk();
    expect(deployed.volumeMounts()).toEqual([]);

    const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);

    expect(apply.code).toBe(0);
    const [newServer] = await host.stateOf(deployed, infra, "hcloud_server");
    const [volume] = await host.stateOf(deployed, infra, "hcloud_volume");
    expect(newServer.id).not.toBe(oldServer.id);
    expect(newServer.status).toBe("running");
    expect([volume.id, String(volume.server_id)]).toEqual([oldVolume.id, newServer.id]);
    const records = (await host.stateOf(deployed, infra, "cloudflare_dns_record")).filter((record) => record.type === "AAAA");
    expect(records.map((record) => record.content)).toEqual(records.map(() => newServer.ipv6_address));
    // The bootstrap mounted the volume itself where automount would, and found what the old server left on it.
    const mounted = deployed.volumeMounts()[0];
    expect(mounted).toMatch(/\/mnt\/loop\d+$/);
    expect(apply.output).toContain(`live on ${mounted}`);
    expect(apply.output).toContain("bootstrap: root user: present");
    expect(apply.output).toMatch(/bootstrap: localhost key: added to \S+/);
    expect(apply.output).toContain("bootstrap: api tokens: terraform-bootstrap unchanged");
    expect(deployed.tokens()).toEqual(tokens);
    expect(deployed.hostFiles().fstab.split("\n")[0]).toBe(`${deployed.volume} ${mounted} ext4 discard,nofail,defaults 0 0`);
    expect(deployed.hostFiles().authorizedKeys).toMatch(/^ssh-ed25519 \S+ coolify$/m);
    expect(await host.emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
  });

  /** Writes and synthesizes the environment as it now is. */
  const resynth = async (): Promise<void> => {
    deployed.project.writeConfig(deployed.config(env));
    const synth = await deployed.project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
  };

  const keyLines = (): string[] => readFileSync(deployed.authorizedKeysFile, "utf8").split("\n").filter(Boolean);

  it("rotates the Coolify API token as the runbook says: only the bootstrap re-runs, the old token is refused, the apps stack plans with the new one", async () => {
    const [oldToken, newToken] = [deployed.project.env.TF_VAR_coolify_token ?? "", randomBytes(32).toString("hex")];
    const twin = deployed.twin();
    deployed.project.env.TF_VAR_coolify_token = newToken;
    // The token is no trigger: without -replace nothing would run (docs/bootstrap.md, Rotating the API token).
    expect(await converged(deployed, infra)).toEqual({ code: 0, output: "" });
    expect(await plannedActions(deployed, infra, [`-replace=${BOOTSTRAP}`])).toEqual({ [BOOTSTRAP]: "delete,create" });
    await applyPlan(deployed, infra);
    expect(deployed.coolify.status("/api/v1/version", newToken)).toBe(200);
    expect(deployed.coolify.status("/api/v1/version", oldToken)).toBe(401);
    expect(deployed.coolify.tokens().map((row) => row.split("|")[3])).toEqual(["terraform-bootstrap", "terraform-plan-read"]);
    expect(deployed.twin()).toEqual(twin);
    expect(await converged(deployed, infra)).toEqual({ code: 0, output: "" });
    // The apps stack reads every twinned resource through Coolify's API with the token it is given.
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
    deployed.project.env.TF_VAR_coolify_token = oldToken;
    const stale = await deployed.project.terraform(apps, ["plan", "-input=false"]);
    deployed.project.env.TF_VAR_coolify_token = newToken;
    expect(stale.code).toBe(1);
    expect(stale.output).toContain("Unauthenticated.");
  });

  it("rotates the deploy key as the runbook says: the running host is not replaced, the bootstrap moves authorized_keys to the new key", async () => {
    const keys = mkdtempSync(join(tmpdir(), "day2-key-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `ci-deploy@${env.name}`, "-f", join(keys, "next")]);
    const next = readFileSync(join(keys, "next.pub"), "utf8").trim();
    const [old] = env.sshPublicKeys.filter((key) => key.purpose === "deploy");
    const sshKey = (name: string): string => {
      const id = Object.keys(deployed.project.synthesized(infra).resource?.hcloud_ssh_key ?? {}).find((key) => key.startsWith(`ssh-keys_${name}_`));
      if (!id) throw new Error(`no hcloud_ssh_key ${name} in ${infra}`);
      return `hcloud_ssh_key.${id}`;
    };
    const [oldKey, twin] = [sshKey(old.name), deployed.twin()];

    // 1. The new key beside the old one: Hetzner gets it for future servers, the host gets it from the bootstrap.
    env = { ...env, sshPublicKeys: [...env.sshPublicKeys, { name: "ci-deploy-next", purpose: "deploy", publicKey: next }] };
    await resynth();
    expect(await plannedActions(deployed, infra)).toEqual({ [sshKey("ci-deploy-next")]: "create", [BOOTSTRAP]: "delete,create" });
    await applyPlan(deployed, infra);
    expect(keyLines()).toEqual(expect.arrayContaining([old.publicKey, next]));
    expect(await converged(deployed, infra)).toEqual({ code: 0, output: "" });

    // 2. Terraform now logs in with the new key; 3. the old key leaves the configuration, Hetzner and the host.
    deployed.project.env.TF_VAR_coolify_ssh_private_key = readFileSync(join(keys, "next"), "utf8");
    env = { ...env, sshPublicKeys: env.sshPublicKeys.filter((key) => key.name !== old.name) };
    await resynth();
    expect(await plannedActions(deployed, infra)).toEqual({ [oldKey]: "delete", [BOOTSTRAP]: "delete,create" });
    await applyPlan(deployed, infra);
    expect(keyLines()).toContain(next);
    expect(keyLines()).not.toContain(old.publicKey);
    expect(deployed.twin()).toEqual(twin);
    expect(await converged(deployed, infra)).toEqual({ code: 0, output: "" });
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  it("upgrades Coolify 4.3.9 to 4.3.10: only the bootstrap re-runs, Coolify's upgrade path runs, the new version answers and the data stays", async () => {
    const [from, to] = [env.coolify.version, "4.3.10"];
    expect(from).toBe("4.3.9");
    const [twin, tokens] = [deployed.twin(), deployed.coolify.tokens()];
    env = { ...env, coolify: { ...env.coolify, version: to } };
    await resynth();
    expect(await plannedActions(deployed, infra)).toEqual({ [BOOTSTRAP]: "delete,create" });
    await applyPlan(deployed, infra);
    // The deploy, the rebuild of the host (a new root disk runs the installer again), then the upgrade.
    expect(deployed.installerCalls().map((call) => call.split("\t")[0])).toEqual([from, from, to]);
    // install.sh hands the version to the upgrade.sh it downloaded (coollabsio/coolify v4.3.10, scripts/install.sh lines 343-346 and 926).
    expect(deployed.coolify.recorded("upgrade-calls.log").at(-1)).toBe(to);
    expect(deployed.coolify.call("GET", "/api/v1/version", deployed.project.env.TF_VAR_coolify_token)).toEqual({ status: 200, body: to });
    expect(deployed.coolify.tokens()).toEqual(tokens);
    expect(deployed.twin()).toEqual(twin);
    expect(await converged(deployed, infra)).toEqual({ code: 0, output: "" });
    expect(await converged(deployed, apps)).toEqual({ code: 0, output: "" });
  });

  it("refuses a downgrade on the running host, naming the environment and coolify.version, and leaves the newer Coolify running", async () => {
    const running = env.coolify.version;
    env = { ...env, coolify: { ...env.coolify, version: "4.3.9" } };
    await resynth();
    expect(await plannedActions(deployed, infra)).toEqual({ [BOOTSTRAP]: "delete,create" });
    // npm run diff and deploy refuse the saved plan (tools/stack-plan.ts); plain terraform meets the bootstrap's own check.
    expect(coolifyDowngrade(await savedPlan(deployed, infra), env.name)).toBe(
      `Plan refused: environment "${env.name}": coolify.version 4.3.9 is older than Coolify ${running}, which the last apply installed; Coolify cannot be downgraded, set coolify.version to ${running} or later`,
    );
    const apply = await deployed.project.terraform(infra, ["apply", "-input=false", "day2.tfplan"]);
    expect(apply.code).toBe(1);
    expect(apply.output).toContain(
      `bootstrap: install: environment "${env.name}": coolify.version 4.3.9 is older than Coolify ${running}, which runs on this host; Coolify cannot be downgraded, set coolify.version to ${running} or later`,
    );
    expect(deployed.installerCalls().map((call) => call.split("\t")[0])).toEqual(["4.3.9", "4.3.9", running]);
    expect(deployed.coolify.call("GET", "/api/v1/version", deployed.project.env.TF_VAR_coolify_token)).toEqual({ status: 200, body: running });
  });

  it("cannot move the host to another location with its volume: the new server is created there, and Hetzner refuses to attach the volume across locations", async () => {
    const [oldVolume] = await host.stateOf(deployed, infra, "hcloud_volume");
    expect(oldVolume.location).toBe(env.hetzner.location);
    await host.synthesize(deployed, { ...env, hetzner: { ...env.hetzner, location: "fsn1" } });
    const changes = await host.savedPlan(deployed, infra);
    const [server, volume] = [host.hostAddress(changes, "hcloud_server"), host.hostAddress(changes, "hcloud_volume")];
    expect(host.actions(changes)).toMatchObject({ [server]: "delete,create", [volume]: "update", "null_resource.coolify_bootstrap": "delete,create" });

    const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);

    expect(apply.code).toBe(1);
    const [newServer] = await host.stateOf(deployed, infra, "hcloud_server");
    expect(newServer.location).toBe("fsn1");
    expect(apply.output.replace(/\s*\n\s*/g, " ")).toContain(
      `the Hetzner Cloud API refuses to attach volume staging-coolify-data (in ${env.hetzner.location}) to server ${String(newServer.id)} (in fsn1)`,
    );
    // The bootstrap waits for the volume: it did not run on a host without its data.
    expect(apply.output).not.toContain("Provisioning with");
    const [volumeAfter] = await host.stateOf(deployed, infra, "hcloud_volume");
    expect([volumeAfter.id, volumeAfter.location]).toEqual([oldVolume.id, env.hetzner.location]);
  });
});
