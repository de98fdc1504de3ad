/** The local provider's README names exactly the Coolify types the twin applies through the API. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TWINNED_DATA_SOURCES, TWINNED_TYPES } from "../../local-provider/src/coolify-twin";

it("local-provider/README.md lists every twinned Coolify type and data source, and no other", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "local-provider", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The Coolify twin"), readme.indexOf("## Hetzner's rules"));
  const listed = [...section.matchAll(/^\| (?:data source )?`(coolify_\w+)`/gm)].map((match) => match[1]);
  expect(listed).toEqual([...TWINNED_TYPES, ...TWINNED_DATA_SOURCES]);
});
