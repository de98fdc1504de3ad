/** The short block every synth prints per stack, so a reviewer sees the shape of a change at a glance. */
import type { Guardrails } from "./guardrails";

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

export const stackSummary = (stackName: string, guardrails: Guardrails): string => {
  const { resources, dataSources, outputs } = guardrails.shape;
  const total = [...resources.values()].reduce((sum, count) => sum + count, 0);
  const byKind = [...resources.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([type, count]) => `${type} ${count}`)
    .join(", ");
  const { excepted } = guardrails.result();
  const head = `${stackName}: ${plural(total, "resource")}, ${plural(dataSources, "data source")}, ${plural(outputs, "output")}; guardrail exceptions: ${excepted.length === 0 ? "none" : excepted.length}`;
  const exceptions = excepted.map(
    ({ finding, exception }) => `  exception [${finding.rule}] ${finding.path}: ${exception.reason} (approved by ${exception.approvedBy})`,
  );
  return [head, ...(byKind ? [`  ${byKind}`] : []), ...exceptions].join("\n");
};
