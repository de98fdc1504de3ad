/**
 * Hetzner's rules for changing a running server, enforced by the local hcloud provider on apply as
 * the real provider (hetznercloud/terraform-provider-hcloud v1.59.0) and the Hetzner Cloud API would:
 * the stand-in keeps each server's power state in its `status` attribute, as the real provider does
 * from the API (internal/server/resource.go, `status` from the server's status).
 */
import { isObject, isUnknown, type ObjectValue, sameValue, type Value } from "./cty";

/**
 * A server the provider creates is running: it is created with `start_after_create` (the API's
 * default) unless it has no public network, and then powered on once its network is attached
 * (internal/server/resource.go, onServerCreateWithoutPublicNet and powerOnServer).
 */
const CREATED_STATUS = "running";

/**
 * The status a new server gets; unchanged for any other type or an update. A change of server type
 * is not refused and leaves a running server running: the provider powers it off first
 * (internal/server/resource.go lines 586-599, `Poweroff` when the status is running), then calls
 * change_type with `upgrade_disk` = !keep_disk (lines 600-603), which the API answers by copying
 * the disk and starting the server again (Hetzner Cloud API reference, POST
 * /servers/{id}/actions/change_type: "Server must be powered off ... starts it again").
 */
export const hcloudCreated = (typeName: string, prior: Value, applied: Value): Value =>
  typeName === "hcloud_server" && !isObject(prior) && isObject(applied) && (isUnknown(applied.status ?? null) || applied.status === null)
    ? { ...applied, status: CREATED_STATUS }
    : applied;

const groupOf = (server: ObjectValue): Value => server.placement_group_id ?? null;

/**
 * Why Hetzner or the provider refuses this update of a running server, or undefined.
 *
 * - Out of a placement group: setPlacementGroup (internal/server/resource.go) refuses a server that is
 *   not off before calling remove_from_placement_group.
 * - Into a placement group: POST /servers/{id}/actions/add_to_placement_group answers 422
 *   `server_not_stopped` for a running server (Hetzner Cloud API reference, docs.hetzner.cloud,
 *   "Add a Server to a Placement Group": the server must be powered off); the provider calls it
 *   without powering the server off.
 */
export const hcloudRefusal = (typeName: string, prior: Value, planned: Value): string | undefined => {
  const deletion = hcloudDeleteRefusal(typeName, prior, planned);
  if (deletion) return deletion;
  if (typeName !== "hcloud_server" || !isObject(prior) || !isObject(planned)) return undefined;
  if (prior.status === "off" || sameValue(groupOf(prior), groupOf(planned))) return undefined;
  if (groupOf(prior) !== null) {
    return "removing a running server from a placement group is currently not supported in the provider. You can shutdown the server yourself, apply the changes again and then start the server manually as a workaround";
  }
  return "server_not_stopped: the action requires a stopped server (POST /servers/{id}/actions/add_to_placement_group, 422)";
};

/**
 * Why Hetzner refuses to delete this resource, or undefined: a resource whose delete protection is on
 * cannot be deleted, and the API answers with error code `protected` (hetznercloud/hcloud-go v2.35.0,
 * the version hetznercloud/terraform-provider-hcloud v1.59.0 pins in go.mod: hcloud/error.go,
 * ErrorCodeProtected). The provider does not lift the protection before deleting: resourceServerDelete
 * (internal/server/resource.go) calls DeleteWithResult directly, and resourcePrimaryIPDelete
 * (internal/primaryip/resource.go) stops retrying on `protected`. A protection lifted in an earlier
 * apply is an in-place update (resourceServerUpdate, `delete_protection` changes call setProtection).
 */
export const hcloudDeleteRefusal = (typeName: string, prior: Value, planned: Value): string | undefined =>
  typeName.startsWith("hcloud_") && isObject(prior) && !isObject(planned) && prior.delete_protection === true
    ? `protected: ${typeName} ${String(prior.name ?? prior.id)} has delete protection on; the Hetzner Cloud API refuses to delete it (error code "protected")`
    : undefined;
