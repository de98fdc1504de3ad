/** Finding 6 of the security review: the internet never passes as an admin CIDR, in any environment. */
import type { EnvironmentConfig } from "../../config/schema";
import { copyOf, live, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const problemsIn = (base: EnvironmentConfig, changes: Partial<Record<keyof EnvironmentConfig, unknown>>): readonly string[] =>
  problemsOf({ environments: [{ ...copyOf(base), ...changes }] });

const broader = (cidr: string, limit: number, family: "ipv4" | "ipv6", addresses: string): string =>
  `${JSON.stringify(cidr)} is broader than /${limit} (${addresses} addresses at most): admin CIDRs open SSH and the Coolify ports, so list the networks admins use; adminCidrMinPrefix.${family} sets the limit (/${family === "ipv4" ? 8 : 16} at the broadest)`;

describe("admin CIDRs", () => {
  it.each([
    ["staging", trial, ["0.0.0.0/0"], ["adminCidrs[0]", "0.0.0.0/0", 16, "ipv4", "65536"]],
    ["production", live, ["0::/0"], ["adminCidrs[0]", "0::/0", 32, "ipv6", "79228162514264337593543950336"]],
    ["production", live, ["203.0.113.0/24", "0.0.0.0/1"], ["adminCidrs[1]", "0.0.0.0/1", 16, "ipv4", "65536"]],
    ["staging", trial, ["10.0.0.0/15"], ["adminCidrs[0]", "10.0.0.0/15", 16, "ipv4", "65536"]],
  ] as const)("reject the internet or a large part of it in %s: %j", (_, base, adminCidrs, [path, cidr, limit, family, addresses]) => {
    const name = base.name;
    expect(problemsIn(base, { adminCidrs })).toEqual([`environment "${name}": ${path}: ${broader(cidr, limit, family, addresses)}`]);
  });

  it("reject both halves of the internet, each on its own", () => {
    expect(problemsIn(live, { adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] })).toHaveLength(2);
  });

  it("accept networks within the default limits, and broader ones only within a configured limit", () => {
    expect(problemsIn(trial, { adminCidrs: ["10.1.0.0/16", "2001:db8::/32", "198.51.100.17/32"] })).toEqual([]);
    expect(problemsIn(trial, { adminCidrs: ["10.0.0.0/12"], adminCidrMinPrefix: { ipv4: 12 } })).toEqual([]);
    expect(problemsIn(trial, { adminCidrs: ["2001:db8::/48"], adminCidrMinPrefix: { ipv6: 56 } })).toEqual([
      `environment "trial": adminCidrs[0]: ${broader("2001:db8::/48", 56, "ipv6", "4722366482869645213696")}`,
    ]);
  });

  it("never let the limit itself be broader than /8 or /16", () => {
    expect(problemsIn(trial, { adminCidrs: ["0.0.0.0/1"], adminCidrMinPrefix: { ipv4: 1, ipv6: 0 } })).toEqual([
      'environment "trial": adminCidrMinPrefix.ipv4: 1 must be a whole number from 8 to 32',
      'environment "trial": adminCidrMinPrefix.ipv6: 0 must be a whole number from 16 to 128',
      `environment "trial": adminCidrs[0]: ${broader("0.0.0.0/1", 16, "ipv4", "65536")}`,
    ]);
  });
});

describe("deploy runner CIDRs (issue 19 §1)", () => {
  it("have the admin CIDRs' breadth limit, with the field named", () => {
    expect(problemsIn(trial, { coolify: { ...trial.coolify, deployRunnerCidrs: ["0.0.0.0/0", "::/0", "198.51.100.7/32"] } })).toEqual([
      'environment "trial": coolify.deployRunnerCidrs[0]: "0.0.0.0/0" is broader than /16 (65536 addresses at most): deploy runner CIDRs open the Coolify dashboard, API and terminal, so list the runners\' own addresses; adminCidrMinPrefix.ipv4 sets the limit (/8 at the broadest)',
      'environment "trial": coolify.deployRunnerCidrs[1]: "::/0" is broader than /32 (79228162514264337593543950336 addresses at most): deploy runner CIDRs open the Coolify dashboard, API and terminal, so list the runners\' own addresses; adminCidrMinPrefix.ipv6 sets the limit (/16 at the broadest)',
    ]);
  });
});
