/**
 * The guardrail rules that need the whole stack: a database is backed up when some backup in the
 * stack points at it, and an output is sensitive when anything it refers to is.
 */
import { BACKUP_CAPABLE_KINDS } from "../catalog/coolify";
import type { Finding } from "./element-rules";
import type { ProviderFacts } from "./provider-facts";

export const BACKUP_TYPE = "coolify_database_backup";
export const BACKED_UP_TYPES: ReadonlySet<string> = new Set(BACKUP_CAPABLE_KINDS.map((kind) => `coolify_database_${kind}`));

/** A database resource Coolify can back up, with the reference (`${type.name.uuid}`) a backup of it holds. */
export interface BackedUpDatabase {
  readonly type: string;
  readonly path: string;
  readonly uuidReference: string;
}

/** `type.name` of every resource a resolved expression refers to (data sources and variables excluded). */
const RESOURCE_REFERENCE = /(?<![\w.])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?/g;
const VARIABLE_REFERENCE = /(?<![\w.])var\.([A-Za-z0-9_-]+)/g;

/** Production databases no `coolify_database_backup` refers to: a backup belongs to the database whose uuid it holds. */
export const missingBackups = (databases: readonly BackedUpDatabase[], backupTargets: readonly string[]): Finding[] => {
  const backedUp = new Set(backupTargets);
  return databases
    .filter((database) => !backedUp.has(database.uuidReference))
    .map((database) => ({
      rule: "database-backup",
      path: database.path,
      problem: `${database.type} in production without a ${BACKUP_TYPE}`,
      fix: "configure backup (schedule, storage, retention) for this database in the environment's apps configuration",
    }));
};

export interface OutputView {
  readonly path: string;
  readonly sensitive: boolean;
  /** The output's value, resolved to Terraform expressions. */
  readonly expression: string;
}

/** Outputs that refer to a sensitive variable or to an attribute the provider marks sensitive, without `sensitive: true`. */
export const unmarkedSensitiveOutputs = (outputs: readonly OutputView[], sensitiveVariables: ReadonlySet<string>, facts: ProviderFacts): Finding[] =>
  outputs
    .filter((output) => !output.sensitive)
    .flatMap((output) => {
      const variables = [...output.expression.matchAll(VARIABLE_REFERENCE)].map((m) => m[1]).filter((name) => sensitiveVariables.has(name));
      const attributes = [...output.expression.matchAll(RESOURCE_REFERENCE)]
        .filter((m) => m[3] !== undefined && facts.sensitive.get(m[1])?.has(m[3]))
        .map((m) => `${m[1]}.${m[2]}.${m[3]}`);
      const sources = [...variables.map((name) => `var.${name}`), ...attributes];
      if (sources.length === 0) return [];
      return [
        {
          rule: "sensitive-output",
          path: output.path,
          problem: `output carries sensitive ${sources.join(", ")} but is not marked sensitive`,
          fix: "pass sensitive: true to the TerraformOutput",
        } satisfies Finding,
      ];
    });
