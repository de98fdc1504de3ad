/**
 * docs/outputs.md tells Terraform consumers that `terraform_remote_state` reads the whole state and
 * offers a path that exposes less: the published, non-sensitive outputs file decoded with Terraform's
 * built-in functions. The doc's own HCL is evaluated by the real `terraform console` against the
 * file tools/outputs.ts writes from the real synthesized stacks' sensitivity.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { exampleConfig } from "../../config";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { publicOutputs, sensitiveOutputNames } from "../../tools/outputs";
import { synthStack } from "../support/synth";
import { TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const ROOT = join(__dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs", "outputs.md"), "utf8");

describeWithTools("outputs for Terraform consumers", TERRAFORM_TOOLS, () => {
  const production = exampleConfig.environments.find((env) => env.name === "production");
  if (!production) throw new Error("the example configuration has no production environment");
  const app = Testing.app();
  const model = environmentModel(production);
  const infra = new InfraStack(app, "production-infra", { environment: model });
  const apps = new AppsStack(app, "production-apps", { environment: model, infra });
  const synthesized = { "production-infra": synthStack(infra).tf, "production-apps": synthStack(apps).tf };

  it("says that terraform_remote_state reads the whole state, secrets included, and does not recommend it", () => {
    expect(doc).toMatch(/entire state snapshot/);
    expect(doc).toMatch(/every application secret/);
    expect(doc).not.toMatch(/data "terraform_remote_state"/);
  });

  it("decodes the published file with the doc's HCL, which never holds a sensitive output", () => {
    const sensitive = new Map(Object.entries(synthesized).map(([stack, tf]) => [stack, sensitiveOutputNames(tf)]));
    expect(sensitive.get("production-apps")?.has("db_shop__shop_db_internal_url")).toBe(true);
    // What `cdktf output` would fetch if a sensitive value slipped through.
    const fetched = Object.fromEntries(
      Object.entries(synthesized).map(([stack, tf]) => [stack, Object.fromEntries(Object.keys(tf.output ?? {}).map((name) => [name, `value-of-${name}`]))]),
    );
    const dir = mkdtempSync(join(tmpdir(), "outputs-consumer-"));
    mkdirSync(join(dir, "outputs"));
    writeFileSync(join(dir, "outputs", "production.json"), JSON.stringify(publicOutputs(fetched, sensitive)));
    const hcl = [...doc.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(hcl).toHaveLength(1);
    writeFileSync(join(dir, "main.tf"), hcl[0]);
    const evaluate = (expression: string): string =>
      execFileSync("terraform", ["console"], {
        cwd: dir,
        input: expression,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      }).trim();
    expect(evaluate("local.web_deploy_url")).toBe('"value-of-app_shop__web_deploy_url"');
    expect(evaluate("local.coolify_url")).toBe('"value-of-coolify_url"');
    expect(evaluate('jsonencode([for name, _ in local.platform["production-apps"] : name if endswith(name, "_internal_url")])')).toBe('"[]"');
  });
});
