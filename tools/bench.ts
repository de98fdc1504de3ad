/**
 * `npm run bench`: median wall time and peak memory of the commands a developer runs, each measured
 * by GNU time over several runs, plus synth of generated large configurations at 1x..4x.
 *
 *   npm run bench                          every row
 *   npm run bench -- --runs 3              the same number of runs for every row
 *   npm run bench -- --only synth,init-style
 *   npm run bench -- --only test,test-fast   the test runs; the per-suite table comes from the last `npm test`
 *
 * Every command writes into a scratch directory, never into the checkout's cdktf.out or .gen.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { CONFIG_FILE_VARIABLE } from "../config/read";
import { realTerraformRows, stopDeployments } from "./bench-terraform";
import { SCALE_FACTORS, writeLargeConfig } from "./generate-config";

const ROOT = resolve(__dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin");
const SCHEMAS = resolve(ROOT, "..", "shared", "provider-schemas");

interface Sample {
  readonly seconds: number;
  readonly peakKiB: number;
}

interface Row {
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly runs: number;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** For the scale rows: the size relative to the large configuration. */
  readonly scale?: number;
  /** Work done once before the runs (not measured), e.g. deploying what the command then diffs. */
  readonly prepare?: () => Promise<{ cwd: string; env: Record<string, string> }>;
  /** Measures one run itself instead of timing `command` (for what never exits on its own). */
  readonly sample?: () => Promise<Sample>;
}

interface Measurement {
  readonly row: Row;
  readonly seconds: readonly number[];
  readonly peakKiB: readonly number[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const parseArgs = (argv: readonly string[]): { runs?: number; only?: Set<string> } => {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const runs = value("--runs");
  const only = value("--only");
  if (runs !== undefined && !/^[1-9]\d*$/.test(runs)) throw new Error(`--runs must be a positive whole number, got ${runs}`);
  return { runs: runs === undefined ? undefined : Number(runs), only: only === undefined ? undefined : new Set(only.split(",")) };
};

/** A directory `cdktf get` can run in without touching the checkout's `.gen`. */
const prepareGetProject = (scratch: string): string => {
  const dir = join(scratch, "get-project");
  mkdirSync(dir);
  const cdktfJson = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, codeMakerOutput: "gen" }));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
};

const rowsFor = (scratch: string, runs: number | undefined): Row[] => {
  const out = (name: string): string => join(scratch, `out-${name}`);
  const rows: Row[] = [
    {
      id: "get",
      label: "`cdktf get` (hcloud + coolify bindings)",
      command: `${BIN}/cdktf get`,
      runs: runs ?? 3,
      cwd: prepareGetProject(scratch),
      env: { CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH: process.env.CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH ?? SCHEMAS },
    },
    // CDKTF_OUTDIR as well as --output, so the row stays out of the checkout whether `synth` runs the CLI or the app itself.
    {
      id: "synth",
      label: "`npm run synth`",
      command: `npm run --silent synth -- --output ${out("synth")}`,
      runs: runs ?? 5,
      env: { CDKTF_OUTDIR: out("synth") },
    },
    {
      id: "init-style",
      label: "`cdktf synth --app 'npx ts-node main.ts'` (`cdktf init` style)",
      command: `${BIN}/cdktf synth --app 'npx ts-node main.ts' --output ${out("init")}`,
      runs: runs ?? 3,
    },
    {
      id: "node",
      label: "`node -r @swc-node/register main.ts` (no CLI)",
      command: "node -r @swc-node/register main.ts",
      runs: runs ?? 5,
      env: { CDKTF_OUTDIR: out("node") },
    },
    // Jest's JSON of the last run gives the per-suite table (printSuites).
    { id: "test", label: "`npm test`", command: `npm test --silent -- --json --outputFile=${join(scratch, JEST_JSON)}`, runs: runs ?? 3 },
    { id: "test-fast", label: "`npm run test:fast`", command: "npm run --silent test:fast", runs: runs ?? 3 },
    ...realTerraformRows(runs),
  ];
  for (const scale of SCALE_FACTORS) {
    const file = join(scratch, `large-${scale}x.json`);
    rows.push({
      id: `large-${scale}x`,
      label: `large config ${scale}x, \`node -r @swc-node/register main.ts\``,
      command: "node -r @swc-node/register main.ts",
      runs: runs ?? 3,
      env: { CDKTF_OUTDIR: out(`large-${scale}x`), [CONFIG_FILE_VARIABLE]: file },
      scale,
    });
  }
  rows.push({
    id: "large-cli",
    label: "large config 1x, `npm run synth`",
    command: `npm run --silent synth -- --output ${out("large-cli")}`,
    runs: runs ?? 3,
    env: { [CONFIG_FILE_VARIABLE]: join(scratch, "large-1x.json"), CDKTF_OUTDIR: out("large-cli") },
  });
  return rows;
};

const measureOnce = (row: Row, timeFile: string): Sample => {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, "bash", "-c", row.command], {
    cwd: row.cwd ?? ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...row.env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${row.id}: \`${row.command}\` exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  const [seconds, peakKiB] = readFileSync(timeFile, "utf8").trim().split("\n").pop()?.split(" ").map(Number) ?? [];
  return { seconds, peakKiB };
};

const measure = async (row: Row, timeFile: string): Promise<Measurement> => {
  const seconds: number[] = [];
  const peakKiB: number[] = [];
  const prepared = row.prepare ? { ...row, ...(await row.prepare()) } : row;
  for (let run = 0; run < row.runs; run++) {
    const result = row.sample ? await row.sample() : measureOnce(prepared, timeFile);
    seconds.push(result.seconds);
    peakKiB.push(result.peakKiB);
    process.stderr.write(`  ${row.id} run ${run + 1}/${row.runs}: ${result.seconds.toFixed(2)} s, ${(result.peakKiB / 1024).toFixed(0)} MiB\n`);
  }
  return { row, seconds, peakKiB };
};

const mib = (kib: number): string => (kib / 1024).toFixed(0);

const printTable = (measurements: readonly Measurement[]): void => {
  const lines = [
    "| what | runs | median wall (s) | min–max (s) | peak RSS (MiB, max of runs) |",
    "|---|---:|---:|---:|---:|",
    ...measurements.map(
      ({ row, seconds, peakKiB }) =>
        `| ${row.label} | ${row.runs} | ${median(seconds).toFixed(2)} | ${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)} | ${mib(Math.max(...peakKiB))} |`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
};

const printRatio = (measurements: readonly Measurement[]): void => {
  const byId = new Map(measurements.map((m) => [m.row.id, m]));
  const synth = byId.get("synth");
  const initStyle = byId.get("init-style");
  if (!synth || !initStyle) return;
  const ratio = median(synth.seconds) / median(initStyle.seconds);
  process.stdout.write(`\n\`npm run synth\` / \`cdktf init\`-style synth: ${ratio.toFixed(2)}x (target: at most 0.40x) ${ratio <= 0.4 ? "OK" : "MISSED"}\n`);
};

const printGrowth = (measurements: readonly Measurement[]): void => {
  const scaled = measurements.filter((m) => m.row.scale !== undefined);
  const base = scaled.find((m) => m.row.scale === 1);
  if (!base || scaled.length < 2) return;
  const baseTime = median(base.seconds);
  const baseMemory = Math.max(...base.peakKiB);
  const lines = [
    "",
    "| size | median wall (s) | time vs 1x | peak RSS (MiB) | memory vs 1x |",
    "|---|---:|---:|---:|---:|",
    ...scaled.map(({ row, seconds, peakKiB }) => {
      const time = median(seconds);
      const memory = Math.max(...peakKiB);
      return `| ${row.scale}x | ${time.toFixed(2)} | ${(time / baseTime).toFixed(2)} | ${mib(memory)} | ${(memory / baseMemory).toFixed(2)} |`;
    }),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
};

const JEST_JSON = "jest-npm-test.json";

interface JestReport {
  readonly startTime: number;
  readonly numTotalTests: number;
  readonly testResults: readonly { readonly name: string; readonly startTime: number; readonly endTime: number }[];
}

/** Jest's own figures for the last `npm test` run: the whole run and each suite, slowest first. */
const printSuites = (scratch: string): void => {
  const file = join(scratch, JEST_JSON);
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as JestReport;
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  const suites = [...report.testResults].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime));
  const end = Math.max(...suites.map((suite) => suite.endTime));
  const lines = [
    "",
    `\`npm test\`, last run, jest's figures: ${seconds(end - report.startTime)} s, ${suites.length} suites, ${report.numTotalTests} tests`,
    "",
    "| suite | seconds |",
    "|---|---:|",
    ...suites.map((suite) => `| ${relative(ROOT, suite.name)} | ${seconds(suite.endTime - suite.startTime)} |`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
};

const main = async (): Promise<void> => {
  const { runs, only } = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const allRows = rowsFor(scratch, runs);
    const rows = allRows.filter((row) => !only || only.has(row.id));
    if (rows.length === 0) throw new Error(`--only matched no row; rows: ${allRows.map((r) => r.id).join(", ")}`);
    for (const scale of SCALE_FACTORS) {
      if (rows.some((row) => row.env?.[CONFIG_FILE_VARIABLE]?.endsWith(`large-${scale}x.json`))) {
        writeLargeConfig(join(scratch, `large-${scale}x.json`), scale);
      }
    }
    const timeFile = join(scratch, "time.txt");
    const measurements: Measurement[] = [];
    for (const row of rows) {
      try {
        measurements.push(await measure(row, timeFile));
      } catch (error) {
        process.stderr.write(`${row.id} FAILED, left out of the table: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    }
    printTable(measurements);
    printRatio(measurements);
    printGrowth(measurements);
    printSuites(scratch);
  } finally {
    stopDeployments();
    rmSync(scratch, { recursive: true, force: true });
  }
};

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
