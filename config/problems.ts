/** Collecting configuration problems, so that every mistake is reported at once. */

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Problems found in one environment; every message is prefixed with the environment and the field path. */
export class Problems {
  constructor(
    private readonly prefix = "",
    private readonly found: string[] = [],
  ) {}

  /** A collector into the same list whose messages are prefixed with `environment "<name>"`. */
  forEnvironment(name: string): Problems {
    return new Problems(`environment "${name}": `, this.found);
  }

  add(path: string, message: string): void {
    this.found.push(`${this.prefix}${path}: ${message}`);
  }

  get list(): readonly string[] {
    return this.found;
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new ConfigError(this.found);
  }
}

export const allowed = (values: readonly (string | number)[]): string => `allowed: ${values.join(", ")}`;

export const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Small type guards that report what they reject. Each returns whether the value is usable,
 * so a validator can skip deeper checks on a value that already failed.
 */
export class Fields {
  constructor(readonly problems: Problems) {}

  string(path: string, value: unknown, pattern?: RegExp, describe?: string): value is string {
    if (typeof value !== "string" || value.length === 0) {
      this.problems.add(path, `must be a non-empty string, got ${quote(value)}`);
      return false;
    }
    if (pattern && !pattern.test(value)) {
      this.problems.add(path, `${quote(value)} is not ${describe ?? `matching ${pattern}`}`);
      return false;
    }
    return true;
  }

  oneOf<T extends string>(path: string, value: unknown, values: readonly T[], what: string): value is T {
    if (typeof value === "string" && (values as readonly string[]).includes(value)) return true;
    this.problems.add(path, `${quote(value)} is not a known ${what} (${allowed(values)})`);
    return false;
  }

  integer(path: string, value: unknown, min: number, max: number): value is number {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
    this.problems.add(path, `${quote(value)} must be a whole number from ${min} to ${max}`);
    return false;
  }

  boolean(path: string, value: unknown): value is boolean {
    if (typeof value === "boolean") return true;
    this.problems.add(path, `must be true or false, got ${quote(value)}`);
    return false;
  }

  array(path: string, value: unknown, minItems = 0): value is readonly unknown[] {
    if (!Array.isArray(value)) {
      this.problems.add(path, `must be a list, got ${quote(value)}`);
      return false;
    }
    if (value.length < minItems) {
      this.problems.add(path, `must have at least ${minItems} item${minItems === 1 ? "" : "s"}`);
      return false;
    }
    return true;
  }

  record(path: string, value: unknown): value is Record<string, unknown> {
    if (isRecord(value)) return true;
    this.problems.add(path, `must be an object, got ${quote(value)}`);
    return false;
  }

  /** Reports every name that appears more than once in a list. */
  unique(path: string, names: readonly unknown[], what: string): void {
    const seen = new Set<unknown>();
    for (const [index, name] of names.entries()) {
      if (seen.has(name)) this.problems.add(`${path}[${index}].name`, `duplicate ${what} name ${quote(name)}`);
      seen.add(name);
    }
  }
}
