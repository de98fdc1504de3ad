/**
 * One environment of the example configuration, deployed for real: the real cdktf CLI and
 * Terraform, the local providers, and for the infra stack's bootstrap a real sshd on a loopback
 * address (the primary IPv4 the local hcloud provider hands out is pinned to it) in front of the
 * bootstrap fakes: installer, docker, a PostgreSQL and the Coolify API.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COOLIFY_RELEASE_SHA256, coolifyReleaseBaseUrl } from "../../catalog/coolify";
import { exampleConfig } from "../../config";
import type { EnvironmentConfig, PlatformConfig } from "../../config/schema";
import { DEFAULT_API_URL } from "../../constructs/bootstrap/coolify-bootstrap";
import { DISCORD_WEBHOOK_VARIABLE } from "../../constructs/coolify/apps-secrets";
import { HCLOUD_POWER_LOG_VARIABLE } from "../../local-provider/src/hcloud-rules";
import { environmentModel } from "../../model/environment";
import { FakeCoolify, RELEASE_DIR, RELEASE_SHA256, SSH_TOOLS, TestPostgres, TestSshd, TOOLS } from "../bootstrap/harness";
import { readTwin, type TwinState } from "../fixtures/twin/coolify-twin";
import { CdktfProject, type Finished, ROOT, run, TERRAFORM_TOOLS } from "../support/terraform";
import { TS_NODE_ARGS } from "../support/tools";

export const DEPLOY_TOOLS = { ...TOOLS, ...SSH_TOOLS, ...TERRAFORM_TOOLS };
const SSH_PORT = 22;
const DEPLOY_LOCK = join(tmpdir(), "coolify-paas-deploy-tests.lock");

export const exampleEnvironment = (name: string): EnvironmentConfig => {
  const env = exampleConfig.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no example environment ${name}`);
  return structuredClone(env);
};

export class DeployedEnvironment {
  readonly project: CdktfProject;
  private readonly postgres: TestPostgres;
  readonly coolify: FakeCoolify;
  private readonly sshd: TestSshd;
  private readonly sshdDir: string;
  private readonly bootstrapDirs: Record<
    | "BOOTSTRAP_DATA_DIR"
    | "BOOTSTRAP_DOCKER_DIR"
    | "BOOTSTRAP_CONTAINERD_DIR"
    | "BOOTSTRAP_MONITORING_DIR"
    | "BOOTSTRAP_FSTAB"
    | "BOOTSTRAP_VOLUME_MOUNT_DIR"
    | "BOOTSTRAP_AUTHORIZED_KEYS",
    string
  >;
  private readonly volumeDevice?: string;
  /** Where the local hcloud provider logs each call that cuts or restores a server's power. */
  private readonly powerLog: string;
  readonly secrets = {
    rootEmail: `ops-${randomBytes(4).toString("hex")}@example.com`,
    rootPassword: `Pw-${randomBytes(8).toString("hex")}!A1`,
    apiToken: randomBytes(24).toString("hex"),
  };

  /**
   * `address` is the loopback address the environment's servers get; each test file uses its own.
   * With `twin`, the local Coolify provider applies the twinned resource types through the fake API
   * (local-provider/README.md), so the apps stack meets the Coolify the bootstrap installed.
   */
  constructor(
    readonly env: EnvironmentConfig,
    readonly address: string,
    private readonly options: { readonly twin?: boolean } = {},
  ) {
    this.postgres = new TestPostgres();
    this.coolify = new FakeCoolify(this.postgres);
    // A host with a data volume gets a real one: an ext4 image on a loop device, mounted as Hetzner's
    // automount would, whose device the local hcloud provider reports as the volume's linux_device.
    const work = mkdtempSync(join(tmpdir(), "deploy-"));
    if (env.servers.some((server) => server.role === "coolify-host" && server.volumeSizeGb !== undefined)) {
      const image = join(work, "volume.img");
      execFileSync("truncate", ["-s", "32M", image]);
      execFileSync("mkfs.ext4", ["-q", "-F", image]);
      this.volumeDevice = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
      const volumeMount = join(work, "HC_Volume");
      mkdirSync(volumeMount);
      execFileSync("mount", [this.volumeDevice, volumeMount]);
    }
    this.powerLog = join(work, "hcloud-power.log");
    writeFileSync(this.powerLog, "");
    // The bootstrap keeps Coolify's, Docker's, containerd's and the monitoring's data, its fstab entries and the volumes it mounts itself in temporary places, not in this machine's.
    writeFileSync(join(work, "fstab"), "");
    mkdirSync(join(work, "mnt"));
    // The bootstrap keeps root's authorized_keys: on this "server" that is the file the test sshd reads.
    this.sshdDir = mkdtempSync(join(tmpdir(), "deploy-sshd-"));
    this.bootstrapDirs = {
      BOOTSTRAP_DATA_DIR: this.coolify.dataDir,
      BOOTSTRAP_DOCKER_DIR: join(work, "docker"),
      BOOTSTRAP_CONTAINERD_DIR: join(work, "containerd"),
      BOOTSTRAP_MONITORING_DIR: join(work, "monitoring"),
      BOOTSTRAP_FSTAB: join(work, "fstab"),
      BOOTSTRAP_VOLUME_MOUNT_DIR: join(work, "mnt"),
      BOOTSTRAP_AUTHORIZED_KEYS: join(this.sshdDir, "authorized_keys"),
    };
    this.sshd = new TestSshd(this.sshdDir, SSH_PORT, { ...this.coolify.env, ...this.bootstrapDirs }, address);
    this.project = new CdktfProject(
      this.config(env),
      [
        { resource: "hcloud_primary_ip", match: { type: "ipv4" }, values: { ip_address: address } },
        ...(this.volumeDevice ? [{ resource: "hcloud_volume", values: { linux_device: this.volumeDevice } }] : []),
      ],
      this.variables(),
    );
  }

  /**
   * The environment as configured, with the fake release's checksums for the release's own URLs
   * (which the fake curl serves from the fake release) and the sshd's host key as its SSH host key.
   */
  config(env: EnvironmentConfig): PlatformConfig {
    return { environments: [{ ...env, sshHostKey: this.sshd.hostPublicKey, coolify: { ...env.coolify, release: { sha256: RELEASE_SHA256 } } }] };
  }

  async start(): Promise<void> {
    await this.coolify.start();
    this.coolify.reset();
    // The infra stack's URLs point at the internet and at Coolify on the server; the fake curl sends them to the fakes.
    // The apps stack's worker check calls the environment's Coolify URL from where Terraform runs: the fake curl goes first on PATH there too.
    // Every catalogued release's tag is served from the fake release, so an upgrade fetches it too.
    const releases = Object.keys(COOLIFY_RELEASE_SHA256).map((version) => `${coolifyReleaseBaseUrl(version)}/\tfile://${RELEASE_DIR}/\n`);
    writeFileSync(
      join(this.coolify.state, "url-map.tsv"),
      `${releases.join("")}${DEFAULT_API_URL}\t${this.coolify.url}\n${environmentModel(this.env).coolify.url}\t${this.coolify.url}\n`,
    );
    Object.assign(
      this.project.env,
      this.coolify.env,
      { POLL_SECONDS: "0.2", [HCLOUD_POWER_LOG_VARIABLE]: this.powerLog },
      this.options.twin ? { LOCAL_PROVIDER_COOLIFY_TWIN: this.coolify.url } : {},
    );
    await this.sshd.start();
  }

  /**
   * Sends another environment's Coolify URL to these fakes too: an environment added next to this one
   * in the same project has its host on the same loopback address, so its bootstrap and apps stack meet them.
   */
  shareHostWith(env: EnvironmentConfig): void {
    appendFileSync(join(this.coolify.state, "url-map.tsv"), `${environmentModel(env).coolify.url}\t${this.coolify.url}\n`);
  }

  /**
   * `terraform <args>` in a stack's directory, taking turns with every other deploy as `deploy`
   * does: for an apply that runs the bootstrap.
   */
  terraformInTurn(stack: string, args: readonly string[]): Promise<Finished> {
    return run("flock", [DEPLOY_LOCK, TERRAFORM_TOOLS.terraform ?? "terraform", ...args, "-no-color"], {
      cwd: this.project.stackDir(stack),
      env: this.project.env,
    });
  }

  /**
   * One of this repository's scripts in the project, taking turns with every other deploy: for
   * `npm run deploy`, whose apply may run the bootstrap or a worker's Docker install (every
   * environment's servers are this machine, and both keep their files under /root).
   */
  scriptInTurn(file: string, args: readonly string[]): Promise<Finished> {
    return run("flock", [DEPLOY_LOCK, process.execPath, ...TS_NODE_ARGS, join(ROOT, file), ...args], { cwd: this.project.dir, env: this.project.env });
  }

  /**
   * The host as a replaced server finds itself: a new root disk (the image's empty fstab and
   * authorized_keys, nothing of Coolify's, Docker's, containerd's or the monitoring's mounted, Coolify's container
   * not running) with the data volume attached but not mounted (hetznercloud/terraform-provider-hcloud
   * issue #473: automount does not follow a re-attached volume).
   */
  newRootDisk(): void {
    const { BOOTSTRAP_DATA_DIR, BOOTSTRAP_DOCKER_DIR, BOOTSTRAP_CONTAINERD_DIR, BOOTSTRAP_MONITORING_DIR, BOOTSTRAP_FSTAB } = this.bootstrapDirs;
    this.unmount([BOOTSTRAP_DATA_DIR, BOOTSTRAP_DOCKER_DIR, BOOTSTRAP_CONTAINERD_DIR, BOOTSTRAP_MONITORING_DIR]);
    writeFileSync(BOOTSTRAP_FSTAB, "");
    // A new server's root has only the keys Hetzner gives it at creation: here the sshd's client key.
    writeFileSync(this.bootstrapDirs.BOOTSTRAP_AUTHORIZED_KEYS, readFileSync(join(this.sshdDir, "client_key.pub")));
    this.coolify.flag("coolify-stopped");
  }

  /** Unmounts the bind mounts, then the data volume wherever it is mounted. */
  private unmount(binds: readonly string[]): void {
    for (const target of binds) spawnSync("umount", [target]);
    for (const target of this.volumeMounts()) spawnSync("umount", [target]);
  }

  /** Where the data volume is mounted now (none without a volume). */
  volumeMounts(): string[] {
    if (!this.volumeDevice) return [];
    const found = spawnSync("findmnt", ["-n", "-o", "TARGET", "--source", this.volumeDevice], { encoding: "utf8" });
    return found.stdout.split("\n").filter(Boolean);
  }

  /** The data volume's device, as the local hcloud provider reports it. */
  get volume(): string | undefined {
    return this.volumeDevice;
  }

  /** The bootstrap's fstab and the stand-in for root's authorized_keys, as the host has them now. */
  hostFiles(): { fstab: string; authorizedKeys: string } {
    return {
      fstab: readFileSync(this.bootstrapDirs.BOOTSTRAP_FSTAB, "utf8"),
      authorizedKeys: readFileSync(this.bootstrapDirs.BOOTSTRAP_AUTHORIZED_KEYS, "utf8"),
    };
  }

  /** Each call the local hcloud provider made to cut or restore a server's power, as `<server name>\t<route>`, oldest first. */
  powerCalls(): string[] {
    return readFileSync(this.powerLog, "utf8").split("\n").filter(Boolean);
  }

  /** Coolify's API token rows, to show what a re-run kept. */
  tokens(): string[] {
    return this.coolify.tokens();
  }

  stop(): void {
    this.sshd?.stop();
    this.coolify?.stop();
    this.postgres?.stop();
    const { BOOTSTRAP_DATA_DIR, BOOTSTRAP_DOCKER_DIR, BOOTSTRAP_CONTAINERD_DIR, BOOTSTRAP_MONITORING_DIR } = this.bootstrapDirs;
    this.unmount([BOOTSTRAP_DATA_DIR, BOOTSTRAP_DOCKER_DIR, BOOTSTRAP_CONTAINERD_DIR, BOOTSTRAP_MONITORING_DIR]);
    if (this.volumeDevice) spawnSync("losetup", ["-d", this.volumeDevice]);
  }

  /** The bootstrap's credentials: they must pass the stack's preconditions and reach the fakes. */
  private variables(): Record<string, string> {
    return {
      TF_VAR_coolify_ssh_private_key: this.sshd.clientKey,
      TF_VAR_coolify_ssh_host_key: this.sshd.hostKey,
      TF_VAR_coolify_root_email: this.secrets.rootEmail,
      TF_VAR_coolify_root_password: this.secrets.rootPassword,
      TF_VAR_coolify_token: this.secrets.apiToken,
    };
  }

  /**
   * Synthesizes, then gives every other variable the stacks declare a random value, as CI's secrets
   * would; the Discord webhook a URL Coolify takes (NotificationsController::update_discord checks it
   * with app/Rules/SafeWebhookUrl.php, coollabsio/coolify v4.3.9).
   */
  async synth(): Promise<void> {
    await this.project.synthHere();
    for (const stack of this.stacks()) {
      for (const name of Object.keys((this.project.synthesized(stack).variable ?? {}) as Record<string, unknown>)) {
        const value = randomBytes(20).toString("hex");
        this.project.env[`TF_VAR_${name}`] ??= name === DISCORD_WEBHOOK_VARIABLE ? `https://discord.com/api/webhooks/1/${value}` : value;
      }
    }
  }

  /**
   * `cdktf deploy` of both stacks (infra, then apps). Every environment's "server" is this machine,
   * and the bootstrap owns /root/.coolify-bootstrap on its server, so deploys from concurrent suites
   * take turns (flock); plans and diffs still run side by side.
   */
  deploy(): Promise<Finished> {
    return this.project.cdktf(["deploy", ...this.stacks(), "--auto-approve"], {}, DEPLOY_LOCK);
  }

  /**
   * The same deploy with plain `terraform` (init, then apply, infra before apps), for stacks a day-2
   * step adds next to the deployed ones; the infra apply, which runs the bootstrap, takes turns as above.
   */
  async terraformDeploy(stacks: readonly string[] = this.stacks()): Promise<Finished> {
    let output = "";
    for (const stack of stacks) {
      const init = await this.project.terraform(stack, ["init", "-input=false"]);
      if (init.code !== 0) return init;
      const terraform = TERRAFORM_TOOLS.terraform ?? "terraform";
      // Bounded, so that a wait that never ends fails the test instead of holding the lock.
      const apply = await run("flock", [DEPLOY_LOCK, "timeout", "240", terraform, "apply", "-input=false", "-auto-approve", "-no-color"], {
        cwd: this.project.stackDir(stack),
        env: this.project.env,
      });
      output += apply.output;
      if (apply.code !== 0) return { ...apply, output };
    }
    return { code: 0, stdout: output, stderr: "", output };
  }

  stacks(): [string, string] {
    return [`${this.env.name}-infra`, `${this.env.name}-apps`];
  }

  /** What the fake Coolify holds now (its twin state). */
  twin(): TwinState {
    return readTwin(this.coolify.state);
  }

  /** The authorized_keys file the test sshd reads, which the bootstrap keeps as it keeps root's on a server. */
  get authorizedKeysFile(): string {
    return this.bootstrapDirs.BOOTSTRAP_AUTHORIZED_KEYS;
  }

  installerCalls(): string[] {
    return this.coolify.recorded("installer-calls.tsv");
  }
}

/** An example environment for one suite: its fakes started and its stacks synthesized before the tests, stopped after. */
export const deployedForSuite = (
  name: string,
  address: string,
  options: { readonly twin?: boolean; readonly configure?: (env: EnvironmentConfig) => EnvironmentConfig } = {},
): DeployedEnvironment => {
  const env = exampleEnvironment(name);
  const deployed = new DeployedEnvironment(options.configure ? options.configure(env) : env, address, options);
  beforeAll(async () => {
    await deployed.start();
    await deployed.synth();
  });
  afterAll(() => deployed.stop());
  return deployed;
};
