import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../support/app";

/** A copy of the repository's files (tracked and new, not ignored) sharing node_modules and .gen. */
const repositoryCopy = (): string => {
  const copy = mkdtempSync(join(tmpdir(), "repo-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  symlinkSync(join(ROOT, ".gen"), join(copy, ".gen"));
  return copy;
};

const inCopy = (copy: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    const stdout = execFileSync(command, [...args], { cwd: copy, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, stdio: "pipe" });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: `${failed.stdout}${failed.stderr}` };
  }
};

describe("npm run new-environment (issue 20 §8)", () => {
  it("scaffolds an environment that synthesizes on the first run, with its own deploy key kept out of git", () => {
    const copy = repositoryCopy();
    const made = inCopy(copy, "npm", ["run", "--silent", "new-environment", "--", "qa"]);
    expect(made).toEqual({ code: 0, stdout: expect.stringContaining(".secrets/qa/ci-deploy") });

    const keyFile = join(copy, ".secrets", "qa", "ci-deploy");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const publicKey = execFileSync("ssh-keygen", ["-y", "-f", keyFile], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    expect(readFileSync(join(copy, "config", "environments", "qa.ts"), "utf8")).toContain(publicKey);
    expect(inCopy(copy, "git", ["init", "-q"]).code).toBe(0);
    expect(inCopy(copy, "git", ["check-ignore", "-q", ".secrets/qa/ci-deploy"]).code).toBe(0);
    // Its SSH host key likewise: the private half (OpenSSH format, as cloud-init installs it for sshd) kept out of git, the public half sshHostKey.
    const hostKeyFile = join(copy, ".secrets", "qa", "ssh-host-key");
    expect(made.stdout).toContain(".secrets/qa/ssh-host-key");
    expect(statSync(hostKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(hostKeyFile, "utf8")).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const hostPublicKey = execFileSync("ssh-keygen", ["-y", "-f", hostKeyFile], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    expect(readFileSync(join(copy, "config", "environments", "qa.ts"), "utf8")).toContain(`sshHostKey: "${hostPublicKey} host@qa"`);
    expect(inCopy(copy, "git", ["check-ignore", "-q", ".secrets/qa/ssh-host-key"]).code).toBe(0);
    expect(inCopy(copy, "npx", ["biome", "check", "config/environments/qa.ts", "config/index.ts"]).code).toBe(0);

    const outdir = join(copy, "cdktf.out");
    const synth = inCopy(copy, "npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir });
    expect(synth.code).toBe(0);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(expect.arrayContaining(["qa-infra", "qa-apps", "staging-infra", "production-apps"]));
    const privateBody = readFileSync(keyFile, "utf8").split("\n")[1];
    expect(readFileSync(join(outdir, "stacks", "qa-infra", "cdk.tf.json"), "utf8")).not.toContain(privateBody);
    expect(readFileSync(join(outdir, "stacks", "qa-infra", "cdk.tf.json"), "utf8")).not.toContain(readFileSync(hostKeyFile, "utf8").split("\n")[1]);

    const again = inCopy(copy, "npm", ["run", "--silent", "new-environment", "--", "qa"]);
    expect(again).toEqual({ code: 1, stdout: 'environment "qa" exists already\n' });
  });
});
