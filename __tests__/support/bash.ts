import { spawn } from "node:child_process";

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command` with `input` on stdin, without blocking the event loop, so that stand-in servers
 * of the same test process can answer the script's requests.
 */
export const runWithInput = (command: string, args: readonly string[], input: string, env: NodeJS.ProcessEnv): Promise<ScriptRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
