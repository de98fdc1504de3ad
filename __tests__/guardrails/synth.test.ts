import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { GuardrailException } from "../../config/schema";
import { copyOf, fixtureConfig, live, trial } from "../fixtures/config";
import { fileWith, synthWithConfig } from "../support/app";

const synth = (environments: readonly unknown[]) => synthWithConfig(fileWith(JSON.stringify({ environments })));

const LIVE_INFRA_SUMMARY = [
  "live-infra: 25 resources, 1 data source, 7 outputs; guardrail exceptions: none",
  "  cloudflare_dns_record 10, hcloud_primary_ip 4, hcloud_ssh_key 3, hcloud_server 2, null_resource 2, hcloud_firewall 1, hcloud_network 1, hcloud_network_subnet 1, hcloud_placement_group 1",
  // hel1 at the list for new orders: cx23 €5.49 + cpx32 €35.49 + 2 primary IPv4 × €0.60 + 2 IPv6 × €0 = €42.18 (catalog/hetzner-prices.json).
  "  monthly cost: €42.18 net; servers at the 2026-06-15 list (new orders and rescales)",
];

const exception: GuardrailException = {
  rule: "admin-ports-not-public",
  path: "live-infra/firewall/firewall",
  reason: "public SSH while the office VPN is replaced (OPS-42)",
  approvedBy: "alice",
};

describe("guardrails on every synth (main.ts)", () => {
  it("pass for a valid configuration and print one summary per stack", async () => {
    const result = await synth(fixtureConfig.environments);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout.split("\n")).toEqual([
      ...LIVE_INFRA_SUMMARY,
      // coolify_envs_bulk 3: the monitoring's secrets, the operations agent's, and the worker agent's Loki push token.
      "live-apps: 25 resources, 1 data source, 10 outputs; guardrail exceptions: none",
      "  coolify_envs_bulk 3, coolify_resource_action 3, coolify_service 3, coolify_application_docker_image 2, coolify_project 2, coolify_scheduled_task 2, terraform_data 2, coolify_database_backup 1, coolify_database_keydb 1, coolify_database_postgresql 1, coolify_private_key 1, coolify_s3_storage 1, coolify_s3_storage_validate 1, coolify_server 1, coolify_server_sentinel 1",
      "  monthly cost: €0.00 net",
      "trial-infra: 16 resources, 1 data source, 4 outputs; guardrail exceptions: none",
      "  cloudflare_dns_record 8, hcloud_primary_ip 2, hcloud_ssh_key 2, hcloud_firewall 1, hcloud_placement_group 1, hcloud_server 1, null_resource 1",
      // ash: the catalog has no figure outside the EU.
      "  monthly cost: ≥ €0.00 (3 items unpriced) net; servers at the 2026-06-15 list (new orders and rescales)",
      "trial-apps: 0 resources, 1 data source, 0 outputs; guardrail exceptions: none",
      "  monthly cost: €0.00 net",
      "",
    ]);
    expect(readdirSync(join(result.outdir, "stacks")).sort()).toEqual(["live-apps", "live-infra", "trial-apps", "trial-infra"]);
  });

  it("fail without a stack trace, exit 1, when an exception matches nothing, and write no manifest", async () => {
    const result = await synth([trial, { ...copyOf(live), guardrailExceptions: [exception] }]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "Guardrails failed for stack live-infra (1 violation):",
      "  - live-infra/firewall/firewall [admin-ports-not-public]: guardrail exception matches no violation",
      "    fix: remove the exception from guardrailExceptions, or correct its rule or path",
      "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
    ]);
    expect(existsSync(join(result.outdir, "manifest.json"))).toBe(false);
    expect(existsSync(join(result.outdir, "stacks", "live-infra"))).toBe(false);
  });

  it("fail for a broken rule and pass with a reviewed exception, which the summary shows", async () => {
    // Two /8 networks pass the configuration's per-CIDR limit at its broadest; together they open more than a /8.
    const openAdmin = { ...copyOf(live), adminCidrs: ["10.0.0.0/8", "11.0.0.0/8"], adminCidrMinPrefix: { ipv4: 8 } };
    const failing = await synth([openAdmin]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain(
      "  - live-infra/firewall/firewall [admin-ports-not-public]: rule[3] opens tcp 22 to 10.0.0.0/8, 11.0.0.0/8: 33554432 IPv4 addresses (more than a /8)\n",
    );
    // The dashboard, API and terminal behind the proxy admit them too (the firewall keeps 8000/6001/6002 closed).
    expect(failing.stderr).toContain("Guardrails failed for stack live-infra (3 violations):");

    const dashboard = { ...exception, path: "live-infra/coolify-bootstrap/bootstrap", reason: "the office VPN's /8s reach the dashboard meanwhile (OPS-42)" };
    const excepted = await synth([{ ...openAdmin, guardrailExceptions: [exception, dashboard] }]);
    expect({ code: excepted.code, stderr: excepted.stderr }).toEqual({ code: 0, stderr: "" });
    expect(excepted.stdout.split("\n").slice(0, 5)).toEqual([
      LIVE_INFRA_SUMMARY[0].replace("guardrail exceptions: none", "guardrail exceptions: 2"),
      ...LIVE_INFRA_SUMMARY.slice(1),
      "  exception [admin-ports-not-public] live-infra/firewall/firewall: public SSH while the office VPN is replaced (OPS-42) (approved by alice; covers 1 finding)",
      "  exception [admin-ports-not-public] live-infra/coolify-bootstrap/bootstrap: the office VPN's /8s reach the dashboard meanwhile (OPS-42) (approved by alice; covers 2 findings)",
    ]);
  });

  it("count the deploy runner's addresses too: the proxy's allow list and Coolify's allowed_ips in front of the dashboard, API and terminal (issue 19, finding 1)", async () => {
    // Each /8 passes the configuration's per-CIDR limit at its broadest; the firewall never sees them.
    const runners = { ...copyOf(live), adminCidrMinPrefix: { ipv4: 8 }, coolify: { ...live.coolify, deployRunnerCidrs: ["10.0.0.0/8", "11.0.0.0/8"] } };
    const failing = await synth([runners]);
    const admitted = `${live.adminCidrs.join(", ")}, 10.0.0.0/8, 11.0.0.0/8: 33554448 IPv4 addresses (more than a /8)`;
    const fix = "    fix: admit only the environment's adminCidrs and coolify.deployRunnerCidrs, each a network of their own";
    expect(failing.code).toBe(1);
    expect(failing.stderr.trim().split("\n")).toEqual([
      "Guardrails failed for stack live-infra (2 violations):",
      `  - live-infra/coolify-bootstrap/bootstrap [admin-ports-not-public]: Coolify's API allowed_ips (/root/.coolify-bootstrap/inputs.env) admits ${admitted}`,
      fix,
      `  - live-infra/coolify-bootstrap/bootstrap [admin-ports-not-public]: Traefik middleware dashboard-admins-only (/root/.coolify-bootstrap/dashboard-access.yaml) admits ${admitted}`,
      fix,
      "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
    ]);
  });
});
