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
  readonly labels: (role: LabelRole) => Record<string, string>;
  readonly deleteProtection: boolean;
}

/**
 * What a multi-server environment shares: a private network for Coolify to reach its workers and a
 * spread placement group so that one host failure does not take down every server.
 */
export class PrivateNetwork extends Construct {
  readonly network: Network;
  readonly subnet: NetworkSubnet;
  readonly placementGroup: PlacementGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    this.network = new Network(this, "network", {
      name: props.networkName,
      ipRange: PRIVATE_NETWORK.range,
      labels: props.labels("network"),
      deleteProtection: props.deleteProtection,
    });
    this.subnet = new NetworkSubnet(this, "subnet", {
      networkId: Token.asNumber(this.network.id),
      type: "cloud",
      networkZone: props.networkZone,
      ipRange: PRIVATE_NETWORK.subnet,
    });
    this.placementGroup = new PlacementGroup(this, "placement-group", {
      name: props.placementGroupName,
      type: "spread",
      labels: props.labels("placement-group"),
    });
  }
}
