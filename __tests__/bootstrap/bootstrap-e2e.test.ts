/**
 * End to end: the real CoolifyBootstrap construct, synthesized and applied by the real `terraform`
 * binary over SSH to a real `sshd` on 127.0.0.1, running the real script against the fakes. The
 * `null_resource` is served by the local null provider (local-provider/), unchanged.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { CoolifyBootstrap } from "../../constructs/bootstrap/coolify-bootstrap";
import { SshHostKey } from "../../constructs/hetzner/ssh-host-key";
import { environmentModel } from "../../model/environment";
import { trial } from "../fixtures/config";
import { providerEnvironment } from "../support/terraform";
import { describeWithTools, findTool } from "../support/tools";
import { FAKE_RELEASE, FakeCoolify, freePort, SSH_TOOLS, TestPostgres, TestSshd, TOOLS } from "./harness";

const E2E_TOOLS = { ...TOOLS, ...SSH_TOOLS, terraform: findTool("terraform") };
const V1 = "4.3.8";
const V2 = "4.3.9";
const WAIT = 2;

interface Terraform {
  readonly code: number | null;
  readonly output: string;
}

describeWithTools("CoolifyBootstrap applied by terraform over SSH to a local sshd", E2E_TOOLS, () => {
  const work = mkdtempSync(join(tmpdir(), "bootstrap-e2e-"));
  const stackDir = join(work, "stack");
  const remoteDir = join(work, "remote", "coolify-bootstrap");
  let postgres: TestPostgres;
  let coolify: FakeCoolify;
  let sshd: TestSshd;
  const secrets = {
    rootEmail: `ops-${randomBytes(4).toString("hex")}@example.com`,
    rootPassword: `Pw-${randomBytes(8).toString("hex")}!A1`,
    apiToken: randomBytes(24).toString("hex"),
    readToken: randomBytes(24).toString("hex"),
  };
  let variables: Record<string, string>;
  const providers = providerEnvironment(join(work, "providers"));

  /** `hostKey`: the public key the connection pins; the sshd's own unless given. */
  const synthesize = (version: string, hostKey = sshd.hostPublicKey, connectionTimeout?: string): void => {
    const stack = new TerraformStack(Testing.app(), "bootstrap-e2e");
    new CoolifyBootstrap(stack, "coolify-bootstrap", {
      environment: trial.name,
      coolify: { ...environmentModel(trial).coolify, version, release: FAKE_RELEASE },
      serverId: "server-1",
      host: "127.0.0.1",
      hostKey: new SshHostKey(stack, "ssh-host-key", { environment: trial.name, publicKey: hostKey }).pinned,
      connectionTimeout,
      port: sshd.port,
      user: userInfo().username,
      apiUrl: coolify.url,
      dataDir: coolify.dataDir,
      remoteDir,
      waitTimeoutSeconds: WAIT,
    });
    writeFileSync(join(stackDir, "main.tf.json"), Testing.synth(stack));
  };

  const terraform = (args: string[], extraVariables: Record<string, string> = {}): Terraform => {
    const result = spawnSync(E2E_TOOLS.terraform ?? "terraform", [...args, "-no-color", "-input=false"], {
      cwd: stackDir,
      env: { ...process.env, ...providers, ...variables, ...extraVariables },
      encoding: "utf8",
    });
    return { code: result.status, output: result.stdout + result.stderr };
  };
  const apply = (): Terraform => terraform(["apply", "-auto-approve"]);

  const expectNoSecretsIn = (...texts: string[]): void => {
    for (const secret of [...Object.values(secrets), sshd.clientKey.split("\n")[1], sshd.hostKey.split("\n")[1]]) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
  };

  beforeAll(async () => {
    postgres = new TestPostgres();
    coolify = new FakeCoolify(postgres);
    await coolify.start();
    coolify.reset();
    mkdirSync(stackDir);
    mkdirSync(join(work, "remote"));
    sshd = new TestSshd(work, await freePort(), coolify.env);
    await sshd.start();
    variables = {
      TF_VAR_coolify_ssh_private_key: sshd.clientKey,
      TF_VAR_coolify_ssh_host_key: sshd.hostKey,
      TF_VAR_coolify_root_email: secrets.rootEmail,
      TF_VAR_coolify_root_password: secrets.rootPassword,
      TF_VAR_coolify_token: secrets.apiToken,
      TF_VAR_coolify_read_token: secrets.readToken,
    };
    synthesize(V1);
    const init = terraform(["init"]);
    if (init.code !== 0) throw new Error(init.output);
  });

  afterAll(() => {
    sshd?.stop();
    coolify?.stop();
    postgres?.stop();
  });

  it("runs the script with the right inputs, then removes the secrets file", () => {
    const result = apply();

    expect(result.output).toContain(`bootstrap: verify: the token works; Coolify ${V1} is ready`);
    expect(result.output).toContain("bootstrap: certificate: https://coolify.trial.corp.test answers with a valid certificate");
    expect(result.code).toBe(0);
    expect(coolify.recorded("installer-calls.tsv")).toEqual([[V1, "", "", "", "false"].join("\t")]);
    expect(coolify.recorded("seeder-calls.tsv")).toEqual([["root", secrets.rootEmail, secrets.rootPassword].join("\t")]);
    expect(coolify.recorded("inputs-modes")).toEqual([`700 ${remoteDir}`, `600 ${remoteDir}/inputs.env`]);
    expect(coolify.tokens().map((row) => row.split("|").slice(3, 6))).toEqual([
      ["terraform-bootstrap", createHash("sha256").update(secrets.apiToken).digest("hex"), '["root"]'],
      ["terraform-plan-read", createHash("sha256").update(secrets.readToken).digest("hex"), '["read"]'],
    ]);
    expect(coolify.settings()).toBe("https://coolify.trial.corp.test|t|f");
    expect(existsSync(remoteDir)).toBe(false);
    expectNoSecretsIn(
      result.output,
      ...coolify.recorded("bootstrap-cmdline"),
      readFileSync(join(stackDir, "main.tf.json"), "utf8"),
      readFileSync(join(stackDir, "terraform.tfstate"), "utf8"),
    );
  });

  it("is a no-op on a second apply: nothing planned, the script not run", () => {
    const requests = coolify.recorded("api-requests.log").length;

    expect(terraform(["plan", "-detailed-exitcode"]).code).toBe(0);
    const result = apply();

    expect(result.code).toBe(0);
    expect(result.output).toContain("0 added, 0 changed, 0 destroyed");
    expect(result.output).not.toContain("Provisioning with");
    expect(coolify.recorded("api-requests.log")).toHaveLength(requests);
    expect(coolify.recorded("installer-calls.tsv")).toHaveLength(1);
  });

  it("runs again when the Coolify version changes, upgrading in place", () => {
    const tokens = coolify.tokens();
    synthesize(V2);

    const result = apply();

    expect(result.code).toBe(0);
    expect(result.output).toContain(`bootstrap: install: upgrading from ${V1} installing ${V2}`);
    expect(result.output).toContain("1 added, 0 changed, 1 destroyed");
    expect(coolify.recorded("installer-calls.tsv").map((call) => call.split("\t")[0])).toEqual([V1, V2]);
    expect(coolify.tokens()).toEqual(tokens);
    expect(existsSync(remoteDir)).toBe(false);
  });

  it("connects to nothing that presents another host key: no file uploaded, no command run", () => {
    const installs = coolify.recorded("installer-calls.tsv");
    const requests = coolify.recorded("api-requests.log").length;
    synthesize(V2, trial.sshHostKey, "2s");

    const result = terraform(["apply", "-auto-approve", "-replace=null_resource.coolify_bootstrap"]);

    expect(result.code).toBe(1);
    expect(result.output).toContain("knownhosts: key mismatch");
    expect(result.output).not.toContain("Provisioning with 'file'...");
    expect(result.output).not.toMatch(/\(remote-exec\): bootstrap: /);
    expect(existsSync(remoteDir)).toBe(false);
    expect(coolify.recorded("installer-calls.tsv")).toEqual(installs);
    expect(coolify.recorded("api-requests.log")).toHaveLength(requests);
  });

  it("fails the apply with the failing step's message, and still removes the secrets file", () => {
    coolify.flag("health-down");
    synthesize("4.3.10");

    const result = apply();

    expect(result.code).toBe(1);
    expect(result.output).toContain(`bootstrap: health: no OK from ${coolify.url}/api/health within ${WAIT}s`);
    expect(existsSync(remoteDir)).toBe(false);
    expectNoSecretsIn(result.output);
  });

  it("rejects credentials Coolify would silently refuse at plan time, naming every broken rule and never the value", () => {
    const rejected = { TF_VAR_coolify_root_password: "weakpass", TF_VAR_coolify_root_email: "not-an-email", TF_VAR_coolify_token: "tooshorttoken" };

    const result = terraform(["plan"], rejected);

    expect(result.code).toBe(1);
    // Terraform wraps long messages; each diagnostic message is one paragraph.
    const messages = result.output
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
      .filter((paragraph) => paragraph.startsWith('Environment "trial":'));
    expect(messages.sort()).toEqual(
      [
        'Environment "trial": coolify_root_password must be at least 16 characters long.',
        'Environment "trial": coolify_root_password must contain an uppercase letter.',
        'Environment "trial": coolify_root_password must contain a digit.',
        'Environment "trial": coolify_root_password must contain a symbol.',
        'Environment "trial": coolify_root_email must be an email address like ops@example.com.',
        'Environment "trial": coolify_token must be at least 40 characters long.',
      ].sort(),
    );
    for (const value of Object.values(rejected)) expect(result.output).not.toContain(value);
  });
});
