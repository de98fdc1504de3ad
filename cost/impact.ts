/**
 * What a planned change does to what is running, for the reviewer of a pull request: downtime,
 * replacement (and what is lost with it), the rollout of an application, and the price list a new or
 * rescaled server is billed at. One table of rules, each with the source it rests on; `planImpacts`
 * applies them to the resource changes of `terraform show -json`.
 */
import { lostWithService } from "../catalog/coolify-service-storage";
import type { PriceCatalog } from "../catalog/prices";
import { costLines, eur, listLabel } from "./cost";

export type ChangeKind = "create" | "delete" | "replace" | "update";

/** One managed resource's change as `terraform show -json` gives it (`resource_changes[]`). */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}

export type ImpactKind = "downtime" | "replacement" | "rollout" | "price list";

export interface Impact {
  readonly address: string;
  readonly kind: ImpactKind;
  readonly says: string;
  readonly source: string;
}

interface ImpactRule {
  readonly kind: ImpactKind;
  readonly applies: (change: PlannedChange) => boolean;
  readonly says: (change: PlannedChange, catalog: PriceCatalog) => string;
  readonly source: string;
}

const TERRAFORM_PLAN_JSON = "Terraform JSON output format, `resource_changes[].change.actions` (developer.hashicorp.com/terraform/internals/json-format)";
const HCLOUD_SERVER_UPDATE =
  "hetznercloud/terraform-provider-hcloud v1.59.0 internal/server/resource.go L586-L607 (update of `server_type`: Poweroff, ChangeType); Hetzner Cloud API reference, POST /servers/{id}/actions/change_type (the server must be off; Hetzner copies its disk and starts it again)";
const HCLOUD_PUBLIC_NET_UPDATE =
  "hetznercloud/terraform-provider-hcloud v1.59.0 internal/server/resource.go L735-L821 (update of `public_net`, updatePublicNet: Poweroff, the primary IPs unassigned and assigned, then powerOnServer)";
const COOLIFY_PROVIDER_SCHEMA = "coolify-terraform/terraform-provider-coolify v0.1.17 schema";

const typeChanged = (change: PlannedChange): boolean =>
  change.type === "hcloud_server" && change.kind === "update" && change.before?.server_type !== change.after?.server_type;

const publicNetChanged = (change: PlannedChange): boolean =>
  change.type === "hcloud_server" && change.kind === "update" && JSON.stringify(change.before?.public_net) !== JSON.stringify(change.after?.public_net);

const isApplication = (type: string): boolean => type.startsWith("coolify_application") || type === "coolify_service";

/** What a replacement loses, by resource type (prefix); the first match wins. */
const LOST_ON_REPLACE: readonly (readonly [string, string])[] = [
  ["hcloud_server", "its local disk: whatever is not on an attached volume (a volume stays)"],
  ["hcloud_volume", "every file on the volume"],
  ["hcloud_primary_ip", "the address itself: DNS records and allow-lists that name it must follow"],
  ["hcloud_network", "the private addresses of the servers attached to it"],
  ["coolify_database_", "the database and its data, unless restored from a backup"],
  ["coolify_application", "the application's container and what it keeps outside persistent storage"],
];
const lostOnReplace = (type: string): string => LOST_ON_REPLACE.find(([prefix]) => type.startsWith(prefix))?.[1] ?? "the resource as it is: it is created anew";

/** A compose service's replacement: Coolify deletes its named volumes and its own directory, and keeps absolute host paths (catalog/coolify-service-storage.ts). */
const serviceReplaced = (change: PlannedChange): string => {
  const compose = change.before?.docker_compose_raw;
  const lost = typeof compose === "string" ? lostWithService(compose) : ["its storage (its document is not in the plan)"];
  return lost.length > 0
    ? `destroyed and created anew: Coolify stops its containers and starts them again, and deletes with it ${lost.join("; ")}`
    : "destroyed and created anew: Coolify stops its containers and starts them again under a new uuid; its data stays in the host paths it mounts, which Coolify keeps";
};
const COOLIFY_SERVICE_DELETE =
  "coollabsio/coolify v4.3.9 app/Actions/Service/DeleteService.php lines 18-48 (`docker volume rm -f` of each named volume), app/Models/Service.php lines 202-209 (its directory removed), app/Models/ServiceApplication.php lines 63-67 (a bind's record dropped, its files kept)";

const newOrderPrice = (change: PlannedChange, catalog: PriceCatalog): string => {
  const [line] = costLines({ address: change.address, type: change.type, attributes: change.after ?? {} }, catalog, "newOrder");
  const price = line?.monthly === null || line === undefined ? `no figure in the catalog (${line?.source ?? "unknown"})` : `${eur(line.monthly)} per month`;
  return `billed at Hetzner's list for new orders and rescales (${listLabel(catalog, "newOrder")}): ${price}`;
};

export const IMPACT_RULES: readonly ImpactRule[] = [
  {
    kind: "downtime",
    applies: typeChanged,
    says: (change) =>
      `\`server_type\` ${String(change.before?.server_type)} → ${String(change.after?.server_type)}: the provider powers the running server off and changes its type, and Hetzner starts it again once the disk is copied; everything on it is down meanwhile`,
    source: HCLOUD_SERVER_UPDATE,
  },
  {
    kind: "downtime",
    applies: publicNetChanged,
    says: () =>
      "`public_net` (its primary IPs): the provider powers the running server off, moves the addresses and powers it on again; everything on it is down meanwhile",
    source: HCLOUD_PUBLIC_NET_UPDATE,
  },
  {
    kind: "replacement",
    applies: (change) => change.kind === "replace" && change.type !== "coolify_service",
    says: (change) => `destroyed and created anew; lost with it: ${lostOnReplace(change.type)}`,
    source: `${TERRAFORM_PLAN_JSON}: ["delete","create"] or ["create","delete"] is a replacement`,
  },
  {
    kind: "replacement",
    applies: (change) => change.kind === "replace" && change.type === "coolify_service",
    says: serviceReplaced,
    source: `${TERRAFORM_PLAN_JSON}; ${COOLIFY_SERVICE_DELETE}`,
  },
  {
    kind: "rollout",
    applies: (change) => change.type === "coolify_deployment" && (change.kind === "create" || change.kind === "replace"),
    says: () => "Coolify deploys the application anew (a new deployment of its current configuration)",
    source: `${COOLIFY_PROVIDER_SCHEMA}, coolify_deployment: a new deployment on create; \`triggers\` "when changed, triggers a new deployment"`,
  },
  {
    kind: "rollout",
    applies: (change) => isApplication(change.type) && change.kind === "update",
    says: (change) =>
      change.after?.redeploy_on_update === true
        ? "its settings change and Coolify restarts it with them (`redeploy_on_update`)"
        : "its settings change in Coolify; the running containers keep the old ones until its next deployment",
    source: `${COOLIFY_PROVIDER_SCHEMA}, coolify_application_*: \`redeploy_on_update\` "When true, the application is automatically restarted after a Terraform update"`,
  },
  {
    kind: "price list",
    applies: (change) => change.type === "hcloud_server" && (change.kind === "create" || change.kind === "replace" || typeChanged(change)),
    says: (change, catalog) =>
      `${typeChanged(change) ? "a rescale" : "a new order"} of \`${String(change.after?.server_type)}\` in ${String(change.after?.location)}, ${newOrderPrice(change, catalog)}`,
    source:
      'Hetzner\'s notice of 2026-05-27, "the changes apply exclusively to new orders and rescales of existing servers" (quoted in cloudtally.eu/blog/hetzner-june-2026-price-increase; catalog/prices.ts)',
  },
];

/** Every rule that applies to every change, in plan order. */
export const planImpacts = (changes: readonly PlannedChange[], catalog: PriceCatalog): Impact[] =>
  changes.flatMap((change) =>
    IMPACT_RULES.filter((rule) => rule.applies(change)).map((rule) => ({
      address: change.address,
      kind: rule.kind,
      says: rule.says(change, catalog),
      source: rule.source,
    })),
  );
