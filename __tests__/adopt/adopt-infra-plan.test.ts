/**
 * A hand-built production host adopted with the real `terraform`: `npm run adopt-infra` reads the
 * Hetzner and Cloudflare stand-in (cloud-stand-in.ts, infra-fixture.ts), and the adopted
 * `production-infra` is planned and applied with the local hcloud and Cloudflare providers importing
 * and reading every resource through that stand-in as hcloud v1.59.0 and Cloudflare v5.14.0 do
 * (local-provider/src/cloud-twin.ts). The plan imports what the command wrote, adds what it said is
 * missing (the bootstrap among it), changes in place only what it announced (production's
 * protections turned on), replaces and destroys nothing; the apply leaves the server running with its
 * addresses and turns its protections on; the next plan holds only the bootstrap.
 */
import { readFileSync } from "node:fs";
import { type AdoptedInfra, adoptInfra } from "../../tools/adopt-infra";
import { planPlaceholders } from "../../tools/plan-placeholders";
import { fileWith } from "../support/app";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import type { CloudStandIn } from "./cloud-stand-in";
import { CLOUDFLARE_TOKEN, HCLOUD_TOKEN, handBuiltWorld, IDS, IPV4, productionEnvironment } from "./infra-fixture";

const STACK = "production-infra";

interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly change: {
    readonly actions: string[];
    readonly importing?: { readonly id: string };
    readonly before?: Record<string, unknown>;
    readonly after?: Record<string, unknown>;
  };
}

describeWithTools("adopting a hand-built host: the real terraform plan and apply (Hetzner and Cloudflare stand-in)", TERRAFORM_TOOLS, () => {
  let world: CloudStandIn;
  let project: CdktfProject;
  let adopted: AdoptedInfra;
  let adoptedIds: Record<string, string>;
  let paths: Map<string, string>;

  const plan = async (args: readonly string[] = []): Promise<{ summary: string; changes: PlannedChange[] }> => {
    const planned = await project.terraform(STACK, ["plan", "-input=false", "-out=adopt.tfplan", ...args]);
    if (planned.code !== 0) throw new Error(planned.output);
    const shown = JSON.parse((await project.terraform(STACK, ["show", "-json", "adopt.tfplan"])).stdout) as { resource_changes?: PlannedChange[] };
    return {
      summary: /^(Plan: .*|No changes\..*)$/m.exec(planned.output)?.[1] ?? planned.output,
      changes: (shown.resource_changes ?? []).filter((change) => change.change.actions.join() !== "no-op" || change.change.importing),
    };
  };
  const pathOf = (change: PlannedChange): string => paths.get(change.address) ?? change.address;

  beforeAll(async () => {
    world = await handBuiltWorld();
    await world.start();
    const file = fileWith(`${JSON.stringify({ environments: [productionEnvironment()] }, null, 2)}\n`);
    adopted = await adoptInfra({
      config: file,
      environment: "production",
      hetznerToken: HCLOUD_TOKEN,
      cloudflareToken: CLOUDFLARE_TOKEN,
      hetznerUrl: world.hetznerUrl,
      cloudflareUrl: world.cloudflareUrl,
    });
    const config = JSON.parse(readFileSync(file, "utf8"));
    adoptedIds = config.environments[0].adoptedInfra;
    project = new CdktfProject(config, [], {
      LOCAL_PROVIDER_HCLOUD_TWIN: world.hetznerUrl,
      LOCAL_PROVIDER_CLOUDFLARE_TWIN: world.cloudflareUrl,
      TF_VAR_hcloud_token: HCLOUD_TOKEN,
      TF_VAR_cloudflare_api_token: CLOUDFLARE_TOKEN,
    });
    await project.synthHere();
    const tf = project.synthesized(STACK) as {
      resource: Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
      variable?: Record<string, unknown>;
    };
    paths = new Map(
      Object.entries(tf.resource).flatMap(([type, byId]) =>
        Object.entries(byId).map(([id, resource]): [string, string] => [`${type}.${id}`, String(resource["//"]?.metadata?.path).replace(`${STACK}/`, "")]),
      ),
    );
    Object.assign(project.env, planPlaceholders(Object.keys(tf.variable ?? {}), project.env));
    const init = await project.terraform(STACK, ["init", "-input=false"]);
    if (init.code !== 0) throw new Error(init.output);
  }, 240_000);

  afterAll(() => world?.stop());

  it("plans an import of every adopted resource by the id the command wrote, adds and changes only what it announced, and replaces nothing", async () => {
    const { summary, changes } = await plan();
    const imports = Object.fromEntries(changes.filter((change) => change.change.importing).map((change) => [pathOf(change), change.change.importing?.id]));
    expect(imports).toEqual(adoptedIds);
    const added = changes.filter((change) => change.change.actions.join() === "create").map(pathOf);
    expect(added.sort()).toEqual(
      adopted.resources
        .filter((resource) => resource.added)
        .map((resource) => resource.path)
        .sort(),
    );
    const updated = changes.filter((change) => change.change.actions.join() === "update").map(pathOf);
    expect(updated.sort()).toEqual(
      adopted.resources
        .filter((resource) => resource.inPlace.length > 0)
        .map((resource) => resource.path)
        .sort(),
    );
    expect(changes.filter((change) => change.change.actions.includes("delete")).map(pathOf)).toEqual([]);
    expect(summary).toBe(`Plan: ${Object.keys(adoptedIds).length} to import, ${added.length} to add, ${updated.length} to change, 0 to destroy.`);
    // Production's protections, from the first apply, in place.
    const server = changes.find((change) => pathOf(change) === "coolify/server");
    expect([server?.change.before?.delete_protection, server?.change.after?.delete_protection, server?.change.after?.rebuild_protection]).toEqual([
      false,
      true,
      true,
    ]);
  }, 120_000);

  it("applies it (all but the bootstrap, which runs on the host) without powering the server off or touching its addresses, turns the protections on, and then plans only the bootstrap", async () => {
    const targets = [...paths].filter(([address]) => !address.startsWith("null_resource.")).map(([address]) => `-target=${address}`);
    const before = world.requests.length;
    const apply = await project.terraform(STACK, ["apply", "-input=false", "-auto-approve", ...targets]);
    expect({ code: apply.code, output: apply.code === 0 ? "" : apply.output }).toEqual({ code: 0, output: "" });
    expect(apply.output).toMatch(new RegExp(`Apply complete! Resources: ${Object.keys(adoptedIds).length} imported, \\d+ added, \\d+ changed, 0 destroyed\\.`));
    const calls = world.requests.slice(before);
    expect(calls.filter((call) => /^DELETE |\/actions\/(poweroff|shutdown|unassign|assign)/.test(call))).toEqual([]);
    const [server] = world.hetzner.servers;
    expect([server.id, server.status, server.protection]).toEqual([IDS.server, "running", { delete: true, rebuild: true }]);
    expect(world.hetzner.primary_ips.map((ip) => [ip.id, ip.assignee_id, ip.auto_delete, ip.protection])).toEqual([
      [IDS.ipv4, IDS.server, false, { delete: true }],
      [IDS.ipv6, IDS.server, false, { delete: true }],
    ]);
    expect(world.hetzner.volumes.map((volume) => [volume.id, volume.server, volume.protection])).toEqual([[IDS.volume, IDS.server, { delete: true }]]);
    expect(world.records.filter((record) => record.type === "A").map((record) => record.content)).toEqual([IPV4, IPV4]);

    const { summary, changes } = await plan();
    expect(summary).toBe("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(changes.map((change) => [pathOf(change), change.change.actions.join()])).toEqual([["coolify-bootstrap/bootstrap", "create"]]);
  }, 180_000);
});
