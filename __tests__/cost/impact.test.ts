/**
 * The cost and operational impact of a plan, from `terraform show -json` documents built in the real
 * shape: `resource_changes[]` with `actions`, `before` and `after` (developer.hashicorp.com/terraform/internals/json-format),
 * every attribute of the resource as the provider schema the stacks are built against declares it
 * (.gen/provider-schemas, the hcloud 1.59.0 and Coolify 0.1.17 schemas). The real-Terraform version
 * of the server cases is __tests__/cost/plan-cost.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readPriceCatalog } from "../../catalog/prices";
import { planCost, renderCost } from "../../cost/plan";
import { PROVIDER_SCHEMAS } from "../support/terraform";

const catalog = readPriceCatalog();

type Attributes = Record<string, unknown>;

const attributeNames = (file: string, type: string): string[] => {
  const schema = JSON.parse(readFileSync(join(PROVIDER_SCHEMAS, file), "utf8")) as {
    provider_schemas: Record<string, { resource_schemas: Record<string, { block: { attributes: Record<string, unknown> } }> }>;
  };
  const [provider] = Object.values(schema.provider_schemas);
  const resource = provider.resource_schemas[type];
  if (!resource) throw new Error(`${type} is not in ${file}`);
  return Object.keys(resource.block.attributes);
};

/** Every attribute the schema declares (null unless given), as Terraform writes a resource's values; unknown names fail. */
const values = (file: string, type: string, given: Attributes): Attributes => {
  const names = attributeNames(file, type);
  const unknown = Object.keys(given).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`${type} has no attribute ${unknown.join(", ")}`);
  return Object.fromEntries(names.map((name) => [name, given[name] ?? null]));
};
const hcloud = (type: string, given: Attributes) => values("hcloud@~%3E%201.59.0.json", type, given);
const coolify = (type: string, given: Attributes) => values("coolify@~%3E%200.1.17.json", type, given);

const change = (address: string, actions: string[], before: Attributes | null, after: Attributes | null) => {
  const [type, name] = address.split(".");
  const provider = type.startsWith("coolify_") ? "registry.terraform.io/coolify-terraform/coolify" : "registry.terraform.io/hetznercloud/hcloud";
  return {
    address,
    mode: "managed",
    type,
    name,
    provider_name: provider,
    change: { actions, before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
  };
};
const plan = (...resourceChanges: ReturnType<typeof change>[]) => ({ format_version: "1.2", terraform_version: "1.11.4", resource_changes: resourceChanges });

const SERVER = "hcloud_server.coolify_server_626296C2";
const server = (serverType: string, location = "nbg1") =>
  hcloud("hcloud_server", { id: "4711", name: "staging-coolify", server_type: serverType, location, image: "ubuntu-24.04", status: "running", backups: false });

describe("cost and impact of a planned change", () => {
  it("rescales a running server: the new-order price, the power-off, and the list each figure comes from", () => {
    const cost = planCost(plan(change(SERVER, ["update"], server("cpx22"), server("cpx32"))), catalog);
    // Before: cpx22 in nbg1 under the 2026-04-01 list (€7.99); after the rescale: cpx32 under the 2026-06-15 list (€35.49).
    expect(cost.changes).toEqual([
      {
        address: SERVER,
        kind: "update",
        before: [expect.objectContaining({ item: "server cpx22 in nbg1 (2026-04-01 list)", monthly: 7.99 })],
        after: [expect.objectContaining({ item: "server cpx32 in nbg1 (2026-06-15 list)", monthly: 35.49 })],
      },
    ]);
    expect(cost.impacts.map((impact) => [impact.kind, impact.says])).toEqual([
      [
        "downtime",
        "`server_type` cpx22 → cpx32: the provider powers the running server off and changes its type, and Hetzner starts it again once the disk is copied; everything on it is down meanwhile",
      ],
      ["price list", "a rescale of `cpx32` in nbg1, billed at Hetzner's list for new orders and rescales (2026-06-15 list): €35.49 per month"],
    ]);
    expect(cost.impacts[0].source).toContain("hetznercloud/terraform-provider-hcloud v1.59.0 internal/server/resource.go L586-L607");
    const rendered = renderCost(cost).join("\n");
    expect(rendered).toContain("**Monthly cost (net EUR): €7.99 → €35.49 (+€27.50)**");
    expect(rendered).toContain(`| \`${SERVER}\` | update | server cpx32 in nbg1 (2026-06-15 list) | €7.99 | €35.49 | +€27.50 |`);
    expect(rendered).toContain(`| \`${SERVER}\` | downtime | \`server_type\` cpx22 → cpx32: the provider powers the running server off`);
    expect(rendered).toContain(
      "<sub>Prices (catalog/hetzner-prices.json): new, replaced and rescaled servers at the Hetzner Cloud list for new orders and rescales from 2026-06-15; servers that exist before the plan at the Hetzner Cloud list effective 2026-04-01, which bills those ordered before 2026-06-15 (the state does not say when a server was ordered).</sub>",
    );
  });

  it("prices a running server that only changes labels at the list it runs under, with no impact", () => {
    const labelled = { ...server("cpx22"), labels: { team: "platform" } };
    const cost = planCost(plan(change(SERVER, ["update"], server("cpx22"), labelled)), catalog);
    expect(cost.changes).toEqual([]);
    expect(cost.impacts).toEqual([]);
    expect([cost.before.monthly, cost.after.monthly]).toEqual([7.99, 7.99]);
  });

  it("states the power-off of a running server whose primary IPs change in place", () => {
    const withIps = (ipv4: string) => ({ ...server("cpx22"), public_net: [{ ipv4, ipv4_enabled: true, ipv6: "77", ipv6_enabled: true }] });
    const cost = planCost(plan(change(SERVER, ["update"], withIps("41"), withIps("42"))), catalog);
    expect(cost.impacts).toEqual([
      {
        address: SERVER,
        kind: "downtime",
        says: "`public_net` (its primary IPs): the provider powers the running server off, moves the addresses and powers it on again; everything on it is down meanwhile",
        source: expect.stringMatching(/^hetznercloud\/terraform-provider-hcloud v1\.59\.0 internal\/server\/resource\.go L735-L821/),
      },
    ]);
  });

  it("orders a new server at the list for new orders", () => {
    const cost = planCost(plan(change("hcloud_server.worker-1_server_0A1B2C3D", ["create"], null, server("ccx13", "fsn1"))), catalog);
    expect(cost.after.lines).toEqual([expect.objectContaining({ item: "server ccx13 in fsn1 (2026-06-15 list)", monthly: 42.99, list: "newOrder" })]);
    expect(cost.impacts.map((impact) => [impact.kind, impact.says])).toEqual([
      ["price list", "a new order of `ccx13` in fsn1, billed at Hetzner's list for new orders and rescales (2026-06-15 list): €42.99 per month"],
    ]);
  });

  it("says what a replacement loses, by resource kind", () => {
    const volume = (size: number) => hcloud("hcloud_volume", { id: "99", name: "staging-coolify", size, location: "nbg1" });
    const database = coolify("coolify_database_postgresql", { uuid: "k4s8", name: "orders" });
    const cost = planCost(
      plan(
        change("hcloud_volume.coolify_volume_4B4CBF03", ["delete", "create"], volume(20), volume(20)),
        change("coolify_database_postgresql.orders", ["create", "delete"], database, database),
        change(SERVER, ["delete", "create"], server("cpx22"), server("cpx22", "fsn1")),
      ),
      catalog,
    );
    expect(cost.impacts.map((impact) => [impact.address, impact.kind, impact.says])).toEqual([
      ["hcloud_volume.coolify_volume_4B4CBF03", "replacement", "destroyed and created anew; lost with it: every file on the volume"],
      [
        "coolify_database_postgresql.orders",
        "replacement",
        "destroyed and created anew; lost with it: the database and its data, unless restored from a backup",
      ],
      [SERVER, "replacement", "destroyed and created anew; lost with it: its local disk: whatever is not on an attached volume (a volume stays)"],
      [SERVER, "price list", "a new order of `cpx22` in fsn1, billed at Hetzner's list for new orders and rescales (2026-06-15 list): €19.49 per month"],
    ]);
  });

  it("says when an application is rolled out and when its new settings wait for the next deployment", () => {
    const app = (image: string, redeploy: boolean) =>
      coolify("coolify_application_docker_image", { uuid: "a1", name: "web", docker_registry_image_tag: image, redeploy_on_update: redeploy });
    const deployment = coolify("coolify_deployment", { application_uuid: "a1", triggers: { image: "web:2" } });
    const cost = planCost(
      plan(
        change("coolify_application_docker_image.web", ["update"], app("web:1", true), app("web:2", true)),
        change("coolify_application_docker_image.api", ["update"], app("api:1", false), app("api:2", false)),
        change("coolify_deployment.web", ["delete", "create"], deployment, deployment),
      ),
      catalog,
    );
    expect(cost.impacts.filter((impact) => impact.kind === "rollout").map((impact) => [impact.address, impact.says])).toEqual([
      ["coolify_application_docker_image.web", "its settings change and Coolify restarts it with them (`redeploy_on_update`)"],
      ["coolify_application_docker_image.api", "its settings change in Coolify; the running containers keep the old ones until its next deployment"],
      ["coolify_deployment.web", "Coolify deploys the application anew (a new deployment of its current configuration)"],
    ]);
    expect(cost.before.monthly + cost.after.monthly).toBe(0);
  });
});
