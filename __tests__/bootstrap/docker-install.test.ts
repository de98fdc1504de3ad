import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COOLIFY_MIN_DOCKER_MAJOR, DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { type BootstrapInputs, DOCKER_INSTALL_PATH, renderInputs } from "../../constructs/bootstrap/coolify-bootstrap";
import { dashboardAccessConfig } from "../../constructs/bootstrap/dashboard-access";
import { COOLIFY_PREREQUISITES } from "../../constructs/bootstrap/worker-docker";
import { describeWithTools, findTool } from "../support/tools";
import { FAKE_RELEASE, FIXTURES, fakeCoolifyForSuite, SCRIPT, TOOLS } from "./harness";

const VERSION = "4.3.9";
const PINNED = "28.3.3";
/** The `apt-cache madison docker-ce` line of the pinned release in the fake repository (fixtures/bootstrap/apt/madison-docker-ce). */
const PACKAGE = "5:28.3.3-1~ubuntu.24.04~noble";
const KEY_URL = "https://download.docker.com/linux/ubuntu/gpg";
const UBUNTU =
  'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=noble\n';

describe("the Docker Engine the bootstrap installs", () => {
  it("is one Coolify's installer accepts (coollabsio/coolify v4.3.9 scripts/install.sh line 630, MIN_DOCKER_VERSION=24)", () => {
    expect(Number(DOCKER_ENGINE_VERSION.split(".")[0])).toBeGreaterThanOrEqual(COOLIFY_MIN_DOCKER_MAJOR);
    expect(DOCKER_APT_KEY_FINGERPRINT).toMatch(/^[0-9A-F]{40}$/);
  });
});

describeWithTools(
  "coolify-bootstrap.sh on a server without Docker: Docker's apt repository, its key checked with the real gpg",
  { ...TOOLS, bash: findTool("bash"), gpg: findTool("gpg"), gpgv: findTool("gpgv"), dpkg: findTool("dpkg") },
  () => {
    const suite = fakeCoolifyForSuite();
    const dir = mkdtempSync(join(tmpdir(), "bootstrap-docker-"));
    const bin = join(dir, "bin");
    const repo = join(dir, "repo");
    const osRelease = join(dir, "os-release");
    const keyrings = join(dir, "keyrings");
    const sources = join(dir, "sources.list.d");

    /** A fresh signing key in its own keyring: its fingerprint and its armored public key. */
    const newKey = (name: string): { fingerprint: string; armored: string; home: string } => {
      const home = mkdtempSync(join(dir, "gnupg-"));
      const gpg = (...args: string[]) => execFileSync("gpg", ["--batch", "--homedir", home, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      gpg("--passphrase", "", "--quick-gen-key", `${name} <${name.toLowerCase().replace(/ /g, "-")}@example.com>`, "ed25519", "sign", "never");
      const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--list-keys"))?.[1] ?? "";
      return { fingerprint, armored: gpg("--armor", "--export"), home };
    };

    let repositoryKey: ReturnType<typeof newKey>;
    let otherKey: ReturnType<typeof newKey>;

    beforeAll(() => {
      repositoryKey = newKey("Repository Signer");
      otherKey = newKey("Someone Else");
      // The fake repository: an InRelease the repository key signs, and what madison lists.
      mkdirSync(join(repo, "dists", "noble"), { recursive: true });
      writeFileSync(join(dir, "Release"), "Origin: Docker\nSuite: noble\nComponents: stable\n");
      execFileSync("gpg", ["--batch", "--homedir", repositoryKey.home, "--clearsign", "-o", join(repo, "dists", "noble", "InRelease"), join(dir, "Release")], {
        stdio: "pipe",
      });
      copyFileSync(join(FIXTURES, "apt", "madison-docker-ce"), join(repo, "madison-docker-ce"));
      mkdirSync(bin);
      symlinkSync(join(FIXTURES, "bin", "curl"), join(bin, "curl"));
    });

    let inputs: BootstrapInputs;
    beforeEach(() => {
      suite.coolify.reset();
      for (const path of [keyrings, sources]) rmSync(path, { recursive: true, force: true });
      mkdirSync(sources);
      writeFileSync(osRelease, UBUNTU);
      inputs = {
        environment: "staging",
        version: VERSION,
        fqdn: "https://coolify.staging.example.com",
        release: FAKE_RELEASE,
        dockerVersion: PINNED,
        dockerAptKeyFingerprint: repositoryKey.fingerprint,
        apiUrl: suite.coolify.url,
        dataDir: suite.coolify.dataDir,
        dockerDir: join(suite.coolify.state, "docker"),
        containerdDir: join(suite.coolify.state, "containerd"),
        monitoringDir: join(suite.coolify.state, "monitoring"),
        dataVolumeDevice: "",
        waitTimeoutSeconds: 2,
        rootUsername: "root",
        rootEmail: `ops-${randomBytes(4).toString("hex")}@example.com`,
        rootPassword: `Pw-${randomBytes(8).toString("hex")}!A1`,
        apiToken: randomBytes(24).toString("hex"),
        readToken: randomBytes(24).toString("hex"),
        apiAllowedIps: ["203.0.113.0/24"],
        authorizedKeys: [],
      };
    });

    /** Runs the script with no docker on PATH; the key URL serves `servedKey`. */
    const run = (servedKey: string, overrides: Partial<BootstrapInputs> = {}) => {
      const { state } = suite.coolify;
      writeFileSync(join(dir, "served.asc"), servedKey);
      writeFileSync(join(state, "url-map.tsv"), `${KEY_URL}\tfile://${join(dir, "served.asc")}\n`);
      writeFileSync(join(dir, "inputs.env"), renderInputs({ ...inputs, ...overrides }), { mode: 0o600 });
      writeFileSync(join(dir, "dashboard-access.yaml"), dashboardAccessConfig({ host: "coolify.staging.example.com", sources: ["203.0.113.0/24"] }));
      const path = [bin, join(FIXTURES, "apt"), join(state, "installed-bin"), "/usr/bin", "/bin"].join(":");
      expect(spawnSync("bash", ["-c", "command -v docker"], { env: { PATH: path } }).status).toBe(1);
      const result = spawnSync("bash", [SCRIPT, join(dir, "inputs.env")], {
        env: {
          ...process.env,
          ...suite.coolify.env,
          PATH: path,
          FAKE_DOCKER_REPO: repo,
          BOOTSTRAP_OS_RELEASE: osRelease,
          BOOTSTRAP_APT_KEYRINGS: keyrings,
          BOOTSTRAP_APT_SOURCES: sources,
          BOOTSTRAP_POLL_SECONDS: "0.2",
        },
        encoding: "utf8",
      });
      const lines = result.stdout.split("\n").filter((line) => line.startsWith("bootstrap: docker: "));
      return { code: result.status, lines, stderr: result.stderr };
    };
    const aptCalls = (): string[] => suite.coolify.recorded("apt-calls.log");

    it("installs the pinned docker-ce from the repository its verified key signs, then runs the installer", () => {
      const result = run(repositoryKey.armored);

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.lines).toEqual([`bootstrap: docker: installed Docker ${PINNED} (docker-ce ${PACKAGE}) from https://download.docker.com/linux/ubuntu`]);
      expect(readFileSync(join(keyrings, "docker.asc"), "utf8")).toBe(repositoryKey.armored);
      expect(readFileSync(join(sources, "docker.list"), "utf8")).toBe(
        `deb [arch=${execFileSync("dpkg", ["--print-architecture"], { encoding: "utf8" }).trim()} signed-by=${keyrings}/docker.asc] https://download.docker.com/linux/ubuntu noble stable\n`,
      );
      // Each apt-get waits for a dpkg lock taken after the bootstrap's own wait, up to the wait timeout.
      expect(aptCalls()).toEqual([
        "-o DPkg::Lock::Timeout=2 update -qq",
        "-o DPkg::Lock::Timeout=2 update -qq",
        "madison docker-ce",
        `-o DPkg::Lock::Timeout=2 install -y -qq docker-ce=${PACKAGE} docker-ce-cli=${PACKAGE} containerd.io docker-buildx-plugin docker-compose-plugin`,
      ]);
      // The installer found Docker, so its own `curl https://get.docker.com | sh` never had a reason to run.
      expect(suite.coolify.recorded("installer-calls.tsv")).toHaveLength(1);
      expect(suite.coolify.recorded("curl-calls.log").join("\n")).not.toContain("get.docker.com");
    });

    it("refuses a key whose fingerprint is not the pinned one: nothing is installed, nothing runs", () => {
      const result = run(otherKey.armored);

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `bootstrap: docker: the key from ${KEY_URL} has fingerprint '${otherKey.fingerprint}', not Docker's ${repositoryKey.fingerprint}; nothing was installed`,
      );
      expect(existsSync(join(keyrings, "docker.asc"))).toBe(false);
      expect(existsSync(join(sources, "docker.list"))).toBe(false);
      expect(aptCalls()).toEqual(["-o DPkg::Lock::Timeout=2 update -qq"]);
      expect(suite.coolify.recorded("installer-calls.tsv")).toEqual([]);
    });

    it("refuses a key file that holds another key beside the pinned one, which apt would trust too", () => {
      const result = run(`${repositoryKey.armored}${otherKey.armored}`);

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `bootstrap: docker: the key from ${KEY_URL} has fingerprint '${repositoryKey.fingerprint} ${otherKey.fingerprint}', not Docker's ${repositoryKey.fingerprint}; nothing was installed`,
      );
    });

    it("installs no other version when the repository does not offer the pinned one", () => {
      const result = run(repositoryKey.armored, { dockerVersion: "28.3.4" });

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        "bootstrap: docker: https://download.docker.com/linux/ubuntu offers no docker-ce 28.3.4 for noble (apt-cache madison docker-ce)",
      );
      expect(aptCalls().filter((call) => call.startsWith("install"))).toEqual([]);
    });

    it("on a worker, run by itself: the same pinned Docker, then the commands Coolify's validation needs where missing", () => {
      const { state } = suite.coolify;
      writeFileSync(join(dir, "served.asc"), repositoryKey.armored);
      writeFileSync(join(state, "url-map.tsv"), `${KEY_URL}\tfile://${join(dir, "served.asc")}\n`);
      // This machine's /usr/bin without jq: a worker where Coolify's prerequisites are not all there.
      const usrBin = join(dir, "usr-bin-without-jq");
      if (!existsSync(usrBin)) {
        mkdirSync(usrBin);
        for (const name of readdirSync("/usr/bin")) if (name !== "jq") symlinkSync(join("/usr/bin", name), join(usrBin, name));
      }
      const result = spawnSync("bash", [DOCKER_INSTALL_PATH, "batch", PINNED, repositoryKey.fingerprint, "2", ...COOLIFY_PREREQUISITES], {
        env: {
          ...suite.coolify.env,
          PATH: [bin, join(FIXTURES, "apt"), join(state, "installed-bin"), usrBin].join(":"),
          FAKE_DOCKER_REPO: repo,
          BOOTSTRAP_OS_RELEASE: osRelease,
          BOOTSTRAP_APT_KEYRINGS: keyrings,
          BOOTSTRAP_APT_SOURCES: sources,
        },
        encoding: "utf8",
      });

      expect(result.stderr).toBe("");
      expect(result.stdout.split("\n").filter(Boolean)).toEqual([
        `batch: docker: installed Docker ${PINNED} (docker-ce ${PACKAGE}) from https://download.docker.com/linux/ubuntu`,
        "batch: docker: installed jq",
      ]);
      expect(result.status).toBe(0);
      expect(aptCalls().slice(-2)).toEqual(["-o DPkg::Lock::Timeout=2 update -qq", "-o DPkg::Lock::Timeout=2 install -y -qq jq"]);
    });

    it("stops on a system whose Docker repository it does not set up", () => {
      writeFileSync(osRelease, 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=41\n');

      const result = run(repositoryKey.armored);

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `bootstrap: docker: Docker is missing and 'fedora' is neither ubuntu nor debian, the systems whose Docker apt repository this script uses; install Docker ${PINNED} first`,
      );
      expect(aptCalls()).toEqual([]);
    });
  },
);
