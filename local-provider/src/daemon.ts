/**
 * Many provider instances in one long-lived process. Terraform starts a provider plugin several
 * times per command, and a test run starts a few hundred; each start of `main.js` costs about half a
 * second of CPU, mostly loading gRPC and the protocol definitions. With `LOCAL_PROVIDER_DAEMON` set
 * to this daemon's port, the mirror's wrapper (mirror.ts) asks the daemon for an instance instead of
 * starting `main.js`: the same `startProvider`, configured by the wrapper's environment, on its own
 * socket, ending when Terraform shuts it down or the wrapper goes away.
 *
 *   node daemon.js     prints the port it listens on (127.0.0.1), runs until its stdin closes;
 *                      writes `serving <address>` to stderr for every instance
 *
 * Wire format, one connection per instance: the wrapper sends three lines (schema file, provider
 * address, its environment as `env -0` in base64); the daemon answers with go-plugin's handshake
 * line and keeps the connection open while the instance runs, or answers `error <text>` and closes.
 */
import { createServer, type Socket } from "node:net";
import { type Arguments, startProvider } from "./main";

const environmentFrom = (encoded: string): Record<string, string> =>
  Object.fromEntries(
    Buffer.from(encoded, "base64")
      .toString("utf8")
      .split("\0")
      .filter((entry) => entry.includes("="))
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );

const serveInstance = async (socket: Socket, [schemaFile, address, encodedEnvironment]: readonly string[]): Promise<void> => {
  const args: Arguments = { schemaFile, address: address === "" ? undefined : address };
  try {
    const provider = await startProvider(args, environmentFrom(encodedEnvironment));
    process.stderr.write(`serving ${address}\n`);
    socket.on("close", provider.stop);
    socket.write(`${provider.handshake}\n`);
    await provider.stopped;
  } catch (error) {
    socket.write(`error ${(error as Error).message.replace(/\n/g, " ")}\n`);
  }
  socket.end();
};

const accept = (socket: Socket): void => {
  let received = "";
  socket.setEncoding("utf8");
  socket.on("error", () => socket.destroy());
  const onData = (chunk: string): void => {
    received += chunk;
    const lines = received.split("\n");
    if (lines.length < 4) return;
    socket.off("data", onData);
    void serveInstance(socket, lines.slice(0, 3));
  };
  socket.on("data", onData);
};

const server = createServer(accept);
server.listen(0, "127.0.0.1", () => {
  const bound = server.address();
  process.stdout.write(`${typeof bound === "object" && bound ? bound.port : ""}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
