/** Configuration problems: collected from the schema and the cross-field rules, reported all at once. */
import type { z } from "zod";

export type Path = readonly PropertyKey[];

export interface Problem {
  readonly path: Path;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export const allowed = (values: readonly (string | number)[]): string => `allowed: ${values.join(", ")}`;

export const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `apps.projects[0].name` */
export const pathText = (path: Path): string =>
  path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join("");

export const problemsOfIssues = (issues: readonly z.core.$ZodIssue[]): Problem[] => issues.map(({ path, message }) => ({ path, message }));

/** Collects problems at paths relative to some base (an environment, a list of variables). */
export class Problems {
  constructor(
    private readonly base: Path = [],
    readonly found: Problem[] = [],
  ) {}

  at(...path: Path): Problems {
    return new Problems([...this.base, ...path], this.found);
  }

  add(path: Path, message: string): void {
    this.found.push({ path: [...this.base, ...path], message });
  }

  /** Reports every repeated value of a list after its first occurrence. */
  unique(path: Path, values: readonly (readonly [Path, unknown])[], what: string): void {
    const seen = new Set<unknown>();
    for (const [at, value] of values) {
      if (seen.has(value)) this.add([...path, ...at], `duplicate ${what} ${quote(value)}`);
      seen.add(value);
    }
  }
}
