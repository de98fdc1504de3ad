import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig } from "../config";
import { copyOf, live, trial } from "./fixtures/config";
import { fileWith, runApp, synthWithConfig } from "./support/app";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe("the cdktf app (main.ts)", () => {
  it("rejects a bad configuration with every problem, exit code 1, no stack trace and no output written", async () => {
    const bad = { environments: [{ ...copyOf(trial), hetzner: { ...trial.hetzner, location: "fra1" }, adminCidrs: ["10.0.0.1/8"] }] };
    const result = await synthWithConfig(fileWith(JSON.stringify(bad)));

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "Invalid configuration (2 problems):",
      '  - environment "trial": hetzner.location: "fra1" is not a known Hetzner location (allowed: fsn1, nbg1, hel1, ash, hil, sin)',
      '  - environment "trial": adminCidrs[0]: "10.0.0.1/8" has host bits set; the network is 10.0.0.0/8',
    ]);
    expect(result.wrote).toBe(false);
  });

  it("leaves the previous output untouched when a stack fails its guardrails, and replaces it whole when all pass", async () => {
    const parent = mkdtempSync(join(tmpdir(), "synth-"));
    const outdir = join(parent, "cdktf.out");
    mkdirSync(join(outdir, "stacks", "old-apps"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "old-apps", "cdk.tf.json"), "{}");
    // trial's stacks synthesize first and pass; live's exception matches no violation, which fails live-infra.
    const exception = {
      rule: "admin-ports-not-public",
      path: "live-infra/firewall/firewall",
      reason: "public SSH while the office VPN is replaced",
      approvedBy: "alice",
    };
    const failing = { environments: [copyOf(trial), { ...copyOf(live), guardrailExceptions: [exception] }] };
    const rejected = await runApp("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: fileWith(JSON.stringify(failing)) });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("guardrail exception matches no violation");
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["old-apps"]);
    expect(readdirSync(parent)).toEqual(["cdktf.out"]);

    const accepted = await runApp("npm", ["run", "--silent", "synth"], {
      CDKTF_OUTDIR: outdir,
      PLATFORM_CONFIG: fileWith(JSON.stringify({ environments: [copyOf(trial)] })),
    });
    expect(accepted.code).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["trial-apps", "trial-infra"]);
    expect(readdirSync(parent)).toEqual(["cdktf.out"]);
  });

  it("keeps secrets passed through the environment out of everything `cdktf synth` writes", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "synth-"));
    const first = await runApp("node", ["-r", "@swc-node/register", "main.ts"], { CDKTF_OUTDIR: outdir });
    expect(first.code).toBe(0);
    const sensitiveVariables = new Set<string>();
    for (const file of filesUnder(outdir).filter((f) => f.endsWith("cdk.tf.json"))) {
      const tf = JSON.parse(readFileSync(file, "utf8")) as { variable?: Record<string, { sensitive?: boolean }> };
      for (const [name, variable] of Object.entries(tf.variable ?? {})) if (variable.sensitive) sensitiveVariables.add(name);
    }
    expect([...sensitiveVariables]).toEqual(expect.arrayContaining(["hcloud_token", "cloudflare_api_token"]));

    const secret = () => `s3cr3t-${randomBytes(12).toString("hex")}`;
    const secrets: NodeJS.ProcessEnv = {
      HCLOUD_TOKEN: secret(),
      CLOUDFLARE_API_TOKEN: secret(),
      COOLIFY_TOKEN: secret(),
      AWS_ACCESS_KEY_ID: secret(),
      AWS_SECRET_ACCESS_KEY: secret(),
      ...Object.fromEntries([...sensitiveVariables].map((name) => [`TF_VAR_${name}`, secret()])),
    };
    const cliOut = join(outdir, "cli");
    const synth = await runApp("npx", ["--no-install", "cdktf", "synth", "--output", cliOut], secrets);
    expect(synth.code).toBe(0);

    const files = filesUnder(cliOut);
    const stacksIn = (dir: string) => readdirSync(join(dir, "stacks")).sort();
    expect(stacksIn(cliOut)).toEqual(stacksIn(outdir));
    expect(stacksIn(cliOut)).toEqual(expect.arrayContaining(exampleConfig.environments.map((env) => `${env.name}-infra`)));
    const leaks = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return Object.entries(secrets)
        .filter(([, value]) => value && text.includes(value))
        .map(([name]) => `${name} in ${file}`);
    });
    expect(leaks).toEqual([]);
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, inLogs: `${synth.stdout}${synth.stderr}`.includes(value ?? "") }).toEqual({ name, inLogs: false });
    }
  });
});
