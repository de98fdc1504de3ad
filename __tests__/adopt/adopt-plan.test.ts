/**
 * The adopted configuration through the real `terraform plan` (offline, local providers): every
 * adopted resource is planned as an import, with the id the adoption wrote, which the provider's
 * import accepts. The stand-in provider keeps only what an import sets (the ids) and reads nothing
 * behind it, so attributes the real provider would read from Coolify (project, server, environment)
 * go from null to the configuration's value, and where they force replacement the plan replaces:
 * "0 to change, 0 to destroy" after the imports needs a provider that reads Coolify (the day-2 twin).
 */
import { readFileSync } from "node:fs";
import { adopt } from "../../tools/adopt";
import { fileWith } from "../support/app";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { baseConfig, populate } from "./coolify-fixture";
import { FakeCoolify } from "./fake-coolify";

const STACK = "staging-apps";

describeWithTools("terraform plan of an adopted apps stack", TERRAFORM_TOOLS, () => {
  const fake = new FakeCoolify();
  let adopted: Record<string, string>;
  let plan: { code: number; output: string };

  beforeAll(async () => {
    populate(fake);
    await fake.start();
    const file = fileWith(baseConfig());
    const result = await adopt({ config: file, environment: "staging", url: fake.url, token: "sensitive-token" });
    adopted = (result.apps.adopted ?? {}) as Record<string, string>;
    const project = new CdktfProject(JSON.parse(readFileSync(file, "utf8")));
    const synth = await project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
    const init = await project.terraform(STACK, ["init", "-input=false"]);
    if (init.code !== 0) throw new Error(init.output);
    // Every variable of the stack set to a stand-in value: the plan reads no secret.
    const variables = Object.keys((project.synthesized(STACK).variable ?? {}) as Record<string, unknown>);
    const env = Object.fromEntries(variables.map((name) => [`TF_VAR_${name}`, "stand-in-value"]));
    plan = await project.terraform(STACK, ["plan", "-input=false"], env);
  }, 240_000);

  afterAll(() => fake.stop());

  it("plans an import of every adopted resource, by the id the adoption wrote", () => {
    expect({ code: plan.code, output: plan.code === 0 ? "" : plan.output }).toEqual({ code: 0, output: "" });
    const imports = [...plan.output.matchAll(/^\s*# \(imported from "([^"]+)"\)$/gm)].map(([, id]) => id);
    expect(imports.sort()).toEqual(Object.values(adopted).sort());
    expect(plan.output).toMatch(new RegExp(`^Plan: ${Object.keys(adopted).length} to import, \\d+ to add, \\d+ to change, \\d+ to destroy\\.$`, "m"));
  });
});
