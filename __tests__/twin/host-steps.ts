/**
 * The steps of day 2 on the Coolify host itself (docs/runbook/rebuild-host.md), for the suites that
 * run them on their deployed environment: a saved plan of the infra stack (`host.tfplan`) and what it
 * touches, the state afterwards, the downtime the pull-request comment states and the power calls
 * the local hcloud provider made, and the resize of the host's server type.
 */
import type { EnvironmentConfig } from "../../config/schema";
import { planCost } from "../../cost/plan";
import type { DeployedEnvironment } from "../terraform/environment-harness";

export interface Change {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly before: Record<string, unknown> | null; readonly after: Record<string, unknown> | null };
}

/** A saved plan of the stack (with `extra` arguments such as -replace) and its changes, no-ops and reads left out. */
export const savedPlan = async (deployed: DeployedEnvironment, stack: string, extra: readonly string[] = []): Promise<Change[]> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", "-out=host.tfplan", ...extra]);
  if (plan.code !== 0) throw new Error(plan.output);
  const show = await deployed.project.terraform(stack, ["show", "-json", "host.tfplan"]);
  const changes = (JSON.parse(show.stdout) as { resource_changes?: Change[] }).resource_changes ?? [];
  return changes.filter((c) => !["no-op", "read"].includes(c.change.actions.join()));
};

export const actions = (changes: readonly Change[]): Record<string, string> => Object.fromEntries(changes.map((c) => [c.address, c.change.actions.join()]));

/** The stack's resources of a type as the state holds them after the last apply. */
export const stateOf = async (deployed: DeployedEnvironment, stack: string, type: string): Promise<Record<string, unknown>[]> => {
  const show = await deployed.project.terraform(stack, ["show", "-json"]);
  const resources = (JSON.parse(show.stdout) as { values: { root_module: { resources: { type: string; values: Record<string, unknown> }[] } } }).values
    .root_module.resources;
  return resources.filter((r) => r.type === type).map((r) => r.values);
};

export const synthesize = async (deployed: DeployedEnvironment, env: EnvironmentConfig): Promise<void> => {
  deployed.project.writeConfig(deployed.config(env));
  await deployed.project.synthHere();
};

export const emptyPlan = async (deployed: DeployedEnvironment, stack: string): Promise<{ code: number; output: string }> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", "-detailed-exitcode"]);
  return { code: plan.code, output: plan.code === 0 ? "" : plan.output };
};

export const hostAddress = (changes: readonly Change[], type: string): string => {
  const found = changes.find((c) => c.address.startsWith(`${type}.coolify_`));
  if (!found) throw new Error(`the plan has no ${type} of the host: ${changes.map((c) => c.address).join(", ")}`);
  return found.address;
};

/** The servers the pull-request comment says go down for the saved plan (its downtime impacts), by Hetzner name. */
export const downtimeOf = async (deployed: DeployedEnvironment, stack: string): Promise<string[]> => {
  const show = await deployed.project.terraform(stack, ["show", "-json", "host.tfplan"]);
  const plan = JSON.parse(show.stdout) as { resource_changes?: Change[] };
  const nameOf = (address: string): string => String(plan.resource_changes?.find((c) => c.address === address)?.change.after?.name);
  return planCost(plan)
    .impacts.filter((impact) => impact.kind === "downtime")
    .map((impact) => nameOf(impact.address));
};

/** The local hcloud provider's power calls, as `<server>: <route>`, made since `since` of them. */
export const powerCallsSince = (deployed: DeployedEnvironment, since: number): string[] =>
  deployed
    .powerCalls()
    .slice(since)
    .map((line) => line.replace("\t", ": "));

export const POWER_OFF_AND_CHANGE_TYPE = (server: string): string[] => [
  `${server}: POST /servers/{id}/actions/poweroff`,
  `${server}: POST /servers/{id}/actions/change_type`,
];

/**
 * Resizing: the host's server type changes in place, the server keeps its id and runs, the bootstrap
 * does not run again. The provider powers it off for the change (the twin logs it), which is the
 * downtime the pull-request comment states, for that server and no other.
 */
export const resize = async (deployed: DeployedEnvironment, env: EnvironmentConfig, serverType: string): Promise<EnvironmentConfig> => {
  const [infra] = deployed.stacks();
  const [before] = await stateOf(deployed, infra, "hcloud_server");
  const resized = { ...env, hetzner: { ...env.hetzner, serverType } };
  await synthesize(deployed, resized);
  const changes = await savedPlan(deployed, infra);
  const server = hostAddress(changes, "hcloud_server");
  expect(actions(changes)).toEqual({ [server]: "update" });
  const [change] = changes;
  const changed = Object.keys(change.change.after ?? {}).filter(
    (key) => JSON.stringify(change.change.after?.[key]) !== JSON.stringify(change.change.before?.[key]),
  );
  expect(changed).toEqual(["server_type"]);
  const host = `${env.name}-coolify`;
  expect(await downtimeOf(deployed, infra)).toEqual([host]);
  const [installs, powered] = [deployed.installerCalls().length, deployed.powerCalls().length];
  const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);
  expect(apply.code).toBe(0);
  expect(powerCallsSince(deployed, powered)).toEqual(POWER_OFF_AND_CHANGE_TYPE(host));
  const [after] = await stateOf(deployed, infra, "hcloud_server");
  expect([after.id, after.server_type, after.status]).toEqual([before.id, serverType, "running"]);
  expect(deployed.installerCalls()).toHaveLength(installs);
  expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
  return resized;
};
