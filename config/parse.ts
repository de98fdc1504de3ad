/**
 * The one way into the configuration: the schema, then the cross-field rules on what it accepted,
 * every problem named by environment, field path and (inside a project) the resource it concerns.
 */
import { z } from "zod";
import { ConfigError, isRecord, type Path, type Problem, Problems, pathText, problemsOfIssues, quote } from "./problems";
import { checkAcrossEnvironments, checkEnvironment, type EnvironmentPart } from "./rules";
import { ENVIRONMENT_NAME_PATTERN, type EnvironmentConfig, environmentSchema, type PlatformConfig, platformSchema } from "./schema";
import { genericMessage } from "./schema-kit";

const RESOURCE_LISTS: Readonly<Record<string, string>> = { applications: "application", databases: "database" };

const nameAt = (list: unknown, index: PropertyKey, fallback: string): string => {
  const item = Array.isArray(list) && typeof index === "number" ? list[index] : undefined;
  return isRecord(item) && typeof item.name === "string" ? item.name : fallback;
};

/** `application "web" in project "shop"` for a path inside a project's resource, below its name. */
const resourceLabel = (env: unknown, path: Path): string | undefined => {
  const [apps, projectsKey, p, list, r, field] = path;
  const what = typeof list === "string" ? RESOURCE_LISTS[list] : undefined;
  if (apps !== "apps" || projectsKey !== "projects" || !what || path.length < 6 || (path.length === 6 && field === "name")) return undefined;
  const projects: unknown = isRecord(env) && isRecord(env.apps) ? env.apps.projects : undefined;
  const project: unknown = Array.isArray(projects) ? projects[p as number] : undefined;
  const resources = isRecord(project) ? project[list as string] : undefined;
  return `${what} ${quote(nameAt(resources, r, pathText(path.slice(0, 5))))} in project ${quote(nameAt(projects, p, pathText(path.slice(0, 3))))}`;
};

const located = (raw: unknown, { path, message }: Problem): string => {
  const environments = isRecord(raw) && Array.isArray(raw.environments) ? raw.environments : [];
  const [root, index, ...rest] = path;
  if (root !== "environments" || typeof index !== "number" || rest.length === 0 || (rest.length === 1 && rest[0] === "name")) {
    return `${path.length === 0 ? "configuration" : pathText(path)}: ${message}`;
  }
  const env: unknown = environments[index];
  const name = isRecord(env) && typeof env.name === "string" && ENVIRONMENT_NAME_PATTERN.test(env.name) ? env.name : `#${index}`;
  const label = resourceLabel(env, rest);
  return `environment ${quote(name)}: ${pathText(rest)}: ${label ? `${label}: ` : ""}${message}`;
};

/**
 * The environment without the keys the schema did not know, so that a typo does not hide the
 * cross-field problems of the rest of the environment.
 */
const withoutUnknownKeys = (candidate: unknown, index: number, issues: readonly z.core.$ZodIssue[]): unknown => {
  const copy: unknown = structuredClone(candidate);
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys" || issue.path[1] !== index) continue;
    const target = issue.path
      .slice(2)
      .reduce<unknown>((value, key) => (Array.isArray(value) && typeof key === "number" ? value[key] : isRecord(value) ? value[String(key)] : undefined), copy);
    if (isRecord(target)) for (const key of issue.keys) delete target[key];
  }
  return copy;
};

/** Parses only some fields of an environment, with their schemas from the environment schema. */
const partOf =
  (candidate: unknown): EnvironmentPart =>
  <K extends keyof EnvironmentConfig>(fields: readonly K[]) => {
    const parsed = z.object(Object.fromEntries(fields.map((field) => [field, environmentSchema.shape[field]]))).safeParse(candidate);
    // The object's shape is exactly these fields of the environment schema, so its data is their part of the type.
    return parsed.success ? (parsed.data as unknown as Pick<EnvironmentConfig, K>) : undefined;
  };

const environmentIndex = ({ path }: Problem): number => (path[0] === "environments" && typeof path[1] === "number" ? path[1] : -1);

/** Parses the configuration; throws `ConfigError` listing every problem. */
export const parseConfig = (raw: unknown): PlatformConfig => {
  const parsed = platformSchema.safeParse(raw, { error: genericMessage });
  const problems = new Problems([], parsed.success ? [] : problemsOfIssues(parsed.error.issues));
  const candidates: readonly unknown[] = isRecord(raw) && Array.isArray(raw.environments) ? raw.environments : [];
  const consistent = candidates.flatMap((candidate, i): (readonly [number, EnvironmentConfig])[] => {
    const cleaned = parsed.success ? candidate : withoutUnknownKeys(candidate, i, parsed.error.issues);
    const env = parsed.success ? parsed.data.environments[i] : environmentSchema.safeParse(cleaned).data;
    const before = problems.found.length;
    checkEnvironment(problems.at("environments", i), env ? () => env : partOf(cleaned));
    return env && problems.found.length === before ? [[i, env]] : [];
  });
  problems.unique(
    ["environments"],
    candidates.map((env) => (isRecord(env) && typeof env.name === "string" ? env.name : undefined)),
    "environment name",
    ["name"],
  );
  checkAcrossEnvironments(problems.at("environments"), consistent);
  if (problems.found.length > 0) {
    const ordered = [...problems.found].sort((a, b) => environmentIndex(a) - environmentIndex(b));
    throw new ConfigError(ordered.map((problem) => located(raw, problem)));
  }
  if (!parsed.success) throw new Error("schema rejected the configuration without reporting a problem");
  return parsed.data;
};
