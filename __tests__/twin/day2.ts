/**
 * The steps of a day-2 scenario on a deployed environment, with the real Terraform in the stack's
 * directory of one project reused across the steps: a saved plan and the actions it holds, the apply
 * of exactly that plan, and the second plan that must be empty.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { terraformId } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { keyPair } from "../../tools/new-environment";
import type { SavedPlan } from "../../tools/plan-guard";
import { filesAt, type TwinService, writeAt } from "../fixtures/twin/applications";
import { changeTwin, type TwinApplication, type TwinState } from "../fixtures/twin/coolify-twin";
import type { DeployedEnvironment } from "../terraform/environment-harness";

/** The part of a local state file (format version 4) these steps read. */
interface StateFile {
  readonly resources?: readonly {
    readonly mode: "managed" | "data";
    readonly type: string;
    readonly name: string;
    readonly instances: readonly { readonly index_key?: string | number; readonly attributes: Record<string, unknown> }[];
  }[];
}

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}

/** The saved plan `day2.tfplan` as `terraform show -json` prints it. */
export const savedPlan = async (deployed: DeployedEnvironment, stack: string): Promise<SavedPlan> => {
  const show = await deployed.project.terraform(stack, ["show", "-json", "day2.tfplan"]);
  return JSON.parse(show.stdout) as SavedPlan;
};

/** Every resource the saved plan touches, with its actions (`update`, `delete,create`, ...); `options` go to `terraform plan`. */
export const plannedActions = async (deployed: DeployedEnvironment, stack: string, options: readonly string[] = []): Promise<Record<string, string>> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", ...options, "-out=day2.tfplan"]);
  if (plan.code !== 0) throw new Error(plan.output);
  const json = await savedPlan(deployed, stack);
  return Object.fromEntries(
    (json.resource_changes ?? [])
      .filter((change) => change.change.actions.join() !== "no-op" && change.change.actions.join() !== "read")
      .map((change) => [change.address, change.change.actions.join()]),
  );
};

/** Applies the saved plan, taking turns with other deploys: it may run the bootstrap or a worker's Docker install. */
export const applyPlan = async (deployed: DeployedEnvironment, stack: string): Promise<void> => {
  const apply = await deployed.terraformInTurn(stack, ["apply", "-input=false", "day2.tfplan"]);
  if (apply.code !== 0) throw new Error(apply.output);
};

/** `terraform plan -detailed-exitcode`: 0 means nothing to change. */
export const converged = async (deployed: DeployedEnvironment, stack: string): Promise<{ code: number; output: string }> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", "-detailed-exitcode"]);
  return { code: plan.code, output: plan.code === 0 ? "" : plan.output };
};

/**
 * The resources in the stack's state now, as `terraform show -json` lists them (address, type,
 * values), read from the project's local state file (cdktf's default `terraform.<stack>.tfstate`)
 * instead of a Terraform run that starts every provider of the stack only to print it.
 */
export const stateResources = async (deployed: DeployedEnvironment, stack: string): Promise<StateResource[]> => {
  const state = JSON.parse(await readFile(join(deployed.project.dir, `terraform.${stack}.tfstate`), "utf8")) as StateFile;
  return (state.resources ?? []).flatMap((resource) =>
    resource.instances.map((instance) => ({
      address: `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}${instance.index_key === undefined ? "" : `[${JSON.stringify(instance.index_key)}]`}`,
      type: resource.type,
      values: instance.attributes,
    })),
  );
};

/** Each Hetzner server in the state by name: its id, placement group, private address and status. */
export const hetznerServers = async (deployed: DeployedEnvironment, stack: string): Promise<Record<string, Record<string, unknown>>> =>
  Object.fromEntries(
    (await stateResources(deployed, stack))
      .filter((resource) => resource.type === "hcloud_server")
      .map(({ values }) => [
        String(values.name),
        {
          id: values.id,
          placement_group_id: values.placement_group_id,
          private_ip: (values.network as { ip?: string }[] | undefined)?.[0]?.ip ?? null,
          status: values.status,
        },
      ]),
  );

/** Writes the environment as the project's configuration and synthesizes it (new variables get values). */
export const resynthesize = async (deployed: DeployedEnvironment, env: EnvironmentConfig): Promise<void> => {
  deployed.project.writeConfig(deployed.config(env));
  await deployed.synth();
  useSshKeys(deployed);
};

/** Plan addresses without the hash cdktf appends to each name. */
export const byName = (actions: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(actions).map(([address, action]) => [address.replace(/_[0-9A-F]{8}$/, ""), action]));

/** The application the twin holds under this name. */
export const twinApplication = (deployed: DeployedEnvironment, name: string): TwinApplication => {
  const app = deployed.twin().applications.find((a) => a.fields.name === name);
  if (!app) throw new Error(`the twin has no application ${name}`);
  return app;
};

/** What `converged` gives for a stack with nothing to change. */
export const NO_CHANGES = { code: 0, output: "" };

/** `converged` for both of the environment's stacks, planned side by side. */
export const bothConverged = (deployed: DeployedEnvironment): Promise<{ code: number; output: string }[]> =>
  Promise.all(deployed.stacks().map((stack) => converged(deployed, stack)));

/** What registers worker `name` in Coolify (apps stack), each with `action`. */
export const workerInCoolify = (name: string, action: string): Record<string, string> => ({
  [`coolify_server.servers_${name}`]: action,
  [`coolify_server_sentinel.servers_${name}-sentinel`]: action,
  [`terraform_data.servers_${name}-ready`]: action,
});
/** The workers' key in Coolify and the version (a hash) whose change replaces it (apps stack), each with `action`. */
export const workersKey = (action: string): Record<string, string> => ({
  "coolify_private_key.servers_worker-key": action,
  "terraform_data.servers_worker-key-version": action,
});
/** The install of the pinned Docker on worker `name` over SSH (infra stack), with `action`. */
export const workerDockerInstall = (name: string, action: string): Record<string, string> => ({
  [`null_resource.${terraformId("worker_docker", name)}`]: action,
});

/** A Hetzner server of the environment (infra stack) with its primary addresses, each with `action`. */
export const workerInHetzner = (name: string, action: string): Record<string, string> => ({
  [`hcloud_primary_ip.${name}_ipv4`]: action,
  [`hcloud_primary_ip.${name}_ipv6`]: action,
  [`hcloud_server.${name}_server`]: action,
});

/**
 * Gives each SSH private key the apps stack hands to Coolify (`coolify_private_key`: the workers' key,
 * a private Git application's deploy key) a fresh OpenSSH key, where the harness gave its variable a
 * random value: Coolify refuses anything it cannot load as a key (422, SecurityController::create_key).
 */
export const useSshKeys = (deployed: DeployedEnvironment): void => {
  const [, apps] = deployed.stacks();
  const keys = Object.values(deployed.project.synthesized(apps).resource?.coolify_private_key ?? {}) as { private_key?: string }[];
  for (const { private_key } of keys) {
    const variable = /^\$\{var\.(\w+)\}$/.exec(private_key ?? "")?.[1];
    if (variable && !/^-----BEGIN /.test(deployed.project.env[`TF_VAR_${variable}`] ?? "")) {
      deployed.project.env[`TF_VAR_${variable}`] = sshKey(`${variable}@${deployed.env.name}`);
    }
  }
};

/** What the twin holds of a registered server: its place, the key it connects with (by name and public half), its Sentinel URL and readiness. */
export const twinRegistration = (state: TwinState, name: string) => {
  const server = state.servers.find((candidate) => candidate.name === name);
  if (!server) return undefined;
  const key = state.privateKeys?.find((candidate) => candidate.id === server.private_key_id);
  return {
    ip: server.ip,
    user: server.user,
    port: server.port,
    key: key && { name: key.name, public_key: key.public_key },
    sentinel: { enabled: server.settings.is_sentinel_enabled, url: server.settings.sentinel_custom_url },
    usable: server.settings.is_usable,
  };
};

/** The public half (`<type> <base64>`, as Coolify shows it) of each private key sshKey made. */
const publicHalves = new Map<string, string>();

/** A fresh OpenSSH private key from ssh-keygen (tools/new-environment.ts keyPair). */
export const sshKey = (comment: string): string => {
  const [privateKey, publicKey] = keyPair(comment);
  publicHalves.set(privateKey, publicKey.split(" ").slice(0, 2).join(" "));
  return privateKey;
};

/** The public half of a private key sshKey made. */
export const publicHalf = (privateKey: string): string | undefined => publicHalves.get(privateKey);

/**
 * The twin without what belongs to servers other than Coolify's own: those servers, the keys only
 * they use, what runs on them (applications with their deployments, databases, services with their
 * scheduled tasks) and what their disks hold, with the lists Coolify makes on first use present. What a worker step
 * leaves of the rest must not move.
 */
export const hostOnly = (state: TwinState): TwinState => {
  const host = state.servers.filter((server) => server.id === 0);
  const onHost = new Set(host.map((server) => server.uuid));
  const workerKeys = new Set(state.servers.filter((server) => server.id !== 0).map((server) => server.private_key_id));
  const applications = state.applications.filter((app) => onHost.has(app.server_uuid));
  const services = (state.services ?? []).filter((service) => onHost.has(service.server_uuid));
  const parents = new Set([...applications, ...services].map((parent) => parent.uuid));
  const { serverIds: _ids, ...rest } = state;
  return {
    ...rest,
    servers: host,
    privateKeys: (state.privateKeys ?? []).filter((key) => !workerKeys.has(key.id)),
    applications,
    deployments: state.deployments.filter((deployment) => parents.has(deployment.application_uuid)),
    data: state.data && { ...state.data, databases: state.data.databases.filter((db) => onHost.has(db.server_uuid)) },
    services,
    scheduledTasks: (state.scheduledTasks ?? []).filter((task) => parents.has(task.parent.uuid)),
    disks: Object.fromEntries(Object.entries(state.disks ?? {}).filter(([server]) => onHost.has(server))),
  };
};

/**
 * Where each store of the monitoring service keeps its data inside its container: the images' data
 * paths (Prometheus' `--storage.tsdb.path`, Alertmanager's `--storage.path`, Grafana's
 * GF_PATHS_DATA, Loki's `path_prefix`), stated here apart from constructs/observability/compose.ts.
 */
const MONITORING_DATA_PATHS = { prometheus: "/prometheus", alertmanager: "/alertmanager", grafana: "/var/lib/grafana", loki: "/loki" } as const;

const monitoringService = (state: TwinState): TwinService => {
  const found = (state.services ?? []).filter((service) => service.name === "monitoring");
  if (found.length !== 1) throw new Error(`the twin holds ${found.length} monitoring services`);
  return found[0];
};

/** The files each store of the monitoring finds at its data path now (undefined where nothing is mounted). */
export const monitoringData = (state: TwinState): Record<string, Record<string, string> | undefined> => {
  const monitoring = monitoringService(state);
  return Object.fromEntries(Object.entries(MONITORING_DATA_PATHS).map(([store, path]) => [store, filesAt(state, monitoring, store, path)]));
};

/** The running monitoring writes a file named after `step` into each store's data, as Prometheus, Alertmanager, Grafana and Loki do; what the stores hold then. */
export const writeMonitoringData = (deployed: DeployedEnvironment, step: string): Record<string, Record<string, string> | undefined> => {
  changeTwin(deployed.coolify.state, (state) => {
    const monitoring = monitoringService(state);
    for (const [store, path] of Object.entries(MONITORING_DATA_PATHS))
      writeAt(state, monitoring, store, path, `${step}.dat`, `written by ${store} before: ${step}`);
  });
  return monitoringData(deployed.twin());
};
