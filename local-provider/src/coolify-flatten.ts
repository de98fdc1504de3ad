/**
 * How coolify-terraform/terraform-provider-coolify v0.1.17 turns Coolify's answer into state on a
 * read (and so after an import, whose state holds only what the import id names): the twin's reads
 * (./coolify-twin.ts) go through these, so that an imported resource plans as the real provider
 * would plan it. Each function names the provider file it follows.
 */
import { isUnknown, type ObjectValue, type Value } from "./cty";

type Answer = Record<string, unknown>;

const unset = (value: Value | undefined): boolean => value === undefined || value === null || isUnknown(value);

/** The API's string, "" for a missing one (the client's Go structs decode null and absent as ""). */
const text = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

/** internal/flex/flex.go StringToFramework: "" is null. */
const stringOrNull = (value: unknown): Value => (text(value) === "" ? null : text(value));

/** internal/flex/flex.go StringValueOrDefault. */
const orDefault = (value: unknown, fallback: string): string => (text(value) === "" ? fallback : text(value));

/** internal/flex/flex.go SetStringIfConfigured: only a configured value follows a non-empty API value. */
const ifConfigured = (prior: Value | undefined, value: unknown): Value => (unset(prior) ? (prior ?? null) : text(value) !== "" ? text(value) : (prior ?? null));

/** internal/flex/flex.go SetStringOrClear: a configured value follows the API, "" clears it. */
const orClear = (prior: Value | undefined, value: unknown): Value => (unset(prior) ? (prior ?? null) : stringOrNull(value));

/** internal/flex/flex.go SetStringSeedOrClear: also seeds a null value from a non-empty API value (import). */
const seedOrClear = (prior: Value | undefined, value: unknown): Value =>
  unset(prior) ? (text(value) !== "" ? text(value) : (prior ?? null)) : stringOrNull(value);

/** internal/flex/flex.go SetInt64IfConfigured. */
const intIfConfigured = (prior: Value | undefined, value: unknown): Value =>
  unset(prior) ? (prior ?? null) : typeof value === "number" ? value : (prior ?? null);

/** application/common_flatten.go setBoolDefault: the API's value, else the default for a null one. */
const boolDefault = (prior: Value | undefined, value: unknown, fallback: boolean): Value =>
  typeof value === "boolean" ? value : unset(prior) ? fallback : (prior ?? null);

/** internal/service/project/resource.go flattenProject. */
export const flattenProject = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  uuid: text(found.uuid),
  name: text(found.name),
  description: stringOrNull(found.description),
  icon_path: stringOrNull(found.icon_path),
  icon_storage_type: stringOrNull(found.icon_storage_type),
});

/** internal/service/environment/resource.go Read: id and name from Coolify; an empty description is "" unless configured. */
export const flattenEnvironment = (state: ObjectValue, found: Answer): ObjectValue => ({
  ...state,
  id: typeof found.id === "number" ? found.id : (state.id ?? null),
  name: text(found.name),
  description: text(found.description) !== "" ? text(found.description) : unset(state.description) ? "" : (state.description ?? null),
});

/**
 * internal/service/environmentvariable/resource.go flattenEnvToModel: every field from Coolify, but
 * the build and runtime flags, which are the provider's `false` for a service's variable; a value
 * Coolify does not show keeps the stored one (internal/client/environment_variables.go PreserveEnvVarValue).
 */
export const flattenVariable = (state: ObjectValue, found: Answer, ofApplication: boolean): ObjectValue => ({
  ...state,
  key: text(found.key),
  value: text(found.value) !== "" || unset(state.value) ? text(found.value) : (state.value ?? null),
  is_preview: found.is_preview === true,
  is_build: ofApplication && found.is_buildtime === true,
  is_runtime: ofApplication && found.is_runtime === true,
  is_literal: found.is_literal === true,
  is_multiline: found.is_multiline === true,
  is_shown_once: found.is_shown_once === true,
  comment: text(found.comment),
});

/** internal/flex/flex.go SetStringSeedIfConfigured: seeds a null value from an API value other than Coolify's default. */
const seedIfConfigured = (prior: Value | undefined, value: unknown, apiDefault: string): Value =>
  unset(prior) ? (text(value) !== "" && text(value) !== apiDefault ? text(value) : (prior ?? null)) : text(value) !== "" ? text(value) : (prior ?? null);

/**
 * application/common.go normalizeGitRepository: a bare `owner/repo` (how Coolify stores a github.com
 * repository) reads as its https URL; a URL, a `git@` address or a host-prefixed path stays.
 */
const normalizeGitRepository = (value: string): string => {
  if (value.includes("://") || value.startsWith("git@")) return value;
  const [slash, dot] = [value.indexOf("/"), value.indexOf(".")];
  if (dot >= 0 && (slash < 0 || dot < slash)) return value;
  return slash >= 0 ? `https://github.com/${value}` : value;
};

/** application/common.go resolveGitRepository: a stored value that names the same repository stays. */
const resolveGitRepository = (prior: Value | undefined, value: unknown): Value => {
  const [api, normalized] = [text(value), normalizeGitRepository(text(value))];
  const canonical = (repository: string): string => repository.replace(/^https?:\/\//, "");
  if (typeof prior === "string" && (prior === api || prior === normalized || canonical(prior) === canonical(api))) return prior;
  return normalized;
};

/**
 * internal/service/application/common_flatten.go flattenApplicationCommon (with flattenLimitsAndHealth,
 * flattenExtendedFields and flattenExtendedDefaults), generic over the application kinds as the
 * provider is: an attribute is written only when the kind's schema has it (the provider skips a nil
 * field pointer), so `state` must hold every attribute of the schema. The place attributes follow
 * Coolify only when its answer has them, which Coolify's does not: they stay as the create or the
 * import set them.
 */
export const flattenApplicationCommon = (state: ObjectValue, found: Answer): ObjectValue => {
  const common: ObjectValue = {
    uuid: text(found.uuid),
    name: text(found.name),
    description: stringOrNull(found.description),
    git_repository: resolveGitRepository(state.git_repository, found.git_repository),
    git_branch: text(found.git_branch),
    build_pack: text(found.build_pack),
    domains: text(found.fqdn),
    status: stringOrNull(found.status),
    ports_exposes: unset(state.ports_exposes) && text(found.ports_exposes) !== "" ? text(found.ports_exposes) : (state.ports_exposes ?? null),
    dockerfile_location: text(found.dockerfile_location) !== "" ? text(found.dockerfile_location) : (state.dockerfile_location ?? null),
    install_command: seedOrClear(state.install_command, found.install_command),
    build_command: seedOrClear(state.build_command, found.build_command),
    start_command: seedOrClear(state.start_command, found.start_command),
    limits_memory: ifConfigured(state.limits_memory, found.limits_memory),
    limits_memory_swap: ifConfigured(state.limits_memory_swap, found.limits_memory_swap),
    limits_memory_reservation: ifConfigured(state.limits_memory_reservation, found.limits_memory_reservation),
    limits_cpus: ifConfigured(state.limits_cpus, found.limits_cpus),
    limits_cpuset: orClear(state.limits_cpuset, found.limits_cpuset),
    limits_memory_swappiness: intIfConfigured(state.limits_memory_swappiness, found.limits_memory_swappiness),
    limits_cpu_shares: intIfConfigured(state.limits_cpu_shares, found.limits_cpu_shares),
    health_check_path: ifConfigured(state.health_check_path, found.health_check_path),
    health_check_port: orClear(state.health_check_port, found.health_check_port),
    health_check_interval: intIfConfigured(state.health_check_interval, found.health_check_interval),
    health_check_timeout: intIfConfigured(state.health_check_timeout, found.health_check_timeout),
    health_check_retries: intIfConfigured(state.health_check_retries, found.health_check_retries),
    health_check_start_period: intIfConfigured(state.health_check_start_period, found.health_check_start_period),
    health_check_command: orClear(state.health_check_command, found.health_check_command),
    health_check_response_text: orClear(state.health_check_response_text, found.health_check_response_text),
    health_check_host: orDefault(found.health_check_host, "localhost"),
    health_check_method: orDefault(found.health_check_method, "GET"),
    health_check_scheme: orDefault(found.health_check_scheme, "http"),
    health_check_type: orDefault(found.health_check_type, "http"),
    health_check_return_code: typeof found.health_check_return_code === "number" ? found.health_check_return_code : (state.health_check_return_code ?? null),
    health_check_enabled: found.health_check_enabled === true,
    is_auto_deploy_enabled: typeof found.is_auto_deploy_enabled === "boolean" ? found.is_auto_deploy_enabled : (state.is_auto_deploy_enabled ?? null),
    base_directory: seedIfConfigured(state.base_directory, found.base_directory, "/"),
    publish_directory: seedOrClear(state.publish_directory, found.publish_directory),
    docker_registry_image_tag: orClear(state.docker_registry_image_tag, found.docker_registry_image_tag),
    redirect: orDefault(found.redirect, "both"),
    static_image: orDefault(found.static_image, "nginx:alpine"),
    connect_to_docker_network: boolDefault(state.connect_to_docker_network, found.connect_to_docker_network, false),
    is_http_basic_auth_enabled: boolDefault(state.is_http_basic_auth_enabled, found.is_http_basic_auth_enabled, false),
    is_static: boolDefault(state.is_static, found.is_static, false),
    is_spa: boolDefault(state.is_spa, found.is_spa, false),
    is_force_https_enabled: boolDefault(state.is_force_https_enabled, found.is_force_https_enabled, true),
    is_container_label_escape_enabled: boolDefault(state.is_container_label_escape_enabled, found.is_container_label_escape_enabled, true),
    is_preserve_repository_enabled: boolDefault(state.is_preserve_repository_enabled, found.is_preserve_repository_enabled, false),
    use_build_server: boolDefault(state.use_build_server, found.use_build_server, false),
    is_preview_deployments_enabled: boolDefault(state.is_preview_deployments_enabled, found.is_preview_deployments_enabled, false),
    use_build_secrets: boolDefault(state.use_build_secrets, found.use_build_secrets, false),
    redeploy_on_update: unset(state.redeploy_on_update) ? false : (state.redeploy_on_update ?? null),
    instant_deploy: unset(state.instant_deploy) ? false : (state.instant_deploy ?? null),
    autogenerate_domain: unset(state.autogenerate_domain) ? true : (state.autogenerate_domain ?? null),
  };
  return { ...state, ...Object.fromEntries(Object.entries(common).filter(([name]) => name in state)) };
};

/**
 * resource_docker.go flattenDockerImageApplication (lines 248-267): the common flatten, then the image.
 * A stored image stays while Coolify's image name is it or its part before the first `:`; otherwise
 * Coolify's image name replaces it. After an import there is no stored image and Coolify's name,
 * which Coolify keeps without the tag (app/Services/DockerImageParser.php), is taken as it is.
 */
export const flattenDockerImageApplication = (state: ObjectValue, found: Answer): ObjectValue => {
  const flattened = flattenApplicationCommon(state, found);
  const apiImage = text(found.docker_registry_image_name);
  const stored = state.docker_image;
  if (unset(stored)) return { ...flattened, docker_image: apiImage };
  const priorImage = typeof stored === "string" ? stored : "";
  return priorImage === apiImage || priorImage.split(":")[0] === apiImage ? flattened : { ...flattened, docker_image: apiImage };
};

/** resource_dockerfile.go flattenDockerfileApplication: a stored Dockerfile (`dockerfile_location`) stays; after an import, the common flatten's value. */
export const flattenDockerfileApplication = (state: ObjectValue, found: Answer): ObjectValue => {
  const flattened = flattenApplicationCommon(state, found);
  return unset(state.dockerfile_location) ? flattened : { ...flattened, dockerfile_location: state.dockerfile_location ?? null };
};

/** resource_private_git.go flattenPrivateGitApplication: the key follows Coolify only when its answer names it, which it never does (ApplicationsController::removeSensitiveData shows at most `private_key_id`). */
export const flattenPrivateGitApplication = (state: ObjectValue, found: Answer): ObjectValue => {
  const flattened = flattenApplicationCommon(state, found);
  return text(found.private_key_uuid) === "" ? flattened : { ...flattened, private_key_uuid: text(found.private_key_uuid) };
};
