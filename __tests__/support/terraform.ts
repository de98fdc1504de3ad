/**
 * The real-Terraform layer: the real `terraform` and `cdktf` binaries run our synthesized stacks
 * against the local providers (local-provider/), which serve the real provider schemas offline.
 * With TF_TEST_PROVIDERS=registry the same helpers leave Terraform to download the real providers
 * instead (needs the internet; see the README).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildMirror } from "../../local-provider/src/mirror";
import type { Pin } from "../../local-provider/src/values";
import { withoutAnsi } from "../../tools/plan-comment";
import { findTool, TS_NODE_ARGS } from "./tools";

export const ROOT = join(__dirname, "..", "..");
export const LOCAL_PROVIDER_ENTRY = join(ROOT, ".gen", "local-provider", "src", "main.js");
export const PROVIDER_SCHEMAS = join(ROOT, ".gen", "provider-schemas");
export const REGISTRY_PROVIDERS = process.env.TF_TEST_PROVIDERS === "registry";
export const TERRAFORM_TOOLS = { terraform: findTool("terraform") };

export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they came. */
  readonly output: string;
}

/** Runs a command without blocking the test process (sshd and the fakes keep being served). */
export const run = (command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      output += chunk;
    });
    child.on("error", reject);
    // cdktf passes Terraform's colours through and draws spinners; assertions read the text.
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: withoutAnsi(stdout), stderr: withoutAnsi(stderr), output: withoutAnsi(output) }));
    child.stdin.end(options.input ?? "");
  });

/** Environment for Terraform with the local providers installed through a filesystem mirror in `dir`. */
export const providerEnvironment = (dir: string, pins: readonly Pin[] = []): Record<string, string> => {
  // cdktf otherwise shares ~/.terraform.d/plugin-cache between every project on the machine, where
  // another checkout's local providers (other paths, other checksums) break this project's lock file.
  const base = { CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1", TF_PLUGIN_CACHE_DIR: "" };
  if (REGISTRY_PROVIDERS) return base;
  if (!existsSync(LOCAL_PROVIDER_ENTRY)) throw new Error(`${LOCAL_PROVIDER_ENTRY} is missing: run \`npm run setup\` (it compiles local-provider/)`);
  mkdirSync(dir, { recursive: true });
  const { cliConfigFile } = buildMirror(dir, [PROVIDER_SCHEMAS], LOCAL_PROVIDER_ENTRY);
  const pinsFile = join(dir, "pins.json");
  writeFileSync(pinsFile, JSON.stringify(pins));
  return { ...base, TF_CLI_CONFIG_FILE: cliConfigFile, LOCAL_PROVIDER_PINS: pinsFile };
};

/**
 * A throwaway cdktf project that runs this repository's app on a configuration of the test's
 * choosing: its own cdktf.json, cdktf.out, state files and outputs, with our node_modules linked.
 */
export class CdktfProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly configFile: string;

  constructor(config: unknown, pins: readonly Pin[] = [], extraEnv: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), "cdktf-project-"));
    symlinkSync(join(ROOT, "node_modules"), join(this.dir, "node_modules"));
    this.configFile = join(this.dir, "platform.json");
    this.writeConfig(config);
    writeFileSync(
      join(this.dir, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: ["node", ...TS_NODE_ARGS, join(ROOT, "main.ts")].join(" "),
        projectId: "real-terraform-tests",
        sendCrashReports: "false",
      }),
    );
    this.env = {
      ...process.env,
      ...providerEnvironment(join(this.dir, ".providers"), pins),
      PLATFORM_CONFIG: this.configFile,
      // Explicit, so that tools/stack-plan.ts accepts the project's local state when CI=true.
      STATE_BACKEND: "local",
      SWC_NODE_PROJECT: join(ROOT, "tsconfig.json"),
      ...extraEnv,
    };
  }

  writeConfig(config: unknown): void {
    writeFileSync(this.configFile, JSON.stringify(config, null, 2));
  }

  stackDir(stack: string): string {
    return join(this.dir, "cdktf.out", "stacks", stack);
  }

  synthesized(stack: string): { resource?: Record<string, Record<string, unknown>> } & Record<string, unknown> {
    return JSON.parse(readFileSync(join(this.stackDir(stack), "cdk.tf.json"), "utf8"));
  }

  /**
   * The real cdktf CLI; offline it must skip `terraform providers lock`, which ignores the mirror.
   * With `lockFile`, it runs under `flock` on that file, one at a time across processes.
   */
  cdktf(args: readonly string[], env: Record<string, string> = {}, lockFile?: string): Promise<Finished> {
    const cdktf = [join(ROOT, "node_modules", ".bin", "cdktf"), ...args, ...(REGISTRY_PROVIDERS ? [] : ["--skip-provider-lock"])];
    const [command, ...rest] = lockFile ? ["flock", lockFile, ...cdktf] : cdktf;
    return run(command, rest, { cwd: this.dir, env: { ...this.env, ...env } });
  }

  /** `terraform <args>` in the stack's directory; -no-color is added except where the command has no such flag. */
  terraform(stack: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
    const noColor = args[0] === "providers" ? [] : ["-no-color"];
    return run(TERRAFORM_TOOLS.terraform ?? "terraform", [...args, ...noColor], { cwd: this.stackDir(stack), env: { ...this.env, ...env } });
  }

  /**
   * What `main.ts` does, done in this process for a step that only needs the stacks' JSON: the
   * configuration the project names, synthesized into its `cdktf.out`. Saves a Node start and the
   * load of cdktf and the provider bindings per synth (about 1.2 s of CPU each); a suite's deploy
   * still runs the real `main.ts` through the cdktf CLI. cdktf's default local backend puts the state
   * beside `process.cwd()` (cdktf 0.21.0 lib/backends/local-backend.js), so the synth runs from the
   * project's directory, as `main.ts` does; it is synchronous, so nothing else runs meanwhile.
   */
  async synthHere(): Promise<void> {
    const [{ loadConfig }, { synthesizePlatform }] = await Promise.all([import("../../config"), import("../../stacks/platform")]);
    const config = loadConfig(this.env);
    const previous = process.cwd();
    process.chdir(this.dir);
    try {
      synthesizePlatform(config, join(this.dir, "cdktf.out"), { costDetail: false });
    } finally {
      process.chdir(previous);
    }
  }

  /** One of this repository's npm scripts, run in the project (its cwd is where cdktf.out and outputs/ are). */
  script(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
    return run(process.execPath, [...TS_NODE_ARGS, join(ROOT, file), ...args], { cwd: this.dir, env: { ...this.env, ...env } });
  }
}
