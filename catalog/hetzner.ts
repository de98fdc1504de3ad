/**
 * Facts about Hetzner Cloud that the configuration is checked against. One place for each.
 * Source: the Hetzner Cloud API (docs.hetzner.cloud): `GET /locations` (`network_zone`) and
 * `GET /server_types` (`cores`, `memory` in GB, the locations it is priced in).
 * Cores and memory checked (2026-11-24) against published measurements and listings:
 * - cx22 2/4, cx32 4/8, cx52 16/32, cpx11 2/2, cpx21 3/4, cpx31 4/8, cpx41 8/16, cpx12 1/2, cpx22 2/4,
 *   cpx32 4/8: gist.github.com/derhuerst/4ef9a832e031bf82d6e640e2dd6b2d24 (Geekbench runs, 2024-07 to 2026-07);
 * - cx23 2/4, cx33 4/8, cx43 8/16, cax11 2/4, cax21 4/8, cax31 8/16: docs.cnap.tech/compute/providers/hetzner;
 * - cx53 16/32: docs.vdhome.be/reference/costs (2026-04-15);
 * - ccx13 2/8, ccx23 4/16, ccx33 8/32: moveinfra/eu-cloud-prices data/eu-cloud-prices.csv (2026-10-28);
 * - cpx42 8/16, cpx52 12/24, cpx62 16/32, cpx51 16/32, cax41 16/32, ccx43 16/64, ccx53 32/128, ccx63 48/192:
 *   mixxor/eu-cloud-prices prices/hetzner.json at commit 40e3af6 (2026-08-17).
 * Not checked against a source reachable here: cx42.
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

/** A server type Hetzner no longer sells: running servers keep it, new servers and rescales cannot use it. */
export interface RetiredServerType {
  /** The last day it could be ordered. */
  readonly orderableUntil: string;
  /** The type of the next generation with the same place in the range. */
  readonly successor: string;
}

/**
 * cx22-cx52 and cpx11-cpx51 cannot be ordered after 2025-12-31 (Hetzner Cloud changelog, 2025-10-16,
 * docs.hetzner.cloud/changelog, "new Server Types" / deprecation of the previous generation; as cited in
 * this repository's issue 11). Each successor is the new-generation type of the same rank (cx23-cx53,
 * cpx12-cpx52); cpx successors differ in cores and memory, so limits are checked again against them.
 */
const RETIRED_ON = "2025-12-31";
export const RETIRED_SERVER_TYPES: Readonly<Record<string, RetiredServerType>> = Object.fromEntries(
  [
    ["cx22", "cx23"],
    ["cx32", "cx33"],
    ["cx42", "cx43"],
    ["cx52", "cx53"],
    ["cpx11", "cpx12"],
    ["cpx21", "cpx22"],
    ["cpx31", "cpx32"],
    ["cpx41", "cpx42"],
    ["cpx51", "cpx52"],
  ].map(([retired, successor]) => [retired, { orderableUntil: RETIRED_ON, successor }]),
);

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

/**
 * Servers one spread placement group holds: "Up to 10 servers per Placement Group (type Spread)"
 * (docs.hetzner.com/cloud/placement-groups/overview, article CL-6B56D, last changed 2022-08-22).
 */
export const SPREAD_PLACEMENT_GROUP_MAX_SERVERS = 10;

export const HETZNER_SERVER_TYPE_NAMES = Object.keys(HETZNER_SERVER_TYPES) as [string, ...string[]];

/**
 * Types Hetzner sold but did not let anyone order in the EU locations when the price catalog was
 * checked: every CX and CAX type. The Cloud API listed only ccx13-ccx63 and cpx12-cpx62 as available in
 * fsn1, nbg1 and hel1 on 2026-07-15 (github.com/jikig-ai/soleur issue #6482, measured live), and
 * hetzner.com marked every CX and CAX plan "not available" on 2026-09-03 (github.com/robhunter/agentdeals
 * PR #1286). Availability changes by the day: the example avoids these, and `npm run preflight` asks the API.
 */
export const NOT_ORDERABLE_IN_EU_WHEN_CHECKED = {
  checked: "2026-12-03",
  types: ["cx23", "cx33", "cx43", "cx53", "cax11", "cax21", "cax31", "cax41"],
} as const;

/** The types a new server or a rescale can use. */
export const ORDERABLE_SERVER_TYPE_NAMES = HETZNER_SERVER_TYPE_NAMES.filter((name) => !(name in RETIRED_SERVER_TYPES));

/** Images Coolify's installer supports (coollabsio/coolify, scripts/install.sh, supported OS list). */
export const HETZNER_IMAGES = ["ubuntu-22.04", "ubuntu-24.04", "debian-12", "debian-13"] as const;

/** Block volume sizes the API accepts (docs.hetzner.cloud, "Create a Volume": size 10..10240 GB). */
export const VOLUME_SIZE_GB = { min: 10, max: 10240 } as const;
