/**
 * What terraform-plugin-framework plans that a schema's JSON cannot say, for the Coolify provider
 * (coolify-terraform/terraform-provider-coolify v0.1.17): an optional attribute's `Default`.
 */
import { isObject, type ObjectValue, type Value } from "./cty";

/**
 * The `Default` of each optional attribute, which terraform-plugin-framework plans wherever the
 * configuration leaves it null, whatever the state holds (the schema's JSON cannot say it):
 * internal/service/server/common.go CommonServerAttrs (port 22, user root, not a build server, 2
 * concurrent builds, 3600 s, a queue of 25, a 10 s connection timeout, 80 % disk threshold) and
 * internal/service/s3storage/resource.go (`is_usable` false).
 */
export const COOLIFY_DEFAULTS: Readonly<Record<string, ObjectValue>> = {
  coolify_server: {
    port: 22,
    user: "root",
    is_build_server: false,
    concurrent_builds: 2,
    dynamic_timeout: 3600,
    deployment_queue_limit: 25,
    connection_timeout: 10,
    server_disk_usage_notification_threshold: 80,
  },
  coolify_s3_storage: { is_usable: false },
};

/** The proposed object with the framework's defaults where the configuration is null (the state's value notwithstanding). */
export const withDefaults = (typeName: string, proposed: Value, config: Value): Value => {
  const defaults = COOLIFY_DEFAULTS[typeName];
  if (!defaults || !isObject(proposed)) return proposed;
  const result: ObjectValue = { ...proposed };
  for (const [name, value] of Object.entries(defaults)) if (!isObject(config) || (config[name] ?? null) === null) result[name] = value;
  return result;
};
