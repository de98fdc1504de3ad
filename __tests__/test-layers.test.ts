/**
 * `npm run test:fast` must stay free of real Terraform, sshd and PostgreSQL: every suite that uses
 * their harnesses is in the slow list, so the fast layer can never grow a real-process suite unseen.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SLOW_SUITES } from "./support/layers";

const ROOT = join(__dirname, "..");
const HEAVY =
  /CdktfProject|TERRAFORM_TOOLS|TestPostgres|TestSshd|fakeCoolifyForSuite|deployedForSuite|DeployedEnvironment|findTool\("(terraform|sshd|pg_ctl|psql)"\)/;

const suites = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : suites(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });

const isSlow = (file: string): boolean => SLOW_SUITES.some((pattern: string) => new RegExp(pattern).test(file));

describe("the fast test layer", () => {
  it("leaves out every suite that drives the real Terraform, an sshd or a PostgreSQL", () => {
    const heavyButFast = suites(__dirname)
      .filter((file) => file !== __filename && HEAVY.test(readFileSync(file, "utf8")) && !isSlow(file))
      .map((file) => relative(ROOT, file));
    expect(heavyButFast).toEqual([]);
  });

  it("still runs the suites that need none of them", () => {
    const fast = suites(__dirname).filter((file) => !isSlow(file));
    expect(fast.map((file) => relative(ROOT, file))).toEqual(expect.arrayContaining(["__tests__/config/synth-input.test.ts", "__tests__/main.test.ts"]));
  });
});
