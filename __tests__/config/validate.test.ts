import { exampleConfig } from "../../config";
import { ConfigError } from "../../config/problems";
import type { EnvironmentConfig } from "../../config/types";
import { validateConfig } from "../../config/validate";

const [staging, production] = exampleConfig.environments;

/** Validates a config holding one changed copy of staging; returns the problems found. */
const problemsOf = (change: (env: EnvironmentConfig) => unknown): readonly string[] => {
  try {
    validateConfig({ environments: [change(structuredClone(staging))] });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("validateConfig", () => {
  it("accepts the shipped example configuration", () => {
    expect(() => validateConfig(exampleConfig)).not.toThrow();
  });

  it.each<[string, (env: EnvironmentConfig) => unknown, string]>([
    ["unknown location", (e) => ({ ...e, hetzner: { ...e.hetzner, location: "fra1" } }), 'environment "staging": hetzner.location: "fra1" is not a known Hetzner location (allowed: fsn1, nbg1, hel1, ash, hil, sin)'],
    ["unknown image", (e) => ({ ...e, hetzner: { ...e.hetzner, image: "windows-2022" } }), 'environment "staging": hetzner.image: "windows-2022" is not a known Hetzner image (allowed: ubuntu-22.04, ubuntu-24.04, debian-12, debian-13)'],
    ["server type not sold at the location", (e) => ({ ...e, hetzner: { ...e.hetzner, location: "ash" } }), 'environment "staging": hetzner.serverType: "cx33" is not sold in ash (available in: fsn1, nbg1, hel1)'],
    ["unknown server type override", (e) => ({ ...e, servers: [{ name: "coolify", role: "coolify-host", serverType: "cx99" }] }), expect.stringMatching(/^environment "staging": servers\[0\]\.serverType: "cx99" is not a known Hetzner server type \(allowed: cx22, .*ccx63\)$/) as unknown as string],
    ["malformed domain", (e) => ({ ...e, domain: "Staging.Example.com" }), 'environment "staging": domain: "Staging.Example.com" is not a lowercase domain name like staging.example.com'],
    ["domain outside the zone", (e) => ({ ...e, domain: "staging.example.org" }), 'environment "staging": domain: "staging.example.org" is not inside the Cloudflare zone "example.com"'],
    ["malformed zone", (e) => ({ ...e, dns: { zone: "example" } }), 'environment "staging": dns.zone: "example" is not a lowercase domain name like example.com'],
    ["non-boolean proxied", (e) => ({ ...e, dns: { ...e.dns, proxied: "yes" } }), 'environment "staging": dns.proxied: must be true or false, got "yes"'],
    ["CIDR with host bits", (e) => ({ ...e, adminCidrs: ["203.0.113.7/24"] }), 'environment "staging": adminCidrs[0]: "203.0.113.7/24" has host bits set; the network is 203.0.113.0/24'],
    ["address without prefix", (e) => ({ ...e, adminCidrs: ["203.0.113.7"] }), 'environment "staging": adminCidrs[0]: "203.0.113.7" is not a CIDR (expected address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/32)'],
    ["no admin CIDRs", (e) => ({ ...e, adminCidrs: [] }), 'environment "staging": adminCidrs: must have at least 1 item'],
    ["private key instead of public", (e) => ({ ...e, sshPublicKeys: [{ name: "ops", publicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }] }), 'environment "staging": sshPublicKeys[0].publicKey: is a private key; put the public key (the .pub file) here'],
    ["duplicate SSH key names", (e) => ({ ...e, sshPublicKeys: [e.sshPublicKeys[0], { ...e.sshPublicKeys[1], name: "ops" }] }), 'environment "staging": sshPublicKeys[1].name: duplicate SSH key name "ops"'],
    ["no SSH keys", (e) => ({ ...e, sshPublicKeys: [] }), 'environment "staging": sshPublicKeys: must have at least 1 item'],
    ["Coolify version not pinned", (e) => ({ ...e, coolify: { version: "latest" } }), 'environment "staging": coolify.version: "latest" is not a Coolify v4 version like 4.0.0-beta.420'],
    ["duplicate server names", (e) => ({ ...e, servers: [...e.servers, { name: "coolify", role: "worker" }] }), 'environment "staging": servers[1].name: duplicate server name "coolify"'],
    ["no Coolify host", (e) => ({ ...e, servers: [{ name: "w1", role: "worker" }] }), 'environment "staging": servers: must contain exactly one server with role "coolify-host", found 0'],
    ["two Coolify hosts", (e) => ({ ...e, servers: [...e.servers, { name: "second", role: "coolify-host" }] }), 'environment "staging": servers: must contain exactly one server with role "coolify-host", found 2'],
    ["unknown server role", (e) => ({ ...e, servers: [...e.servers, { name: "db", role: "database" }] }), 'environment "staging": servers[1].role: "database" is not a known server role (allowed: coolify-host, worker)'],
    ["bad server name", (e) => ({ ...e, servers: [{ name: "Coolify_1", role: "coolify-host" }] }), 'environment "staging": servers[0].name: "Coolify_1" is not a server name (lowercase letters, digits, dashes; starts with a letter; at most 30)'],
    ["volume too small", (e) => ({ ...e, servers: [{ name: "coolify", role: "coolify-host", volumeSizeGb: 5 }] }), 'environment "staging": servers[0].volumeSizeGb: 5 must be a whole number from 10 to 10240'],
    ["standard label overridden", (e) => ({ ...e, labels: { environment: "prod" } }), 'environment "staging": labels.environment: is set automatically and cannot be overridden (reserved: environment, role, managed-by)'],
    ["invalid label value", (e) => ({ ...e, labels: { team: "platform team" } }), 'environment "staging": labels.team: value "platform team" is not a valid Hetzner label value (alphanumeric at both ends, -_. inside, at most 63 characters)'],
    ["production flag not a boolean", (e) => ({ ...e, production: "yes" }), 'environment "staging": production: must be true or false, got "yes"'],
    ["missing hetzner block", (e) => ({ ...e, hetzner: undefined }), 'environment "staging": hetzner: must be an object, got undefined'],
  ])("rejects %s", (_case, change, message) => {
    expect(problemsOf(change)).toEqual([message]);
  });

  it("rejects a bad environment name and duplicate environments", () => {
    expect(() => validateConfig({ environments: [{ ...staging, name: "Staging" }] })).toThrow(
      'environments[0].name: "Staging" is not an environment name (lowercase letters, digits, dashes; starts with a letter; at most 20)',
    );
    expect(() => validateConfig({ environments: [staging, { ...production, name: "staging" }] })).toThrow(
      'environments[1].name: duplicate environment name "staging"',
    );
  });

  it("rejects a configuration without environments", () => {
    expect(() => validateConfig({ environments: [] })).toThrow("environments: must have at least 1 item");
  });

  it("reports every problem of every environment at once", () => {
    const broken = { ...staging, domain: "nope", adminCidrs: ["1.2.3.4"], production: 1 };
    const alsoBroken = { ...production, hetzner: { ...production.hetzner, location: "mars" } };
    let error: unknown;
    try {
      validateConfig({ environments: [broken, alsoBroken] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      'environment "staging"',
      'environment "staging"',
      'environment "staging"',
      'environment "production"',
    ]);
    expect(message.split("\n")[0]).toBe("Invalid configuration (4 problems):");
  });
});
