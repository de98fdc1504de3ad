/**
 * The monthly cost of one stack before and after a saved plan, from `terraform show -json <plan>`
 * (format: developer.hashicorp.com/terraform/internals/json-format, `resource_changes[].change`
 * with `actions`, `before`, `after`), and what the pull-request comment says about it.
 */
import { z } from "zod";
import { RETIRED_SERVER_TYPES } from "../catalog/hetzner";
import { NEW_ORDER_PRICES_FROM, type PriceCatalog, type PriceListName } from "../catalog/prices";
import { type CostLine, type CostTotal, costLines, describeTotal, eur, priceCatalog, signedEur, totalOf } from "./cost";
import { type ChangeKind, type Impact, type PlannedChange, planImpacts } from "./impact";

const planJson = z.object({
  resource_changes: z
    .array(
      z.object({
        address: z.string(),
        mode: z.string(),
        type: z.string(),
        change: z.object({
          actions: z.array(z.string()),
          before: z.record(z.string(), z.unknown()).nullable(),
          after: z.record(z.string(), z.unknown()).nullable(),
        }),
      }),
    )
    .optional(),
});

export interface CostChange {
  readonly address: string;
  readonly kind: ChangeKind;
  readonly before: readonly CostLine[];
  readonly after: readonly CostLine[];
}

export interface PlanCost {
  readonly before: CostTotal;
  readonly after: CostTotal;
  /** Changed resources whose charged items or figures differ. */
  readonly changes: readonly CostChange[];
  /** Things a reviewer must know that the figures do not show. */
  readonly callouts: readonly string[];
  /** What each change does to what runs (downtime, replacement, rollout, price list), with the rule's source. */
  readonly impacts: readonly Impact[];
  /** Which list prices which servers. */
  readonly lists: { readonly running: string; readonly newOrder: string };
}

const kindOf = (actions: readonly string[]): ChangeKind | undefined => {
  const key = [...actions].sort().join(",");
  if (key === "create") return "create";
  if (key === "delete") return "delete";
  if (key === "create,delete") return "replace";
  if (key === "update") return "update";
  return undefined;
};

const sameLines = (a: readonly CostLine[], b: readonly CostLine[]): boolean =>
  a.length === b.length && a.every((line, i) => line.item === b[i].item && line.monthly === b[i].monthly);

const retiredCallout = (change: PlannedChange): string[] => {
  const type = change.after?.server_type;
  if (change.type !== "hcloud_server" || typeof type !== "string") return [];
  const ordered = change.kind === "create" || change.kind === "replace" || (change.kind === "update" && change.before?.server_type !== type);
  const retired = RETIRED_SERVER_TYPES[type];
  if (!ordered || !retired) return [];
  const what = change.kind === "update" ? `rescales \`${change.address}\` to \`${type}\`` : `orders \`${change.address}\` as \`${type}\``;
  return [
    `This plan ${what}, which Hetzner no longer sells (not orderable after ${retired.orderableUntil}): the apply will fail. Use \`${retired.successor}\`.`,
  ];
};

/**
 * Before and after cost of every managed resource in the plan, unchanged ones included. A server
 * that exists before the plan is priced at the list for running servers (the state does not record
 * when it was ordered); a new, replaced or rescaled one at the list for new orders and rescales.
 */
export const planCost = (plan: unknown, catalog: PriceCatalog = priceCatalog()): PlanCost => {
  const changesOfPlan = planJson.parse(plan).resource_changes ?? [];
  const before: CostLine[] = [];
  const after: CostLine[] = [];
  const changes: CostChange[] = [];
  const planned: PlannedChange[] = [];
  for (const { address, mode, type, change } of changesOfPlan) {
    if (mode !== "managed") continue;
    const kind = kindOf(change.actions);
    const ordered = kind === "create" || kind === "replace" || (kind === "update" && change.before?.server_type !== change.after?.server_type);
    const priced = (attributes: Record<string, unknown> | null, list: PriceListName): CostLine[] =>
      attributes ? costLines({ address, type, attributes }, catalog, list) : [];
    const was = change.actions.includes("create") && !change.actions.includes("delete") ? [] : priced(change.before, "running");
    const will = change.actions.includes("delete") && !change.actions.includes("create") ? [] : priced(change.after, ordered ? "newOrder" : "running");
    before.push(...was);
    after.push(...will);
    if (!kind) continue;
    if (!sameLines(was, will)) changes.push({ address, kind, before: was, after: will });
    planned.push({ address, type, kind, before: change.before, after: change.after });
  }
  return {
    before: totalOf(before),
    after: totalOf(after),
    changes,
    callouts: planned.flatMap(retiredCallout),
    impacts: planImpacts(planned, catalog),
    lists: { running: catalog.lists.running.name, newOrder: catalog.lists.newOrder.name },
  };
};

const figure = (lines: readonly CostLine[]): string => {
  if (lines.length === 0) return "—";
  const total = totalOf(lines);
  return total.unpriced.length > 0 ? `${total.monthly > 0 ? `${eur(total.monthly)} + ` : ""}unpriced` : eur(total.monthly);
};

const items = (lines: readonly CostLine[]): string => lines.map((line) => line.item).join(", ");

/** `€7.09 → €15.32 (+€8.23)`; with unpriced items the delta is only what the priced ones change. */
export const headlineOf = (cost: PlanCost): string => {
  const delta = signedEur(cost.after.monthly - cost.before.monthly);
  const incomplete = cost.before.unpriced.length + cost.after.unpriced.length > 0;
  return `${describeTotal(cost.before)} → ${describeTotal(cost.after)} (${delta}${incomplete ? " for the priced items" : ""})`;
};

/** The operational impact of the plan: one row per rule that applies, with its source. */
export const renderImpacts = (impacts: readonly Impact[]): string[] =>
  impacts.length === 0
    ? []
    : [
        "**Operational impact**",
        "",
        "| Resource | Impact | What happens | Rule |",
        "|---|---|---|---|",
        ...impacts.map((impact) => `| \`${impact.address}\` | ${impact.kind} | ${impact.says} | ${impact.source} |`),
        "",
      ];

/** The cost part of a stack's pull-request comment (markdown lines). */
export const renderCost = (cost: PlanCost): string[] => {
  const rows = cost.changes.map((change) => {
    const what = items(change.after.length > 0 ? change.after : change.before);
    const delta =
      totalOf(change.after).unpriced.length + totalOf(change.before).unpriced.length > 0
        ? "?"
        : signedEur(totalOf(change.after).monthly - totalOf(change.before).monthly);
    return `| \`${change.address}\` | ${change.kind} | ${what} | ${figure(change.before)} | ${figure(change.after)} | ${delta} |`;
  });
  const unpriced = [...cost.before.unpriced, ...cost.after.unpriced].filter((line, i, all) => all.findIndex((l) => l.item === line.item) === i);
  return [
    `**Monthly cost (net EUR): ${headlineOf(cost)}**`,
    "",
    ...(rows.length > 0
      ? ["| Resource | Change | Charged item | Before | After | Δ |", "|---|---|---|--:|--:|--:|", ...rows, ""]
      : ["No change to what this stack costs.", ""]),
    ...(cost.callouts.length > 0 ? ["> [!WARNING]", ...cost.callouts.map((c) => `> - ${c}`), ""] : []),
    ...(unpriced.length > 0 ? ["> [!NOTE]", "> The price catalog has no figure for:", ...unpriced.map((line) => `> - ${line.item}: ${line.source}`), ""] : []),
    ...renderImpacts(cost.impacts),
    `<sub>Prices (catalog/hetzner-prices.json): new, replaced and rescaled servers at the ${cost.lists.newOrder}; servers that exist before the plan at the ${cost.lists.running}, which bills those ordered before ${NEW_ORDER_PRICES_FROM} (the state does not say when a server was ordered).</sub>`,
  ];
};
