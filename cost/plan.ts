/**
 * The monthly cost of one stack before and after a saved plan, from `terraform show -json <plan>`
 * (format: developer.hashicorp.com/terraform/internals/json-format, `resource_changes[].change`
 * with `actions`, `before`, `after`), and what the pull-request comment says about it.
 */
import { z } from "zod";
import { RETIRED_SERVER_TYPES } from "../catalog/hetzner";
import { NEW_ORDER_PRICES_FROM, type PriceCatalog } from "../catalog/prices";
import { type CostLine, type CostTotal, costLines, describeTotal, eur, priceCatalog, signedEur, totalOf } from "./cost";

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

export type ChangeKind = "create" | "delete" | "replace" | "update";

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
  readonly list: string;
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

const serverCallouts = (
  address: string,
  kind: ChangeKind,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  catalog: PriceCatalog,
): string[] => {
  const type = after?.server_type;
  if (typeof type !== "string" || kind === "delete") return [];
  const ordered = kind !== "update" || before?.server_type !== type;
  if (!ordered) return [];
  const retired = RETIRED_SERVER_TYPES[type];
  const what = kind === "update" ? `rescales \`${address}\` to \`${type}\`` : `orders \`${address}\` as \`${type}\``;
  if (retired) {
    return [
      `This plan ${what}, which Hetzner no longer sells (not orderable after ${retired.orderableUntil}): the apply will fail. Use \`${retired.successor}\`.`,
    ];
  }
  const newOrderList = catalog.list.effective >= NEW_ORDER_PRICES_FROM;
  return [
    newOrderList
      ? `This plan ${what}: billed from then on at the price for new orders and rescales shown here, which can differ from what the running servers of this project pay.`
      : `This plan ${what}: since ${NEW_ORDER_PRICES_FROM} Hetzner bills new orders and rescales at a newer list than the one shown (effective ${catalog.list.effective}), so its real price may be higher. \`npm run prices\` fetches the current one.`,
  ];
};

/** Before and after cost of every managed resource in the plan, unchanged ones included. */
export const planCost = (plan: unknown, catalog: PriceCatalog = priceCatalog()): PlanCost => {
  const changesOfPlan = planJson.parse(plan).resource_changes ?? [];
  const before: CostLine[] = [];
  const after: CostLine[] = [];
  const changes: CostChange[] = [];
  const callouts: string[] = [];
  for (const { address, mode, type, change } of changesOfPlan) {
    if (mode !== "managed") continue;
    const priced = (attributes: Record<string, unknown> | null): CostLine[] => (attributes ? costLines({ address, type, attributes }, catalog) : []);
    const was = change.actions.includes("create") && !change.actions.includes("delete") ? [] : priced(change.before);
    const will = change.actions.includes("delete") && !change.actions.includes("create") ? [] : priced(change.after);
    before.push(...was);
    after.push(...will);
    const kind = kindOf(change.actions);
    if (!kind) continue;
    if (!sameLines(was, will)) changes.push({ address, kind, before: was, after: will });
    if (type === "hcloud_server") callouts.push(...serverCallouts(address, kind, change.before, change.after, catalog));
  }
  return { before: totalOf(before), after: totalOf(after), changes, callouts, list: catalog.list.name };
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
    `<sub>Prices: ${cost.list} (catalog/hetzner-prices.json).</sub>`,
  ];
};
