/**
 * Every server's private address comes from its role and name, never from its place in the list:
 * removing or reordering a worker changes no other server's address, neither on its Hetzner
 * network attachment nor where Coolify reaches it.
 */
import { Testing } from "cdktf";
import { privateHostNumber } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { copyOf, live } from "../fixtures/config";
import { problemsOf } from "../support/config";
import { synthStack } from "../support/synth";

const withWorkers = (names: readonly string[]): EnvironmentConfig => ({
  ...copyOf(live),
  apps: undefined,
  servers: [{ name: "main", role: "coolify-host" }, ...names.map((name) => ({ name, role: "worker" as const }))],
});

/** Server name → private address, as the infra stack attaches it and as the apps stack registers it in Coolify. */
const addresses = (env: EnvironmentConfig): { hetzner: Record<string, string>; coolify: Record<string, string> } => {
  const app = Testing.app();
  const model = environmentModel(env);
  const infra = new InfraStack(app, `${env.name}-infra`, { environment: model });
  const apps = new AppsStack(app, `${env.name}-apps`, { environment: model, infra });
  const servers = synthStack(infra).tf.resource.hcloud_server;
  const registered = synthStack(apps).tf.resource.coolify_server ?? {};
  return {
    hetzner: Object.fromEntries(Object.values(servers).map((s) => [String(s.name), String((s.network as { ip: string }[])[0].ip)])),
    coolify: Object.fromEntries(Object.values(registered).map((s) => [String(s.name), String(s.ip)])),
  };
};

describe("private addresses", () => {
  it("stay the same for every other server when a worker is removed or the workers are reordered", () => {
    const before = addresses(withWorkers(["batch", "render", "mail"]));
    const removed = addresses(withWorkers(["render", "mail"]));
    const reordered = addresses(withWorkers(["mail", "batch", "render"]));

    expect(Object.keys(before.hetzner)).toHaveLength(4);
    expect(new Set(Object.values(before.hetzner)).size).toBe(4);
    const { "live-batch": _gone, ...others } = before.hetzner;
    expect(removed.hetzner).toEqual(others);
    const { "live-batch": _goneFromCoolify, ...othersInCoolify } = before.coolify;
    expect(removed.coolify).toEqual(othersInCoolify);
    expect(reordered).toEqual(before);
    expect(before.hetzner["live-main"]).toBe("10.42.1.10");
  });

  it("reports two workers whose names give the same address, naming both", () => {
    const byNumber = new Map<number, string>();
    let colliding: string[] = [];
    for (let i = 0; colliding.length === 0; i++) {
      const name = `w-${i}`;
      const earlier = byNumber.get(privateHostNumber({ name, role: "worker" }));
      if (earlier) colliding = [earlier, name];
      else byNumber.set(privateHostNumber({ name, role: "worker" }), name);
    }
    const problems = problemsOf({ environments: [withWorkers(colliding)] }).filter((p) => p.includes("same private address"));
    expect(problems).toEqual([
      `environment "live": servers[2].name: gets the same private address (.${privateHostNumber({ name: colliding[1], role: "worker" })}) as "${colliding[0]}", derived from the name; rename one of them`,
    ]);
  });
});
