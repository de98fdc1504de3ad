/**
 * What the schema accepts of a half-valid environment: every value the schema rejected is taken
 * out (the key, or the list entry), round after round, until the rest parses. The cross-field
 * rules then check the rest, and every problem found on the way is reported, so that one wrong
 * type does not hide the problems of the fields around it.
 */
import type { z } from "zod";
import { isRecord, type Path, type Problem } from "./problems";
import { genericMessage } from "./schema-kit";

/** Marks a list entry taken out, so that the entries after it keep their positions in the original. */
const REMOVED = Symbol("removed");

/** The value with the marked entries left out of every list: what the schema parses. */
const compacted = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((item) => item !== REMOVED).map(compacted);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compacted(item)]));
  return value;
};

/** The path in the working copy (original positions) of a path in its compacted form; `undefined` if it leads nowhere. */
const originalPath = (working: unknown, path: Path): Path | undefined => {
  const result: PropertyKey[] = [];
  let node = working;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === "number") {
      const kept = node.flatMap((item, index) => (item === REMOVED ? [] : [index]));
      const index = kept[key];
      if (index === undefined) return [...result, key];
      result.push(index);
      node = node[index];
    } else {
      result.push(key);
      node = isRecord(node) ? node[String(key)] : undefined;
    }
  }
  return result;
};

const at = (working: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, key) => (Array.isArray(node) || isRecord(node) ? (node as Record<PropertyKey, unknown>)[key as string] : undefined), working);

/** Takes out the value at `path`, or its nearest parent that exists; the path taken out, `undefined` when only the whole value is left. */
const takeOut = (working: unknown, path: Path): Path | undefined => {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = at(working, path.slice(0, depth - 1));
    const key = path[depth - 1];
    if (Array.isArray(parent) && typeof key === "number" && key < parent.length && parent[key] !== REMOVED) {
      parent[key] = REMOVED;
      return path.slice(0, depth);
    }
    if (isRecord(parent) && typeof key === "string" && key in parent) {
      delete parent[key];
      return path.slice(0, depth);
    }
  }
  return undefined;
};

const startsWith = (path: Path, prefix: Path): boolean => prefix.length <= path.length && prefix.every((key, i) => path[i] === key);

export interface Salvaged<T> {
  /** What parsed once every rejected value was taken out; `undefined` when nothing could be kept. */
  readonly value: T | undefined;
  /** Problems the first parse could not see, found once what hid them was taken out (original positions). */
  readonly laterProblems: readonly Problem[];
  /** Whether a path is at, above or inside a value taken out: what a rule says there is about the missing value. */
  readonly nearTakenOut: (path: Path) => boolean;
  /** The original position of a path in `value`. */
  readonly original: (path: Path) => Path;
}

/** Rounds are bounded by the values there are to take out; this bounds a pathological schema. */
const MAX_ROUNDS = 1000;

export const salvage = <T>(schema: z.ZodType<T>, candidate: unknown): Salvaged<T> => {
  const working: unknown = structuredClone(candidate);
  const takenOut: Path[] = [];
  const laterProblems: Problem[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const parsed = schema.safeParse(compacted(working), { error: genericMessage });
    const original = (path: Path): Path => originalPath(working, path) ?? path;
    const nearTakenOut = (path: Path): boolean => takenOut.some((out) => startsWith(out, path) || startsWith(path, out));
    if (parsed.success) return { value: parsed.data, laterProblems, original, nearTakenOut };
    const located = parsed.error.issues.map((issue) => ({ issue, path: original(issue.path) }));
    if (round > 0) {
      // A problem at or above a value taken out is the schema missing that value, not a new mistake.
      for (const { issue, path } of located) {
        if (!takenOut.some((out) => startsWith(out, path))) laterProblems.push({ path, message: issue.message });
      }
    }
    let progress = false;
    const thisRound: Path[] = [];
    for (const { issue, path } of located) {
      if (issue.code === "unrecognized_keys") {
        const target = at(working, path);
        if (isRecord(target)) for (const key of issue.keys) progress = delete target[key] || progress;
        continue;
      }
      if (thisRound.some((out) => startsWith(path, out))) continue;
      const out = takeOut(working, path);
      if (out) {
        takenOut.push(out);
        thisRound.push(out);
        progress = true;
      }
    }
    if (!progress) break;
  }
  return { value: undefined, laterProblems, original: (path) => path, nearTakenOut: () => true };
};
