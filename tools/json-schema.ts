/**
 * Writes `config/platform.schema.json`, the JSON Schema editors check a configuration file against,
 * generated from the zod schema. `npm run schema` after changing `config/schema.ts`; a test fails
 * while the committed file differs from what this generates.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { platformSchema } from "../config/schema";

export const JSON_SCHEMA_FILE = join(__dirname, "..", "config", "platform.schema.json");

export const platformJsonSchema = (): string =>
  `${JSON.stringify({ ...z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }), title: "Coolify platform configuration" }, null, 2)}\n`;

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_FILE, platformJsonSchema());
  process.stdout.write(`wrote ${JSON_SCHEMA_FILE}\n`);
}
