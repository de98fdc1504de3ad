/**
 * Attributes that force replacement, per provider and resource type.
 *
 * The local provider stand-in serves the real provider schemas to real Terraform. Schemas in
 * `terraform providers schema -json` form carry no ForceNew / RequiresReplace information, so the
 * stand-in reads this table to answer `RequiresReplace` in PlanResourceChange the way the real
 * provider would (as Terraform's `mock_provider` does).
 *
 * Read from the provider sources at their pinned tags (all tags present upstream):
 *   - hetznercloud/terraform-provider-hcloud v1.59.0 (SDKv2 `ForceNew: true`, plugin-framework
 *     `RequiresReplace()` plan modifiers and `ModifyPlan` replacements)
 *   - coolify-terraform/terraform-provider-coolify v0.1.17 (plugin-framework `RequiresReplace()`)
 *   - cloudflare/terraform-provider-cloudflare v5.14.0 (plugin-framework `RequiresReplace()`)
 *   - hashicorp/terraform-provider-null v3.2.4 (custom map plan modifier)
 * Only facts are recorded here (attribute path + file that makes it replace); no upstream code.
 * Every path was checked against /work/shared/provider-schemas/.
 *
 * A resource listed with an empty array was read and has no replacing attribute (every change is
 * an in-place update). A resource type that is absent was not reviewed.
 * A source ending in "(conditional)" means the provider only sometimes asks for replacement.
 */

/** One attribute that forces replacement, with where the provider says so. */
export interface ReplacementRule {
  /** Attribute path inside the resource, dot-separated for nested attributes/blocks (e.g. "location", "public_net.ipv4_enabled"). Only paths that exist in the schema. */
  readonly path: string;
  /** "repo tag path" of the provider source that makes it force replacement, e.g. "hetznercloud/terraform-provider-hcloud v1.59.0 internal/server/resource.go". */
  readonly source: string;
}

const HCLOUD = "hetznercloud/terraform-provider-hcloud v1.59.0";
const COOLIFY = "coolify-terraform/terraform-provider-coolify v0.1.17";
const CLOUDFLARE = "cloudflare/terraform-provider-cloudflare v5.14.0";
const NULL = "hashicorp/terraform-provider-null v3.2.4";

/** Rules for several paths made to replace by the same source file. */
function rules(repoAndTag: string, file: string, paths: readonly string[]): readonly ReplacementRule[] {
  const source = `${repoAndTag} ${file}`;
  return paths.map((path) => ({ path, source }));
}

// Coolify builds every application type and every database type from one shared attribute set,
// so the parent/placement attributes are cited once per shared file.
const COOLIFY_APPLICATION_CORE = rules(COOLIFY, "internal/service/application/common_schema.go", [
  "project_uuid",
  "server_uuid",
  "destination_uuid",
  "environment_name",
]);
const COOLIFY_DATABASE_CORE = rules(COOLIFY, "internal/service/database/common.go", ["project_uuid", "server_uuid", "destination_uuid", "environment_name"]);

/** Provider type ("hcloud", "coolify", "cloudflare", "null") -> resource type -> rules. */
export const REPLACEMENTS: Readonly<Record<string, Readonly<Record<string, readonly ReplacementRule[]>>>> = {
  hcloud: {
    // server_type, backups, public_net, network, firewall_ids, placement_group_id ... update in place.
    hcloud_server: rules(HCLOUD, "internal/server/resource.go", ["image", "location", "datacenter", "user_data", "ssh_keys"]),
    // ModifyPlan additionally re-requests replacement of network_id / ip when subnet_id no longer
    // matches them; both already replace on any change.
    hcloud_server_network: rules(HCLOUD, "internal/server/resource_network.go", ["server_id", "network_id", "subnet_id", "ip"]),
    hcloud_primary_ip: rules(HCLOUD, "internal/primaryip/resource.go", ["type", "location", "datacenter"]),
    hcloud_volume: rules(HCLOUD, "internal/volume/resource.go", ["location"]),
    hcloud_volume_attachment: rules(HCLOUD, "internal/volume/resource_attachment.go", ["volume_id", "server_id"]),
    hcloud_firewall: [],
    hcloud_firewall_attachment: rules(HCLOUD, "internal/firewall/attachment_resource.go", ["firewall_id"]),
    hcloud_network: rules(HCLOUD, "internal/network/resource.go", ["ip_range"]),
    hcloud_network_subnet: rules(HCLOUD, "internal/network/resource_subnet.go", ["network_id", "type", "network_zone", "ip_range", "vswitch_id"]),
    hcloud_network_route: rules(HCLOUD, "internal/network/resource_route.go", ["network_id", "destination", "gateway"]),
    // `type` has no ForceNew even though the API cannot change it.
    hcloud_placement_group: [],
    hcloud_ssh_key: rules(HCLOUD, "internal/sshkey/resource.go", ["public_key"]),
    // hcloud_certificate is registered (hcloud/provider.go) as an alias of the uploaded certificate.
    hcloud_certificate: rules(HCLOUD, "internal/certificate/resource.go", ["private_key", "certificate"]),
    hcloud_uploaded_certificate: rules(HCLOUD, "internal/certificate/resource.go", ["private_key", "certificate"]),
    hcloud_managed_certificate: rules(HCLOUD, "internal/certificate/resource.go", ["domain_names"]),
    hcloud_floating_ip: rules(HCLOUD, "internal/floatingip/resource.go", ["type", "home_location"]),
    hcloud_floating_ip_assignment: rules(HCLOUD, "internal/floatingip/resource_assignment.go", ["floating_ip_id"]),
    hcloud_load_balancer: rules(HCLOUD, "internal/loadbalancer/resource.go", ["location", "network_zone"]),
    hcloud_load_balancer_network: rules(HCLOUD, "internal/loadbalancer/resource_network.go", ["load_balancer_id", "network_id", "subnet_id", "ip"]),
    hcloud_load_balancer_service: rules(HCLOUD, "internal/loadbalancer/resource_service.go", ["load_balancer_id", "protocol", "listen_port"]),
    hcloud_load_balancer_target: rules(HCLOUD, "internal/loadbalancer/resource_target.go", ["load_balancer_id", "server_id", "label_selector", "ip"]),
    hcloud_rdns: rules(HCLOUD, "internal/rdns/resource_rdns.go", ["server_id", "primary_ip_id", "floating_ip_id", "load_balancer_id", "ip_address"]),
    hcloud_snapshot: rules(HCLOUD, "internal/snapshot/resource.go", ["server_id"]),
    hcloud_storage_box: rules(HCLOUD, "internal/storagebox/resource.go", ["location", "ssh_keys"]),
    hcloud_storage_box_snapshot: rules(HCLOUD, "internal/storageboxsnapshot/resource.go", ["storage_box_id"]),
    hcloud_storage_box_subaccount: rules(HCLOUD, "internal/storageboxsubaccount/resource.go", ["storage_box_id"]),
    hcloud_zone: rules(HCLOUD, "internal/zone/resource.go", ["name", "mode"]),
    hcloud_zone_rrset: rules(HCLOUD, "internal/zonerrset/resource.go", ["zone", "name", "type"]),
  },

  coolify: {
    coolify_application: COOLIFY_APPLICATION_CORE,
    coolify_application_docker_image: COOLIFY_APPLICATION_CORE,
    // The Coolify API takes Dockerfile content only at creation time.
    coolify_application_dockerfile: [
      ...COOLIFY_APPLICATION_CORE,
      ...rules(COOLIFY, "internal/service/application/resource_dockerfile.go", ["dockerfile_location"]),
    ],
    coolify_application_github_app: COOLIFY_APPLICATION_CORE,
    coolify_application_private_git: [
      ...COOLIFY_APPLICATION_CORE,
      ...rules(COOLIFY, "internal/service/application/resource_private_git.go", ["private_key_uuid"]),
    ],
    coolify_application_destination: rules(COOLIFY, "internal/service/applicationdestination/resource.go", ["application_uuid", "destination_uuid"]),
    coolify_application_preview: rules(COOLIFY, "internal/service/applicationpreview/resource.go", ["application_uuid", "pull_request_id"]),

    coolify_database_clickhouse: COOLIFY_DATABASE_CORE,
    coolify_database_dragonfly: COOLIFY_DATABASE_CORE,
    coolify_database_keydb: COOLIFY_DATABASE_CORE,
    coolify_database_mariadb: COOLIFY_DATABASE_CORE,
    coolify_database_mongodb: COOLIFY_DATABASE_CORE,
    coolify_database_mysql: COOLIFY_DATABASE_CORE,
    coolify_database_postgresql: COOLIFY_DATABASE_CORE,
    coolify_database_redis: COOLIFY_DATABASE_CORE,
    coolify_database_backup: rules(COOLIFY, "internal/service/database/backup/resource.go", ["database_uuid"]),
    coolify_backup_execution: rules(COOLIFY, "internal/service/backupexecution/resource.go", ["database_uuid", "backup_uuid", "execution_uuid"]),

    // Action-style resources: `triggers` is how the user asks for a re-run, so it replaces.
    coolify_deployment: rules(COOLIFY, "internal/service/deployment/resource.go", ["application_uuid", "triggers"]),
    coolify_server_validate: rules(COOLIFY, "internal/service/servervalidate/resource.go", ["server_uuid", "triggers"]),
    coolify_s3_storage_validate: rules(COOLIFY, "internal/service/s3storagevalidate/resource.go", ["s3_storage_uuid", "triggers"]),
    coolify_cloud_token_validate: rules(COOLIFY, "internal/service/cloudtokenvalidate/resource.go", ["cloud_token_uuid", "triggers"]),
    coolify_resource_action: rules(COOLIFY, "internal/service/resourceaction/resource.go", ["resource_uuid", "resource_type", "action", "triggers"]),

    coolify_environment: rules(COOLIFY, "internal/service/environment/resource.go", ["project_uuid"]),
    coolify_environment_variable: rules(COOLIFY, "internal/service/environmentvariable/resource.go", [
      "application_uuid",
      "service_uuid",
      "database_uuid",
      "key",
    ]),
    coolify_envs_bulk: rules(COOLIFY, "internal/service/envsbulk/resource.go", ["resource_type", "resource_uuid"]),
    coolify_shared_environment_variable: rules(COOLIFY, "internal/service/sharedenv/resource.go", [
      "scope",
      "project_uuid",
      "environment",
      "server_uuid",
      "key",
    ]),
    coolify_scheduled_task: rules(COOLIFY, "internal/service/scheduledtask/resource.go", ["application_uuid", "service_uuid"]),
    coolify_service: rules(COOLIFY, "internal/service/service/resource.go", ["project_uuid", "server_uuid", "destination_uuid", "environment_name", "type"]),
    coolify_storage: rules(COOLIFY, "internal/service/storage/resource.go", ["application_uuid", "service_uuid", "database_uuid", "resource_uuid"]),
    coolify_storage_backup: rules(COOLIFY, "internal/service/volumebackup/resource.go", ["application_uuid", "service_uuid", "database_uuid", "storage_uuid"]),
    coolify_resource_tag: rules(COOLIFY, "internal/service/resourcetag/resource.go", ["resource_type", "resource_uuid", "tag_name"]),
    coolify_destination: rules(COOLIFY, "internal/service/destination/resource.go", ["server_uuid", "network", "type"]),
    coolify_cloud_token: rules(COOLIFY, "internal/service/cloudtoken/resource.go", ["cloud_provider"]),

    // coolify_server (internal/service/server/resource.go) and the resources below have no
    // replacing attribute at v0.1.17: parent ids and all settings update in place.
    coolify_server: [],
    coolify_project: [],
    coolify_private_key: [],
    coolify_s3_storage: [],
    coolify_notification_discord: [],
    // Cloud-provisioned servers: the cloud-side fields are only sent on create.
    coolify_server_hetzner: rules(COOLIFY, "internal/service/hetzner/resource.go", [
      "cloud_provider_token_uuid",
      "server_type",
      "location",
      "image",
      "hetzner_ssh_key_ids",
      "hetzner_firewall_ids",
      "hetzner_network_ids",
      "cloud_init_script",
      "enable_backups",
    ]),
    coolify_server_digitalocean: rules(COOLIFY, "internal/service/digitalocean/resource.go", [
      "cloud_provider_token_uuid",
      "size",
      "region",
      "image",
      "digitalocean_ssh_key_ids",
      "cloud_init_script",
    ]),
    coolify_server_vultr: rules(COOLIFY, "internal/service/vultr/resource.go", [
      "cloud_provider_token_uuid",
      "plan",
      "region",
      "os_id",
      "vultr_ssh_key_ids",
      "cloud_init_script",
    ]),
    coolify_server_cloudflare_tunnel: rules(COOLIFY, "internal/service/servercftunnel/resource.go", ["server_uuid"]),
    coolify_server_docker_cleanup: rules(COOLIFY, "internal/service/serverdockercleanup/resource.go", ["server_uuid"]),
    coolify_server_log_drain: rules(COOLIFY, "internal/service/serverlogdrain/resource.go", ["server_uuid"]),
    coolify_server_proxy: rules(COOLIFY, "internal/service/serverproxy/resource.go", ["server_uuid"]),
    coolify_server_sentinel: rules(COOLIFY, "internal/service/serversentinel/resource.go", ["server_uuid"]),
  },

  cloudflare: {
    // name, content, ttl, proxied, data ... update in place; only the zone and record type replace.
    cloudflare_dns_record: rules(CLOUDFLARE, "internal/services/dns_record/schema.go", ["zone_id", "type"]),
    cloudflare_zero_trust_access_application: rules(CLOUDFLARE, "internal/services/zero_trust_access_application/schema.go", ["account_id", "zone_id"]),
    // `id` is computed (UseStateForUnknown) but also carries RequiresReplace; it mirrors setting_id.
    cloudflare_zone_setting: rules(CLOUDFLARE, "internal/services/zone_setting/schema.go", ["id", "setting_id", "zone_id"]),
  },

  null: {
    // The custom map modifier (internal/planmodifiers/attribute.go) replaces when triggers change,
    // except when the only differences are null values (maps stored by the old SDK dropped them).
    null_resource: [{ path: "triggers", source: `${NULL} internal/provider/resource.go (conditional)` }],
  },
};
