/**
 * Day 2 on the Coolify host itself, proved with the real Terraform on the infra stack (the steps of
 * docs/runbook/rebuild-host.md): resizing the host's server type, and rebuilding the host from its
 * image onto the data volume it keeps. Staging (given a data volume here, as production has) is
 * deployed once; each step plans with the real Terraform (asserting what the plan touches), applies
 * exactly that plan (the bootstrap runs over SSH against the fakes where the plan says so), asserts
 * what the local hcloud provider and the host hold afterwards, and plans again, which must be empty.
 * Production's host has delete protection: Hetzner refuses its replacement and the server stays.
 */
import type { EnvironmentConfig } from "../../config/schema";
import { describeWithTools } from "../support/tools";
import { DEPLOY_TOOLS, type DeployedEnvironment, deployedForSuite } from "../terraform/environment-harness";

interface Change {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly before: Record<string, unknown> | null; readonly after: Record<string, unknown> | null };
}

/** A saved plan of the stack (with `extra` arguments such as -replace) and its changes, no-ops and reads left out. */
const savedPlan = async (deployed: DeployedEnvironment, stack: string, extra: readonly string[] = []): Promise<Change[]> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", "-out=host.tfplan", ...extra]);
  if (plan.code !== 0) throw new Error(plan.output);
  const show = await deployed.project.terraform(stack, ["show", "-json", "host.tfplan"]);
  const changes = (JSON.parse(show.stdout) as { resource_changes?: Change[] }).resource_changes ?? [];
  return changes.filter((c) => !["no-op", "read"].includes(c.change.actions.join()));
};

const actions = (changes: readonly Change[]): Record<string, string> => Object.fromEntries(changes.map((c) => [c.address, c.change.actions.join()]));

/** The stack's resources of a type as the state holds them after the last apply. */
const stateOf = async (deployed: DeployedEnvironment, stack: string, type: string): Promise<Record<string, unknown>[]> => {
  const show = await deployed.project.terraform(stack, ["show", "-json"]);
  const resources = (JSON.parse(show.stdout) as { values: { root_module: { resources: { type: string; values: Record<string, unknown> }[] } } }).values
    .root_module.resources;
  return resources.filter((r) => r.type === type).map((r) => r.values);
};

const synthesize = async (deployed: DeployedEnvironment, env: EnvironmentConfig): Promise<void> => {
  deployed.project.writeConfig(deployed.config(env));
  const synth = await deployed.project.script("main.ts", []);
  if (synth.code !== 0) throw new Error(synth.output);
};

const emptyPlan = async (deployed: DeployedEnvironment, stack: string): Promise<{ code: number; output: string }> => {
  const plan = await deployed.project.terraform(stack, ["plan", "-input=false", "-detailed-exitcode"]);
  return { code: plan.code, output: plan.code === 0 ? "" : plan.output };
};

const hostAddress = (changes: readonly Change[], type: string): string => {
  const found = changes.find((c) => c.address.startsWith(`${type}.coolify_`));
  if (!found) throw new Error(`the plan has no ${type} of the host: ${changes.map((c) => c.address).join(", ")}`);
  return found.address;
};

const deployInfra = async (deployed: DeployedEnvironment): Promise<string> => {
  const [infra] = deployed.stacks();
  const init = await deployed.project.terraform(infra, ["init", "-input=false"]);
  if (init.code !== 0) throw new Error(init.output);
  const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "-auto-approve"]);
  if (apply.code !== 0) throw new Error(apply.output);
  return apply.output;
};

/** Resizing: the host's server type changes in place, the server keeps its id and runs, the bootstrap does not run again. */
const resize = async (deployed: DeployedEnvironment, env: EnvironmentConfig, serverType: string): Promise<EnvironmentConfig> => {
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
  const installs = deployed.installerCalls().length;
  const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);
  expect(apply.code).toBe(0);
  const [after] = await stateOf(deployed, infra, "hcloud_server");
  expect([after.id, after.server_type, after.status]).toEqual([before.id, serverType, "running"]);
  expect(deployed.installerCalls()).toHaveLength(installs);
  expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
  return resized;
};

describeWithTools("the Coolify host on day 2: resize and rebuild (real Terraform, local hcloud provider, bootstrap over SSH)", DEPLOY_TOOLS, () => {
  describe("staging, with a data volume", () => {
    const deployed = deployedForSuite("staging", "127.0.0.11", {
      configure: (env) => ({ ...env, servers: env.servers.map((s) => (s.role === "coolify-host" ? { ...s, volumeSizeGb: 10 } : s)) }),
    });
    const [infra] = deployed.stacks();
    let env: EnvironmentConfig;

    it("deploys the infra stack: Coolify's, Docker's and containerd's data on the volume Hetzner's automount mounted", async () => {
      env = structuredClone(deployed.env);
      const output = await deployInfra(deployed);
      const [mounted] = deployed.volumeMounts();
      expect(output).toContain(`live on ${mounted}`);
      expect(deployed.hostFiles().fstab.split("\n")[0]).toBe(`${deployed.volume} ${mounted} ext4 discard,nofail,defaults 0 0`);
      expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
    });

    it("resizes the host's server type in place: same server, running, nothing else planned, the bootstrap not run", async () => {
      env = await resize(deployed, env, "cpx32");
    });

    it("rebuilds the host from its image: a new server, the volume kept and attached to it, the bootstrap mounts it and finds Coolify's data", async () => {
      const [oldServer] = await stateOf(deployed, infra, "hcloud_server");
      const [oldVolume] = await stateOf(deployed, infra, "hcloud_volume");
      const server = `hcloud_server.${Object.keys(deployed.project.synthesized(infra).resource?.hcloud_server ?? {})[0]}`;
      const changes = await savedPlan(deployed, infra, [`-replace=${server}`]);
      // The AAAA records follow the new server's IPv6 address (the first of its primary IPv6 network), known after apply.
      const aaaa = changes.map((c) => c.address).filter((address) => /^cloudflare_dns_record\.dns_[\w-]+-aaaa_/.test(address));
      expect(aaaa.length).toBeGreaterThan(0);
      expect(actions(changes)).toEqual({
        [server]: "delete,create",
        [hostAddress(changes, "hcloud_volume")]: "update",
        "null_resource.coolify_bootstrap": "delete,create",
        ...Object.fromEntries(aaaa.map((address) => [address, "update"])),
      });
      const tokens = deployed.tokens();
      deployed.newRootDisk();
      expect(deployed.volumeMounts()).toEqual([]);

      const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);

      expect(apply.code).toBe(0);
      const [newServer] = await stateOf(deployed, infra, "hcloud_server");
      const [volume] = await stateOf(deployed, infra, "hcloud_volume");
      expect(newServer.id).not.toBe(oldServer.id);
      expect(newServer.status).toBe("running");
      expect([volume.id, String(volume.server_id)]).toEqual([oldVolume.id, newServer.id]);
      const records = (await stateOf(deployed, infra, "cloudflare_dns_record")).filter((record) => record.type === "AAAA");
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
      expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
    });
  });

  describe("production", () => {
    const deployed = deployedForSuite("production", "127.0.0.12");
    const [infra] = deployed.stacks();
    let env: EnvironmentConfig;

    it("deploys the infra stack", async () => {
      env = structuredClone(deployed.env);
      await deployInfra(deployed);
      expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
    });

    it("resizes the host's server type in place: same server, running, nothing else planned, the bootstrap not run", async () => {
      env = await resize(deployed, env, "ccx23");
    });

    it("refuses to replace the protected host (Hetzner answers protected): the server stays, and the next apply only runs the bootstrap again", async () => {
      const [before] = await stateOf(deployed, infra, "hcloud_server");
      const server = `hcloud_server.${Object.keys(deployed.project.synthesized(infra).resource?.hcloud_server ?? {}).find((key) => key.startsWith("coolify_"))}`;
      const changes = await savedPlan(deployed, infra, [`-replace=${server}`]);
      expect(actions(changes)[server]).toBe("delete,create");

      const apply = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);

      expect(apply.code).toBe(1);
      expect(apply.output.replace(/\s*\n\s*/g, " ")).toContain("protected: hcloud_server production-coolify has delete protection on");
      expect(apply.output).not.toContain("Provisioning with");
      const [after] = (await stateOf(deployed, infra, "hcloud_server")).filter((s) => s.id === before.id);
      expect(after).toEqual(before);
      // Terraform destroyed the bootstrap (it depends on the server) before Hetzner refused the server's delete.
      expect(actions(await savedPlan(deployed, infra))).toEqual({ "null_resource.coolify_bootstrap": "create" });
      const installs = deployed.installerCalls().length;
      const again = await deployed.terraformInTurn(infra, ["apply", "-input=false", "host.tfplan"]);
      expect(again.code).toBe(0);
      expect(again.output).toContain("bootstrap: root user: present");
      expect(deployed.installerCalls()).toHaveLength(installs);
      expect(await emptyPlan(deployed, infra)).toEqual({ code: 0, output: "" });
    });
  });
});
