/**
 * Compiles the local provider to plain JavaScript in .gen/local-provider/ (with its .proto files
 * beside it), so that Terraform starts it with bare `node`: no TypeScript loader on each of the
 * several starts per command.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { transformFileSync } from "@swc/core";

export const SOURCE = __dirname;
export const BUILD = join(__dirname, "..", ".gen", "local-provider");
export const ENTRY = join(BUILD, "src", "main.js");

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "proto" ? [] : sources(path);
    return entry.name.endsWith(".ts") && entry.name !== "build.ts" ? [path] : [];
  });

export const buildLocalProvider = (): void => {
  rmSync(BUILD, { recursive: true, force: true });
  for (const file of sources(SOURCE)) {
    const { code } = transformFileSync(file, {
      jsc: { target: "es2022", parser: { syntax: "typescript" } },
      module: { type: "commonjs" },
      sourceMaps: false,
    });
    const out = join(BUILD, relative(SOURCE, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
  cpSync(join(SOURCE, "proto"), join(BUILD, "proto"), { recursive: true });
};

if (require.main === module) buildLocalProvider();
