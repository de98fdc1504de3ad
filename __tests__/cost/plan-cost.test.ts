/**
 * The cost part of the pull-request comment from real saved plans: the real cdktf synth, Terraform
 * applying part of an environment with the local providers, a configuration change, `terraform plan
 * -out` and `terraform show -json`, then `tools/plan-comment.ts --plan-json` as CI runs it.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig } from "../../config/schema";
import { planCost } from "../../cost/plan";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const STACK = "staging-infra";

const stagingInFsn1 = (): EnvironmentConfig => {
  const staging = exampleConfig.environments.find((env) => env.name === "staging");
  if (!staging) throw new Error("no staging example");
  return { ...structuredClone(staging), hetzner: { ...staging.hetzner, location: "fsn1" } } as EnvironmentConfig;
};

describeWithTools("monthly cost of a real saved plan in the pull-request comment", TERRAFORM_TOOLS, () => {
  const deployed = stagingInFsn1();
  let project: CdktfProject;

  const synth = async (env: EnvironmentConfig): Promise<void> => {
    project.writeConfig({ environments: [env] });
    const result = await project.script("main.ts", []);
    if (result.code !== 0) throw new Error(result.output);
  };

  /** Throwaway values of the shape the stack's preconditions ask for; other variables get a placeholder. */
  const secrets: Record<string, string> = {
    coolify_ssh_private_key: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    coolify_root_email: "ops@example.com",
    coolify_root_password: `Pw-${randomBytes(8).toString("hex")}!A1`,
    coolify_token: randomBytes(24).toString("hex"),
    coolify_read_token: randomBytes(24).toString("hex"),
  };
  /** Every variable the stack declares, with a throwaway value, as CI's secrets would give them. */
  const variables = (): Record<string, string> =>
    Object.fromEntries(Object.keys(project.synthesized(STACK).variable ?? {}).map((name) => [`TF_VAR_${name}`, secrets[name] ?? `test-${name}`]));

  /** `terraform plan -out` then `terraform show -json` of that saved plan, and the plan as text. */
  const savedPlan = async (env: EnvironmentConfig): Promise<{ json: unknown; jsonFile: string; textFile: string }> => {
    await synth(env);
    const plan = await project.terraform(STACK, ["plan", "-input=false", "-out=cost.tfplan"], variables());
    if (plan.code !== 0) throw new Error(plan.output);
    const shown = await project.terraform(STACK, ["show", "-json", "cost.tfplan"]);
    const text = await project.terraform(STACK, ["show", "cost.tfplan"]);
    const jsonFile = join(project.dir, "plan.json");
    const textFile = join(project.dir, "plan.txt");
    writeFileSync(jsonFile, shown.stdout);
    writeFileSync(textFile, text.stdout);
    return { json: JSON.parse(shown.stdout), jsonFile, textFile };
  };

  beforeAll(async () => {
    project = new CdktfProject({ environments: [deployed] });
    await synth(deployed);
    const init = await project.terraform(STACK, ["init", "-input=false"]);
    if (init.code !== 0) throw new Error(init.output);
    // The Coolify host and what it needs (addresses, firewall, keys); the bootstrap needs SSH and is not part of what costs.
    const server = Object.keys(project.synthesized(STACK).resource?.hcloud_server ?? {})[0];
    const apply = await project.terraform(STACK, ["apply", "-input=false", "-auto-approve", `-target=hcloud_server.${server}`], variables());
    if (apply.code !== 0) throw new Error(apply.output);
  });

  it("adds a worker and a volume: before → after and the delta per item, as the catalog's rows add up", async () => {
    const grown: EnvironmentConfig = {
      ...deployed,
      servers: [
        { ...deployed.servers[0], volumeSizeGb: 20 },
        { name: "worker-1", role: "worker" },
      ],
    };
    const { json, jsonFile, textFile } = await savedPlan(grown);
    const cost = planCost(json);
    // Running: cx33 in fsn1 €6.49 + primary IPv4 €0.60 + primary IPv6 €0 = €7.09.
    expect(cost.before.monthly).toBeCloseTo(6.49 + 0.6 + 0, 10);
    // After: two such servers and a 20 GB volume at €0.0572/GB: 2 × 7.09 + 20 × 0.0572 = 14.18 + 1.144 = €15.324.
    expect(cost.after.monthly).toBeCloseTo(2 * (6.49 + 0.6) + 20 * 0.0572, 10);
    expect(cost.changes.map((change) => [change.address.replace(/_[0-9A-F]{8}$/, ""), change.kind, change.after.map((line) => line.item)])).toEqual([
      ["hcloud_primary_ip.worker-1_ipv4", "create", ["primary IP ipv4 in fsn1"]],
      ["hcloud_primary_ip.worker-1_ipv6", "create", ["primary IP ipv6 in fsn1"]],
      ["hcloud_server.worker-1_server", "create", ["server cx33 in fsn1"]],
      ["hcloud_volume.coolify_volume", "create", ["volume 20 GB"]],
    ]);

    const output = join(project.dir, "comment.md");
    const rendered = await project.script("tools/plan-comment.ts", [
      "--stack",
      STACK,
      "--input",
      textFile,
      "--exit-code",
      "0",
      "--output",
      output,
      "--plan-json",
      jsonFile,
    ]);
    expect(rendered.code).toBe(0);
    const comment = readFileSync(output, "utf8");
    expect(comment).toContain("**Monthly cost (net EUR): €7.09 → €15.32 (+€8.23)**");
    expect(comment).toMatch(/\| `hcloud_server\.worker-1_server_[0-9A-F]{8}` \| create \| server cx33 in fsn1 \| — \| €6\.49 \| \+€6\.49 \|/);
    expect(comment).toMatch(/\| `hcloud_volume\.coolify_volume_[0-9A-F]{8}` \| create \| volume 20 GB \| — \| €1\.14 \| \+€1\.14 \|/);
    // A new server is a new order: the catalog holds the list effective 2026-04-01, not the one for new orders since 2026-06-15.
    expect(comment).toMatch(/> - This plan orders `hcloud_server\.worker-1_server_[0-9A-F]{8}` as `cx33`: since 2026-06-15 Hetzner bills new orders/);
    expect(comment.indexOf("Monthly cost")).toBeLessThan(comment.indexOf("<details><summary>Full plan</summary>"));
  });

  it("rescales the server: the resize is priced from the plan, and what the catalog cannot price is said", async () => {
    const { json } = await savedPlan({ ...deployed, hetzner: { ...deployed.hetzner, serverType: "cx43" } });
    const cost = planCost(json);
    expect(cost.before.monthly).toBeCloseTo(7.09, 10);
    expect(cost.changes).toEqual([
      expect.objectContaining({
        kind: "update",
        before: [expect.objectContaining({ item: "server cx33 in fsn1", monthly: 6.49 })],
        after: [expect.objectContaining({ item: "server cx43 in fsn1", monthly: null })],
      }),
    ]);
    expect(cost.after.unpriced.map((line) => line.item)).toEqual(["server cx43 in fsn1"]);
    expect(cost.callouts).toEqual([expect.stringMatching(/^This plan rescales `hcloud_server\.coolify_server_[0-9A-F]{8}` to `cx43`: since 2026-06-15/)]);
  });

  it("calls out a plan that would put a server on a type Hetzner no longer sells", async () => {
    // The configuration refuses retired types, so this plan is the real one with the type swapped, as a hand-written stack could produce.
    const { json } = await savedPlan(deployed);
    const plan = json as { resource_changes: { type: string; change: { actions: string[]; after: Record<string, unknown> } }[] };
    const server = plan.resource_changes.find((change) => change.type === "hcloud_server");
    if (!server) throw new Error("no server in the plan");
    server.change = { ...server.change, actions: ["update"], after: { ...server.change.after, server_type: "cx32" } };
    expect(planCost(plan).callouts).toEqual([
      expect.stringMatching(
        /^This plan rescales `hcloud_server\.coolify_server_[0-9A-F]{8}` to `cx32`, which Hetzner no longer sells \(not orderable after 2025-12-31\): the apply will fail\. Use `cx33`\.$/,
      ),
    ]);
  });
});
