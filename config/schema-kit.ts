/**
 * Schema building blocks whose messages keep the configuration's standard: what was given and
 * what is allowed. Every object is strict: an unknown key is an error naming the closest known key.
 */
import { z } from "zod";
import { allowed, quote } from "./problems";

const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
};

/** The known key a mistyped one most likely meant, if any is close enough. */
const closestKey = (key: string, known: readonly string[]): string | undefined => {
  const ranked = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.ceil(Math.max(key.length, best.candidate.length) * 0.4) ? best.candidate : undefined;
};

const unknownKeys = (keys: readonly string[], known: readonly string[]): string =>
  keys
    .map((key) => {
      const guess = closestKey(key, known);
      return `unknown key ${quote(key)} (${guess ? `did you mean ${quote(guess)}? ` : ""}${allowed(known)})`;
    })
    .join("; ");

export const strict = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? unknownKeys(issue.keys, Object.keys(shape)) : undefined),
  });

/**
 * A non-empty string, optionally matching a pattern described in words. `trimmed` strips the
 * surrounding whitespace before the checks, so that the value sent on is the value checked.
 */
export const text = (pattern?: RegExp, describe?: string, trimmed = false) => {
  const base = (trimmed ? z.string().trim() : z.string()).min(1, { error: (issue) => `must be a non-empty string, got ${quote(issue.input)}` });
  return pattern ? base.regex(pattern, { error: (issue) => `${quote(issue.input)} is not ${describe ?? `matching ${pattern}`}` }) : base;
};

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) => `${issue.input === undefined ? `is missing: set a ${what}` : `${quote(issue.input)} is not a known ${what}`} (${allowed(values)})`,
  });

export const wholeNumber = (min: number, max: number) => {
  const error = (issue: { readonly input?: unknown }) => `${quote(issue.input)} must be a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
};

export const list = <T extends z.ZodType>(item: T, minItems = 0) =>
  z.array(item).min(minItems, { error: `must have at least ${minItems} item${minItems === 1 ? "" : "s"}` });

/** A value checked by a function that returns the reason it is wrong, or `undefined`; `trimmed` as for `text`. */
export const checkedText = (problem: (value: string) => string | undefined, trimmed = false) =>
  text(undefined, undefined, trimmed).check((ctx) => {
    const reason = problem(ctx.value);
    if (reason) ctx.issues.push({ code: "custom", message: reason, input: ctx.value });
  });

/** The messages of the generic cases no schema above words itself. */
export const genericMessage = (issue: z.core.$ZodRawIssue): string | undefined => {
  const got = `got ${quote(issue.input)}`;
  if (issue.code === "invalid_type") {
    const expected: Record<string, string> = {
      object: "an object",
      string: "a non-empty string",
      boolean: "true or false",
      array: "a list",
      number: "a number",
      int: "a whole number",
    };
    return `must be ${expected[issue.expected] ?? issue.expected}, ${got}`;
  }
  return undefined;
};

/**
 * Deeply read-only view of a parsed value: the model is data the constructs read, never change.
 */
export type Frozen<T> = T extends readonly (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
