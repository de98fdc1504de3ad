import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig, GuardrailException } from "../../config/schema";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");

/** Runs the cdktf app as `cdktf synth` does, with the configuration given, into a fresh directory. */
const synth = async (environments: readonly EnvironmentConfig[]): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> => {
  const dir = mkdtempSync(join(tmpdir(), "guardrails-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify({ environments }));
  const outdir = join(dir, "cdktf.out");
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_CONFIG: join(dir, "config.json"), CDKTF_OUTDIR: outdir };
  try {
    const { stdout, stderr } = await run("node", ["-r", "@swc-node/register", "main.ts"], { cwd: ROOT, env });
    return { code: 0, stdout, stderr, outdir };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { ...failed, outdir };
  }
};

interface Synthesized {
  readonly resource: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
}

/** The summary block the synth should print for a stack, computed from what it wrote. */
const expectedSummary = (stack: string, tf: Synthesized, exceptions: string): string => {
  const count = (record: Record<string, unknown> | undefined): number => Object.keys(record ?? {}).length;
  const kinds = Object.entries(tf.resource).map(([type, resources]) => [type, count(resources)] as const);
  const total = kinds.reduce((sum, [, n]) => sum + n, 0);
  const dataSources = Object.values(tf.data ?? {}).reduce((sum, sources) => sum + count(sources), 0);
  const outputs = count(tf.output);
  const byKind = [...kinds].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([type, n]) => `${type} ${n}`);
  const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `${stack}: ${plural(total, "resource")}, ${plural(dataSources, "data source")}, ${plural(outputs, "output")}; guardrail exceptions: ${exceptions}\n  ${byKind.join(", ")}\n`;
};

const [staging, production] = exampleConfig.environments;
const exception: GuardrailException = {
  rule: "admin-ports-not-public",
  path: "production-infra/firewall/firewall",
  reason: "public SSH while the office VPN is replaced (OPS-42)",
  approvedBy: "alice",
};

describe("guardrails on every synth (main.ts)", () => {
  it("pass for the shipped example configuration and print one summary per stack", async () => {
    const result = await synth(exampleConfig.environments);
    expect(result.code).toBe(0);
    const heads = result.stdout.split("\n").filter((line) => /^\S+: \d+ resources?, /.test(line));
    expect(heads.map((line) => line.split(":")[0])).toEqual(["staging-infra", "staging-apps", "production-infra", "production-apps"]);
    expect(heads.every((line) => line.endsWith("; guardrail exceptions: none"))).toBe(true);
    for (const stack of ["staging-infra", "production-apps"]) {
      const tf = JSON.parse(readFileSync(join(result.outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Synthesized;
      expect(result.stdout).toContain(expectedSummary(stack, tf, "none"));
    }
  });

  it("fail without a stack trace, exit 1, when an exception matches nothing, and write no manifest", async () => {
    const result = await synth([staging, { ...production, guardrailExceptions: [exception] }]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "Guardrails failed for stack production-infra (1 violation):",
      "  - production-infra/firewall/firewall [admin-ports-not-public]: guardrail exception matches no violation",
      "    fix: remove the exception from guardrailExceptions, or correct its rule or path",
      "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
    ]);
    expect(existsSync(join(result.outdir, "manifest.json"))).toBe(false);
    expect(existsSync(join(result.outdir, "stacks", "production-infra"))).toBe(false);
  });

  it("fail for a broken rule and pass with a reviewed exception, which the summary shows", async () => {
    const openAdmin = { ...production, adminCidrs: ["0.0.0.0/0"] };
    const failing = await synth([openAdmin]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("  - production-infra/firewall/firewall [admin-ports-not-public]: rule[3] opens tcp 22 to 0.0.0.0/0\n");
    expect(failing.stderr).toContain("  - production-infra/firewall/firewall [admin-ports-not-public]: rule[6] opens tcp 6002 to 0.0.0.0/0\n");

    const excepted = await synth([{ ...openAdmin, guardrailExceptions: [exception] }]);
    expect(excepted.stderr).toBe("");
    expect(excepted.code).toBe(0);
    const tf = JSON.parse(readFileSync(join(excepted.outdir, "stacks", "production-infra", "cdk.tf.json"), "utf8")) as Synthesized;
    expect(excepted.stdout).toContain(
      `${expectedSummary("production-infra", tf, "1")}  exception [admin-ports-not-public] production-infra/firewall/firewall: public SSH while the office VPN is replaced (OPS-42) (approved by alice; covers 4 findings)\nproduction-apps:`,
    );
  });
});
