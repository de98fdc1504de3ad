/**
 * Facts about Hetzner Cloud that the configuration is checked against. One place for each.
 * Source: the Hetzner Cloud API (docs.hetzner.cloud): `GET /locations` (`network_zone`) and
 * `GET /server_types` (`cores`, `memory` in GB, the locations it is priced in); cores and memory
 * cross-checked against API responses recorded in public client code, 2026-11.
 */

/** Location → network zone (a private network's subnet must sit in the zone of its servers). */
export const HETZNER_LOCATIONS = {
  fsn1: "eu-central",
  nbg1: "eu-central",
  hel1: "eu-central",
  ash: "us-east",
  hil: "us-west",
  sin: "ap-southeast",
} as const;

export type HetznerLocation = keyof typeof HETZNER_LOCATIONS;

export const HETZNER_LOCATION_NAMES = Object.keys(HETZNER_LOCATIONS) as [HetznerLocation, ...HetznerLocation[]];

const EU_ONLY: readonly HetznerLocation[] = ["fsn1", "nbg1", "hel1"];
const EVERYWHERE: readonly HetznerLocation[] = HETZNER_LOCATION_NAMES;

export interface ServerTypeFacts {
  readonly cores: number;
  readonly memoryGb: number;
  /** Locations where it is sold. */
  readonly locations: readonly HetznerLocation[];
}

const sold = (locations: readonly HetznerLocation[], specs: Readonly<Record<string, readonly [number, number]>>): Record<string, ServerTypeFacts> =>
  Object.fromEntries(Object.entries(specs).map(([name, [cores, memoryGb]]) => [name, { cores, memoryGb, locations }]));

/** Server type → vCPUs, memory and where it is sold. */
export const HETZNER_SERVER_TYPES: Readonly<Record<string, ServerTypeFacts>> = {
  ...sold(EU_ONLY, { cx22: [2, 4], cx32: [4, 8], cx42: [8, 16], cx52: [16, 32], cx23: [2, 4], cx33: [4, 8], cx43: [8, 16], cx53: [16, 32] }),
  ...sold(EU_ONLY, { cax11: [2, 4], cax21: [4, 8], cax31: [8, 16], cax41: [16, 32] }),
  ...sold(EVERYWHERE, { cpx11: [2, 2], cpx21: [3, 4], cpx31: [4, 8], cpx41: [8, 16], cpx51: [16, 32] }),
  ...sold(EVERYWHERE, { cpx12: [1, 2], cpx22: [2, 4], cpx32: [4, 8], cpx42: [8, 16], cpx52: [12, 24], cpx62: [16, 32] }),
  ...sold(EVERYWHERE, { ccx13: [2, 8], ccx23: [4, 16], ccx33: [8, 32], ccx43: [16, 64], ccx53: [32, 128], ccx63: [48, 192] }),
};

export const HETZNER_SERVER_TYPE_NAMES = Object.keys(HETZNER_SERVER_TYPES) as [string, ...string[]];

/** Images Coolify's installer supports (coollabsio/coolify, scripts/install.sh, supported OS list). */
export const HETZNER_IMAGES = ["ubuntu-22.04", "ubuntu-24.04", "debian-12", "debian-13"] as const;

/** Block volume sizes the API accepts (docs.hetzner.cloud, "Create a Volume": size 10..10240 GB). */
export const VOLUME_SIZE_GB = { min: 10, max: 10240 } as const;
