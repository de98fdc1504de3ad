import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Node's arguments for running one of this repository's TypeScript files in a test's child process:
 * @swc-node/register's own compilation, cached on disk (see register.js).
 */
export const TS_NODE_ARGS: readonly string[] = ["-r", join(__dirname, "register.js")];

/**
 * Finds a system tool a test drives for real. Missing tools fail the run under CI=true (so CI can
 * never go green without the test having run) and skip, loudly, on a developer machine.
 */
export const findTool = (name: string, extraPaths: readonly string[] = []): string | undefined => {
  for (const candidate of extraPaths) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync("bash", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** `describe` when every tool is present; otherwise fails under CI and skips with a message elsewhere. */
export const describeWithTools = (title: string, tools: Record<string, string | undefined>, body: () => void): void => {
  const missing = Object.entries(tools)
    .filter(([, path]) => !path)
    .map(([name]) => name);
  if (missing.length === 0) {
    describe(title, body);
  } else if (process.env.CI === "true") {
    describe(title, () => {
      it(`has its tools (${missing.join(", ")})`, () => {
        throw new Error(`missing tools under CI: ${missing.join(", ")}; run bash tools/setup.sh --test-tools`);
      });
    });
  } else {
    process.stderr.write(`SKIPPED "${title}": missing ${missing.join(", ")} (bash tools/setup.sh --test-tools installs them)\n`);
    describe.skip(title, body);
  }
};
