import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { type BootstrapInputs, CDN_CURL_PATH, DOCKER_INSTALL_PATH, renderInputs } from "../../constructs/bootstrap/coolify-bootstrap";
import { dashboardAccessConfig } from "../../constructs/bootstrap/dashboard-access";
import { describeWithTools, findTool } from "../support/tools";
import { FAKE_RELEASE, FakeCoolify, RELEASE_DIR, SCRIPT, TestPostgres, TOOLS } from "./harness";

const V1 = "4.3.8";
const V2 = "4.3.9";
/** The bounded wait of the runs that must give up: short, so that giving up is quick. */
const WAIT = 2;
/** The bounded wait of every other run: long enough for a loaded machine, ended early by success. */
const PATIENT_WAIT = 120;
const POLL_SECONDS = 0.2;
/**
 * A bounded wait tries at most once per poll over the timeout, plus the first try and one for bash's
 * whole-second SECONDS; a wait without a bound would hang until jest's timeout. Counted, not timed:
 * a time bound measured the machine's load.
 */
const MAX_ATTEMPTS = WAIT / POLL_SECONDS + 2;
const attempts = (calls: readonly string[]): number => {
  expect(calls.length).toBeGreaterThan(0);
  return calls.length;
};
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const newToken = (): string => randomBytes(24).toString("hex");
const FQDN = "https://coolify.staging.example.com";
const ADMIN_SOURCES = ["203.0.113.0/24", "198.51.100.7/32", "2001:db8:1234::/48"];
const DASHBOARD_ACCESS = dashboardAccessConfig({ host: "coolify.staging.example.com", sources: ADMIN_SOURCES });
/** The fake API's peer for the host's own calls (the fake docker reports it as the coolify network's gateway). */
const HOST_GATEWAY = "127.0.0.1";
const ALLOWED_IPS = [...ADMIN_SOURCES, HOST_GATEWAY].join(",");
/** A caller on this machine that is neither an admin nor the host: curl binds to it before connecting. */
const STRANGER = "127.0.0.2";
/** The instance settings saved through Coolify's model, then the proxy told about the domain. */
const SETTINGS_PHP = 'App\\Models\\InstanceSettings::get()->update(["fqdn" => getenv("BOOTSTRAP_FQDN"), "is_auto_update_enabled" => false]);';
const PROXY_PHP = "App\\Models\\Server::find(0)->setupDynamicProxyConfiguration();";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The lines the script itself prints (environment-dependent waits for cloud-init and apt left out). */
const bootstrapLines = (output: string): string[] =>
  output.split("\n").filter((line) => line.startsWith("bootstrap: ") && !/^bootstrap: (cloud-init|apt locks):/.test(line));

describeWithTools(
  "coolify-bootstrap.sh against a fake installer, a fake docker and a fake Coolify API",
  { ...TOOLS, bash: findTool("bash"), strace: findTool("strace"), losetup: findTool("losetup"), "mkfs.ext4": findTool("mkfs.ext4") },
  () => {
    let postgres: TestPostgres;
    let coolify: FakeCoolify;
    let inputs: BootstrapInputs;
    const dir = mkdtempSync(join(tmpdir(), "bootstrap-inputs-"));

    const run = (overrides: Partial<BootstrapInputs> = {}, tracer: readonly string[] = [], extraEnv: Record<string, string> = {}): Run => {
      const file = join(dir, "inputs.env");
      writeFileSync(file, renderInputs({ ...inputs, ...overrides }), { mode: 0o600 });
      writeFileSync(join(dir, "dashboard-access.yaml"), DASHBOARD_ACCESS);
      const [command, ...args] = [...tracer, "bash", SCRIPT, file];
      const result = spawnSync(command, args, {
        env: { ...process.env, ...coolify.env, BOOTSTRAP_POLL_SECONDS: String(POLL_SECONDS), ...extraEnv },
        encoding: "utf8",
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    /** A failed run printed exactly one bootstrap line, the last on stderr, and nothing secret. */
    const expectFailure = (result: Run, line: string): void => {
      expect(result.code).toBe(1);
      const errors = result.stderr.trim().split("\n");
      expect(errors.filter((l) => l.startsWith("bootstrap: "))).toEqual([line]);
      expect(errors[errors.length - 1]).toBe(line);
      expectNoSecrets(result);
    };

    const expectNoSecrets = (result: Run): void => {
      const visible = [result.stdout, result.stderr, ...coolify.recorded("docker-calls.log"), ...coolify.recorded("curl-calls.log")].join("\n");
      for (const secret of [inputs.apiToken, inputs.readToken, inputs.rootPassword, inputs.rootEmail]) expect(visible).not.toContain(secret);
    };

    beforeAll(async () => {
      postgres = new TestPostgres();
      coolify = new FakeCoolify(postgres);
      await coolify.start();
    });

    afterAll(() => {
      coolify?.stop();
      postgres?.stop();
    });

    beforeEach(() => {
      coolify.reset();
      inputs = {
        environment: "staging",
        version: V1,
        fqdn: FQDN,
        release: FAKE_RELEASE,
        dockerVersion: DOCKER_ENGINE_VERSION,
        dockerAptKeyFingerprint: DOCKER_APT_KEY_FINGERPRINT,
        apiUrl: coolify.url,
        dataDir: coolify.dataDir,
        dockerDir: join(coolify.state, "docker"),
        containerdDir: join(coolify.state, "containerd"),
        monitoringDir: join(coolify.state, "monitoring"),
        dataVolumeDevice: "",
        waitTimeoutSeconds: PATIENT_WAIT,
        rootUsername: "root",
        rootEmail: `ops-${randomBytes(4).toString("hex")}@example.com`,
        rootPassword: `Pw-${randomBytes(8).toString("hex")}!A1`,
        apiToken: newToken(),
        readToken: newToken(),
        apiAllowedIps: ADMIN_SOURCES,
        authorizedKeys: [],
      };
    });

    it("installs the pinned version, creates the root user, seeds both tokens, enables the API, sets the domain, limits the API's callers and proves the token", () => {
      const result = run();

      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(bootstrapLines(result.stdout)).toEqual([
        "bootstrap: data volume: none; Coolify's data stays on the root disk",
        `bootstrap: release files: 7 files of Coolify ${V1} from ${FAKE_RELEASE.baseUrl} match their checksums`,
        "bootstrap: docker: Docker 27.5.1 present, left as it is",
        `bootstrap: install: installing ${V1}`,
        "bootstrap: health: OK",
        "bootstrap: root user: created",
        "bootstrap: localhost key: present",
        `bootstrap: root credentials: none left in ${coolify.dataDir}/source (0 file(s) cleaned)`,
        "bootstrap: api tokens: terraform-bootstrap created",
        "bootstrap: api tokens: terraform-plan-read created",
        "bootstrap: enable api: enabled",
        `bootstrap: instance domain: ${FQDN} set, auto-update off`,
        `bootstrap: proxy configuration: ${coolify.dataDir}/proxy/dynamic/coolify.yaml written for coolify.staging.example.com`,
        `bootstrap: dashboard access: only admins and the deploy runner reach ${FQDN}`,
        `bootstrap: api allow list: the API answers only ${ALLOWED_IPS}`,
        `bootstrap: verify: the token works; Coolify ${V1} is ready`,
        `bootstrap: certificate: ${FQDN} answers with a valid certificate`,
      ]);
      expect(readFileSync(join(coolify.dataDir, "proxy", "dynamic", "zz-dashboard-access.yaml"), "utf8")).toBe(DASHBOARD_ACCESS);
      // The installer gets no root user (it would write it into .env); Coolify's seeder gets it through the environment.
      expect(coolify.recorded("installer-calls.tsv")).toEqual([[V1, "", "", "", "false"].join("\t")]);
      expect(coolify.recorded("seeder-calls.tsv")).toEqual([["root", inputs.rootEmail, inputs.rootPassword].join("\t")]);
      expect(coolify.tokens()).toEqual([
        ["1", "App\\Models\\User", "0", "terraform-bootstrap", sha256(inputs.apiToken), '["root"]', "0"].join("|"),
        ["2", "App\\Models\\User", "0", "terraform-plan-read", sha256(inputs.readToken), '["read"]', "0"].join("|"),
      ]);
      expect(coolify.settings()).toBe(`${FQDN}|t|f`);
      expect(coolify.allowedIps()).toBe(ALLOWED_IPS);
      expect(coolify.recorded("tinker.log")).toEqual([SETTINGS_PHP, PROXY_PHP]);
      // The API is enabled the way Coolify 4.3.9 accepts: POST, with the token.
      expect(coolify.recorded("api-requests.log")).toContain("POST /api/v1/enable 200");
      expect(coolify.status("/api/v1/version", inputs.apiToken)).toBe(200);
      expectNoSecrets(result);
    });

    it("leaves the read-only token able to read and nothing more, and the API closed to callers outside the list", () => {
      expect(run().code).toBe(0);

      expect(coolify.call("GET", "/api/v1/version", inputs.readToken)).toEqual({ status: 200, body: V1 });
      expect(coolify.call("POST", "/api/v1/projects", inputs.readToken, { name: "x" })).toEqual({
        status: 403,
        body: JSON.stringify({ message: "Missing required permissions: write" }),
      });
      expect(coolify.call("POST", "/api/v1/servers/abc/validate", inputs.readToken, { install: true }).status).toBe(403);
      expect(coolify.call("GET", "/api/v1/version", inputs.apiToken, undefined, STRANGER)).toEqual({
        status: 403,
        body: JSON.stringify({ success: true, message: "You are not allowed to access the API." }),
      });
      // The health check stays public, as Coolify's is.
      expect(coolify.call("GET", "/api/health", undefined, undefined, STRANGER).status).toBe(200);
    });

    it("fails at its own check when the allow list would shut out the host itself", () => {
      coolify.flag("coolify-gateway", "10.0.1.1");

      expectFailure(run(), 'bootstrap: verify: /api/v1/version answered HTTP 403 {"success":true,"message":"You are not allowed to access the API."}');
      expect(coolify.allowedIps()).toBe([...ADMIN_SOURCES, "10.0.1.1"].join(","));
    });

    it("follows a change of the admin CIDRs and refuses a list that is not addresses and CIDRs", () => {
      expect(run().code).toBe(0);

      const changed = run({ apiAllowedIps: ["192.0.2.0/24"] });

      expect(changed.code).toBe(0);
      expect(bootstrapLines(changed.stdout)).toContain(`bootstrap: api allow list: the API answers only 192.0.2.0/24,${HOST_GATEWAY}`);
      expect(coolify.call("GET", "/api/v1/version", inputs.apiToken).status).toBe(200);
      expectFailure(
        run({ apiAllowedIps: ["192.0.2.0/24'; DROP TABLE users; --"] }),
        "bootstrap: inputs: COOLIFY_API_ALLOWED_IPS must be a comma-separated list of addresses and CIDRs, not '192.0.2.0/24'; DROP TABLE users; --'",
      );
      // Coolify reads a prefix with PHP's (int): an empty or odd one would be /0, everyone.
      expectFailure(
        run({ apiAllowedIps: ["192.0.2.0/"] }),
        "bootstrap: inputs: COOLIFY_API_ALLOWED_IPS must be a comma-separated list of addresses and CIDRs, not '192.0.2.0/'",
      );
      expectFailure(
        run({ apiAllowedIps: ["192.0.2.0/33"] }),
        "bootstrap: inputs: COOLIFY_API_ALLOWED_IPS: the prefix of '192.0.2.0/33' is longer than 32 bits",
      );
      expect(coolify.allowedIps()).toBe(`192.0.2.0/24,${HOST_GATEWAY}`);
    });

    it("shares Coolify's limit: a caller that reaches Coolify directly can claim an allowed address in X-Forwarded-For", () => {
      expect(run().code).toBe(0);

      const claimed = spawnSync(
        TOOLS.curl ?? "curl",
        [
          "-s",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          "--interface",
          STRANGER,
          "-H",
          `Authorization: Bearer ${inputs.apiToken}`,
          "-H",
          "X-Forwarded-For: 203.0.113.9",
          `${coolify.url}/api/v1/version`,
        ],
        { encoding: "utf8" },
      );
      expect(claimed.stdout).toBe("200");
      expect(coolify.call("GET", "/api/v1/version", inputs.apiToken, undefined, STRANGER).status).toBe(403);
    });

    it("refuses a read-only token that is the root token", () => {
      expectFailure(run({ readToken: inputs.apiToken }), "bootstrap: inputs: COOLIFY_READ_TOKEN must differ from COOLIFY_API_TOKEN");
      expect(coolify.recorded("installer-calls.tsv")).toEqual([]);
    });

    it("never puts a secret in the arguments of any process it starts (every execve traced)", () => {
      const strace = findTool("strace");
      if (!strace) throw new Error("strace not found");
      const trace = join(dir, "execve.log");

      const result = run({}, [strace, "-f", "-qq", "-s", "65536", "-e", "trace=execve", "-o", trace]);

      expect(result.code).toBe(0);
      const calls = readFileSync(trace, "utf8")
        .split("\n")
        .filter((line) => line.includes("execve("));
      // The trace sees the installer, the seeder's docker call and curl: it is complete enough to mean something.
      expect(calls.some((line) => line.includes("install.sh"))).toBe(true);
      expect(calls.some((line) => line.includes("RootUserSeeder"))).toBe(true);
      expect(calls.some((line) => line.includes("/api/v1/enable"))).toBe(true);
      for (const secret of [inputs.apiToken, inputs.readToken, inputs.rootPassword, inputs.rootEmail]) {
        expect(calls.filter((line) => line.includes(secret))).toEqual([]);
      }
    });

    /** A real ext4 volume on a loop device, unmounted, as Hetzner attaches it; removed after `use`. */
    const withLoopVolume = (use: (device: string, fstab: string, env: Record<string, string>) => void): void => {
      const image = join(dir, "volume.img");
      execFileSync("truncate", ["-s", "32M", image]);
      execFileSync("mkfs.ext4", ["-q", "-F", image]);
      const device = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
      const fstab = join(dir, "fstab");
      writeFileSync(fstab, "");
      const mountDir = mkdtempSync(join(tmpdir(), "mnt-"));
      try {
        use(device, fstab, { BOOTSTRAP_FSTAB: fstab, BOOTSTRAP_VOLUME_MOUNT_DIR: mountDir });
      } finally {
        for (const target of [coolify.dataDir, inputs.dockerDir, inputs.containerdDir, inputs.monitoringDir]) spawnSync("umount", [target]);
        spawnSync("umount", [device]);
        spawnSync("losetup", ["-d", device]);
      }
    };

    /** The fstab lines the bootstrap keeps for a volume mounted at `mounted`: the volume first, then the bind mounts from it. */
    const volumeFstab = (device: string, mounted: string): string =>
      [
        `${device} ${mounted} ext4 discard,nofail,defaults 0 0`,
        `${mounted}/coolify ${coolify.dataDir} none bind 0 0`,
        `${mounted}/docker ${inputs.dockerDir} none bind 0 0`,
        `${mounted}/containerd ${inputs.containerdDir} none bind 0 0`,
        `${mounted}/monitoring ${inputs.monitoringDir} none bind 0 0`,
        "",
      ].join("\n");

    it("puts Coolify's, Docker's, containerd's and the monitoring's data on a volume Hetzner's automount mounted, before the installer writes anything, and keeps them there across reboots", () => {
      withLoopVolume((device, fstab, env) => {
        const volume = mkdtempSync(join(tmpdir(), "HC_Volume_"));
        execFileSync("mount", [device, volume]);
        writeFileSync(fstab, "# the image's own\n");
        mkdirSync(join(coolify.dataDir, "source"), { recursive: true });
        writeFileSync(join(coolify.dataDir, "source", ".env"), "APP_KEY=base64:on-the-root-disk\n");
        expectFailure(
          run({ dataVolumeDevice: device }, [], env),
          `bootstrap: data volume: ${coolify.dataDir} already holds data on the root disk; stop Coolify and Docker and move it to ${volume}/coolify first (docs/runbook/rebuild-host.md)`,
        );
        rmSync(coolify.dataDir, { recursive: true });

        const result = run({ dataVolumeDevice: device }, [], env);

        expect(result.code).toBe(0);
        expect(bootstrapLines(result.stdout)[0]).toBe(
          `bootstrap: data volume: ${coolify.dataDir}, ${inputs.dockerDir}, ${inputs.containerdDir} and ${inputs.monitoringDir} live on ${volume}`,
        );
        expect(readFileSync(fstab, "utf8")).toBe(`# the image's own\n${volumeFstab(device, volume)}`);
        // What the installer wrote is on the volume, not on the root disk; so is what the monitoring writes.
        expect(readFileSync(join(volume, "coolify", "source", ".env"), "utf8")).toMatch(/^APP_KEY=/m);
        writeFileSync(join(inputs.monitoringDir, "written-by-prometheus"), "metrics");
        expect(readFileSync(join(volume, "monitoring", "written-by-prometheus"), "utf8")).toBe("metrics");
        for (const target of [coolify.dataDir, inputs.dockerDir, inputs.containerdDir, inputs.monitoringDir]) {
          expect(execFileSync("findmnt", ["-n", "-o", "TARGET", "--target", target], { encoding: "utf8" }).trim()).toBe(target);
        }
        expect(run({ dataVolumeDevice: device }, [], env).code).toBe(0);
        expect(readFileSync(fstab, "utf8")).toBe(`# the image's own\n${volumeFstab(device, volume)}`);
      });
    });

    it("mounts the volume itself, by its device and where automount would, when a rebuilt server got it without automount (hcloud #473)", () => {
      withLoopVolume((device, fstab, env) => {
        const mounted = join(env.BOOTSTRAP_VOLUME_MOUNT_DIR, device.replace(/^.*\//, ""));

        const result = run({ dataVolumeDevice: device }, [], env);

        expect(result.code).toBe(0);
        expect(execFileSync("findmnt", ["-n", "-o", "TARGET", "--source", device], { encoding: "utf8" }).trim().split("\n")[0]).toBe(mounted);
        expect(readFileSync(fstab, "utf8")).toBe(volumeFstab(device, mounted));
        expect(readFileSync(join(mounted, "coolify", "source", ".env"), "utf8")).toMatch(/^APP_KEY=/m);
      });
    });

    it("waits for the root user when Coolify answers its health check before its seeders can run", () => {
      coolify.flag("seeder-not-ready", "3");

      const result = run();

      expect(result.code).toBe(0);
      expect(bootstrapLines(result.stdout)).toContain("bootstrap: root user: created");
      expect(coolify.recorded("seeder-calls.tsv")).toHaveLength(1);
      expect(coolify.recorded("docker-calls.log").filter((call) => call.includes("RootUserSeeder"))).toHaveLength(4);
    });

    it("installs again when Coolify's container exists but is stopped, instead of trusting its image", () => {
      expect(run().code).toBe(0);
      coolify.flag("coolify-stopped");

      const result = run();

      expect(result.code).toBe(0);
      expect(bootstrapLines(result.stdout)).toContain(`bootstrap: install: installing ${V1}`);
      expect(coolify.recorded("installer-calls.tsv")).toHaveLength(2);
      expect(existsSync(join(coolify.state, "coolify-stopped"))).toBe(false);
    });

    it("puts localhost's key back on a host rebuilt onto its volume: into root's authorized_keys, and into Coolify when its row is gone", () => {
      expect(run().code).toBe(0);
      const authorized = join(coolify.state, "authorized_keys");
      const [key] = readdirSync(join(coolify.dataDir, "ssh", "keys"));
      const publicKey = execFileSync("ssh-keygen", ["-y", "-f", join(coolify.dataDir, "ssh", "keys", key)], { encoding: "utf8" })
        .split(" ")
        .slice(0, 2)
        .join(" ");
      expect(readFileSync(authorized, "utf8")).toContain(publicKey);
      // A new root disk: the image's authorized_keys only; Coolify's data and database came back with the volume.
      writeFileSync(authorized, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO6bs95XB78dTDUSxomvWEEHut6hqBIK469t6SYQ+PAM ci-deploy\n");
      postgres.query("DELETE FROM private_keys WHERE id = 0;");

      const result = run();

      expect(result.code).toBe(0);
      expect(bootstrapLines(result.stdout)).toContain(`bootstrap: localhost key: imported into Coolify; added to ${authorized}`);
      expect(coolify.recorded("installer-calls.tsv")).toHaveLength(1);
      expect(readFileSync(authorized, "utf8").split("\n")).toEqual([
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO6bs95XB78dTDUSxomvWEEHut6hqBIK469t6SYQ+PAM ci-deploy",
        `${publicKey} coolify`,
        "",
      ]);
      expect(postgres.query("SELECT count(*) FROM private_keys WHERE id = 0;")).toBe("1");
      expect(bootstrapLines(run().stdout)).toContain("bootstrap: localhost key: present");
    });

    it("removes the root user's email and password from Coolify's .env and its backups once the user exists", () => {
      const source = join(coolify.dataDir, "source");
      mkdirSync(source, { recursive: true });
      const left = `ROOT_USERNAME=root\nROOT_USER_EMAIL=${inputs.rootEmail}\nROOT_USER_PASSWORD=${inputs.rootPassword}\n`;
      writeFileSync(join(source, ".env"), `APP_KEY=base64:kept\n${left}`);
      writeFileSync(join(source, ".env-20250101-120000"), `APP_KEY=base64:old\n${left}`);

      const result = run();

      expect(result.code).toBe(0);
      const files = readdirSync(source).filter((name) => name === ".env" || name.startsWith(".env-"));
      expect(files.length).toBeGreaterThanOrEqual(3);
      expect(bootstrapLines(result.stdout)).toContain(`bootstrap: root credentials: none left in ${source} (${files.length} file(s) cleaned)`);
      for (const name of files) {
        const text = readFileSync(join(source, name), "utf8");
        expect(text).not.toMatch(/^ROOT_USER_(PASSWORD|EMAIL)=/m);
        expect(text).toMatch(/^APP_KEY=/m);
      }
    });

    it("changes nothing and exits 0 when run again with the same inputs", () => {
      expect(run().code).toBe(0);
      const before = coolify.dump();

      const again = run();

      expect(again.code).toBe(0);
      expect(bootstrapLines(again.stdout)).toEqual([
        "bootstrap: data volume: none; Coolify's data stays on the root disk",
        `bootstrap: install: Coolify ${V1} already running`,
        "bootstrap: health: OK",
        "bootstrap: root user: present",
        "bootstrap: localhost key: present",
        `bootstrap: root credentials: none left in ${coolify.dataDir}/source (0 file(s) cleaned)`,
        "bootstrap: api tokens: terraform-bootstrap unchanged",
        "bootstrap: api tokens: terraform-plan-read unchanged",
        "bootstrap: enable api: already enabled",
        `bootstrap: instance domain: ${FQDN} already set, auto-update off`,
        `bootstrap: proxy configuration: ${coolify.dataDir}/proxy/dynamic/coolify.yaml routes coolify.staging.example.com`,
        "bootstrap: dashboard access: unchanged",
        "bootstrap: api allow list: unchanged",
        `bootstrap: verify: the token works; Coolify ${V1} is ready`,
        `bootstrap: certificate: ${FQDN} answers with a valid certificate`,
      ]);
      expect(coolify.dump()).toBe(before);
      expect(coolify.recorded("installer-calls.tsv")).toHaveLength(1);
      expect(coolify.recorded("tinker.log")).toHaveLength(2);
    });

    it("writes the proxy configuration on the next run after a run that saved the domain and failed there", () => {
      coolify.flag("proxy-config-fails");
      const failed = run();
      expect(failed.code).toBe(1);
      expect(coolify.settings()).toBe(`${FQDN}|t|f`);
      rmSync(join(coolify.state, "proxy-config-fails"));

      const again = run();

      expect(again.code).toBe(0);
      expect(readFileSync(join(coolify.dataDir, "proxy", "dynamic", "coolify.yaml"), "utf8")).toContain("Host(`coolify.staging.example.com`)");
      expect(bootstrapLines(again.stdout)).toContain(
        `bootstrap: proxy configuration: ${coolify.dataDir}/proxy/dynamic/coolify.yaml written for coolify.staging.example.com`,
      );
    });

    it("waits until the instance domain answers with a certificate it trusts, refusing the proxy's self-signed one", () => {
      coolify.flag("tls-self-signed-handshakes", "3");

      const result = run();

      expect(result.code).toBe(0);
      expect(coolify.recorded("tls-handshakes.log")).toEqual([
        ...Array.from({ length: 3 }, () => "coolify.staging.example.com self-signed"),
        "coolify.staging.example.com valid",
      ]);
      expect(bootstrapLines(result.stdout).at(-1)).toBe(`bootstrap: certificate: ${FQDN} answers with a valid certificate`);
    });

    it("gives up on a self-signed certificate within the bounded wait, naming the URL and the timeout", () => {
      coolify.flag("tls-self-signed-handshakes", "100000");

      const result = run({ waitTimeoutSeconds: WAIT });

      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n").at(-1)).toMatch(
        new RegExp(
          `^bootstrap: certificate: ${FQDN}/ did not answer with a valid certificate within ${WAIT}s \\(last: curl: \\(60\\) .*self-signed certificate`,
        ),
      );
      expect(attempts(coolify.recorded("tls-handshakes.log"))).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expectNoSecrets(result);
    });

    it("upgrades when the version changes, keeping the token rows", () => {
      expect(run().code).toBe(0);
      const tokens = coolify.tokens();

      const upgrade = run({ version: V2 });

      expect(upgrade.code).toBe(0);
      expect(bootstrapLines(upgrade.stdout)).toEqual(
        expect.arrayContaining([`bootstrap: install: upgrading from ${V1} installing ${V2}`, `bootstrap: verify: the token works; Coolify ${V2} is ready`]),
      );
      expect(coolify.recorded("installer-calls.tsv").map((call) => call.split("\t")[0])).toEqual([V1, V2]);
      expect(coolify.tokens()).toEqual(tokens);
    });

    it("rotates the token in place: same row, new hash, the old token refused", () => {
      expect(run().code).toBe(0);
      const old = inputs.apiToken;
      const rotated = newToken();

      const result = run({ apiToken: rotated });

      expect(result.code).toBe(0);
      expect(bootstrapLines(result.stdout)).toContain("bootstrap: api tokens: terraform-bootstrap updated");
      expect(bootstrapLines(result.stdout)).toContain("bootstrap: api tokens: terraform-plan-read unchanged");
      expect(coolify.tokens()[0]).toBe(["1", "App\\Models\\User", "0", "terraform-bootstrap", sha256(rotated), '["root"]', "0"].join("|"));
      expect(coolify.tokens()).toHaveLength(2);
      expect(coolify.status("/api/v1/version", rotated)).toBe(200);
      expect(coolify.status("/api/v1/version", old)).toBe(401);
    });

    it("upgrades 4.3.9 to 4.3.10 and refuses to go back, naming the environment and coolify.version, before anything runs", () => {
      expect(run({ version: "4.3.9" }).code).toBe(0);
      expect(run({ version: "4.3.10" }).code).toBe(0);
      const curls = coolify.recorded("curl-calls.log").length;

      expectFailure(
        run({ version: "4.3.9" }),
        'bootstrap: install: environment "staging": coolify.version 4.3.9 is older than Coolify 4.3.10, which runs on this host; Coolify cannot be downgraded, set coolify.version to 4.3.10 or later',
      );
      expect(coolify.recorded("installer-calls.tsv").map((call) => call.split("\t")[0])).toEqual(["4.3.9", "4.3.10"]);
      expect(coolify.recorded("curl-calls.log")).toHaveLength(curls);
      expect(coolify.call("GET", "/api/v1/version", inputs.apiToken)).toEqual({ status: 200, body: "4.3.10" });
    });

    it("keeps authorized_keys in step with the configured keys, leaving Coolify's own key and keys added by hand", () => {
      const ssh = join(dir, "ssh");
      rmSync(ssh, { recursive: true, force: true });
      mkdirSync(ssh);
      const file = join(ssh, "authorized_keys");
      const key = (name: string): string => `ssh-ed25519 ${randomBytes(32).toString("base64")} ${name}@example.com`;
      const [old, kept, next, coolifyOwn, byHand] = ["old", "kept", "next", "coolify", "hand"].map(key);
      // As cloud-init and Coolify's installer leave it on a new server.
      writeFileSync(file, `${old}\n${kept}\n${coolifyOwn}\n`);
      const env = { BOOTSTRAP_AUTHORIZED_KEYS: file };
      const keys = (): string[] => readFileSync(file, "utf8").split("\n").filter(Boolean);

      const first = run({ authorizedKeys: [old, kept] }, [], env);
      expect(first.code).toBe(0);
      expect(bootstrapLines(first.stdout)).toContain("bootstrap: authorized keys: unchanged");
      writeFileSync(file, `${keys().join("\n")}\n${byHand}\n`);

      const rotated = run({ authorizedKeys: [kept, next] }, [], env);
      expect(rotated.code).toBe(0);
      expect(bootstrapLines(rotated.stdout)).toContain(`bootstrap: authorized keys: ${file} holds the 2 configured key(s)`);
      // The localhost key the bootstrap puts back for Coolify (ensure_localhost_key) has a test of its own.
      expect(keys().filter((line) => !line.endsWith(" coolify"))).toEqual([kept, coolifyOwn, byHand, next]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(bootstrapLines(run({ authorizedKeys: [kept, next] }, [], env).stdout)).toContain("bootstrap: authorized keys: unchanged");
    });

    it("gives up on a Coolify that never gets healthy, within the bounded wait", () => {
      coolify.flag("health-down");

      const result = run({ waitTimeoutSeconds: WAIT });

      expectFailure(result, `bootstrap: health: no OK from ${coolify.url}/api/health within ${WAIT}s`);
      expect(attempts(coolify.recorded("curl-calls.log").filter((call) => call.includes("/api/health")))).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(coolify.tokens()).toEqual([]);
    });

    it("fails naming the endpoint when Coolify rejects the token", () => {
      coolify.flag("reject-tokens");

      expectFailure(run(), 'bootstrap: enable api: Coolify rejected the token on /api/v1/enable (HTTP 401 {"message":"Unauthenticated."})');
    });

    it("fails at once when Coolify's seeder rejects the root user, instead of seeding a token nobody owns", () => {
      coolify.flag("reject-root-user");

      const result = run();

      expectFailure(result, "bootstrap: root user: Coolify rejected the root user; check coolify_root_email and coolify_root_password against its rules");
      // At once: one run of the seeder, not the retries of the bounded wait (a time bound here measured the machine's load).
      expect(coolify.recorded("docker-calls.log").filter((call) => call.includes("RootUserSeeder"))).toHaveLength(1);
      expect(coolify.tokens()).toEqual([]);
    });

    it("gives up on a root user that never appears, within the bounded wait", () => {
      coolify.flag("seeder-not-ready", "1000");

      expectFailure(run({ waitTimeoutSeconds: WAIT }), `bootstrap: root user: Coolify did not create the root user within ${WAIT}s`);
      expect(coolify.tokens()).toEqual([]);
    });

    it("fails with the installer's exit code", () => {
      coolify.flag("installer-fails");

      expectFailure(run(), "bootstrap: install: the installer exited with code 3");
    });

    it("gives the installer's CDN downloads the verified release files, byte for byte, through the real call shapes", () => {
      const result = run();

      expect(result.code).toBe(0);
      const source = join(coolify.dataDir, "source");
      for (const name of ["docker-compose.yml", "docker-compose.prod.yml", ".env.production", "upgrade.sh", "upgrade-postgres.sh"]) {
        const file = FAKE_RELEASE.files.find((f) => f.cdnName === name);
        expect(readFileSync(join(source, name))).toEqual(readFileSync(join(RELEASE_DIR, file?.path ?? "")));
      }
      expect(readFileSync(join(coolify.state, "installer-versions.json"), "utf8")).toBe(readFileSync(join(RELEASE_DIR, "versions.json"), "utf8"));
      // install.sh ran the release's upgrade.sh, whose own CDN downloads were served too.
      expect(coolify.recorded("upgrade-calls.log")).toEqual([V1]);
      // Nothing reached the CDN: the calls that reached curl are the release's files from the base URL,
      // the API's, and the check of the instance domain's certificate.
      const outside = coolify.recorded("curl-calls.log").filter((call) => !call.includes(coolify.url));
      const workDir = /-o (\S+)\/release\//.exec(outside[0] ?? "")?.[1];
      expect(outside).toEqual([
        ...FAKE_RELEASE.files.map((file) => `-fsSL --retry 3 --max-time 120 -o ${workDir}/release/${file.path} ${FAKE_RELEASE.baseUrl}/${file.path}`),
        `-sS -o /dev/null --max-time 10 -w %{http_code} ${FQDN}/`,
      ]);
      expect(outside.join("\n")).not.toContain("cdn.coollabs.io");
    });

    it("runs nothing when one release file differs from its checksum, naming the file and both sums", () => {
      const mirror = join(dir, "mirror");
      rmSync(mirror, { recursive: true, force: true });
      execFileSync("cp", ["-a", RELEASE_DIR, mirror]);
      writeFileSync(join(mirror, "docker-compose.prod.yml"), `${readFileSync(join(mirror, "docker-compose.prod.yml"), "utf8")}  evil: {}\n`);
      const sum = createHash("sha256")
        .update(readFileSync(join(mirror, "docker-compose.prod.yml")))
        .digest("hex");
      const expected = FAKE_RELEASE.files.find((file) => file.path === "docker-compose.prod.yml")?.sha256;

      const result = run({ release: { ...FAKE_RELEASE, baseUrl: `file://${mirror}` } });

      expectFailure(
        result,
        `bootstrap: release files: docker-compose.prod.yml from file://${mirror} has SHA-256 ${sum}, not the expected ${expected}; nothing was run`,
      );
      expect(coolify.recorded("installer-calls.tsv")).toEqual([]);
      expect(coolify.recorded("docker-calls.log").filter((call) => !call.startsWith("inspect "))).toEqual([]);
    });

    it("fails on a release file that cannot be downloaded", () => {
      expectFailure(
        run({ release: { ...FAKE_RELEASE, baseUrl: "file:///nonexistent/coolify" } }),
        "bootstrap: release files: cannot download file:///nonexistent/coolify/scripts/install.sh",
      );
      expect(coolify.recorded("installer-calls.tsv")).toEqual([]);
    });

    it("refuses a token Sanctum would split at |, before touching the server", () => {
      expectFailure(run({ apiToken: `12|${newToken()}` }), "bootstrap: inputs: COOLIFY_API_TOKEN may hold only letters, digits, - and _");
      expect(coolify.recorded("installer-calls.tsv")).toEqual([]);
    });

    it("refuses an inputs file with a missing value", () => {
      expectFailure(run({ apiToken: "" }), "bootstrap: inputs: missing input for api_token");
    });
  },
);

describeWithTools("coolify-bootstrap.sh source", { shellcheck: findTool("shellcheck") }, () => {
  it("is shellcheck-clean, fixtures included", () => {
    const fixtures = join(__dirname, "..", "fixtures", "bootstrap");
    const scripts = [
      SCRIPT,
      CDN_CURL_PATH,
      DOCKER_INSTALL_PATH,
      ...["install.sh", "upgrade.sh", "upgrade-postgres.sh"].map((name) => join(fixtures, "release", "scripts", name)),
      ...readdirSync(join(fixtures, "bin")).map((name) => join(fixtures, "bin", name)),
      ...["apt-get", "apt-cache", "dpkg-query"].map((name) => join(fixtures, "apt", name)),
    ];
    const result = spawnSync("shellcheck", scripts, { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
