import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../support/app";

/** The layers from the bottom up: a file may import only from its own layer or one below (README, architecture). */
const LAYERS = ["catalog", "config", "model", "stacks"] as const;

const sources = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith(".ts") ? [join(folder, entry.name)] : [],
  );

/** Repository-relative files a source imports (type-only imports included: they are arrows too). */
const importsOf = (file: string): string[] =>
  [...readFileSync(join(ROOT, file), "utf8").matchAll(/^(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms)].map(
    (match) => `${relative(ROOT, resolve(ROOT, dirname(file), match[1]))}.ts`,
  );

describe("the configuration layer's arrows point one way (issue 23, house item 2)", () => {
  const files = [...sources("catalog"), ...sources("config")];

  it("catalog/ and config/ import nothing from the layers above them", () => {
    const upward = files.flatMap((file) => {
      const layer = LAYERS.indexOf(file.split("/")[0] as (typeof LAYERS)[number]);
      return importsOf(file)
        .filter((target) => {
          const above = LAYERS.indexOf(target.split("/")[0] as (typeof LAYERS)[number]);
          return above > layer || !LAYERS.includes(target.split("/")[0] as (typeof LAYERS)[number]);
        })
        .map((target) => `${file} -> ${target}`);
    });
    expect(upward).toEqual([]);
  });

  it("no two files of catalog/ and config/ import each other, directly or around a cycle", () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => files.includes(target))]));
    const cycles: string[] = [];
    const visit = (file: string, trail: readonly string[]): void => {
      if (trail.includes(file)) {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
