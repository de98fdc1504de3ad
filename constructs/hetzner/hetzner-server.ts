import { TerraformOutput, Token } from "cdktf";
import { Construct } from "constructs";
import { PrimaryIp } from "../../.gen/providers/hcloud/primary-ip";
import { Server } from "../../.gen/providers/hcloud/server";
import { Volume } from "../../.gen/providers/hcloud/volume";
import { type LabelRole, terraformId } from "../../config/naming";
import type { HetznerPlacement, ServerModel } from "../../model/environment";
import type { PrivateNetwork } from "./private-network";

export interface HetznerServerProps {
  readonly server: ServerModel;
  readonly placement: HetznerPlacement;
  /** Deletion and rebuild protection, `prevent_destroy` and the replacement guards. */
  readonly production: boolean;
  /**
   * Construct paths whose production protection a reviewed `production-protection` exception lifts
   * (the first of the two steps that remove a production server, docs/runbook/workers.md).
   */
  readonly protectionLifted: ReadonlySet<string>;
  readonly labels: (role: LabelRole) => Record<string, string>;
  readonly sshKeyIds: string[];
  readonly firewallId: string;
  /** First-boot configuration (cloud-init), with the environment's SSH host key in it. */
  readonly userData: string;
  /** Present when the environment has more than one server (the server then has a private address). */
  readonly privateNetwork?: PrivateNetwork;
  /** The server was built by hand and is imported (`adoptedInfra`), not created by this stack. */
  readonly adopted?: boolean;
}

/** Changing these would replace a production server for nothing: the running server keeps its own. */
const REPLACEMENT_GUARDED = ["image"];
/**
 * The user data holds the SSH host key, a secret: a pull request's plan sees only a placeholder
 * (tools/plan-placeholders.ts), whose different hash (hcloud v1.59.0 keeps the SHA-1 of `user_data`
 * in state and marks it ForceNew, internal/server/resource.go) would show every server replaced. It
 * is read at first boot only, so a running server, production or not, keeps what it was created with.
 */
const FIRST_BOOT_ONLY = ["user_data"];
/**
 * Hetzner hands a server its SSH keys only when it creates it, so a new key list forces replacement
 * (hetznercloud/terraform-provider-hcloud v1.59.0, internal/server/resource.go, `ssh_keys`:
 * `ForceNew: true`). In every environment a running server keeps its keys; the bootstrap rotates the
 * host's authorized_keys instead (docs/runbook/rotate-secrets.md). A server created or replaced for
 * another reason gets the current list: Terraform plans a replacement from the configuration without
 * ignored values (hashicorp/terraform v1.11.0, internal/terraform/node_resource_abstract_instance.go,
 * lines 1097-1107).
 */
const KEYS_GIVEN_AT_CREATION = ["ssh_keys"];
/**
 * A server's placement group is the one it was created in: Terraform never moves it in place, which
 * Hetzner refuses for a running server (see PrivateNetwork); an environment that had one server
 * before groups came with every environment keeps its host where it is.
 */
const PLACEMENT_DECIDED_AT_CREATION = ["placement_group_id"];
/**
 * An imported server's addresses and networks are the ones it has. hcloud v1.59.0 never reads
 * `public_net` back, and reads `network` only when the state already holds it
 * (internal/server/resource.go getServerAttributes, lines 1199-1276), so right after an import both
 * are empty and the configured blocks are a change. That change is not harmless: resourceServerUpdate
 * answers a `public_net` change with updatePublicNet (lines 709-714, 735-821), which powers the
 * server off, unassigns its primary IP and, the IP not being in the prior state, deletes it
 * (publicNetUpdateDecision, lines 834-848); a `network` change attaches the server again to networks
 * it is in. The adoption checks instead that the server already uses the adopted primary IPs
 * (tools/adopt/infra-match.ts).
 */
const KEPT_BY_ADOPTED_SERVER = ["public_net", "network"];

/**
 * One Hetzner Cloud server (the Coolify host or a worker) with primary IPv4 and IPv6 addresses that
 * outlive it, an optional data volume, and production protections.
 */
export class HetznerServer extends Construct {
  /** The data volume, when the configuration asks for one. */
  readonly volume?: Volume;
  readonly server: Server;
  readonly ipv4: PrimaryIp;
  readonly ipv6: PrimaryIp;
  readonly privateIp?: string;

  constructor(scope: Construct, id: string, props: HetznerServerProps) {
    super(scope, id);
    const { server: config, placement, labels } = props;
    const name = config.hetznerName;
    /** Whether the resource with this construct id is protected: in production, unless an exception lifts it. */
    const protects = (id: string): boolean => props.production && !props.protectionLifted.has(`${this.node.path}/${id}`);

    const primaryIp = (type: "ipv4" | "ipv6"): PrimaryIp =>
      new PrimaryIp(this, type, {
        name: `${name}-${type}`,
        type,
        assigneeType: "server",
        autoDelete: false,
        location: placement.location,
        deleteProtection: protects(type),
        labels: labels("primary-ip"),
        lifecycle: { preventDestroy: protects(type) },
      });
    this.ipv4 = primaryIp("ipv4");
    this.ipv6 = primaryIp("ipv6");

    const privateNetwork = props.privateNetwork?.network;
    const subnet = props.privateNetwork?.subnet;
    const network = privateNetwork && subnet && config.privateIp ? { network: privateNetwork, subnet, ip: config.privateIp } : undefined;
    this.privateIp = network?.ip;
    this.server = new Server(this, "server", {
      name,
      serverType: config.serverType,
      image: placement.image,
      location: placement.location,
      sshKeys: props.sshKeyIds,
      firewallIds: [Token.asNumber(props.firewallId)],
      userData: props.userData,
      labels: labels(config.role),
      publicNet: [{ ipv4Enabled: true, ipv4: Token.asNumber(this.ipv4.id), ipv6Enabled: true, ipv6: Token.asNumber(this.ipv6.id) }],
      network: network ? [{ networkId: Token.asNumber(network.network.id), ip: network.ip }] : undefined,
      placementGroupId: props.privateNetwork ? Token.asNumber(props.privateNetwork.placementGroup.id) : undefined,
      dependsOn: network ? [network.subnet] : undefined,
      deleteProtection: protects("server"),
      rebuildProtection: protects("server"),
      lifecycle: {
        ignoreChanges: [
          ...(props.production ? REPLACEMENT_GUARDED : []),
          ...FIRST_BOOT_ONLY,
          ...KEYS_GIVEN_AT_CREATION,
          ...PLACEMENT_DECIDED_AT_CREATION,
          ...(props.adopted ? KEPT_BY_ADOPTED_SERVER : []),
        ],
      },
    });

    if (config.volumeSizeGb !== undefined) {
      this.volume = new Volume(this, "volume", {
        name: `${name}-data`,
        size: config.volumeSizeGb,
        serverId: Token.asNumber(this.server.id),
        automount: true,
        format: "ext4",
        deleteProtection: protects("volume"),
        labels: labels("volume"),
        lifecycle: { preventDestroy: protects("volume") },
      });
    }

    const outputs: [string, string, string][] = [
      ["name", this.server.name, "Hetzner name"],
      ["ipv4", this.ipv4.ipAddress, "public IPv4 (primary IP, survives rebuilds)"],
      ["ipv6", this.server.ipv6Address, "public IPv6 (from the primary IPv6 network)"],
    ];
    for (const [suffix, value, what] of outputs) {
      new TerraformOutput(this, terraformId("server", config.name, suffix), { value, description: `Server ${config.name}: ${what}`, staticId: true });
    }
  }
}
