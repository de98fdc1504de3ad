/**
 * What a replacement of a compose service costs on disk, as the saved-plan check and the plan
 * comment read it from the plan's `before` document: the monitoring's data lives in host paths
 * Coolify keeps, so its replacement (provider v0.1.17 replaces a service on any change) passes in
 * production and says so; a document with a named volume or a path in the service's own directory
 * loses it with the service, and its replacement is refused like a database's.
 */
import { lostWithService } from "../../catalog/coolify-service-storage";
import { readPriceCatalog } from "../../catalog/prices";
import { production } from "../../config/environments/production";
import { monitoringCompose } from "../../constructs/observability/compose";
import { planCost } from "../../cost/plan";
import { environmentModel } from "../../model/environment";
import { observabilityModel } from "../../model/observability";
import { statefulDeletions } from "../../tools/plan-guard";

const model = observabilityModel(environmentModel(production));
if (!model) throw new Error("production has monitoring");
const monitoring = monitoringCompose(model);

/** A service's change as `terraform show -json` writes it, with the document before and after. */
const replaced = (name: string, compose: string) => ({
  address: `coolify_service.${name}`,
  mode: "managed",
  type: "coolify_service",
  name,
  change: { actions: ["delete", "create"], before: { docker_compose_raw: compose }, after: { docker_compose_raw: compose } },
});

const WITH_VOLUMES = [
  "services:",
  "  db:",
  "    image: postgres:17",
  "    volumes: ['pgdata:/var/lib/postgresql/data', './init:/docker-entrypoint-initdb.d', '/srv/exports:/exports']",
  "  cache:",
  "    image: redis:7",
  "    volumes: ['share:/data']",
  "volumes:",
  "  pgdata: {}",
  "  share: { driver_opts: { type: nfs } }",
].join("\n");

describe("a compose service's replacement and its data", () => {
  it("finds nothing of the monitoring's that Coolify deletes: its stores are absolute host paths", () => {
    expect(lostWithService(monitoring)).toEqual([]);
  });

  it("names what Coolify deletes with a service: named volumes and paths in its own directory; an absolute path and an nfs volume stay", () => {
    expect(lostWithService(WITH_VOLUMES)).toEqual(["db: the named volume pgdata", "db: ./init, inside the service's own directory"]);
    expect(lostWithService("services: [")).toEqual(["a compose document that does not parse: whatever its volumes hold"]);
  });

  it("lets the monitoring's replacement through in production, and refuses a service's that loses a named volume", () => {
    const plan = { resource_changes: [replaced("operations_monitoring", monitoring), replaced("analytics", WITH_VOLUMES)] };
    expect(statefulDeletions(plan, "production-apps", { production: true, guardrailExceptions: [] })).toEqual([
      { path: "production-apps/coolify_service.analytics", action: "replace" },
    ]);
    expect(statefulDeletions(plan, "staging-apps", { production: false })).toEqual([]);
    // A plan that does not show the document proves nothing: refused too.
    const unknown = { ...replaced("imported", ""), change: { actions: ["delete"], before: { docker_compose_raw: null }, after: null } };
    expect(statefulDeletions({ resource_changes: [unknown] }, "production-apps", { production: true })).toEqual([
      { path: "production-apps/coolify_service.imported", action: "delete" },
    ]);
  });

  it("tells the reviewer that the monitoring restarts and keeps its data, and what another service loses", () => {
    const cost = planCost(
      { format_version: "1.2", resource_changes: [replaced("operations_monitoring", monitoring), replaced("analytics", WITH_VOLUMES)] },
      readPriceCatalog(),
    );
    expect(cost.impacts.map((impact) => [impact.address, impact.kind, impact.says])).toEqual([
      [
        "coolify_service.operations_monitoring",
        "replacement",
        "destroyed and created anew: Coolify stops its containers and starts them again under a new uuid; its data stays in the host paths it mounts, which Coolify keeps",
      ],
      [
        "coolify_service.analytics",
        "replacement",
        "destroyed and created anew: Coolify stops its containers and starts them again, and deletes with it db: the named volume pgdata; db: ./init, inside the service's own directory",
      ],
    ]);
    expect(cost.impacts[0].source).toContain("app/Actions/Service/DeleteService.php lines 18-48");
  });
});
