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
 * The status a new server gets; unchanged for any other type or an update (see hcloudServerUpdate
 * for what an update does to the server's power).
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

/**
 * Root disk size in GB of each server type, as `GET /server_types` answers it (`disk`): from
 * mixxor/eu-cloud-prices prices/hetzner.json at commit 0bc060b (`disk_gb`, fetched 2026-02-23).
 * A type missing here (the retired generation) has no disk rule applied.
 */
export const SERVER_TYPE_DISK_GB: Readonly<Record<string, number>> = {
  cx23: 40,
  cx33: 80,
  cx43: 160,
  cx53: 320,
  cax11: 40,
  cax21: 80,
  cax31: 160,
  cax41: 320,
  cpx22: 80,
  cpx32: 160,
  cpx42: 320,
  cpx52: 480,
  cpx62: 640,
  ccx13: 80,
  ccx23: 160,
  ccx33: 240,
  ccx43: 360,
  ccx53: 600,
  ccx63: 960,
};

/** A server's root disk as the stand-in keeps it, in the resource's private state (Terraform stores it beside the state). */
export interface ServerDisk {
  readonly disk_gb: number;
}

/** What the provider and the API do to a server for one update: the power calls in order, and what is left. */
export interface ServerUpdate {
  /** The provider's calls that cut or restore power, as hetznercloud/hcloud-go v2.35.0 hcloud/server.go names their routes. */
  readonly powerCalls: readonly string[];
  /** Hetzner's refusal, after the power calls were made. */
  readonly refusal?: string;
  /** The server's status afterwards. */
  readonly status: Value;
  /** Its root disk afterwards (GB), where known. */
  readonly diskGb?: number;
}

/**
 * Where the local hcloud provider appends the calls it makes to cut or restore a server's power, one
 * `<server name>\t<route>` line each, so a test can see the downtime an apply caused.
 */
export const HCLOUD_POWER_LOG_VARIABLE = "LOCAL_PROVIDER_HCLOUD_POWER_LOG";

const POWEROFF = "POST /servers/{id}/actions/poweroff";
const POWERON = "POST /servers/{id}/actions/poweron";
const CHANGE_TYPE = "POST /servers/{id}/actions/change_type";

/** The disk a server is created with: its type's. */
export const createdDisk = (serverType: Value): number | undefined => (typeof serverType === "string" ? SERVER_TYPE_DISK_GB[serverType] : undefined);

/**
 * What an in-place update of a server does to its power and disk (resourceServerUpdate in
 * hetznercloud/terraform-provider-hcloud v1.59.0 internal/server/resource.go):
 *
 * - `server_type` (lines 586-607): the provider calls Poweroff when the server is running (a hard
 *   power cut, not an ACPI shutdown: hcloud-go's Poweroff posts to /actions/poweroff, Shutdown to
 *   /actions/shutdown), then ChangeType with `upgrade_disk` = !keep_disk. The API needs the server
 *   off, copies its disk and starts it again; it moves a server only to a type whose disk is at
 *   least as big as the server's, so a disk grown by an earlier change (upgrade_disk) rules out every
 *   smaller type, and answers `invalid_server_type` (Hetzner Cloud API reference, docs.hetzner.cloud,
 *   "Change the Type of a Server" and its call specific error codes; hcloud-go v2.35.0
 *   hcloud/error.go line 41). The provider had already powered the server off and returns the
 *   error: the server stays off.
 * - `public_net` (updatePublicNet, lines 735-821): Poweroff, the primary IP (un)assignments, then
 *   powerOnServer (lines 1394-1407): the server runs afterwards, even one that was off.
 */
export const hcloudServerUpdate = (prior: ObjectValue, planned: ObjectValue, diskGb: number | undefined): ServerUpdate => {
  const running = prior.status === "running";
  const calls: string[] = [];
  let status: Value = prior.status ?? null;
  let disk = diskGb;
  if (!sameValue(prior.server_type ?? null, planned.server_type ?? null)) {
    if (running) calls.push(POWEROFF);
    calls.push(CHANGE_TYPE);
    const target = createdDisk(planned.server_type ?? null);
    if (target !== undefined && disk !== undefined && target < disk) {
      return {
        powerCalls: calls,
        status: "off",
        diskGb: disk,
        refusal: `invalid_server_type: the Hetzner Cloud API refuses to change server ${String(prior.name)} to ${String(planned.server_type)}: its ${target} GB disk is smaller than the server's ${disk} GB (a disk upgraded by an earlier type change cannot shrink; keep_disk = true keeps the smaller disk); the provider had powered the server off first`,
      };
    }
    if (target !== undefined && planned.keep_disk !== true) disk = Math.max(disk ?? 0, target);
  }
  if (!sameValue(prior.public_net ?? null, planned.public_net ?? null)) {
    // updatePublicNet powers off whatever the status, and powerOnServer powers on unconditionally.
    calls.push(POWEROFF, POWERON);
    status = "running";
  }
  return { powerCalls: calls, status, diskGb: disk };
};

/**
 * Why Hetzner refuses to attach this volume, or undefined: the API attaches a volume only to a server
 * in the volume's location (Hetzner Cloud API reference, "Attach Volume to a Server", POST
 * /volumes/{id}/actions/attach; "Create a Volume" says the same of a volume created with a server,
 * which is created in that server's location). The provider calls
 * attach when `server_id` changes (resourceVolumeUpdate in hetznercloud/terraform-provider-hcloud
 * v1.59.0 internal/volume/resource.go, AttachWithOpts) and on create with a server
 * (resourceVolumeCreate). `locationOf` gives a server's location by id, where the stand-in knows it.
 */
export const hcloudVolumeAttachRefusal = (prior: Value, planned: Value, locationOf: (serverId: string) => string | undefined): string | undefined => {
  if (!isObject(planned)) return undefined;
  const serverId = planned.server_id ?? null;
  if (serverId === null || isUnknown(serverId) || (isObject(prior) && sameValue(prior.server_id ?? null, serverId))) return undefined;
  const volumeLocation = isObject(prior) ? (prior.location ?? null) : (planned.location ?? null);
  const serverLocation = locationOf(String(serverId));
  if (typeof volumeLocation !== "string" || serverLocation === undefined || serverLocation === volumeLocation) return undefined;
  return `the Hetzner Cloud API refuses to attach volume ${String(planned.name)} (in ${volumeLocation}) to server ${serverId} (in ${serverLocation}): a volume attaches only to a server in its own location (POST /volumes/{id}/actions/attach)`;
};

/** A volume created with a server is created in that server's location (Hetzner Cloud API reference, "Create a Volume"). */
export const hcloudVolumeCreated = (prior: Value, applied: Value, locationOf: (serverId: string) => string | undefined): Value => {
  if (isObject(prior) || !isObject(applied) || !isUnknown(applied.location ?? null)) return applied;
  const serverId = applied.server_id ?? null;
  const location = serverId === null || isUnknown(serverId) ? undefined : locationOf(String(serverId));
  return location === undefined ? applied : { ...applied, location };
};
