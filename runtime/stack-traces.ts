/**
 * cdktf records a full stack trace for every token it creates, in case an error message needs it
 * later. Under @swc-node/register, source-map-support maps each of those traces through the source
 * maps, which took about a fifth of the large configuration's synth (docs/benchmarks.md). Traces
 * captured into plain objects, which is how cdktf records them, get V8's own formatting; real
 * errors keep their TypeScript positions.
 */
export const useCheapTokenStackTraces = (): void => {
  const mapped = Error.prepareStackTrace;
  if (!mapped) return;
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error ? mapped(error, frames) : `${String(error)}\n${frames.map((frame) => `    at ${String(frame)}`).join("\n")}`;
};
