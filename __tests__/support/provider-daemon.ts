/**
 * One local-provider daemon (local-provider/src/daemon.ts) for a whole jest run: the mirrors'
 * wrappers find it through LOCAL_PROVIDER_DAEMON and ask it for provider instances instead of
 * starting a Node process per instance. Started by jest's globalSetup, so every worker inherits the
 * variable; without it (or with the daemon gone) the wrappers start the provider themselves.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DAEMON_VARIABLE } from "../../local-provider/src/mirror";

export const DAEMON_ENTRY = join(__dirname, "..", "..", ".gen", "local-provider", "src", "daemon.js");

export interface ProviderDaemon {
  readonly port: string;
  readonly process: ChildProcess;
  /** What the daemon wrote to stderr so far. */
  stderr(): string;
}

export const startProviderDaemon = (): Promise<ProviderDaemon> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DAEMON_ENTRY], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.once("exit", (code) => reject(new Error(`the local provider daemon exited (${code}) before it listened: ${stderr}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve({ port: stdout.trim(), process: child, stderr: () => stderr });
    });
  });

declare global {
  var localProviderDaemon: ProviderDaemon | undefined;
}

export const setUpProviderDaemon = async (): Promise<void> => {
  if (process.env.TF_TEST_PROVIDERS === "registry" || !existsSync(DAEMON_ENTRY)) return;
  globalThis.localProviderDaemon = await startProviderDaemon();
  process.env[DAEMON_VARIABLE] = globalThis.localProviderDaemon.port;
};

/** Ends the daemon and waits for it, so that its CPU time is counted with the run's. */
export const tearDownProviderDaemon = async (): Promise<void> => {
  const daemon = globalThis.localProviderDaemon?.process;
  if (!daemon || daemon.exitCode !== null) return;
  await new Promise((resolve) => {
    daemon.on("exit", resolve);
    daemon.kill();
  });
};
