/**
 * The monthly cost every synth prints (itemized with COST_DETAIL=1), checked against figures worked
 * out by hand from the catalog's rows, and the per-environment budget that fails a synth over it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPriceCatalog } from "../../catalog/prices";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig, GuardrailException } from "../../config/schema";
import { fileWith, runApp } from "../support/app";
import { TS_NODE_ARGS } from "../support/tools";

const synth = (environments: readonly EnvironmentConfig[] | undefined, env: NodeJS.ProcessEnv = {}) => {
  const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "cdktf.out");
  const config = environments && { PLATFORM_CONFIG: fileWith(JSON.stringify({ environments })) };
  return runApp(process.execPath, [...TS_NODE_ARGS, "main.ts"], { CDKTF_OUTDIR: outdir, ...config, ...env });
};

const costLine = (stdout: string, stack: string): string | undefined => {
  const lines = stdout.split("\n");
  return lines.slice(lines.findIndex((line) => line.startsWith(`${stack}:`))).find((line) => line.startsWith("  monthly cost: "));
};

const example = (name: string): EnvironmentConfig => {
  const env = exampleConfig.environments.find((e) => e.name === name);
  if (!env) throw new Error(name);
  return structuredClone(env) as EnvironmentConfig;
};

describe("monthly cost in the synth summary", () => {
  const catalog = readPriceCatalog();

  it("prices the example environments as the catalog's rows add up by hand", async () => {
    // The rows the hand computation uses; if `npm run prices` changes them, this test says which figure moved.
    expect(catalog.primaryIps.ipv4.fsn1.monthlyNet).toBe(0.6);
    expect(catalog.primaryIps.ipv4.nbg1.monthlyNet).toBe(0.6);
    expect(catalog.primaryIps.ipv6.fsn1.monthlyNet).toBe(0);
    expect(catalog.primaryIps.ipv6.nbg1.monthlyNet).toBe(0);
    expect(catalog.volumePerGbMonth.monthlyNet).toBe(0.0572);
    expect([catalog.serverTypes.cx43.fsn1.monthlyNet, catalog.serverTypes.cpx32.fsn1.monthlyNet, catalog.serverTypes.cx33.nbg1.monthlyNet]).toEqual([
      null,
      null,
      null,
    ]);

    const result = await synth(undefined, { COST_DETAIL: "1" });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    // production-infra: two servers in fsn1, each with a primary IPv4 (€0.60) and IPv6 (€0), and a 50 GB volume (€0.0572/GB):
    // 2 × 0.60 + 2 × 0 + 50 × 0.0572 = 1.20 + 2.86 = €4.06; cx43 and cpx32 in fsn1 have no figure in the catalog (unpriced).
    expect(2 * 0.6 + 2 * 0 + 50 * 0.0572).toBeCloseTo(4.06, 10);
    expect(costLine(result.stdout, "production-infra")).toBe("  monthly cost: ≥ €4.06 (2 items unpriced) net");
    // staging-infra: one server in nbg1 with a primary IPv4 (€0.60) and IPv6 (€0): 1 × 0.60 + 1 × 0 = €0.60; cx33 in nbg1 unpriced.
    expect(costLine(result.stdout, "staging-infra")).toBe("  monthly cost: ≥ €0.60 (1 item unpriced) net");
    // Everything in the apps stacks lives inside the Coolify server: nothing to pay for.
    expect(costLine(result.stdout, "production-apps")).toBe("  monthly cost: €0.00 net");
    expect(costLine(result.stdout, "staging-apps")).toBe("  monthly cost: €0.00 net");
    expect(result.stdout).toMatch(/\n {4}hcloud_volume\.coolify_volume_[0-9A-F]{8}: volume 50 GB €2\.86\n/);
    expect(result.stdout).toMatch(/\n {4}hcloud_server\.worker-1_server_[0-9A-F]{8}: server cpx32 in fsn1 unpriced \(not found: /);
  });

  it("prices a fully priced environment: staging moved to fsn1 is its cx33 plus its addresses", async () => {
    const staging = { ...example("staging"), hetzner: { ...example("staging").hetzner, location: "fsn1" as const } };
    const result = await synth([staging]);
    expect(result.code).toBe(0);
    // cx33 in fsn1 (€6.49) + primary IPv4 in fsn1 (€0.60) + primary IPv6 (€0) = €7.09
    expect([catalog.serverTypes.cx33.fsn1.monthlyNet, catalog.primaryIps.ipv4.fsn1.monthlyNet, catalog.primaryIps.ipv6.fsn1.monthlyNet]).toEqual([
      6.49, 0.6, 0,
    ]);
    expect(6.49 + 0.6 + 0).toBeCloseTo(7.09, 10);
    expect(costLine(result.stdout, "staging-infra")).toBe("  monthly cost: €7.09 net");
    expect(result.stdout).not.toContain("hcloud_server.coolify_server");
  });

  describe("per-environment monthly budget", () => {
    const staging = { ...example("staging"), hetzner: { ...example("staging").hetzner, location: "fsn1" as const } };

    it("fails a synth whose stacks cost more, itemized, without a stack trace", async () => {
      const result = await synth([{ ...staging, monthlyBudgetEur: 7 }]);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines[0]).toBe("Guardrails failed for stack staging-apps (1 violation):");
      expect(lines[1]).toBe("  - staging-apps/budget [budget]: the environment's stacks cost €7.09 per month (net), over its monthlyBudgetEur of €7.00:");
      expect(lines.slice(2, 5)).toEqual([
        expect.stringMatching(/^ {6}staging-infra: hcloud_primary_ip\.coolify_ipv4_[0-9A-F]{8}: primary IP ipv4 in fsn1 €0\.60$/),
        expect.stringMatching(/^ {6}staging-infra: hcloud_primary_ip\.coolify_ipv6_[0-9A-F]{8}: primary IP ipv6 in fsn1 €0\.00$/),
        expect.stringMatching(/^ {6}staging-infra: hcloud_server\.coolify_server_[0-9A-F]{8}: server cx33 in fsn1 €6\.49$/),
      ]);
      expect(lines[5]).toBe("    fix: choose smaller server types or volumes, raise monthlyBudgetEur, or add a reviewed guardrail exception for rule budget");
      expect(result.stderr).not.toContain("    at ");
    });

    it("passes within the budget, and over it with a reviewed exception that the summary shows", async () => {
      expect((await synth([{ ...staging, monthlyBudgetEur: 7.09 }])).code).toBe(0);
      const exception: GuardrailException = {
        rule: "budget",
        path: "staging-apps/budget",
        reason: "load test week: the larger server is removed on Friday (OPS-77)",
        approvedBy: "dana",
      };
      const excepted = await synth([{ ...staging, monthlyBudgetEur: 7, guardrailExceptions: [exception] }]);
      expect({ code: excepted.code, stderr: excepted.stderr }).toEqual({ code: 0, stderr: "" });
      expect(excepted.stdout).toContain(
        "  exception [budget] staging-apps/budget: load test week: the larger server is removed on Friday (OPS-77) (approved by dana; covers 1 finding)",
      );
    });

    it("rejects a budget that is not a positive amount, naming the environment and the field", async () => {
      const result = await synth([{ ...staging, monthlyBudgetEur: -5 }]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('environment "staging": monthlyBudgetEur: must be a positive number of euros per month');
    });
  });
});
