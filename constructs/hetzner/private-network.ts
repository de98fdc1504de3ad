import { Token } from "cdktf";
import { Construct } from "constructs";
import { Network } from "../../.gen/providers/hcloud/network";
import { NetworkSubnet } from "../../.gen/providers/hcloud/network-subnet";
import { PlacementGroup } from "../../.gen/providers/hcloud/placement-group";
import type { LabelRole } from "../../config/naming";
import { PRIVATE_NETWORK } from "../../model/environment";

export interface PrivateNetworkProps {
  readonly networkName: string;
  readonly placementGroupName: string;
  readonly networkZone: string;
  /** Whether the environment has more than one server, which then talk over the private network. */
  readonly withNetwork: boolean;
  readonly labels: (role: LabelRole) => Record<string, string>;
  /** Hetzner delete protection on the network (production). */
  readonly deleteProtection: boolean;
  /** Construct paths whose protection a reviewed `production-protection` exception lifts (docs/runbook/workers.md). */
  readonly protectionLifted: ReadonlySet<string>;
}

/**
 * What an environment's servers share: a spread placement group, so that one host failure does not
 * take down every server, and with more than one server a private network for Coolify to reach its
 * workers. The group exists from the first server on: a server joins a placement group only when it
 * is created, because Hetzner adds a server to one only while it is stopped (API error
 * `server_not_stopped` of POST /servers/{id}/actions/add_to_placement_group, docs.hetzner.cloud) and
 * hetznercloud/terraform-provider-hcloud v1.59.0 refuses to take a running server out of one
 * (internal/server/resource.go setPlacementGroup); a group created with the first worker would move
 * the running host into it. A spread group costs nothing.
 */
export class PrivateNetwork extends Construct {
  readonly network?: Network;
  readonly subnet?: NetworkSubnet;
  readonly placementGroup: PlacementGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    if (props.withNetwork) {
      this.network = new Network(this, "network", {
        name: props.networkName,
        ipRange: PRIVATE_NETWORK.range,
        labels: props.labels("network"),
        deleteProtection: props.deleteProtection && !props.protectionLifted.has(`${this.node.path}/network`),
      });
      this.subnet = new NetworkSubnet(this, "subnet", {
        networkId: Token.asNumber(this.network.id),
        type: "cloud",
        networkZone: props.networkZone,
        ipRange: PRIVATE_NETWORK.subnet,
      });
    }
    this.placementGroup = new PlacementGroup(this, "placement-group", {
      name: props.placementGroupName,
      type: "spread",
      labels: props.labels("placement-group"),
    });
  }
}
