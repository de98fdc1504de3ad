/**
 * Day 2 on a running staging, proved on the twin: the example's staging is deployed once for real
 * (Terraform applies infra, whose bootstrap installs the fake Coolify over SSH, then apps, whose
 * twinned Coolify resources the local provider applies through that same Coolify's API). Each step
 * then changes the configuration or a secret, plans the apps stack with the real Terraform (asserting
 * which resources the plan touches and how), applies exactly that plan, asserts what the twin now
 * runs, and plans again, which must be empty.
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
import { coolifyDowngrade } from "../../tools/plan-guard";
import { configuredImage, type TwinApplication } from "../fixtures/twin/coolify-twin";
import { run } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, type DeployedEnvironment, deployedForSuite } from "../terraform/environment-harness";
import {
  applyPlan,
  bothConverged,
  byName,
  converged,
  hetznerServers,
  NO_CHANGES,
  plannedActions,
  resynthesize,
  savedPlan,
  twinApplication,
  workerDockerInstall,
  workerInCoolify,
  workerInHetzner,
} from "./day2";

/** The bootstrap's address, the same in every infra stack. */
const BOOTSTRAP = `null_resource.${BOOTSTRAP_RESOURCE_ID}`;

const web = (deployed: DeployedEnvironment): TwinApplication => twinApplication(deployed, "web");

describeWithTools("staging, day 2: roll-outs on a running environment (twin)", DEPLOY_TOOLS, () => {
  const deployed = deployedForSuite("staging", "127.0.0.4", { twin: true });
  const [infra, apps] = deployed.stacks();
  let env: EnvironmentConfig;

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

  it("deploys staging from nothing: the apps stack meets the Coolify the bootstrap installed", async () => {
    const deploy = await deployed.terraformDeploy();
    expect(deploy.code).toBe(0);
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

  it("adds the first worker: the worker is created in the environment's placement group, the running host stays where it is, Coolify registers it", async () => {
    const before = await hetznerServers(deployed, infra);
    expect(await withServers([...env.servers, { name: "worker-1", role: "worker" }])).toEqual({
      ...workerInHetzner("worker-1", "create"),
      ...workerDockerInstall("worker-1", "create"),
      "hcloud_network.private-network": "create",
      "hcloud_network_subnet.private-network_subnet": "create",
      // The host joins the new network in place; its placement group is the one it was created in.
      "hcloud_server.coolify_server": "update",
    });
    expect(await applyInfraThenApps()).toEqual({ ...workerInCoolify("worker-1", "create"), "coolify_private_key.servers_worker-key": "create" });
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

  it("removes the last worker: the worker, the network and the workers' key go, the host stays in the placement group, running", async () => {
    const before = await hetznerServers(deployed, infra);
    expect(await withServers(env.servers.filter((server) => server.role !== "worker"))).toEqual({
      ...workerInHetzner("worker-2", "delete"),
      ...workerDockerInstall("worker-2", "delete"),
      "hcloud_network.private-network": "delete",
      "hcloud_network_subnet.private-network_subnet": "delete",
      "hcloud_server.coolify_server": "update",
    });
    expect(await applyInfraThenApps()).toEqual({ ...workerInCoolify("worker-2", "delete"), "coolify_private_key.servers_worker-key": "delete" });
    expect(await hetznerServers(deployed, infra)).toEqual({
      "staging-coolify": { ...before["staging-coolify"], private_ip: null },
    });
    expect(await bothConverged(deployed)).toEqual([NO_CHANGES, NO_CHANGES]);
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
    expect(deployed.installerCalls().map((call) => call.split("\t")[0])).toEqual([from, to]);
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
    expect(deployed.installerCalls().map((call) => call.split("\t")[0])).toEqual(["4.3.9", running]);
    expect(deployed.coolify.call("GET", "/api/v1/version", deployed.project.env.TF_VAR_coolify_token)).toEqual({ status: 200, body: running });
  });
});
