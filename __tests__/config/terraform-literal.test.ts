import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { hasLiteral } from "../../aspects/element-rules";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { copyOf, trial } from "../fixtures/config";
import { synthStack } from "../support/synth";
import { run, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

/** Strings a configuration may hold that Terraform would read as expressions or directives. */
const HOSTILE = {
  value: '${base64encode(file("/proc/self/environ"))}',
  command: "echo ${HOME} %{ if true }directive%{ endif } $${already}",
  compose: "services:\n  web:\n    image: nginx:1.27\n    environment:\n      PORT: ${PORT:-80}\n",
  baseUrl: "https://mirror.example.com/${path.cwd}",
};

const env: EnvironmentConfig = {
  ...copyOf(trial),
  coolify: { ...trial.coolify, release: { baseUrl: HOSTILE.baseUrl } },
  apps: {
    projects: [
      {
        name: "shop",
        applications: [
          {
            kind: "docker-compose",
            name: "web",
            compose: HOSTILE.compose,
            env: { GREETING: HOSTILE.value },
            scheduledTasks: [{ name: "echo", command: HOSTILE.command, schedule: "daily", container: "web" }],
          },
        ],
      },
    ],
  },
};

/** Every string of a synthesized stack, found anywhere in it. */
const strings = (value: unknown): string[] =>
  typeof value === "string" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(strings) : [];

describeWithTools("configuration strings reach Terraform as literals (issue 19 §4)", TERRAFORM_TOOLS, () => {
  it("a real terraform evaluates each synthesized string to exactly the configured text", async () => {
    const app = Testing.app();
    const model = environmentModel(env);
    const infra = new InfraStack(app, "trial-infra", { environment: model });
    const apps = new AppsStack(app, "trial-apps", { environment: model, infra });
    const all = [...strings(synthStack(infra).tf), ...strings(synthStack(apps).tf)];
    const carrying = (needle: string): string => {
      const found = all.find((text) => text.includes(needle));
      if (found === undefined) throw new Error(`no synthesized string carries ${needle}`);
      // The line alone: the bootstrap's inputs file around it holds Terraform references of its own.
      return found.split("\n").find((line) => line.includes(needle)) ?? found;
    };
    const synthesized = {
      value: carrying("base64encode"),
      command: carrying("directive"),
      compose: carrying("PORT:"),
      baseUrl: carrying("mirror.example.com"),
    };

    const dir = mkdtempSync(join(tmpdir(), "literal-"));
    const output = Object.fromEntries(Object.entries(synthesized).map(([name, text]) => [name, { value: text }]));
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ output }));
    const tfEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const terraform = TERRAFORM_TOOLS.terraform ?? "terraform";
    expect((await run(terraform, ["init", "-input=false"], { cwd: dir, env: tfEnv })).code).toBe(0);
    const applied = await run(terraform, ["apply", "-auto-approve", "-input=false"], { cwd: dir, env: tfEnv });
    expect({ code: applied.code, errors: applied.stderr.split("\n").filter((line) => line.includes("Error")) }).toEqual({ code: 0, errors: [] });
    const shown = await run(terraform, ["output", "-json"], { cwd: dir, env: tfEnv });
    const values = Object.fromEntries(Object.entries(JSON.parse(shown.stdout) as Record<string, { value: string }>).map(([name, o]) => [name, o.value]));

    expect(values.value).toBe(HOSTILE.value);
    expect(values.command).toBe(HOSTILE.command);
    expect(values.baseUrl).toBe(`COOLIFY_RELEASE_BASE_URL=${HOSTILE.baseUrl}`);
    expect(values.compose).toBe("      PORT: ${PORT:-80}");
  });
});

describe("the secret-literal scan reads escaped literals", () => {
  it("treats an escaped $${...} as literal text and only an unescaped ${...} as an expression", () => {
    expect(hasLiteral("postgres://app:$${PASSWORD}@db")).toBe(true);
    expect(hasLiteral("${var.secret_api_token}")).toBe(false);
  });
});
