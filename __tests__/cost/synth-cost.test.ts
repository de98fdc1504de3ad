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

  it("prices the example environments as the catalog's rows add up by hand, every item priced, at the list for new orders", async () => {
    // The rows the hand computation uses; if `npm run prices` changes them, this test says which figure moved.
    expect(catalog.primaryIps.ipv4.fsn1.monthlyNet).toBe(0.6);
    expect(catalog.primaryIps.ipv4.nbg1.monthlyNet).toBe(0.6);
    expect(catalog.primaryIps.ipv6.fsn1.monthlyNet).toBe(0);
    expect(catalog.primaryIps.ipv6.nbg1.monthlyNet).toBe(0);
    expect(catalog.volumePerGbMonth.monthlyNet).toBe(0.0572);
    expect([
      catalog.serverTypes.ccx13.fsn1.newOrder.monthlyNet,
      catalog.serverTypes.cpx22.fsn1.newOrder.monthlyNet,
      catalog.serverTypes.cpx22.nbg1.newOrder.monthlyNet,
    ]).toEqual([42.99, 19.49, 19.49]);

    const result = await synth(undefined, { COST_DETAIL: "1" });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    // production-infra: ccx13 (€42.99) and cpx22 (€19.49) in fsn1, each with a primary IPv4 (€0.60) and IPv6 (€0), and a 50 GB
    // volume (€0.0572/GB): 42.99 + 19.49 + 2 × 0.60 + 2 × 0 + 50 × 0.0572 = 62.48 + 1.20 + 2.86 = €66.54.
    expect(42.99 + 19.49 + 2 * 0.6 + 2 * 0 + 50 * 0.0572).toBeCloseTo(66.54, 10);
    expect(costLine(result.stdout, "production-infra")).toBe("  monthly cost: €66.54 net; servers at the 2026-06-15 list (new orders and rescales)");
    // staging-infra: cpx22 in nbg1 (€19.49) with a primary IPv4 (€0.60) and IPv6 (€0): €20.09.
    expect(costLine(result.stdout, "staging-infra")).toBe("  monthly cost: €20.09 net; servers at the 2026-06-15 list (new orders and rescales)");
    // Everything in the apps stacks lives inside the Coolify server: nothing to pay for.
    expect(costLine(result.stdout, "production-apps")).toBe("  monthly cost: €0.00 net");
    expect(costLine(result.stdout, "staging-apps")).toBe("  monthly cost: €0.00 net");
    expect(result.stdout).not.toContain("unpriced");
    expect(result.stdout).toMatch(/\n {4}hcloud_volume\.coolify_volume_[0-9A-F]{8}: volume 50 GB €2\.86\n/);
    expect(result.stdout).toMatch(/\n {4}hcloud_server\.worker-1_server_[0-9A-F]{8}: server cpx22 in fsn1 \(2026-06-15 list\) €19\.49\n/);
  });

  it("says what it cannot price instead of guessing: staging moved to Singapore", async () => {
    const staging = { ...example("staging"), hetzner: { ...example("staging").hetzner, location: "sin" as const } };
    const result = await synth([staging], { COST_DETAIL: "1" });
    expect(result.code).toBe(0);
    // No source reachable here gives a price outside the EU: the server is unpriced, its primary IPs are not in the catalog.
    expect(costLine(result.stdout, "staging-infra")).toBe(
      "  monthly cost: ≥ €0.00 (3 items unpriced) net; servers at the 2026-06-15 list (new orders and rescales)",
    );
    expect(result.stdout).toMatch(/hcloud_server\.coolify_server_[0-9A-F]{8}: server cpx22 in sin \(2026-06-15 list\) unpriced \(not found: /);
  });

  describe("per-environment monthly budget", () => {
    const staging = example("staging");

    it("fails a synth whose stacks cost more, itemized, without a stack trace", async () => {
      const result = await synth([{ ...staging, monthlyBudgetEur: 20 }]);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines[0]).toBe("Guardrails failed for stack staging-apps (1 violation):");
      expect(lines[1]).toBe("  - staging-apps/budget [budget]: the environment's stacks cost €20.09 per month (net), over its monthlyBudgetEur of €20.00:");
      expect(lines.slice(2, 5)).toEqual([
        expect.stringMatching(/^ {6}staging-infra: hcloud_primary_ip\.coolify_ipv4_[0-9A-F]{8}: primary IP ipv4 in nbg1 €0\.60$/),
        expect.stringMatching(/^ {6}staging-infra: hcloud_primary_ip\.coolify_ipv6_[0-9A-F]{8}: primary IP ipv6 in nbg1 €0\.00$/),
        expect.stringMatching(/^ {6}staging-infra: hcloud_server\.coolify_server_[0-9A-F]{8}: server cpx22 in nbg1 \(2026-06-15 list\) €19\.49$/),
      ]);
      expect(lines[5]).toBe("    fix: choose smaller server types or volumes, raise monthlyBudgetEur, or add a reviewed guardrail exception for rule budget");
      expect(result.stderr).not.toContain("    at ");
    });

    it("passes within the budget, and over it with a reviewed exception that the summary shows", async () => {
      expect((await synth([{ ...staging, monthlyBudgetEur: 20.09 }])).code).toBe(0);
      const exception: GuardrailException = {
        rule: "budget",
        path: "staging-apps/budget",
        reason: "load test week: the larger server is removed on Friday (OPS-77)",
        approvedBy: "dana",
      };
      const excepted = await synth([{ ...staging, monthlyBudgetEur: 20, guardrailExceptions: [exception] }]);
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
