/** The short block every synth prints per stack, so a reviewer sees the shape of a change at a glance. */
import type { GuardrailException } from "../config/schema";
import { describeTotal, itemized, listsOf } from "../cost/cost";
import type { Guardrails } from "./guardrails";

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

export interface SummaryOptions {
  /** One line per charged item under the cost (`COST_DETAIL=1`). */
  readonly costDetail?: boolean;
}

export const stackSummary = (stackName: string, guardrails: Guardrails, options: SummaryOptions = {}): string => {
  const { resources, dataSources, outputs } = guardrails.shape;
  const total = [...resources.values()].reduce((sum, count) => sum + count, 0);
  const byKind = [...resources.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([type, count]) => `${type} ${count}`)
    .join(", ");
  const used = new Map<GuardrailException, number>();
  for (const { exception } of guardrails.result().excepted) used.set(exception, (used.get(exception) ?? 0) + 1);
  const head = `${stackName}: ${plural(total, "resource")}, ${plural(dataSources, "data source")}, ${plural(outputs, "output")}; guardrail exceptions: ${used.size === 0 ? "none" : used.size}`;
  const exceptions = [...used].map(
    ([exception, findings]) =>
      `  exception [${exception.rule}] ${exception.path}: ${exception.reason} (approved by ${exception.approvedBy}; covers ${plural(findings, "finding")})`,
  );
  const cost = guardrails.cost;
  const costLines = [`  monthly cost: ${describeTotal(cost)} net${listsOf(cost)}`, ...(options.costDetail ? itemized(cost).map((line) => `    ${line}`) : [])];
  return [head, ...(byKind ? [`  ${byKind}`] : []), ...costLines, ...exceptions].join("\n");
};
