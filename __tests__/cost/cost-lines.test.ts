/** How one resource is priced from the catalog: what is charged, at which list, what is free, and what stays unpriced instead of guessed. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HETZNER_LOCATION_NAMES, HETZNER_SERVER_TYPES, NOT_ORDERABLE_IN_EU_WHEN_CHECKED, RETIRED_SERVER_TYPES } from "../../catalog/hetzner";
import { type PriceCatalog, readPriceCatalog } from "../../catalog/prices";
import { exampleConfig } from "../../config";
import { costLines, costOf, describeTotal, signedEur } from "../../cost/cost";

const catalog: PriceCatalog = readPriceCatalog();
const server = (attributes: Record<string, unknown>) => ({ address: "hcloud_server.web", type: "hcloud_server", attributes });

describe("cost of one resource", () => {
  it("prices a server at the list it is billed under: new orders and rescales, or servers ordered before 2026-06-15", () => {
    // cpx22 in nbg1: €19.49 for a new order (2026-06-15 list), €7.99 for a server ordered before (2026-04-01 list).
    expect(costLines(server({ server_type: "cpx22", location: "nbg1" }), catalog).map((line) => [line.item, line.monthly, line.list])).toEqual([
      ["server cpx22 in nbg1 (2026-06-15 list)", 19.49, "newOrder"],
    ]);
    expect(costLines(server({ server_type: "cpx22", location: "nbg1" }), catalog, "running").map((line) => [line.item, line.monthly])).toEqual([
      ["server cpx22 in nbg1 (2026-04-01 list)", 7.99],
    ]);
  });

  it("charges a server's backups as the catalog's percentage of its price", () => {
    const lines = costLines(server({ server_type: "ccx13", location: "fsn1", backups: true }), catalog);
    // ccx13 in fsn1 €42.99 for a new order; backups 20% of it: 42.99 × 20 / 100 = €8.598
    expect(lines.map((line) => [line.item, line.monthly])).toEqual([
      ["server ccx13 in fsn1 (2026-06-15 list)", 42.99],
      ["backups (20% of the server price)", (42.99 * 20) / 100],
    ]);
  });

  it("leaves unpriced what the catalog has no figure for, or what only the apply knows, and says why", () => {
    const [unknownPrice] = costLines(server({ server_type: "cpx22", location: "sin" }), catalog);
    expect(unknownPrice).toMatchObject({ item: "server cpx22 in sin (2026-06-15 list)", monthly: null, source: expect.stringMatching(/^not found: /) });
    const [retired] = costLines(server({ server_type: "cx22", location: "fsn1" }), catalog);
    expect(retired).toMatchObject({ monthly: null, source: expect.stringMatching(/^not orderable: Hetzner stopped selling it after 2025-12-31/) });
    const [elsewhere] = costLines(server({ server_type: "cx33", location: "sin" }), catalog);
    expect(elsewhere).toMatchObject({ monthly: null, source: "not in the price catalog" });
    const [computed] = costLines(server({ server_type: "cx33", location: "${var.location}" }), catalog);
    expect(computed).toMatchObject({ monthly: null, source: "its type or location is known only when Terraform applies" });
    const [balancer] = costLines(
      { address: "hcloud_load_balancer.lb", type: "hcloud_load_balancer", attributes: { load_balancer_type: "lb11", location: "fsn1" } },
      catalog,
    );
    expect(balancer).toMatchObject({ item: "load balancer lb11 in fsn1", monthly: null });
    const [floating] = costLines({ address: "hcloud_floating_ip.f", type: "hcloud_floating_ip", attributes: {} }, catalog);
    expect(floating).toMatchObject({ monthly: null, source: "no price known for resource type hcloud_floating_ip" });
  });

  it("charges nothing for networks, firewalls, keys, DNS records, Coolify resources and the bootstrap", () => {
    const free = ["hcloud_network", "hcloud_firewall", "hcloud_ssh_key", "cloudflare_dns_record", "coolify_application", "null_resource"];
    expect(free.flatMap((type) => costLines({ address: `${type}.x`, type, attributes: {} }, catalog))).toEqual([]);
  });

  it("totals what is priced and counts what is not", () => {
    const total = costOf(
      [
        server({ server_type: "cpx22", location: "fsn1" }),
        server({ server_type: "cpx12", location: "sin" }),
        { address: "hcloud_volume.v", type: "hcloud_volume", attributes: { size: 100 } },
      ],
      catalog,
    );
    // cpx22 in fsn1 €19.49 + 100 GB × €0.0572 = €25.21; cpx12 in sin unpriced
    expect(total.monthly).toBeCloseTo(19.49 + 100 * 0.0572, 10);
    expect(describeTotal(total)).toBe("≥ €25.21 (1 item unpriced)");
    expect([signedEur(1.144), signedEur(-0.6), signedEur(0.001)]).toEqual(["+€1.14", "-€0.60", "±€0.00"]);
  });
});

describe("the price catalog", () => {
  it("has a row under both lists, dated and sourced, for every server type in every location the configuration accepts", () => {
    const missing = Object.entries(HETZNER_SERVER_TYPES).flatMap(([type, { locations }]) =>
      locations.flatMap((location) => (catalog.serverTypes[type]?.[location] ? [] : [`${type} in ${location}`])),
    );
    expect(missing).toEqual([]);
    const rows = Object.values(catalog.serverTypes).flatMap((byLocation) => Object.values(byLocation).flatMap((prices) => [prices.running, prices.newOrder]));
    expect(rows.filter((row) => !/^\d{4}-\d{2}-\d{2}$/.test(row.asOf) || row.source.length < 20)).toEqual([]);
    // An unpriced row says why; a priced one names where the figure comes from.
    expect(rows.filter((row) => row.monthlyNet === null && !/^not (found|orderable)/.test(row.source))).toEqual([]);
    expect(HETZNER_LOCATION_NAMES).toEqual(["fsn1", "nbg1", "hel1", "ash", "hil", "sin"]);
  });

  it("is what docs/cost.md's table of server types says, figure by figure", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "docs", "cost.md"), "utf8");
    const rows = [...docs.matchAll(/^\| `(\w+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \| (yes|no) \|$/gm)];
    const figure = (text: string): number | null => (text.trim() === "unpriced" ? null : Number(/€([\d.]+)/.exec(text)?.[1]));
    const derived = (text: string, source: string): boolean => text.includes("¹") === source.startsWith("derived");
    expect(rows.length).toBe(20);
    for (const [, type, running, newOrder] of rows) {
      const prices = catalog.serverTypes[type].fsn1;
      expect({ type, running: figure(running), newOrder: figure(newOrder) }).toEqual({
        type,
        running: prices.running.monthlyNet,
        newOrder: prices.newOrder.monthlyNet,
      });
      expect({ type, marked: derived(newOrder, prices.newOrder.source) }).toEqual({ type, marked: true });
    }
  });

  it("prices every server of the example under both lists, on types that could be ordered when the catalog was checked", () => {
    const used = exampleConfig.environments.flatMap((env) => env.servers.map((s) => [s.serverType ?? env.hetzner.serverType, env.hetzner.location] as const));
    const unorderable: readonly string[] = NOT_ORDERABLE_IN_EU_WHEN_CHECKED.types;
    expect(used.filter(([type]) => unorderable.includes(type) || type in RETIRED_SERVER_TYPES)).toEqual([]);
    expect(
      used.filter(
        ([type, location]) =>
          catalog.serverTypes[type][location].running.monthlyNet === null || catalog.serverTypes[type][location].newOrder.monthlyNet === null,
      ),
    ).toEqual([]);
  });
});
