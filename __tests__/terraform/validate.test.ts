/**
 * Every stack of the example configuration, initialized and validated by the real `terraform`
 * against the real provider schemas; and proof that this layer fails where Terraform would.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig } from "../../config";
import { CdktfProject, PROVIDER_SCHEMAS, REGISTRY_PROVIDERS, run, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

type StackJson = { resource: Record<string, Record<string, Record<string, unknown>>> } & Record<string, unknown>;

describeWithTools("terraform init + validate of every synthesized stack", TERRAFORM_TOOLS, () => {
  let project: CdktfProject;
  let stacks: string[];

  beforeAll(async () => {
    project = new CdktfProject(exampleConfig);
    const synth = await project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
    stacks = exampleConfig.environments.flatMap((env) => [`${env.name}-infra`, `${env.name}-apps`]);
    await Promise.all(
      stacks.map(async (stack) => {
        const init = await project.terraform(stack, ["init", "-input=false"]);
        if (init.code !== 0) throw new Error(`${stack}: ${init.output}`);
      }),
    );
  });

  it("validates each stack", async () => {
    for (const stack of stacks) {
      const result = await project.terraform(stack, ["validate"]);
      expect({ stack, code: result.code, output: result.output.trim() }).toEqual({ stack, code: 0, output: "Success! The configuration is valid." });
    }
  });

  /** A copy of an initialized stack with one thing planted in its JSON. */
  const validatePlanted = async (plant: (tf: StackJson) => void): Promise<string> => {
    const dir = mkdtempSync(join(tmpdir(), "planted-"));
    cpSync(project.stackDir("staging-infra"), dir, { recursive: true });
    const tf = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
    plant(tf);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    const result = await run(TERRAFORM_TOOLS.terraform ?? "terraform", ["validate", "-no-color"], { cwd: dir, env: project.env });
    expect(result.code).toBe(1);
    return result.output;
  };
  const firstServer = (tf: StackJson): Record<string, unknown> => Object.values(tf.resource.hcloud_server)[0];

  it("rejects an attribute the provider does not have", async () => {
    const output = await validatePlanted((tf) => {
      firstServer(tf).serverTyp = "cx23";
    });
    expect(output).toContain("Extraneous JSON object property");
    expect(output).toContain('No argument or block type is named "serverTyp".');
  });

  it("rejects a reference to a resource that does not exist", async () => {
    const output = await validatePlanted((tf) => {
      firstServer(tf).firewall_ids = ["${hcloud_firewall.missing.id}"];
    });
    expect(output).toContain("Reference to undeclared resource");
    expect(output).toContain('A managed resource "hcloud_firewall" "missing" has not been declared');
  });

  it("rejects a value of the wrong type", async () => {
    const output = await validatePlanted((tf) => {
      firstServer(tf).server_type = ["cx23"];
    });
    expect(output).toContain("Incorrect attribute value type");
    expect(output).toContain("string required");
  });

  // The real providers' own schemas need no comparison; this is about what the stand-in serves.
  (REGISTRY_PROVIDERS ? it.skip : it)("serves exactly the schema in each file, as `terraform providers schema -json` prints it", async () => {
    const served = {
      ...JSON.parse((await project.terraform("staging-infra", ["providers", "schema", "-json"])).stdout).provider_schemas,
      ...JSON.parse((await project.terraform("staging-apps", ["providers", "schema", "-json"])).stdout).provider_schemas,
    };
    const files = ["hcloud@~%3E%201.59.0.json", "coolify@~%3E%200.1.17.json", "cloudflare-5.14.0.json", "null-3.2.4.json"];
    for (const file of files) {
      const expected = JSON.parse(readFileSync(join(PROVIDER_SCHEMAS, file), "utf8")) as { provider_schemas: Record<string, unknown> };
      for (const [address, schema] of Object.entries(expected.provider_schemas)) {
        expect({ address, schema: served[address] }).toEqual({ address, schema: withTerraformDefaults(schema) });
      }
    }
  });
});

/**
 * Terraform prints `description_kind` for every attribute and block ("plain" unless the provider
 * says markdown). The real hcloud, Cloudflare and null files carry it everywhere; the Coolify file,
 * transcribed from the provider's source, leaves it out in 122 places. This adds only that default.
 */
const withTerraformDefaults = (schema: unknown): unknown => {
  type Node = Record<string, unknown>;
  const plain = (node: Node): Node => ("description_kind" in node ? node : { ...node, description_kind: "plain" });
  const attributes = (map: unknown): Node =>
    Object.fromEntries(Object.entries((map ?? {}) as Node).map(([name, attribute]) => [name, attributeNode(attribute as Node)]));
  const attributeNode = (attribute: Node): Node => {
    const nested = attribute.nested_type as Node | undefined;
    return plain(nested?.attributes ? { ...attribute, nested_type: { ...nested, attributes: attributes(nested.attributes) } } : attribute);
  };
  const block = (node: Node): Node => {
    const blockTypes = node.block_types as Record<string, Node> | undefined;
    return plain({
      ...node,
      ...(node.attributes ? { attributes: attributes(node.attributes) } : {}),
      ...(blockTypes
        ? { block_types: Object.fromEntries(Object.entries(blockTypes).map(([name, nested]) => [name, { ...nested, block: block(nested.block as Node) }])) }
        : {}),
    });
  };
  const typeSchema = (node: Node): Node => ({ ...node, block: block(node.block as Node) });
  const provider = schema as Record<string, Record<string, Node> | Node>;
  const each = (map: unknown) => Object.fromEntries(Object.entries((map ?? {}) as Record<string, Node>).map(([name, node]) => [name, typeSchema(node)]));
  return {
    ...provider,
    provider: typeSchema(provider.provider as Node),
    resource_schemas: each(provider.resource_schemas),
    data_source_schemas: each(provider.data_source_schemas),
  };
};
