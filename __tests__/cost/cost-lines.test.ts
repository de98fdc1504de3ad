/** How one resource is priced from the catalog: what is charged, what is free, and what stays unpriced instead of guessed. */
import { type PriceCatalog, readPriceCatalog } from "../../catalog/prices";
import { costLines, costOf, describeTotal, signedEur } from "../../cost/cost";

const catalog: PriceCatalog = readPriceCatalog();
const server = (attributes: Record<string, unknown>) => ({ address: "hcloud_server.web", type: "hcloud_server", attributes });

describe("cost of one resource", () => {
  it("charges a server's backups as the catalog's percentage of its price", () => {
    const lines = costLines(server({ server_type: "cx33", location: "fsn1", backups: true }), catalog);
    // cx33 in fsn1 €6.49; backups 20% of it: 6.49 × 20 / 100 = €1.298
    expect(lines.map((line) => [line.item, line.monthly])).toEqual([
      ["server cx33 in fsn1", 6.49],
      ["backups (20% of the server price)", (6.49 * 20) / 100],
    ]);
  });

  it("leaves unpriced what the catalog has no figure for, or what only the apply knows, and says why", () => {
    const [unknownPrice] = costLines(server({ server_type: "cx43", location: "fsn1" }), catalog);
    expect(unknownPrice).toMatchObject({ item: "server cx43 in fsn1", monthly: null, source: expect.stringMatching(/^not found: /) });
    const [elsewhere] = costLines(server({ server_type: "cx33", location: "sin" }), catalog);
    expect(elsewhere).toMatchObject({ item: "server cx33 in sin", monthly: null, source: "not in the price catalog" });
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
        server({ server_type: "cx33", location: "fsn1" }),
        server({ server_type: "cx43", location: "fsn1" }),
        { address: "hcloud_volume.v", type: "hcloud_volume", attributes: { size: 100 } },
      ],
      catalog,
    );
    // cx33 in fsn1 €6.49 + 100 GB × €0.0572 = €12.21; cx43 unpriced
    expect(total.monthly).toBeCloseTo(6.49 + 100 * 0.0572, 10);
    expect(describeTotal(total)).toBe("≥ €12.21 (1 item unpriced)");
    expect([signedEur(1.144), signedEur(-0.6), signedEur(0.001)]).toEqual(["+€1.14", "-€0.60", "±€0.00"]);
  });
});
