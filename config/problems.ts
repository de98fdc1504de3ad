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

  /** Reports every value of a list equal to an earlier one, at `[...path, index, ...within]`; `undefined` values are skipped. */
  unique(path: Path, values: readonly unknown[] | undefined, what: string, within: Path = []): void {
    const seen = new Set<unknown>();
    for (const [index, value] of (values ?? []).entries()) {
      if (value !== undefined && seen.has(value)) this.add([...path, index, ...within], `duplicate ${what} ${quote(value)}`);
      seen.add(value);
    }
  }

  /** Reports every entry of a list whose name an earlier entry has. */
  uniqueNames(path: Path, items: readonly { readonly name: string }[] | undefined, what: string): void {
    this.unique(
      path,
      items?.map((item) => item.name),
      `${what} name`,
      ["name"],
    );
  }
}
