import { Token } from "cdktf";
import { Construct } from "constructs";
import { Network } from "../../.gen/providers/hcloud/network";
import { NetworkSubnet } from "../../.gen/providers/hcloud/network-subnet";
import { PlacementGroup } from "../../.gen/providers/hcloud/placement-group";
import { HETZNER_LOCATIONS } from "../../config/hetzner-catalog";
import { resourceName, standardLabels } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";

const NETWORK_RANGE = "10.42.0.0/16";
const SUBNET_RANGE = "10.42.1.0/24";
/** Hetzner keeps .1 of a subnet for its gateway; servers take addresses from .10 on, in configuration order. */
const FIRST_SERVER_HOST = 10;

export interface PrivateNetworkProps {
  readonly env: EnvironmentConfig;
}

/**
 * What a multi-server environment shares: a private network for Coolify to reach its workers and a
 * spread placement group so that one host failure does not take down every server.
 */
export class PrivateNetwork extends Construct {
  readonly network: Network;
  readonly subnet: NetworkSubnet;
  readonly placementGroup: PlacementGroup;

  constructor(scope: Construct, id: string, { env }: PrivateNetworkProps) {
    super(scope, id);
    this.network = new Network(this, "network", {
      name: resourceName(env, "private"),
      ipRange: NETWORK_RANGE,
      labels: standardLabels(env, "network"),
      deleteProtection: env.production,
    });
    this.subnet = new NetworkSubnet(this, "subnet", {
      networkId: Token.asNumber(this.network.id),
      type: "cloud",
      networkZone: HETZNER_LOCATIONS[env.hetzner.location],
      ipRange: SUBNET_RANGE,
    });
    this.placementGroup = new PlacementGroup(this, "placement-group", {
      name: resourceName(env, "spread"),
      type: "spread",
      labels: standardLabels(env, "placement-group"),
    });
  }

  /** The fixed private address of the server at `index` in the configuration. */
  static addressOf(index: number): string {
    return SUBNET_RANGE.replace(/\.0\/24$/, `.${FIRST_SERVER_HOST + index}`);
  }
}
