/**
 * Guardrails as a cdktf Aspect: every synth visits each construct of a stack, collects what breaks
 * a rule, and fails before the stack is written, listing every violation with the construct path,
 * the rule and how to fix it. Exceptions come only from the environment's `guardrailExceptions`.
 */
import {
  Aspects,
  DefaultTokenResolver,
  type IAspect,
  StringConcat,
  TerraformDataSource,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  type TerraformStack,
  TerraformVariable,
  Tokenization,
} from "cdktf";
import type { IConstruct } from "constructs";
import { type EnvironmentConfig, type GuardrailException, SYNTH_GUARDRAIL_RULES } from "../config/schema";
import { type CostTotal, costOf, describeTotal, eur, itemized, type PricedResource, totalOf } from "../cost/cost";
import { ELEMENT_RULES, type ElementView, type Finding, type RuleContext } from "./element-rules";
import { providerFacts, providerKey } from "./provider-facts";
import { BACKED_UP_TYPES, BACKUP_TYPE, type BackedUpDatabase, missingBackups, type OutputView, unmarkedSensitiveOutputs } from "./stack-rules";

export class GuardrailError extends Error {
  constructor(
    readonly stackName: string,
    readonly violations: readonly Finding[],
  ) {
    const count = `${violations.length} violation${violations.length === 1 ? "" : "s"}`;
    const lines = violations.map((v) => `  - ${v.path} [${v.rule}]: ${v.problem}\n    fix: ${v.fix}`);
    super(
      `Guardrails failed for stack ${stackName} (${count}):\n${lines.join("\n")}\n` +
        "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
    );
    this.name = "GuardrailError";
  }
}

export interface ExceptedFinding {
  readonly finding: Finding;
  readonly exception: GuardrailException;
}

/** What one stack holds, for the synth summary. */
export interface StackShape {
  readonly resources: ReadonlyMap<string, number>;
  readonly dataSources: number;
  readonly outputs: number;
}

export interface GuardrailResult {
  readonly violations: readonly Finding[];
  readonly excepted: readonly ExceptedFinding[];
}

const only = <T>(record: Readonly<Record<string, T>>): T => Object.values(record)[0];

/** An environment's monthly budget, checked on the stack synthesized last over the cost of all its stacks. */
export interface Budget {
  readonly monthlyEur: number;
  /** The environment's other stacks (synthesized before this one). */
  readonly withStacks: readonly Guardrails[];
}

type GuardedEnvironment = Pick<EnvironmentConfig, "production" | "guardrailExceptions">;

export class Guardrails implements IAspect {
  private readonly visited = new WeakSet<IConstruct>();
  private readonly findings: Finding[] = [];
  private readonly databases: BackedUpDatabase[] = [];
  private readonly backupTargets: unknown[] = [];
  private readonly outputs: TerraformOutput[] = [];
  private readonly sensitiveVariables = new Set<string>();
  private readonly resourceCounts = new Map<string, number>();
  private readonly priced: PricedResource[] = [];
  private dataSources = 0;
  private readonly context: RuleContext;
  private computed?: GuardrailResult;

  constructor(
    private readonly stack: TerraformStack,
    private readonly env: GuardedEnvironment,
    private readonly budget?: Budget,
  ) {
    this.context = { production: env.production, facts: providerFacts() };
  }

  visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    if (TerraformResource.isTerraformResource(node)) this.visitResource(node);
    else if (TerraformProvider.isTerraformProvider(node)) {
      const attributes = only(node.toTerraform().provider as Record<string, Record<string, unknown>[]>)[0] ?? {};
      this.check({ path: node.node.path, type: providerKey(node.terraformResourceType), attributes });
    } else if (TerraformDataSource.isTerraformDataSource(node)) this.dataSources++;
    else if (TerraformOutput.isTerraformOutput(node)) this.outputs.push(node);
    else if (node instanceof TerraformVariable && node.sensitive) this.sensitiveVariables.add(node.friendlyUniqueId);
  }

  private visitResource(resource: TerraformResource): void {
    const type = resource.terraformResourceType;
    const attributes = only(only(resource.toTerraform().resource as Record<string, Record<string, Record<string, unknown>>>));
    const path = resource.node.path;
    this.resourceCounts.set(type, (this.resourceCounts.get(type) ?? 0) + 1);
    this.priced.push({ address: `${type}.${resource.friendlyUniqueId}`, type, attributes });
    if (BACKED_UP_TYPES.has(type)) this.databases.push({ type, path, uuidReference: this.expression(resource.interpolationForAttribute("uuid")) });
    if (type === BACKUP_TYPE) this.backupTargets.push(attributes.database_uuid);
    this.check({ path, type, attributes });
  }

  private check(element: ElementView): void {
    for (const rule of ELEMENT_RULES) this.findings.push(...rule(element, this.context));
  }

  /** A value as the Terraform expression text it becomes in the synthesized JSON. */
  private expression(value: unknown): string {
    return JSON.stringify(Tokenization.resolve(value, { scope: this.stack, resolver: new DefaultTokenResolver(new StringConcat()) }));
  }

  private allFindings(): Finding[] {
    const outputs: OutputView[] = this.outputs.map((output) => ({
      path: output.node.path,
      sensitive: output.sensitive === true,
      expression: this.expression(output.value),
    }));
    const backups = this.env.production
      ? missingBackups(
          this.databases,
          this.backupTargets.map((target) => this.expression(target)),
        )
      : [];
    return [...this.findings, ...backups, ...unmarkedSensitiveOutputs(outputs, this.sensitiveVariables, this.context.facts), ...this.overBudget()];
  }

  /** What this stack's resources cost per month. */
  get cost(): CostTotal {
    return costOf(this.priced);
  }

  private overBudget(): Finding[] {
    if (!this.budget) return [];
    const stacks = [...this.budget.withStacks, this];
    const total = totalOf(stacks.flatMap((stack) => stack.cost.lines));
    if (total.monthly <= this.budget.monthlyEur) return [];
    const items = stacks.flatMap((stack) => itemized(stack.cost).map((line) => `${stack.stack.node.path}: ${line}`));
    return [
      {
        rule: "budget",
        path: `${this.stack.node.path}/budget`,
        problem: `the environment's stacks cost ${describeTotal(total)} per month (net), over its monthlyBudgetEur of ${eur(this.budget.monthlyEur)}:\n      ${items.join("\n      ")}`,
        fix: "choose smaller server types or volumes, raise monthlyBudgetEur, or add a reviewed guardrail exception for rule budget",
      },
    ];
  }

  /** Violations (findings without an exception, plus exceptions for this stack that match nothing) and the excepted findings. */
  result(): GuardrailResult {
    this.computed ??= this.compute();
    return this.computed;
  }

  private compute(): GuardrailResult {
    const exceptions = (this.env.guardrailExceptions ?? []).filter(
      (e) => e.path.startsWith(`${this.stack.node.path}/`) && (SYNTH_GUARDRAIL_RULES as readonly string[]).includes(e.rule),
    );
    const used = new Set<GuardrailException>();
    const violations: Finding[] = [];
    const excepted: ExceptedFinding[] = [];
    for (const finding of this.allFindings()) {
      const exception = exceptions.find((e) => e.rule === finding.rule && e.path === finding.path);
      if (exception) {
        used.add(exception);
        excepted.push({ finding, exception });
      } else {
        violations.push(finding);
      }
    }
    for (const exception of exceptions.filter((e) => !used.has(e))) {
      violations.push({
        rule: exception.rule,
        path: exception.path,
        problem: "guardrail exception matches no violation",
        fix: "remove the exception from guardrailExceptions, or correct its rule or path",
      });
    }
    return { violations, excepted };
  }

  get shape(): StackShape {
    return { resources: this.resourceCounts, dataSources: this.dataSources, outputs: this.outputs.length };
  }
}

/** Adds the guardrails to a stack: checked on every synth, before the stack is written. */
export const enforceGuardrails = (stack: TerraformStack, env: GuardedEnvironment, budget?: Budget): Guardrails => {
  const guardrails = new Guardrails(stack, env, budget);
  Aspects.of(stack).add(guardrails);
  stack.node.addValidation({
    validate: () => {
      const { violations } = guardrails.result();
      if (violations.length > 0) throw new GuardrailError(stack.node.path, violations);
      return [];
    },
  });
  return guardrails;
};
