import { readFileSync } from "node:fs";
import { JSON_SCHEMA_FILE, platformJsonSchema } from "../../tools/json-schema";

describe("the committed JSON Schema (config/platform.schema.json)", () => {
  it("is what the zod schema generates (run npm run schema after changing config/schema.ts)", () => {
    expect(readFileSync(JSON_SCHEMA_FILE, "utf8")).toBe(platformJsonSchema());
  });

  it("rejects unknown keys and lists the allowed values, as the parser does", () => {
    const schema = JSON.parse(platformJsonSchema()) as {
      properties: { environments: { items: { additionalProperties: boolean; properties: { hetzner: { properties: { location: { enum: string[] } } } } } } };
    };
    const environment = schema.properties.environments.items;
    expect(environment.additionalProperties).toBe(false);
    expect(environment.properties.hetzner.properties.location.enum).toEqual(["fsn1", "nbg1", "hel1", "ash", "hil", "sin"]);
  });
});
