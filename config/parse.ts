/**
 * The one way into the configuration: the schema, then the cross-field rules on what it accepted,
 * every problem named by environment, field path and (inside a project) the resource it concerns.
 */
import { z } from "zod";
import { ConfigError, isRecord, type Path, type Problem, Problems, pathText, problemsOfIssues, quote } from "./problems";
import { checkAcrossEnvironments, checkEnvironment, type EnvironmentPart } from "./rules";
import { salvage } from "./salvage";
import { ENVIRONMENT_NAME_PATTERN, type EnvironmentConfig, environmentSchema, type PlatformConfig, platformSchema } from "./schema";
import { genericMessage } from "./schema-kit";

/** The fields of an environment the schema accepts whatever else is wrong in it. */
const salvageEnvironment = (candidate: unknown) => salvage(environmentSchema.partial(), candidate);

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
    const here = problems.at("environments", i);
    if (parsed.success) {
      const env = parsed.data.environments[i];
      const before = problems.found.length;
      checkEnvironment(here, () => env);
      return problems.found.length === before ? [[i, env]] : [];
    }
    // What the schema accepted of the environment, checked by every rule whose part of it is whole.
    const { value, laterProblems, original, nearTakenOut } = salvageEnvironment(candidate);
    for (const problem of laterProblems) here.add(problem.path, problem.message);
    const found = new Problems();
    checkEnvironment(found, partOf(value));
    for (const problem of found.found.map(({ path, message }) => ({ path: original(path), message }))) {
      if (!nearTakenOut(problem.path)) here.add(problem.path, problem.message);
    }
    const whole = environmentSchema.safeParse(candidate).data;
    return whole && laterProblems.length === 0 && found.found.length === 0 ? [[i, whole]] : [];
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
