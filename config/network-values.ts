/** Parsing of the network values a configuration holds: CIDRs, domain names, SSH public keys. */
import { isIPv4, isIPv6 } from "node:net";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
/** A lowercase DNS name of at least two labels, e.g. `staging.example.com`. */
export const DOMAIN_PATTERN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`);

const ipv4ToBigInt = (ip: string): bigint => ip.split(".").reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);

const ipv6ToBigInt = (ip: string): bigint => {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) + BigInt(parseInt(group, 16)), 0n);
};

const bigIntToIpv4 = (value: bigint): string => [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");

const bigIntToIpv6 = (value: bigint): string => [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16)).join(":");

/**
 * Checks a CIDR. Returns `undefined` when it is valid, otherwise the reason, naming the network
 * address to use when only host bits are wrong (Hetzner rejects those).
 */
export const cidrProblem = (cidr: string): string | undefined => {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) return "is not a CIDR (expected address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32)";
  const [, address, prefixText] = match;
  const prefix = Number(prefixText);
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return `has an invalid IP address ${JSON.stringify(address)}`;
  if (v4 && address.includes(".") && address.split(".").some((o) => o.length > 1 && o.startsWith("0"))) {
    return "has an IPv4 octet with a leading zero";
  }
  const bits = v4 ? 32 : 128;
  if (prefix > bits) return `has prefix /${prefix}, which is longer than /${bits}`;
  const value = v4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = value & ~hostMask & ((1n << BigInt(bits)) - 1n);
    return `has host bits set; the network is ${v4 ? bigIntToIpv4(network) : bigIntToIpv6(network)}/${prefix}`;
  }
  return undefined;
};

/** Every address of each family. */
export const WHOLE_INTERNET: readonly string[] = ["0.0.0.0/0", "::/0"];

export type IpFamily = "ipv4" | "ipv6";
const FAMILY_BITS: Readonly<Record<IpFamily, number>> = { ipv4: 32, ipv6: 128 };

/** The family and prefix length of a CIDR `cidrProblem` accepts. */
export const cidrPrefix = (cidr: string): { family: IpFamily; prefix: number } => {
  const [address, prefix] = cidr.split("/");
  return { family: isIPv4(address) ? "ipv4" : "ipv6", prefix: Number(prefix) };
};

/**
 * How many addresses of each family a list of CIDRs covers, counting overlaps twice: a measure of
 * how much of the internet a rule opens however it is written (`0.0.0.0/1` + `128.0.0.0/1` is all
 * of IPv4). A source that is not a CIDR counts as its whole family.
 */
export const addressCounts = (cidrs: readonly string[]): Record<IpFamily, bigint> => {
  const counts: Record<IpFamily, bigint> = { ipv4: 0n, ipv6: 0n };
  for (const cidr of cidrs) {
    if (cidrProblem(cidr) !== undefined) {
      counts[cidr.includes(":") ? "ipv6" : "ipv4"] += 1n << BigInt(FAMILY_BITS[cidr.includes(":") ? "ipv6" : "ipv4"]);
      continue;
    }
    const { family, prefix } = cidrPrefix(cidr);
    counts[family] += 1n << BigInt(FAMILY_BITS[family] - prefix);
  }
  return counts;
};

/** The addresses a network of `prefix` bits holds in `family`. */
export const networkSize = (family: IpFamily, prefix: number): bigint => 1n << BigInt(FAMILY_BITS[family] - prefix);

/**
 * How broad an admin CIDR may be: the shortest prefix allowed by default, and the broadest limit
 * an environment may set (`adminCidrMinPrefix`). Even at the broadest limit two halves of the
 * internet cannot pass.
 */
export const ADMIN_CIDR_MIN_PREFIX: Readonly<Record<IpFamily, { readonly default: number; readonly broadest: number }>> = {
  ipv4: { default: 16, broadest: 8 },
  ipv6: { default: 32, broadest: 16 },
};

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

const MIN_RSA_BITS = 2048;

/** Splits SSH wire-format data into its length-prefixed fields; undefined when it does not parse exactly. */
const wireFields = (bytes: Buffer): Buffer[] | undefined => {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32BE(offset);
    if (offset + 4 + length > bytes.length) return undefined;
    fields.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return fields;
};

/** Bits of an RSA modulus (an SSH mpint, which may carry a leading zero byte). */
const rsaModulusBits = (modulus: Buffer): number => {
  const start = modulus[0] === 0 ? 1 : 0;
  return (modulus.length - start) * 8;
};

/**
 * Checks an OpenSSH public key line. The base64 blob must decode to a key whose embedded type
 * matches the declared one, which catches truncated and pasted-wrong keys.
 */
export const sshPublicKeyProblem = (line: string): string | undefined => {
  if (/PRIVATE KEY/.test(line)) return "is a private key; put the public key (the .pub file) here";
  if (line.trim().includes("\n")) return "holds more than one key; give each key an entry of its own";
  const [type, blob] = line.trim().split(/\s+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    return `is not an SSH public key (expected "<type> <base64> [comment]" with type one of ${SSH_KEY_TYPES.join(", ")})`;
  }
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return "has no valid base64 key data after the key type";
  const fields = wireFields(Buffer.from(blob, "base64"));
  if (!fields || fields[0]?.toString("latin1") !== type) return `has key data that does not hold a ${type} key (truncated or mismatched)`;
  if (type === "ssh-ed25519" && (fields.length !== 2 || fields[1].length !== 32)) return "has key data of the wrong length for ssh-ed25519 (truncated?)";
  if (type === "ssh-rsa" && (fields.length !== 3 || rsaModulusBits(fields[2]) < MIN_RSA_BITS)) {
    return `is an RSA key shorter than ${MIN_RSA_BITS} bits (or truncated); use ssh-ed25519 or RSA >= ${MIN_RSA_BITS}`;
  }
  return undefined;
};

/** The environment's SSH host key: cloud-init writes it as sshd's ed25519 host key (constructs/hetzner/cloud-init.ts). */
export const sshHostKeyProblem = (line: string): string | undefined => {
  const problem = sshPublicKeyProblem(line);
  if (problem) return problem;
  return line.trim().startsWith("ssh-ed25519 ")
    ? undefined
    : "must be an ssh-ed25519 public key (ssh-keygen -t ed25519): cloud-init installs it as the ed25519 host key";
};
