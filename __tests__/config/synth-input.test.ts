/**
 * Bad input through the real `npm run synth` process: one message naming where the mistake is,
 * exit code 1, no stack trace, nothing written to the output directory.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config/schema";
import { copyOf, DEPLOY_KEYS, FIXTURE_KEYS, fixtureConfig, live, trial } from "../fixtures/config";
import { fileWith, type SynthRun, synthWithConfig } from "../support/app";

const expectRejected = (result: SynthRun, lines: readonly string[]): void => {
  expect({ code: result.code, stderr: result.stderr.trim().split("\n"), wrote: result.wrote, stdout: result.stdout }).toEqual({
    code: 1,
    stderr: lines,
    wrote: false,
    stdout: "",
  });
};

/** The problem lines of a configuration error. */
const invalid = (...problems: string[]): string[] => [
  `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
  ...problems.map((p) => `  - ${p}`),
];

const synthOf = (config: unknown): Promise<SynthRun> => synthWithConfig(fileWith(JSON.stringify(config, null, 2)));

const withTrial = (change: (env: EnvironmentConfig) => unknown): Promise<SynthRun> => synthOf({ environments: [change(copyOf(trial))] });

describe("reading PLATFORM_CONFIG", () => {
  it("names the file, line and column of invalid JSON", async () => {
    const file = fileWith('{\n  "environments": [,]\n}\n');
    expectRejected(await synthWithConfig(file), [`${file}:2:20: invalid JSON: a value is expected`]);
  });

  it("rejects a key given twice instead of keeping the last one", async () => {
    const text = JSON.stringify({ environments: [{ ...trial, production: true }] }, null, 2).replace(
      '"production": true',
      '"production": true,\n      "production": false',
    );
    const file = fileWith(text);
    const line = text.split("\n").findIndex((l) => l.includes('"production": false')) + 1;
    expectRejected(await synthWithConfig(file), [`${file}:${line}:7: duplicate key "production" (first at line ${line - 1}, column 7)`]);
  });

  it("rejects an empty file, a missing file, a directory and an empty variable", async () => {
    const empty = fileWith("  \n");
    expectRejected(await synthWithConfig(empty), [`${empty}:1:1: the file is empty; expected a JSON object with "environments"`]);
    const missing = join(mkdtempSync(join(tmpdir(), "config-")), "absent.json");
    expectRejected(await synthWithConfig(missing), [`${missing}: cannot read PLATFORM_CONFIG: no such file`]);
    const directory = mkdtempSync(join(tmpdir(), "config-"));
    expectRejected(await synthWithConfig(directory), [`${directory}: cannot read PLATFORM_CONFIG: is a directory, not a JSON file`]);
    expectRejected(await synthWithConfig(""), [
      "PLATFORM_CONFIG is set but empty: name a JSON configuration file, or unset it to synthesize the built-in example",
    ]);
  });

  it("accepts a file that starts with a UTF-8 byte order mark", async () => {
    const result = await synthWithConfig(fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(fixtureConfig))])));
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^live-infra: /);
  });
});

describe("classes of bad input, through npm run synth", () => {
  it("an unknown key, with the key it most likely meant", async () => {
    expectRejected(
      await withTrial((e) => ({ ...e, hetzner: { ...e.hetzner, serverType: undefined, serverTyp: "cpx22" } })),
      invalid(
        'environment "trial": hetzner.serverType: is missing: set a Hetzner server type (allowed: cx22, cx32, cx42, cx52, cx23, cx33, cx43, cx53, cax11, cax21, cax31, cax41, cpx11, cpx21, cpx31, cpx41, cpx51, cpx12, cpx22, cpx32, cpx42, cpx52, cpx62, ccx13, ccx23, ccx33, ccx43, ccx53, ccx63)',
        'environment "trial": hetzner: unknown key "serverTyp" (did you mean "serverType"? allowed: location, serverType, image)',
      ),
    );
  });

  it("names one environment's records or hosts that another also creates", async () => {
    const copy = { ...copyOf(live), name: "copy", sshPublicKeys: [DEPLOY_KEYS.spare, FIXTURE_KEYS[1]], apps: undefined };
    expectRejected(
      await synthOf({ environments: [live, copy] }),
      invalid(
        'environment "copy": domain: DNS record "coolify.live.corp.test" in zone "corp.test" is also created by environment "live"',
        'environment "copy": domain: DNS record "*.live.corp.test" in zone "corp.test" is also created by environment "live"',
      ),
    );
  });

  it("one SSH key under two names, and two keys in one entry", async () => {
    const again = await withTrial((e) => ({ ...e, sshPublicKeys: [DEPLOY_KEYS.trial, FIXTURE_KEYS[0], { ...FIXTURE_KEYS[0], name: "again" }] }));
    const [head, problem] = again.stderr.trim().split("\n");
    expectRejected(again, invalid(problem.slice("  - ".length)));
    expect({ head, problem }).toEqual({
      head: "Invalid configuration (1 problem):",
      problem: expect.stringMatching(
        /^ {2}- environment "trial": sshPublicKeys\[2\]\.publicKey: is the same key \(SHA256:[A-Za-z0-9+/]{43}\) as "alice"; Hetzner accepts each key once$/,
      ),
    });
    expectRejected(
      await withTrial((e) => ({ ...e, sshPublicKeys: [{ ...DEPLOY_KEYS.trial, publicKey: `${FIXTURE_KEYS[0].publicKey}\n${FIXTURE_KEYS[1].publicKey}` }] })),
      invalid('environment "trial": sshPublicKeys[0].publicKey: holds more than one key; give each key an entry of its own'),
    );
  });

  it("an environment without a deploy key, and a deploy key another environment holds", async () => {
    expectRejected(
      await withTrial((e) => ({ ...e, sshPublicKeys: [FIXTURE_KEYS[0]] })),
      invalid(
        'environment "trial": sshPublicKeys: has no key with purpose "deploy": add the key the bootstrap and CI log in with (its private half is TF_VAR_COOLIFY_SSH_PRIVATE_KEY), generated for this environment',
      ),
    );
    // The same key under another comment; the person's key "alice" both hold is no problem.
    const borrowed = { ...DEPLOY_KEYS.live, publicKey: DEPLOY_KEYS.live.publicKey.replace("fixture-deploy-live", "ci@other") };
    const other = { ...copyOf(trial), name: "other", domain: "other.corp.test", sshPublicKeys: [borrowed, FIXTURE_KEYS[0]] };
    const shared = await synthOf({ environments: [live, other] });
    const [, problem] = shared.stderr.trim().split("\n");
    expectRejected(shared, invalid(problem.slice("  - ".length)));
    expect(problem).toMatch(
      /^ {2}- environment "other": sshPublicKeys\[0\]\.publicKey: is the same key \(SHA256:[A-Za-z0-9+/]{43}\) as deploy key "ci" of environment "live"; a deploy or coolify-workers key belongs to one environment: generate one for each \(only admin keys, a person's own, may be in several environments\)$/,
    );
  });

  it("a public database port taken twice on one server", async () => {
    const databases = [
      { kind: "redis", name: "a", publicPort: 16379 },
      { kind: "redis", name: "b", publicPort: 16379 },
    ];
    expectRejected(
      await withTrial((e) => ({ ...e, apps: { projects: [{ name: "pay", databases }] } })),
      invalid(
        'environment "trial": apps.projects[0].databases[1].publicPort: database "b" in project "pay": port 16379 of server "main" is already used by database "a" in project "pay"',
      ),
    );
  });

  it("a name that is not a valid host name label", async () => {
    expectRejected(
      await withTrial((e) => ({ ...e, servers: [{ name: "main-", role: "coolify-host" }] })),
      invalid(
        'environment "trial": servers[0].name: "main-" is not a server name (lowercase letters, digits, dashes; starts with a letter, no dash at the end; at most 30)',
      ),
    );
  });

  it("limits beyond what Docker accepts or the server has", async () => {
    const app = { kind: "docker-image", name: "web", image: "nginx:1.27", ports: [80] };
    expectRejected(
      await withTrial((e) => ({ ...e, apps: { projects: [{ name: "pay", applications: [{ ...app, limits: { cpus: 8, memory: "2m" } }] }] } })),
      invalid(
        `environment "trial": apps.projects[0].applications[0].limits.memory: application "web" in project "pay": "2m" is below Docker's minimum of 6m`,
        `environment "trial": apps.projects[0].applications[0].limits.cpus: application "web" in project "pay": 8 CPUs is more than its server's cpx22 has (2)`,
      ),
    );
    expectRejected(
      await withTrial((e) => ({ ...e, apps: { projects: [{ name: "pay", applications: [{ ...app, limits: { cpus: 8 } }] }] } })),
      invalid(
        `environment "trial": apps.projects[0].applications[0].limits.cpus: application "web" in project "pay": 8 CPUs is more than its server's cpx22 has (2)`,
      ),
    );
  });

  it("a secret written as a literal, recognized by its value", async () => {
    const app = { kind: "docker-image", name: "web", image: "nginx:1.27", ports: [80], env: { UPSTREAM: "glpat-abcdefghij0123456789" } };
    expectRejected(
      await withTrial((e) => ({ ...e, apps: { projects: [{ name: "pay", applications: [app] }] } })),
      invalid(
        'environment "trial": apps.projects[0].applications[0].env.UPSTREAM: application "web" in project "pay": a literal value is not allowed because its value looks like a known API token format; use { "secret": "<name>" } and set TF_VAR_secret_<name>',
      ),
    );
  });
});
