/**
 * `node -r @swc-node/register`, for the processes the tests start, with its output kept on disk.
 * @swc-node/register loads the TypeScript compiler on every start (about 0.4 s of CPU) only to read
 * tsconfig.json, then transpiles every file again; the tests start ~150 such processes. This hook
 * compiles a file with @swc-node/register's own `compile` and options the first time (so the output
 * is the same by construction) and reads it back afterwards, keyed by the source, the file name, the
 * tsconfig and the compiler's versions. Each entry is written whole (a rename), so processes that
 * start side by side never read half of one.
 */
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { addHook } = require("pirates");
const { installSourceMapSupport, SourcemapMap } = require("@swc-node/sourcemap-support");

const ROOT = join(__dirname, "..", "..");
const SWC_CACHE = join(ROOT, ".gen", "test-cache", "swc");
mkdirSync(SWC_CACHE, { recursive: true });

const tsconfigPath = process.env.SWC_NODE_PROJECT ?? process.env.TS_NODE_PROJECT ?? join(process.cwd(), "tsconfig.json");
const readOrEmpty = (file) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
};
const salt = [
  tsconfigPath,
  readOrEmpty(tsconfigPath),
  process.env.SWCRC ?? "",
  process.env.SWC_NODE_INLINE_SOURCE_MAP ?? "",
  require("@swc/core/package.json").version,
  // Its package.json is not among its exports; index.js sits beside it.
  readOrEmpty(join(dirname(require.resolve("@swc-node/register")), "package.json")),
].join("\0");

let swcNode;
/** @swc-node/register's own compile with its own options, loaded only when a file is not cached. */
const compile = (code, filename) => {
  if (!swcNode) {
    const { compile: compileWith } = require("@swc-node/register/register");
    const { readDefaultTsConfig } = require("@swc-node/register/read-default-tsconfig");
    const options = process.env.SWCRC ? {} : readDefaultTsConfig();
    // As @swc-node/register's register(): CommonJS whatever the tsconfig says (ts.ModuleKind.CommonJS is 1).
    options.module = 1;
    swcNode = { compileWith, options };
  }
  return swcNode.compileWith(code, filename, swcNode.options);
};

installSourceMapSupport();
addHook(
  (code, filename) => {
    const key = createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(code).digest("hex");
    const file = join(SWC_CACHE, `${key}.json`);
    const cached = readOrEmpty(file);
    if (cached) {
      const { output, map } = JSON.parse(cached);
      if (map) SourcemapMap.set(filename, map);
      return output;
    }
    const output = compile(code, filename);
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify({ output, map: SourcemapMap.get(filename) }));
    renameSync(temporary, file);
    return output;
  },
  // The extensions @swc-node/register hooks.
  { exts: [".js", ".ts", ".jsx", ".tsx", ".mjs", ".mts", ".cjs", ".cts", ".es6", ".es"] },
);
