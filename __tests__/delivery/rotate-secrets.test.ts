/**
 * The Coolify token rotation of docs/runbook/rotate-secrets.md is the bootstrap's own procedure
 * (docs/bootstrap.md), and the token it makes passes the bootstrap's checks: the synthesized
 * preconditions, evaluated by the real `terraform console`. A token created in Coolify's dashboard
 * reads `<id>|<secret>` (coollabsio/coolify v4.3.9, app/Models/User.php `createToken`: the plain
 * text is 40 random characters plus their crc32b, returned as `$token->getKey().'|'.$plainTextToken`),
 * which those checks refuse.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { synthWith } from "../support/synth";
import { TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const ROOT = join(__dirname, "..", "..");
const doc = (path: string): string => readFileSync(join(ROOT, path), "utf8");

/** The text of a Markdown section, from its heading to the next heading of the same or a higher level. */
const section = (markdown: string, heading: string): string => {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.replace(/^#+\s*/, "") === heading && line.startsWith("#"));
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = (lines[start].match(/^#+/) ?? [""])[0].length;
  const end = lines.findIndex((line, i) => i > start && /^#+\s/.test(line) && (line.match(/^#+/) ?? [""])[0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
};

const codeBlocks = (markdown: string): string[] => [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/^\s+/gm, "").trim());

interface Precondition {
  readonly condition: string;
  readonly error_message: string;
}

describeWithTools("rotating the Coolify API token", TERRAFORM_TOOLS, () => {
  const runbook = section(doc("docs/runbook/rotate-secrets.md"), "Coolify API token");
  const bootstrap = section(doc("docs/bootstrap.md"), "Rotating the API token");
  const { tf } = synthWith((app) => new InfraStack(app, "staging-infra", { environment: environmentModel(exampleConfig.environments[0]) }));
  const [bootstrapAddress, bootstrapResource] = Object.entries(tf.resource.null_resource ?? {}).find(([, r]) => "lifecycle" in r) ?? [];
  const preconditions = ((bootstrapResource?.lifecycle as { precondition?: Precondition[] } | undefined)?.precondition ?? []).filter(
    (p) => p.condition.includes("var.coolify_token") && !p.condition.includes("var.coolify_read_token"),
  );

  /** The messages of the token preconditions the real Terraform finds false for `token`. */
  const refusals = (token: string): string[] => {
    const dir = mkdtempSync(join(tmpdir(), "token-check-"));
    writeFileSync(join(dir, "main.tf"), 'variable "coolify_token" {\n  type = string\n}\n');
    return preconditions
      .filter((p) => {
        const expression = p.condition.replace(/^\$\{([\s\S]*)\}$/, "$1");
        const answer = execFileSync("terraform", ["console", `-var=coolify_token=${token}`], {
          cwd: dir,
          input: expression,
          encoding: "utf8",
          stdio: ["pipe", "pipe", "pipe"],
          env: { ...process.env, CHECKPOINT_DISABLE: "1" },
        });
        return answer.trim() !== "true";
      })
      .map((p) => p.error_message);
  };

  it("is one procedure: the runbook follows docs/bootstrap.md, replacing the bootstrap resource the stack really has", () => {
    expect(preconditions.length).toBeGreaterThanOrEqual(2);
    expect(runbook).toContain("../bootstrap.md#rotating-the-api-token");
    const replaced = [...`${runbook}\n${bootstrap}`.matchAll(/-replace=([\w.]+)/g)].map((m) => m[1]);
    expect(replaced.length).toBeGreaterThanOrEqual(2);
    for (const address of replaced) expect(address).toBe(`null_resource.${bootstrapAddress}`);
    // Neither tells the reader to create the token in the dashboard.
    for (const text of [runbook, bootstrap]) expect(text).not.toMatch(/dashboard\s*→|create a token for the root team/i);
  });

  it("generates a token with the runbook's own command that the bootstrap's checks accept", () => {
    const commands = codeBlocks(runbook).filter((block) => block.includes("openssl rand"));
    expect(commands).toHaveLength(1);
    expect(bootstrap).toContain(`\`${commands[0]}\``);
    const token = execFileSync("bash", ["-c", commands[0]], { encoding: "utf8" }).trim();
    expect(refusals(token)).toEqual([]);
  });

  it("would refuse a token created in Coolify's dashboard", () => {
    const dashboardToken = `7|${"a1B2c3D4e5".repeat(4)}${"0badc0de"}`;
    expect(refusals(dashboardToken)).toEqual([expect.stringContaining("may contain only letters, digits, - and _")]);
  });
});
