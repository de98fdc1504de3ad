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
import { CdktfProject, ROOT, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const STACK = "staging-infra";

const stagingExample = (): EnvironmentConfig => {
  const staging = exampleConfig.environments.find((env) => env.name === "staging");
  if (!staging) throw new Error("no staging example");
  return structuredClone(staging) as EnvironmentConfig;
};

describeWithTools("monthly cost of a real saved plan in the pull-request comment", TERRAFORM_TOOLS, () => {
  const deployed = stagingExample();
  let project: CdktfProject;

  const synth = async (env: EnvironmentConfig): Promise<void> => {
    project.writeConfig({ environments: [env] });
    await project.synthHere();
  };

  /** Throwaway values of the shape the stack's preconditions ask for; other variables get a placeholder. */
  const secrets: Record<string, string> = {
    coolify_ssh_private_key: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    coolify_root_email: "ops@example.com",
    coolify_root_password: `Pw-${randomBytes(8).toString("hex")}!A1`,
    coolify_token: randomBytes(24).toString("hex"),
    coolify_read_token: randomBytes(24).toString("hex"),
    coolify_ssh_host_key: `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`,
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

  const comment = async (jsonFile: string, textFile: string): Promise<string> => {
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
    return readFileSync(output, "utf8");
  };

  it("adds a worker and a volume: before → after and the delta per item, the new server at the list for new orders", async () => {
    const grown: EnvironmentConfig = {
      ...deployed,
      servers: [
        { ...deployed.servers[0], volumeSizeGb: 20 },
        { name: "worker-1", role: "worker" },
      ],
    };
    const { json, jsonFile, textFile } = await savedPlan(grown);
    const cost = planCost(json);
    // Running: cpx22 in nbg1, ordered under the 2026-04-01 list (€7.99), + primary IPv4 €0.60 + primary IPv6 €0 = €8.59.
    expect(cost.before.monthly).toBeCloseTo(7.99 + 0.6 + 0, 10);
    // After: that server and its addresses, a new cpx22 at the 2026-06-15 list (€19.49) with its addresses, and a 20 GB volume
    // at €0.0572/GB: 8.59 + 19.49 + 0.60 + 0 + 20 × 0.0572 = 8.59 + 20.09 + 1.144 = €29.824.
    expect(cost.after.monthly).toBeCloseTo(7.99 + 0.6 + 19.49 + 0.6 + 20 * 0.0572, 10);
    expect(cost.changes.map((change) => [change.address.replace(/_[0-9A-F]{8}$/, ""), change.kind, change.after.map((line) => line.item)])).toEqual([
      ["hcloud_primary_ip.worker-1_ipv4", "create", ["primary IP ipv4 in nbg1"]],
      ["hcloud_primary_ip.worker-1_ipv6", "create", ["primary IP ipv6 in nbg1"]],
      ["hcloud_server.worker-1_server", "create", ["server cpx22 in nbg1 (2026-06-15 list)"]],
      ["hcloud_volume.coolify_volume", "create", ["volume 20 GB"]],
    ]);

    const text = await comment(jsonFile, textFile);
    expect(text).toContain("**Monthly cost (net EUR): €8.59 → €29.82 (+€21.23)**");
    expect(text).toMatch(
      /\| `hcloud_server\.worker-1_server_[0-9A-F]{8}` \| create \| server cpx22 in nbg1 \(2026-06-15 list\) \| — \| €19\.49 \| \+€19\.49 \|/,
    );
    expect(text).toMatch(/\| `hcloud_volume\.coolify_volume_[0-9A-F]{8}` \| create \| volume 20 GB \| — \| €1\.14 \| \+€1\.14 \|/);
    // The new server is a new order: its impact row names the list and the price it is billed at.
    expect(text).toMatch(
      /\| `hcloud_server\.worker-1_server_[0-9A-F]{8}` \| price list \| a new order of `cpx22` in nbg1, billed at Hetzner's list for new orders and rescales \(2026-06-15 list\): €19\.49 per month \|/,
    );
    expect(text.indexOf("Monthly cost")).toBeLessThan(text.indexOf("<details><summary>Full plan</summary>"));
    // The README's sample is this comment, up to the folded plan.
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const sample = /## Cost\n[\s\S]*?```markdown\n([\s\S]*?)\n```\n/.exec(readme)?.[1];
    const shown = text.slice(text.indexOf("\n") + 1, text.indexOf("<details><summary>Full plan</summary>"));
    expect(sample).toBe(`${shown}<details><summary>Full plan</summary> …`);
  });

  it("rescales the server: the power-off and the new-order price in the comment", async () => {
    const { json, jsonFile, textFile } = await savedPlan({ ...deployed, hetzner: { ...deployed.hetzner, serverType: "cpx32" } });
    const cost = planCost(json);
    expect(cost.before.monthly).toBeCloseTo(8.59, 10);
    expect(cost.changes).toEqual([
      expect.objectContaining({
        kind: "update",
        before: [expect.objectContaining({ item: "server cpx22 in nbg1 (2026-04-01 list)", monthly: 7.99 })],
        after: [expect.objectContaining({ item: "server cpx32 in nbg1 (2026-06-15 list)", monthly: 35.49 })],
      }),
    ]);
    expect(cost.impacts.map((impact) => impact.kind)).toEqual(["downtime", "price list"]);
    const text = await comment(jsonFile, textFile);
    expect(text).toContain("**Monthly cost (net EUR): €8.59 → €36.09 (+€27.50)**");
    expect(text).toMatch(
      /\| `hcloud_server\.coolify_server_[0-9A-F]{8}` \| downtime \| `server_type` cpx22 → cpx32: the provider powers the running server off and changes its type, and Hetzner starts it again once the disk is copied; everything on it is down meanwhile \| hetznercloud\/terraform-provider-hcloud v1\.59\.0 internal\/server\/resource\.go L586-L607/,
    );
    expect(text).toMatch(
      /\| price list \| a rescale of `cpx32` in nbg1, billed at Hetzner's list for new orders and rescales \(2026-06-15 list\): €35\.49 per month \|/,
    );
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
