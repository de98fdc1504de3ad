/**
 * The saved-plan check on a plan that imports adopted production resources: an import, with or
 * without an update, is safe; an import whose plan replaces a stateful resource is refused like any
 * replacement. Changes shaped as `terraform show -json` writes them (`change.importing`, Terraform 1.5+).
 */
import { statefulDeletions } from "../../tools/plan-guard";

const change = (type: string, name: string, actions: string[]) => ({
  address: `${type}.${name}`,
  mode: "managed",
  type,
  change: { actions, importing: { id: "dk0w8gc" } },
});

describe("saved-plan check on imports", () => {
  const production = { production: true, guardrailExceptions: [] };

  it("lets imports of stateful production resources through", () => {
    const plan = { resource_changes: [change("coolify_database_postgresql", "db", ["no-op"]), change("coolify_s3_storage", "s3", ["update"])] };
    expect(statefulDeletions(plan, "production-apps", production)).toEqual([]);
  });

  it("refuses an import that replaces a stateful production resource", () => {
    const plan = { resource_changes: [change("coolify_database_postgresql", "db", ["delete", "create"])] };
    expect(statefulDeletions(plan, "production-apps", production)).toEqual([{ path: "production-apps/coolify_database_postgresql.db", action: "replace" }]);
  });

  it("lets the adopted infrastructure's imports through with production's protections turned on in place, and refuses one whose plan replaces the host", () => {
    const infra = {
      resource_changes: [
        change("hcloud_server", "coolify_server", ["update"]),
        change("hcloud_primary_ip", "coolify_ipv4", ["update"]),
        change("hcloud_volume", "coolify_volume", ["update"]),
        change("hcloud_firewall", "firewall", ["update"]),
        change("cloudflare_dns_record", "dashboard_a", ["no-op"]),
      ],
    };
    expect(statefulDeletions(infra, "production-infra", production)).toEqual([]);
    const replaced = { resource_changes: [change("hcloud_server", "coolify_server", ["delete", "create"])] };
    expect(statefulDeletions(replaced, "production-infra", production)).toEqual([{ path: "production-infra/hcloud_server.coolify_server", action: "replace" }]);
  });
});
