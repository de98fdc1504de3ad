/**
 * The local Coolify provider's backend: with LOCAL_PROVIDER_COOLIFY_TWIN=<url of a Coolify API> the
 * twinned resource types are created, read, updated and deleted through that API (in the tests, the
 * stateful fake Coolify API), with the requests the real provider sends and the parts of its answers
 * the real provider keeps, as coolify-terraform/terraform-provider-coolify v0.1.17 does (file per
 * type below). A non-2xx answer fails the apply with the API's message, as the real provider's does.
 * Every other type stays a mock (./resources.ts). The bearer token is the provider block's `token`,
 * else COOLIFY_TOKEN, as the provider reads it (internal/provider/provider.go).
 */

import { flattenDockerImageApplication, flattenEnvironment, flattenProject, flattenVariable } from "./coolify-flatten";
import { APPLICATION_SIDE_TWINNED } from "./coolify-twin-applications";
import { DATA_TWINNED } from "./coolify-twin-databases";
import { SERVER_SIDE_TWINNED } from "./coolify-twin-servers";
import { isObject, isUnknown, type ObjectValue, sameValue, type Value } from "./cty";
import type { BlockSchema } from "./schema";

export const TWIN_VARIABLE = "LOCAL_PROVIDER_COOLIFY_TWIN";

export const known = (value: Value | undefined): value is Exclude<Value, null> => value !== undefined && value !== null && !isUnknown(value);

export class ApiError extends Error {}

/** Which typed provider call a twinned resource makes for each step. */
export interface TwinnedType {
  /** Whether this instance is twinned (a variable is twinned only with an application or service parent). */
  readonly applies?: (value: ObjectValue) => boolean;
  /**
   * For a type that belongs to another resource: that resource's API path (`/applications/{uuid}`,
   * `/services/{uuid}`). The instance is twinned only when the twin holds its parent; the child of a
   * resource that stays a mock stays a mock too.
   */
  readonly parent?: (value: ObjectValue) => string;
  /**
   * For a resource placed on a server: that server's uuid. The instance is twinned only when Coolify
   * lists the server (GET /servers); one placed on a server that stays a mock (a worker's
   * coolify_server) stays a mock too.
   */
  readonly server?: (value: ObjectValue) => string;
  /** For a type whose parent may be a mock: whether the API holds it (a database's server, a backup's database); else the instance stays a mock. */
  readonly held?: (api: Api, value: ObjectValue) => Promise<boolean>;
  create(api: Api, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue>;
  update(api: Api, prior: ObjectValue, planned: ObjectValue): Promise<ObjectValue>;
  remove(api: Api, prior: ObjectValue): Promise<void>;
  /** The stored state refreshed from the API, or null when the API no longer has it. */
  read(api: Api, state: ObjectValue): Promise<ObjectValue | null>;
}

export type Json = Record<string, unknown>;

export class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** One call; undefined for a 404 when `missingOk`, else the JSON answer; any other non-2xx is an ApiError. */
  async call(method: string, path: string, body?: unknown, missingOk = false): Promise<Json | undefined> {
    const response = await fetch(`${this.base.replace(/\/$/, "")}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404 && missingOk) return undefined;
    if (!response.ok) throw new ApiError(`${method} /api/v1${path}: ${response.status} ${text}`);
    return text === "" ? {} : (JSON.parse(text) as Json);
  }
}

export const str = (value: Value | undefined): string => (typeof value === "string" ? value : String(value ?? ""));
export const path = (...parts: string[]): string => parts.map((part) => `/${encodeURIComponent(part)}`).join("");

/** The attributes of `object` named in `names` that are known and set, as a JSON body. */
export const pick = (object: ObjectValue, names: readonly string[]): Json =>
  Object.fromEntries(names.filter((name) => known(object[name])).map((name) => [name, object[name]]));

/** Fills the planned unknowns named in `values` (what the API answered); the rest stays for the mock to make up. */
export const fill = (planned: ObjectValue, values: Record<string, Value>): ObjectValue => {
  const result: ObjectValue = { ...planned };
  for (const [name, value] of Object.entries(values)) if (isUnknown(result[name] ?? null) || result[name] === null) result[name] = value;
  return result;
};

/** internal/service/project/resource.go with internal/client/projects.go: POST/GET/PATCH/DELETE /projects[/{uuid}]. */
const project: TwinnedType = {
  async create(api, planned) {
    const created = await api.call("POST", "/projects", pick(planned, ["name", "description"]));
    return fill(planned, { uuid: str(created?.uuid as string) });
  },
  async update(api, prior, planned) {
    await api.call("PATCH", path("projects", str(prior.uuid)), pick(planned, ["name", "description"]));
    return planned;
  },
  async remove(api, prior) {
    await api.call("DELETE", path("projects", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("projects", str(state.uuid)), undefined, true);
    return found ? flattenProject(state, found) : null;
  },
};

/**
 * internal/service/environment/resource.go with internal/client/environments.go: POST
 * /projects/{uuid}/environments with the name only (Coolify refuses `description` there; it goes in a
 * PATCH), GET /projects/{uuid}/{name}, DELETE /projects/{uuid}/environments/{name}.
 */
const environment: TwinnedType = {
  async create(api, planned) {
    await api.call("POST", `${path("projects", str(planned.project_uuid))}/environments`, { name: planned.name });
    if (known(planned.description)) {
      await api.call("PATCH", `${path("projects", str(planned.project_uuid))}/environments${path(str(planned.name))}`, { description: planned.description });
    }
    return planned;
  },
  async update(api, prior, planned) {
    await api.call("PATCH", `${path("projects", str(prior.project_uuid))}/environments${path(str(prior.name))}`, pick(planned, ["name", "description"]));
    return planned;
  },
  async remove(api, prior) {
    await api.call("DELETE", `${path("projects", str(prior.project_uuid))}/environments${path(str(prior.name))}`, undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("projects", str(state.project_uuid), str(state.name)), undefined, true);
    return found ? flattenEnvironment(state, found) : null;
  },
};

/** The create body of a Docker image application: internal/client/applications.go CreateDockerImageAppInput (`docker_image` is sent as `docker_registry_image_name`). */
const DOCKER_IMAGE_CREATE = [
  "project_uuid",
  "server_uuid",
  "destination_uuid",
  "environment_name",
  "ports_exposes",
  "name",
  "description",
  "domains",
  "install_command",
  "start_command",
  "instant_deploy",
  "autogenerate_domain",
];
/** Attributes the provider never sends in a PATCH: immutable, computed, or Terraform's own (common_schema.go, common.go buildUpdateInput). */
const NOT_PATCHED = new Set([
  ...DOCKER_IMAGE_CREATE.filter((name) => name !== "name" && name !== "description" && name !== "domains" && name !== "ports_exposes"),
  "docker_image",
  "uuid",
  "status",
  "preview_url_template",
  "max_restart_count",
  "redeploy_on_update",
  "timeouts",
]);

/**
 * internal/service/application/resource_docker.go (splitDockerImage): Coolify keeps the tag apart
 * and refuses one inside `docker_registry_image_name` on update; no tag means `latest`.
 */
const splitImage = (image: string): { name: string; tag: string } => {
  const at = image.lastIndexOf(":");
  return at >= 0 && !image.slice(at + 1).includes("/") ? { name: image.slice(0, at), tag: image.slice(at + 1) } : { name: image, tag: "latest" };
};

/**
 * internal/service/application/resource_docker.go with common_crud.go and common_flatten.go: create is
 * POST /applications/dockerimage, then one PATCH of the configured fields the create does not take
 * (postCreatePatchExtendedFields); update PATCHes the changed fields (buildUpdateInput), the image as
 * name and tag, and restarts only with `redeploy_on_update` (updateAndReadBack); delete is DELETE
 * /applications/{uuid}; read as flattenDockerImageApplication.
 */
const dockerImageApplication: TwinnedType = {
  async create(api, planned, config) {
    const created = await api.call("POST", "/applications/dockerimage", {
      ...pick(planned, DOCKER_IMAGE_CREATE),
      docker_registry_image_name: planned.docker_image,
    });
    const uuid = str(created?.uuid as string);
    const extended = pick(
      config,
      Object.keys(config).filter((name) => !NOT_PATCHED.has(name) && !DOCKER_IMAGE_CREATE.includes(name)),
    );
    if (Object.keys(extended).length > 0) await api.call("PATCH", path("applications", uuid), extended);
    return fill(planned, { uuid });
  },
  async update(api, prior, planned) {
    const uuid = str(prior.uuid);
    const changed = Object.keys(planned).filter((name) => !NOT_PATCHED.has(name) && known(planned[name]) && !sameValue(planned[name], prior[name] ?? null));
    const body: Json = pick(planned, changed);
    const imageChanged = !sameValue(planned.docker_image, prior.docker_image ?? null);
    if (imageChanged) {
      const { name, tag } = splitImage(str(planned.docker_image));
      body.docker_registry_image_name = name;
      if (!known(planned.docker_registry_image_tag)) body.docker_registry_image_tag = tag;
    }
    if (Object.keys(body).length > 0) await api.call("PATCH", path("applications", uuid), body);
    if (planned.redeploy_on_update === true && (changed.length > 0 || imageChanged)) await api.call("POST", `${path("applications", uuid)}/restart`);
    return planned;
  },
  async remove(api, prior) {
    await api.call("DELETE", path("applications", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("applications", str(state.uuid)), undefined, true);
    return found ? flattenDockerImageApplication(state, found) : null;
  },
};

/**
 * Flags the provider sends on create only when set, and with their defaults on an application's PATCH;
 * a service's variable takes neither `is_shown_once` nor the build and runtime flags
 * (environmentvariable/resource.go writeOptsFromPlan, internal/client/environment_variables.go buildEnvWriteInput).
 */
const VARIABLE_FLAGS = {
  is_literal: "is_literal",
  is_multiline: "is_multiline",
  is_shown_once: "is_shown_once",
  is_build: "is_buildtime",
  is_runtime: "is_runtime",
} as const;
const SERVICE_VARIABLE_FLAGS: readonly string[] = ["is_literal", "is_multiline"];

/** The parent collection of a variable (environmentvariable/resource.go parentTypeAndUUID); a database's stays a mock here. */
const variableParent = (value: ObjectValue): "applications" | "services" | undefined =>
  known(value.application_uuid) ? "applications" : known(value.service_uuid) ? "services" : undefined;
const envsPath = (value: ObjectValue): string => {
  const parent = variableParent(value) ?? "applications";
  return `${path(parent, str(parent === "applications" ? value.application_uuid : value.service_uuid))}/envs`;
};

const variableBody = (planned: ObjectValue, forUpdate: boolean): Json => {
  const ofApplication = variableParent(planned) === "applications";
  const body: Json = { key: planned.key, value: planned.value, is_preview: planned.is_preview === true };
  for (const [attribute, field] of Object.entries(VARIABLE_FLAGS)) {
    if (!ofApplication && !SERVICE_VARIABLE_FLAGS.includes(attribute)) continue;
    const value = planned[attribute];
    if (known(value)) body[field] = value;
    else if (forUpdate && ofApplication && (attribute === "is_literal" || attribute === "is_multiline" || attribute === "is_shown_once")) body[field] = false;
  }
  if (known(planned.comment)) body.comment = planned.comment;
  return body;
};

/**
 * internal/service/environmentvariable/resource.go with internal/client/environment_variables.go, for
 * an application's or a service's variable: POST /{parent}/{uuid}/envs (then the provider's defaults,
 * applyCreateDefaults: a service's variable is neither build nor runtime to the provider), PATCH
 * .../envs by key, DELETE .../envs/{env_uuid}; read finds the variable by uuid in GET .../envs and
 * keeps the stored value when Coolify shows none.
 */
const variable: TwinnedType = {
  applies: (value) => variableParent(value) !== undefined,
  parent: (value) => envsPath(value).replace(/\/envs$/, ""),
  async create(api, planned) {
    const created = await api.call("POST", envsPath(planned), variableBody(planned, false));
    const ofApplication = variableParent(planned) === "applications";
    const defaults = { is_preview: false, is_literal: false, is_multiline: false, is_shown_once: false, comment: "" };
    const filled = fill(planned, { uuid: str(created?.uuid as string), ...defaults, is_build: ofApplication, is_runtime: ofApplication });
    return ofApplication ? filled : { ...filled, is_build: false, is_runtime: false };
  },
  async update(api, _prior, planned) {
    await api.call("PATCH", envsPath(planned), variableBody(planned, true));
    return planned;
  },
  async remove(api, prior) {
    await api.call("DELETE", `${envsPath(prior)}${path(str(prior.uuid))}`, undefined, true);
  },
  async read(api, state) {
    const list = (await api.call("GET", envsPath(state), undefined, true)) as unknown;
    const found = Array.isArray(list) ? (list as Json[]).find((item) => item.uuid === state.uuid) : undefined;
    return found ? flattenVariable(state, found, variableParent(state) === "applications") : null;
  },
};

/**
 * internal/service/deployment/resource.go with internal/client/deployments.go: create is POST
 * /deploy?uuid=<application> (a real deploy, DeployApplication), then GET /deployments/{uuid} for its
 * status; update calls nothing (`triggers` replaces); delete is a no-op; read drops it on 404.
 */
const deployment: TwinnedType = {
  parent: (value) => path("applications", str(value.application_uuid)),
  async create(api, planned) {
    const answer = await api.call("POST", `/deploy?uuid=${encodeURIComponent(str(planned.application_uuid))}`);
    const uuid = ((answer?.deployments ?? []) as Json[]).map((item) => item.deployment_uuid).find((id) => typeof id === "string") as string | undefined;
    if (!uuid) throw new ApiError(`POST /api/v1/deploy: no deployment uuid in ${JSON.stringify(answer)}`);
    const found = await api.call("GET", path("deployments", uuid));
    return fill(planned, { uuid, status: str(found?.status as string) });
  },
  async update(_api, prior, planned) {
    return { ...planned, status: prior.status ?? null };
  },
  async remove() {},
  async read(api, state) {
    const found = await api.call("GET", path("deployments", str(state.uuid)), undefined, true);
    return found ? { ...state, status: str(found.status as string) } : null;
  },
};

/**
 * internal/filter/filter.go: filters AND together, a filter's values OR, a value ending in `*` is a
 * prefix; a field the item does not have excludes it.
 */
const matches = (item: Json, filters: Value): boolean =>
  !Array.isArray(filters) ||
  filters.every((filter) => {
    if (!isObject(filter) || !(str(filter.name) in item)) return false;
    const value = str(item[str(filter.name)] as string);
    return (
      Array.isArray(filter.values) &&
      filter.values.some((pattern) => pattern === value || (str(pattern).endsWith("*") && value.startsWith(str(pattern).slice(0, -1))))
    );
  });

/** internal/service/server/data_source.go: GET /servers, filtered; each server's attributes from the answer's fields of the same name. */
const servers = async (api: Api, config: ObjectValue, block: BlockSchema): Promise<ObjectValue> => {
  const list = (await api.call("GET", "/servers")) as unknown;
  const names = Object.keys(block.attributes?.servers?.nested_type?.attributes ?? {});
  const found = (Array.isArray(list) ? (list as Json[]) : []).filter((server) => matches(server, config.filter ?? null));
  return { ...config, servers: found.map((server) => Object.fromEntries(names.map((name) => [name, (server[name] as Value | undefined) ?? null]))) };
};

const TWINNED: Readonly<Record<string, TwinnedType>> = {
  coolify_project: project,
  coolify_environment: environment,
  coolify_application_docker_image: dockerImageApplication,
  coolify_environment_variable: variable,
  coolify_deployment: deployment,
  ...APPLICATION_SIDE_TWINNED,
  ...DATA_TWINNED,
  ...SERVER_SIDE_TWINNED,
};

/** The twinned resource types and data sources, for the README and the tests. */
export const TWINNED_TYPES = Object.keys(TWINNED);
export const TWINNED_DATA_SOURCES = ["coolify_servers"];

export class CoolifyTwin {
  private token: string;

  /** `environmentToken`: the COOLIFY_TOKEN Terraform was started with. */
  constructor(
    private readonly url: string,
    environmentToken = "",
  ) {
    this.token = environmentToken;
  }

  /** The provider block's token wins over COOLIFY_TOKEN (internal/provider/provider.go). */
  configure(config: Value): void {
    if (isObject(config) && typeof config.token === "string" && config.token !== "") this.token = config.token;
  }

  /** The twinned type for this resource instance, or undefined when it stays a mock. */
  private async twinned(typeName: string, value: Value): Promise<TwinnedType | undefined> {
    const type = TWINNED[typeName];
    if (!type || !isObject(value) || !(type.applies?.(value) ?? true)) return undefined;
    const api = new Api(this.url, this.token);
    if (type.held && !(await type.held(api, value))) return undefined;
    const server = type.server?.(value);
    if (server !== undefined) {
      const listed = (await api.call("GET", "/servers")) as unknown;
      if (!Array.isArray(listed) || !(listed as Json[]).some((candidate) => candidate.uuid === server)) return undefined;
    }
    const parent = type.parent?.(value);
    if (parent === undefined) return type;
    return (await api.call("GET", parent, undefined, true)) ? type : undefined;
  }

  async handles(typeName: string, prior: Value, planned: Value): Promise<boolean> {
    return (await this.twinned(typeName, isObject(planned) ? planned : prior)) !== undefined;
  }

  /** Applies a change through the API: the planned object with what the API answered, or null once deleted. */
  async apply(typeName: string, prior: Value, planned: Value, config: Value): Promise<Value> {
    const api = new Api(this.url, this.token);
    const type = await this.twinned(typeName, isObject(planned) ? planned : prior);
    if (!type) throw new Error(`${typeName} is not twinned`);
    if (!isObject(planned)) {
      if (isObject(prior)) await type.remove(api, prior);
      return null;
    }
    return isObject(prior) ? type.update(api, prior, planned) : type.create(api, planned, isObject(config) ? config : {});
  }

  /** A twinned data source's answer, or undefined when the data source is not twinned. */
  async readDataSource(typeName: string, config: Value, block: BlockSchema): Promise<Value | undefined> {
    if (typeName !== "coolify_servers" || !isObject(config)) return undefined;
    return servers(new Api(this.url, this.token), config, block);
  }

  /**
   * A twinned resource imported by its place (project_uuid:server_uuid:environment_name:uuid) must be
   * listed on that server, as the provider checks before it sets the place (internal/client/servers.go
   * ValidateResourceOnServer with GET /servers/{uuid}/resources); else the import fails with its message.
   */
  async checkImport(typeName: string, imported: ObjectValue): Promise<void> {
    if (!known(imported.server_uuid) || !known(imported.project_uuid) || !(await this.twinned(typeName, imported))) return;
    const server = str(imported.server_uuid);
    const listed = (await new Api(this.url, this.token).call("GET", `${path("servers", server)}/resources`)) as unknown;
    if (Array.isArray(listed) && (listed as Json[]).some((resource) => resource.uuid === imported.uuid)) return;
    throw new Error(
      `Invalid compound import ID: ${str(imported.uuid)} is not deployed on server ${server}. The compound import ID format is project_uuid:server_uuid:environment_name:uuid`,
    );
  }

  /** The state as the API now has it, null when it is gone; undefined when the type is not twinned. */
  async read(typeName: string, state: Value): Promise<Value | undefined> {
    const type = await this.twinned(typeName, state);
    if (!type || !isObject(state)) return undefined;
    return type.read(new Api(this.url, this.token), state);
  }
}
