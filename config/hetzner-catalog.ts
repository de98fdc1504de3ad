/** Facts about Hetzner Cloud that the configuration is checked against. One place for each. */

/** Location → network zone (a private network's subnet must sit in the zone of its servers). */
export const HETZNER_LOCATIONS: Readonly<Record<string, string>> = {
  fsn1: "eu-central",
  nbg1: "eu-central",
  hel1: "eu-central",
  ash: "us-east",
  hil: "us-west",
  sin: "ap-southeast",
};

const EU_ONLY = ["fsn1", "nbg1", "hel1"];
const EVERYWHERE = Object.keys(HETZNER_LOCATIONS);

/** Server type → locations where it is sold. */
export const HETZNER_SERVER_TYPES: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(["cx22", "cx32", "cx42", "cx52", "cx23", "cx33", "cx43", "cx53"].map((t) => [t, EU_ONLY])),
  ...Object.fromEntries(["cax11", "cax21", "cax31", "cax41"].map((t) => [t, EU_ONLY])),
  ...Object.fromEntries(
    ["cpx11", "cpx21", "cpx31", "cpx41", "cpx51", "cpx12", "cpx22", "cpx32", "cpx42", "cpx52", "cpx62"].map((t) => [t, EVERYWHERE]),
  ),
  ...Object.fromEntries(["ccx13", "ccx23", "ccx33", "ccx43", "ccx53", "ccx63"].map((t) => [t, EVERYWHERE])),
};

/** Images Coolify's installer supports. */
export const HETZNER_IMAGES: readonly string[] = ["ubuntu-22.04", "ubuntu-24.04", "debian-12", "debian-13"];

export const VOLUME_SIZE_GB = { min: 10, max: 10240 } as const;
