/**
 * The application-side types of the local Coolify provider's twin beyond Docker image applications
 * (registered in ./coolify-twin.ts): public Git, private Git and Dockerfile applications, Compose
 * services, scheduled tasks, bulk variables and resource actions, each created, updated, deleted and
 * read through the Coolify API with the requests and answer mapping of
 * coolify-terraform/terraform-provider-coolify v0.1.17 (file per type below).
 */
import { flattenApplicationCommon, flattenDockerfileApplication, flattenPrivateGitApplication } from "./coolify-flatten";
import { ApiError, fill, type Json, known, path, pick, str, type TwinnedType } from "./coolify-twin";
import { isObject, isUnknown, type ObjectValue, sameValue, type Value } from "./cty";

/** internal/flex/flex.go EnsureBase64: a value that is already base64 of UTF-8 text is sent as it is, anything else encoded. */
const ensureBase64 = (value: string): string => {
  if (value === "") return value;
  const decoded = Buffer.from(value, "base64");
  const canonical = /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 && decoded.toString("base64") === value;
  return canonical && !decoded.toString("utf8").includes("\uFFFD") ? value : Buffer.from(value, "utf8").toString("base64");
};

/**
 * What an application create sends, by kind (internal/client/applications.go CreatePublicAppInput,
 * CreatePrivateGitAppInput, CreateDockerfileAppInput); the Dockerfile kind sends its
 * `dockerfile_location` attribute, the Dockerfile's content, as `dockerfile` in base64
 * (resource_dockerfile.go Create).
 */
const COMMON_CREATE = [
  "project_uuid",
  "server_uuid",
  "destination_uuid",
  "environment_name",
  "ports_exposes",
  "name",
  "description",
  "domains",
  "install_command",
  "build_command",
  "start_command",
  "instant_deploy",
  "autogenerate_domain",
];
const GIT_CREATE = [...COMMON_CREATE, "git_repository", "git_branch", "build_pack", "dockerfile_location"];

/**
 * Attributes never sent in a PATCH: the place and the create-only switches (common_schema.go), the
 * computed ones, Terraform's own, and those whose change replaces the application
 * (`private_key_uuid`, resource_private_git.go; a Dockerfile application's `dockerfile_location`,
 * resource_dockerfile.go).
 */
const NEVER_PATCHED = [
  "project_uuid",
  "server_uuid",
  "destination_uuid",
  "environment_name",
  "instant_deploy",
  "autogenerate_domain",
  "uuid",
  "status",
  "preview_url_template",
  "max_restart_count",
  "redeploy_on_update",
  "timeouts",
];

interface ApplicationKind {
  readonly endpoint: string;
  readonly createFields: readonly string[];
  /** Attributes of this kind that a PATCH never carries, besides NEVER_PATCHED. */
  readonly fixed: readonly string[];
  readonly extraCreate?: (planned: ObjectValue) => Json;
  readonly flatten: (state: ObjectValue, found: Json) => ObjectValue;
}

/**
 * internal/service/application/resource.go, resource_private_git.go and resource_dockerfile.go with
 * common_crud.go and common_flatten.go: create is POST /applications/{kind}, then one PATCH of the
 * configured fields the create does not take (postCreatePatchExtendedFields); update PATCHes the
 * changed fields (buildUpdateInput) and restarts only with `redeploy_on_update` (updateAndReadBack);
 * delete is DELETE /applications/{uuid}; read is GET /applications/{uuid} through the kind's flatten.
 */
const applicationType = (kind: ApplicationKind): TwinnedType => {
  const notPatched = new Set([...NEVER_PATCHED, ...kind.fixed]);
  return {
    server: (value) => str(value.server_uuid),
    async create(api, planned, config) {
      const created = await api.call("POST", kind.endpoint, { ...pick(planned, kind.createFields), ...kind.extraCreate?.(planned) });
      const uuid = str(created?.uuid as string);
      const extended = pick(
        config,
        Object.keys(config).filter((name) => !notPatched.has(name) && !kind.createFields.includes(name)),
      );
      if (Object.keys(extended).length > 0) await api.call("PATCH", path("applications", uuid), extended);
      const found = await api.call("GET", path("applications", uuid));
      return kind.flatten(fill(planned, { uuid }), found ?? {});
    },
    async update(api, prior, planned) {
      const uuid = str(prior.uuid);
      const changed = Object.keys(planned).filter((name) => !notPatched.has(name) && known(planned[name]) && !sameValue(planned[name], prior[name] ?? null));
      if (changed.length > 0) await api.call("PATCH", path("applications", uuid), pick(planned, changed));
      if (planned.redeploy_on_update === true && changed.length > 0) await api.call("POST", `${path("applications", uuid)}/restart`);
      const found = await api.call("GET", path("applications", uuid));
      return kind.flatten(planned, found ?? {});
    },
    async remove(api, prior) {
      await api.call("DELETE", path("applications", str(prior.uuid)), undefined, true);
    },
    async read(api, state) {
      const found = await api.call("GET", path("applications", str(state.uuid)), undefined, true);
      return found ? kind.flatten(state, found) : null;
    },
  };
};

const publicGitApplication = applicationType({
  endpoint: "/applications/public",
  createFields: GIT_CREATE,
  fixed: [],
  flatten: flattenApplicationCommon,
});

const privateGitApplication = applicationType({
  endpoint: "/applications/private-deploy-key",
  createFields: [...GIT_CREATE, "private_key_uuid"],
  fixed: ["private_key_uuid"],
  flatten: flattenPrivateGitApplication,
});

const dockerfileApplication = applicationType({
  endpoint: "/applications/dockerfile",
  createFields: COMMON_CREATE,
  fixed: ["dockerfile_location", "git_repository", "git_branch", "build_pack"],
  extraCreate: (planned) => ({ dockerfile: ensureBase64(str(planned.dockerfile_location)) }),
  flatten: flattenDockerfileApplication,
});

/** internal/flex/flex.go StringToFramework: "" is null. */
const stringOrNull = (value: unknown): Value => (typeof value === "string" && value !== "" ? value : null);
const unset = (value: Value | undefined): boolean => value === undefined || value === null || isUnknown(value);

/**
 * internal/service/service/resource.go flattenService: Coolify's name, description, status and
 * switches; the stored compose document stays (Coolify keeps it re-written), seeded only into an
 * empty one; the place only when the answer has it (Coolify's does not); `urls` only when configured,
 * then from each container's URLs (flattenServiceURLs).
 */
const flattenService = (state: ObjectValue, found: Json): ObjectValue => {
  const parts = Array.isArray(found.applications) ? (found.applications as Json[]) : [];
  const withUrl = parts.filter((part) => typeof part.fqdn === "string" && part.fqdn !== "");
  const composeRaw = stringOrNull(found.docker_compose_raw);
  const urls: Value =
    state.urls === null || state.urls === undefined
      ? null
      : parts.length === 0
        ? state.urls
        : withUrl.length > 0
          ? withUrl.map((part) => ({ name: str(part.name as string), url: str(part.fqdn as string) }))
          : null;
  const placed = (name: string): Value => (stringOrNull(found[name]) ?? state[name] ?? null) as Value;
  return {
    ...state,
    uuid: str(found.uuid as string),
    name: stringOrNull(found.name),
    description: stringOrNull(found.description),
    status: stringOrNull(found.status),
    instant_deploy: unset(state.instant_deploy) ? false : (state.instant_deploy ?? null),
    docker_compose: stringOrNull(found.docker_compose),
    docker_compose_raw:
      composeRaw !== null
        ? unset(state.docker_compose_raw)
          ? composeRaw
          : (state.docker_compose_raw ?? null)
        : isUnknown(state.docker_compose_raw ?? null)
          ? null
          : (state.docker_compose_raw ?? null),
    config_hash: stringOrNull(found.config_hash),
    connect_to_docker_network: typeof found.connect_to_docker_network === "boolean" ? found.connect_to_docker_network : null,
    is_container_label_escape_enabled: typeof found.is_container_label_escape_enabled === "boolean" ? found.is_container_label_escape_enabled : null,
    type: stringOrNull(found.type) ?? state.type ?? null,
    project_uuid: placed("project_uuid"),
    server_uuid: placed("server_uuid"),
    environment_name: placed("environment_name"),
    urls,
  };
};

/** internal/service/service/resource.go expandServiceURLs: the configured `{ name, url }` list, left out when empty. */
const serviceUrls = (planned: ObjectValue): Json => {
  const urls = Array.isArray(planned.urls) ? planned.urls.filter(isObject).map((entry) => ({ name: str(entry.name), url: str(entry.url) })) : [];
  return urls.length > 0 ? { urls } : {};
};

/** internal/service/service/resource.go schema: `environment_name` defaults to `production` (stringdefault.StaticString). */
const SERVICE_DEFAULT_ENVIRONMENT = "production";

/**
 * internal/service/service/resource.go with internal/client/services.go: create is POST /services
 * (the compose document in base64, `environment_name` always; neither `connect_to_docker_network` nor
 * `is_container_label_escape_enabled`, which CreateServiceInput lacks; without one, the schema's
 * default environment `production`), then GET /services/{uuid};
 * update PATCHes the changed name, description, document and switches with the configured urls,
 * then reads back; delete is DELETE /services/{uuid}; read drops it on 404.
 */
const service: TwinnedType = {
  server: (value) => str(value.server_uuid),
  async create(api, planned) {
    const environment = known(planned.environment_name) ? planned.environment_name : SERVICE_DEFAULT_ENVIRONMENT;
    const body: Json = {
      server_uuid: planned.server_uuid,
      project_uuid: planned.project_uuid,
      environment_name: environment,
      ...pick(planned, ["type", "name", "description", "destination_uuid", "instant_deploy", "force_domain_override"]),
      ...(known(planned.docker_compose_raw) ? { docker_compose_raw: ensureBase64(str(planned.docker_compose_raw)) } : {}),
      ...serviceUrls(planned),
    };
    const created = await api.call("POST", "/services", body);
    const uuid = str(created?.uuid as string);
    if (uuid === "") throw new ApiError("POST /api/v1/services: creating service: API returned empty UUID");
    const found = await api.call("GET", path("services", uuid));
    const cleared: ObjectValue = Object.fromEntries(
      Object.entries(fill(planned, { uuid, environment_name: environment })).map(([name, value]) => [
        name,
        isUnknown(value) && ["name", "description", "type", "docker_compose_raw"].includes(name) ? null : value,
      ]),
    );
    return flattenService(cleared, found ?? {});
  },
  async update(api, prior, planned) {
    const uuid = str(prior.uuid);
    const changed = (name: string): boolean => known(planned[name]) && !sameValue(planned[name], prior[name] ?? null);
    const body: Json = {
      ...pick(
        planned,
        ["name", "description", "connect_to_docker_network", "is_container_label_escape_enabled"].filter((name) => changed(name)),
      ),
      ...(changed("docker_compose_raw") ? { docker_compose_raw: ensureBase64(str(planned.docker_compose_raw)) } : {}),
      ...serviceUrls(planned),
      ...pick(planned, ["force_domain_override"]),
    };
    await api.call("PATCH", path("services", uuid), body);
    const found = await api.call("GET", path("services", uuid));
    return flattenService(planned, found ?? {});
  },
  async remove(api, prior) {
    await api.call("DELETE", path("services", str(prior.uuid)), undefined, true);
  },
  async read(api, state) {
    const found = await api.call("GET", path("services", str(state.uuid)), undefined, true);
    return found ? flattenService(state, found) : null;
  },
};

/** internal/service/scheduledtask/resource.go parentInfo: the application when set, else the service. */
const taskParent = (value: ObjectValue): string =>
  known(value.application_uuid) ? path("applications", str(value.application_uuid)) : path("services", str(value.service_uuid));

/** scheduledtask/resource.go flattenScheduledTaskFromList: the task's fields from Coolify's list; no timeout there keeps the stored one, else 300. */
const flattenTask = (state: ObjectValue, tasks: unknown): ObjectValue | null => {
  const found = Array.isArray(tasks) ? (tasks as Json[]).find((task) => task.uuid === state.uuid) : undefined;
  if (!found) return null;
  return {
    ...state,
    name: str(found.name as string),
    command: str(found.command as string),
    frequency: str(found.frequency as string),
    enabled: found.enabled === true,
    container: typeof found.container === "string" ? found.container : "",
    timeout: typeof found.timeout === "number" ? found.timeout : unset(state.timeout) ? 300 : (state.timeout ?? null),
  };
};

/**
 * internal/service/scheduledtask/resource.go with internal/client/scheduled_tasks.go: create is POST
 * /{parent}/scheduled-tasks with the schema's defaults for what the configuration leaves out
 * (`enabled` true, `container` "", which is not sent, `timeout` 300), then the list read back; update
 * PATCHes the changed fields; delete is DELETE .../scheduled-tasks/{uuid}; read finds the task in GET
 * .../scheduled-tasks and drops it when the list or the task is gone.
 */
const scheduledTask: TwinnedType = {
  applies: (value) => known(value.application_uuid) || known(value.service_uuid),
  parent: taskParent,
  async create(api, planned) {
    const container = known(planned.container) ? str(planned.container) : "";
    const body: Json = {
      name: planned.name,
      command: planned.command,
      frequency: planned.frequency,
      enabled: known(planned.enabled) ? planned.enabled : true,
      ...(container !== "" ? { container } : {}),
      timeout: known(planned.timeout) ? planned.timeout : 300,
    };
    const created = await api.call("POST", `${taskParent(planned)}/scheduled-tasks`, body);
    const uuid = str(created?.uuid as string);
    const withUuid = fill(planned, { uuid, enabled: body.enabled as boolean, container, timeout: body.timeout as number });
    return flattenTask(withUuid, await api.call("GET", `${taskParent(planned)}/scheduled-tasks`)) ?? withUuid;
  },
  async update(api, prior, planned) {
    const changed = ["name", "command", "frequency", "enabled", "container", "timeout"].filter(
      (name) => known(planned[name]) && !sameValue(planned[name], prior[name] ?? null),
    );
    await api.call("PATCH", `${taskParent(planned)}/scheduled-tasks${path(str(prior.uuid))}`, pick(planned, changed));
    return flattenTask(planned, await api.call("GET", `${taskParent(planned)}/scheduled-tasks`)) ?? planned;
  },
  async remove(api, prior) {
    await api.call("DELETE", `${taskParent(prior)}/scheduled-tasks${path(str(prior.uuid))}`, undefined, true);
  },
  async read(api, state) {
    const tasks = await api.call("GET", `${taskParent(state)}/scheduled-tasks`, undefined, true);
    return tasks ? flattenTask(state, tasks) : null;
  },
};

/** internal/service/envsbulk/resource.go apiParentType: the resource type's collection. */
const bulkParent = (value: ObjectValue): string => path(`${str(value.resource_type)}s`, str(value.resource_uuid));

/**
 * internal/service/envsbulk/resource.go with internal/client/environment_variables.go: create and
 * update PATCH /{type}s/{uuid}/envs/bulk with `data`, every variable sorted by key; delete leaves
 * the variables in place; read keeps the stored keys Coolify still has (a non-preview one first,
 * PreferNonPreviewEnvVarsByKey), a value Coolify hides keeping the stored one (PreserveEnvVarValue).
 */
const envsBulk: TwinnedType = {
  parent: bulkParent,
  async create(api, planned) {
    const variables = isObject(planned.variables) ? planned.variables : {};
    const data = Object.keys(variables)
      .sort()
      .map((key) => ({ key, value: str(variables[key]) }));
    await api.call("PATCH", `${bulkParent(planned)}/envs/bulk`, { data });
    return planned;
  },
  async update(api, _prior, planned) {
    return envsBulk.create(api, planned, {});
  },
  async remove() {},
  async read(api, state) {
    const list = await api.call("GET", `${bulkParent(state)}/envs`, undefined, true);
    if (!list) return null;
    const envs = (Array.isArray(list) ? (list as Json[]) : []).sort((a, b) => Number(a.is_preview === true) - Number(b.is_preview === true));
    const stored = isObject(state.variables) ? state.variables : {};
    const managed: ObjectValue = {};
    for (const [key, prior] of Object.entries(stored)) {
      const found = envs.find((item) => item.key === key);
      if (!found) continue;
      const current = typeof found.value === "string" ? found.value : "";
      managed[key] = current !== "" || typeof prior !== "string" || prior === "" ? current : prior;
    }
    return { ...state, variables: managed };
  },
};

/**
 * internal/service/resourceaction/resource.go executeAction with internal/client/{applications,
 * services}.go: create POSTs /{type}s/{uuid}/{start|stop|restart} (an "already running" start or
 * "already stopped" stop counts as done); there is no update (every attribute replaces); read and
 * delete call nothing.
 */
const resourceAction: TwinnedType = {
  applies: (value) => ["application", "service"].includes(str(value.resource_type)),
  parent: (value) => path(`${str(value.resource_type)}s`, str(value.resource_uuid)),
  async create(api, planned) {
    const action = str(planned.action);
    if (!["start", "stop", "restart"].includes(action)) throw new ApiError(`unsupported combination: ${str(planned.resource_type)}/${action}`);
    try {
      await api.call("POST", `${path(`${str(planned.resource_type)}s`, str(planned.resource_uuid))}/${action}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(action === "start" && message.includes("already running")) && !(action === "stop" && message.includes("already stopped"))) throw error;
    }
    return planned;
  },
  async update() {
    throw new ApiError("coolify_resource_action does not support in-place updates");
  },
  async remove() {},
  async read(_api, state) {
    return state;
  },
};

export const APPLICATION_SIDE_TWINNED: Readonly<Record<string, TwinnedType>> = {
  coolify_application: publicGitApplication,
  coolify_application_private_git: privateGitApplication,
  coolify_application_dockerfile: dockerfileApplication,
  coolify_service: service,
  coolify_scheduled_task: scheduledTask,
  coolify_envs_bulk: envsBulk,
  coolify_resource_action: resourceAction,
};
