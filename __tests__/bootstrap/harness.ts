/**
 * The stand-ins the bootstrap script meets instead of a real Coolify host: a real PostgreSQL
 * holding Coolify's tables (reached through the fake `docker`), the fake installer, and the fake
 * HTTP API. Shared by the script tests and the end-to-end test.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { COOLIFY_RELEASE_FILES, COOLIFY_RELEASE_PATHS, type CoolifyReleasePath } from "../../catalog/coolify";
import { BOOTSTRAP_SCRIPT_PATH } from "../../constructs/bootstrap/coolify-bootstrap";
import type { CoolifyRelease } from "../../model/environment";
import { findTool, TS_NODE_ARGS } from "../support/tools";

export const ROOT = join(__dirname, "..", "..");
export const SCRIPT = BOOTSTRAP_SCRIPT_PATH;
export const FIXTURES = join(ROOT, "__tests__", "fixtures", "bootstrap");
/** The fake release, laid out like a Coolify release tag's tree; its scripts/install.sh is the fake installer. */
export const RELEASE_DIR = join(FIXTURES, "release");
/** The fake release's checksums, as an environment's `coolify.release.sha256` holds them. */
export const RELEASE_SHA256 = Object.fromEntries(
  COOLIFY_RELEASE_PATHS.map((path) => [
    path,
    createHash("sha256")
      .update(readFileSync(join(RELEASE_DIR, path)))
      .digest("hex"),
  ]),
) as Record<CoolifyReleasePath, string>;
/** The fake release as a bootstrap fetches it: from the fixtures, each file with its checksum. */
export const FAKE_RELEASE: CoolifyRelease = {
  baseUrl: `file://${RELEASE_DIR}`,
  files: COOLIFY_RELEASE_FILES.map((file) => ({ ...file, sha256: RELEASE_SHA256[file.path] })),
};

/**
 * PostgreSQL's own programs, newest version first. Debian's /usr/bin/psql is a Perl wrapper
 * (postgresql-common's pg_wrapper) that costs about 40 ms of CPU before it starts the real psql,
 * and the fakes run psql hundreds of times per suite: they use the real one directly.
 */
const postgresBin = (program: string): string[] =>
  existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin/${program}`)
    : [];

export const SSH_TOOLS = {
  sshd: findTool("sshd", ["/usr/sbin/sshd"]),
  "ssh-keygen": findTool("ssh-keygen"),
  scp: findTool("scp"),
};

export const TOOLS = {
  psql: findTool("psql", postgresBin("psql")),
  pg_ctl: findTool("pg_ctl", postgresBin("pg_ctl")),
  curl: findTool("curl"),
};

/** A throwaway PostgreSQL cluster listening only on a Unix socket in a temp directory. */
export class TestPostgres {
  readonly socketDir: string;
  private readonly dataDir: string;
  private readonly pgCtl: string;

  constructor() {
    const pgCtl = TOOLS.pg_ctl;
    if (!pgCtl) throw new Error("pg_ctl not found");
    this.pgCtl = pgCtl;
    const base = mkdtempSync(join(tmpdir(), "bootstrap-pg-"));
    chmodSync(base, 0o755);
    this.socketDir = join(base, "socket");
    this.dataDir = join(base, "data");
    mkdirSync(this.socketDir);
    // PostgreSQL refuses to run as root; CI runs as root, so the cluster belongs to `postgres` there.
    const owner = process.getuid?.() === 0 ? Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })) : undefined;
    if (owner !== undefined) {
      chownSync(base, owner, 0);
      chownSync(this.socketDir, owner, 0);
    }
    execFileSync("cp", ["-a", this.template(), this.dataDir]);
    // The copy belongs to the cluster's owner whoever wrote the template (a checkout copied without -a).
    if (owner !== undefined) execFileSync("chown", ["-R", String(owner), this.dataDir]);
    this.asOwner(["start", "-w", "-D", this.dataDir, "-l", join(base, "server.log"), "-o", `-k ${this.socketDir} -c listen_addresses= -F`]);
  }

  /**
   * An initialized, never started cluster to copy: `initdb` costs about a second of CPU per cluster
   * and the suites start a dozen. Kept in the temp directory per PostgreSQL version and options, and
   * moved into place whole (a rename), so clusters initialized side by side never see half of one.
   */
  private template(): string {
    const options = "-U coolify --auth=trust --no-sync -E UTF8";
    const key = createHash("sha256")
      .update(execFileSync(this.pgCtl, ["--version"]))
      .update(options)
      .update(String(process.getuid?.()))
      .digest("hex");
    // In the temp directory, not the checkout: PostgreSQL's user must reach it, and a checkout may sit in a private directory.
    const template = join(tmpdir(), `coolify-paas-test-postgres-${key.slice(0, 16)}`);
    if (existsSync(template)) return template;
    const building = mkdtempSync(`${template}-`);
    chmodSync(building, 0o755);
    if (process.getuid?.() === 0) chownSync(building, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), 0);
    this.asOwner(["init", "-D", join(building, "data"), "-o", options]);
    try {
      renameSync(join(building, "data"), template);
    } catch (error) {
      if (!existsSync(template)) throw error;
    }
    rmSync(building, { recursive: true, force: true });
    return template;
  }

  private asOwner(args: string[]): void {
    const [command, ...rest] = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", this.pgCtl, ...args] : [this.pgCtl, ...args];
    execFileSync(command, rest, { stdio: "pipe" });
  }

  /** Runs SQL as Coolify's database user; returns the rows, unaligned and tuples only. */
  query(sql: string, database = "coolify"): string {
    return execFileSync(TOOLS.psql ?? "psql", ["-h", this.socketDir, "-U", "coolify", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt"], {
      input: sql,
      encoding: "utf8",
    }).trim();
  }

  /** An empty `coolify` database, as before Coolify is installed. */
  resetDatabase(): void {
    // FORCE: the fake Coolify API keeps a session open, as Coolify does.
    this.query("DROP DATABASE IF EXISTS coolify WITH (FORCE);", "postgres");
    this.query("CREATE DATABASE coolify;", "postgres");
  }

  stop(): void {
    this.asOwner(["stop", "-m", "immediate", "-D", this.dataDir]);
  }
}

/** Starts a fixture server that prints `listening <port>`; resolves to the process and its port. */
const startListening = (script: string, env: NodeJS.ProcessEnv): Promise<{ process: ChildProcess; port: number }> => {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, join(FIXTURES, script)], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ process: child, port: Number(port) });
    });
  });
};

/** The fake Coolify API server, the stand-in for the proxy's HTTPS and the state directory every fake shares. */
export class FakeCoolify {
  readonly state: string;
  /** The test CA and the certificates the TLS stand-in serves (kept across `reset`). */
  readonly tlsDir: string;
  url = "";
  private tlsPort = 0;
  private readonly servers: ChildProcess[] = [];

  constructor(private readonly postgres: TestPostgres) {
    this.state = mkdtempSync(join(tmpdir(), "bootstrap-state-"));
    chmodSync(this.state, 0o755);
    this.tlsDir = mkdtempSync(join(tmpdir(), "bootstrap-tls-"));
    chmodSync(this.tlsDir, 0o755);
  }

  /**
   * Environment under which the fakes work: fake docker/curl first on PATH, the database, the state;
   * curl trusts the test CA, and the fake curl sends every request for port 443 to the TLS stand-in.
   */
  get env(): Record<string, string> {
    return {
      PATH: [join(FIXTURES, "bin"), ...(TOOLS.psql ? [dirname(TOOLS.psql)] : []), process.env.PATH ?? "/usr/bin:/bin"].join(":"),
      FAKE_COOLIFY_STATE: this.state,
      FAKE_COOLIFY_FIXTURES: FIXTURES,
      PGHOST: this.postgres.socketDir,
      REAL_CURL: TOOLS.curl ?? "/usr/bin/curl",
      CURL_CA_BUNDLE: join(this.tlsDir, "ca.pem"),
      FAKE_TLS_CONNECT_TO: `:443:127.0.0.1:${this.tlsPort}`,
      // The fake installer's stand-in for root's ~/.ssh/authorized_keys, where the bootstrap looks too.
      BOOTSTRAP_AUTHORIZED_KEYS: join(this.state, "authorized_keys"),
    };
  }

  /** Starts the API on `port` (a random free one by default) and the TLS stand-in. */
  async start(port = 0): Promise<void> {
    const api = await startListening("fake-coolify-api.ts", { ...process.env, ...this.env, FAKE_COOLIFY_PORT: String(port) });
    this.servers.push(api.process);
    this.url = `http://127.0.0.1:${api.port}`;
    const tls = await startListening("tls-stand-in.ts", { ...process.env, ...this.env, TLS_STAND_IN_DIR: this.tlsDir });
    this.servers.push(tls.process);
    this.tlsPort = tls.port;
  }

  stop(): void {
    for (const server of this.servers) server.kill();
  }

  /** Forgets everything: no Coolify installed, no flags, no recorded calls, an empty database. */
  reset(): void {
    for (const name of readdirSync(this.state)) rmSync(join(this.state, name), { recursive: true });
    this.postgres.resetDatabase();
  }

  /** `seeder-not-ready` takes how many runs of the root user seeder fail first. */
  /** `coolify-gateway` holds the address the fake docker reports as the coolify network's gateway. */
  /** `tls-self-signed-handshakes` takes how many handshakes get a self-signed certificate before the valid one. */
  /** `proxy-config-fails` makes Coolify's proxy configuration step fail (after the settings are saved). */
  /** `coolify-stopped` leaves Coolify's container in place but exited, until an install starts it. */
  flag(
    name:
      | "health-down"
      | "reject-tokens"
      | "reject-root-user"
      | "installer-fails"
      | "seeder-not-ready"
      | "coolify-gateway"
      | "proxy-config-fails"
      | "coolify-stopped"
      | "tls-self-signed-handshakes",
    content = "",
  ): void {
    writeFileSync(join(this.state, name), content);
  }

  /** Coolify's data directory as the fake installer keeps it (`/data/coolify` on a server). */
  get dataDir(): string {
    return join(this.state, "data");
  }

  recorded(
    name:
      | "installer-calls.tsv"
      | "seeder-calls.tsv"
      | "docker-calls.log"
      | "curl-calls.log"
      | "tinker.log"
      | "api-requests.log"
      | "bootstrap-cmdline"
      | "inputs-modes"
      | "upgrade-calls.log"
      | "apt-calls.log"
      | "tls-handshakes.log"
      | "coolify-docker-installs",
  ): string[] {
    const file = join(this.state, name);
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  }

  tokens(): string[] {
    return this.postgres
      .query("SELECT id, tokenable_type, tokenable_id, name, token, abilities, team_id FROM personal_access_tokens ORDER BY id;")
      .split("\n")
      .filter(Boolean);
  }

  /**
   * Starts the API over a Coolify that is installed and running 4.3.9: Coolify's tables, the root
   * user, and with `apiEnabled` the API switched on, as the dashboard leaves them.
   */
  async startInstalled(options: { readonly apiEnabled: boolean }): Promise<void> {
    await this.start();
    this.reset();
    this.postgres.query(readFileSync(join(FIXTURES, "schema.sql"), "utf8"));
    this.postgres.query(
      `INSERT INTO users (id, name, email) VALUES (0, 'root', 'root@example.com');${options.apiEnabled ? " UPDATE instance_settings SET is_api_enabled = true WHERE id = 0;" : ""}`,
    );
    writeFileSync(join(this.state, "image"), "ghcr.io/coollabsio/coolify:4.3.9\n");
  }

  /** Adds a token with these abilities for the root user and team; returns the plain token. */
  addToken(abilities: readonly string[]): string {
    const token = randomBytes(20).toString("hex");
    const hash = createHash("sha256").update(token).digest("hex");
    this.postgres.query(
      `INSERT INTO personal_access_tokens (tokenable_type, tokenable_id, name, token, abilities, team_id) VALUES ('App\\Models\\User', 0, 'test', '${hash}', '${JSON.stringify(abilities)}', '0');`,
    );
    return token;
  }

  allowedIps(): string {
    return this.postgres.query("SELECT coalesce(allowed_ips, '') FROM instance_settings WHERE id = 0;");
  }

  settings(): string {
    return this.postgres.query("SELECT fqdn, is_api_enabled, is_auto_update_enabled FROM instance_settings WHERE id = 0;");
  }

  /** Every row of every table, to prove that a run changed nothing. */
  dump(): string {
    return ["instance_settings", "teams", "users", "personal_access_tokens"]
      .map((table) => this.postgres.query(`SELECT * FROM ${table} ORDER BY id;`))
      .join("\n---\n");
  }

  /** Calls the fake API the way a Terraform provider would, with a bearer token. */
  status(path: string, token: string): number {
    return this.call("GET", path, token).status;
  }

  /** Any call, with an optional token, JSON body and local source address; the status and the body. */
  call(method: string, path: string, token?: string, body?: unknown, source?: string): { status: number; body: string } {
    const result = spawnSync(
      TOOLS.curl ?? "curl",
      [
        "-s",
        "-X",
        method,
        "-w",
        "\n%{http_code}",
        ...(token === undefined ? [] : ["-H", `Authorization: Bearer ${token}`]),
        ...(body === undefined ? [] : ["-H", "Content-Type: application/json", "--data", JSON.stringify(body)]),
        ...(source === undefined ? [] : ["--interface", source]),
        `${this.url}${path}`,
      ],
      { encoding: "utf8" },
    );
    const cut = result.stdout.lastIndexOf("\n");
    return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut) };
  }
}

/** A PostgreSQL and the fake Coolify API for the tests of one `describe` block, started before them and stopped after. */
export const fakeCoolifyForSuite = (): { readonly postgres: TestPostgres; readonly coolify: FakeCoolify } => {
  const suite: { postgres?: TestPostgres; coolify?: FakeCoolify } = {};
  beforeAll(async () => {
    suite.postgres = new TestPostgres();
    suite.coolify = new FakeCoolify(suite.postgres);
    await suite.coolify.start();
  });
  afterAll(() => {
    suite.coolify?.stop();
    suite.postgres?.stop();
  });
  return {
    get postgres(): TestPostgres {
      if (!suite.postgres) throw new Error("the suite's PostgreSQL has not started");
      return suite.postgres;
    },
    get coolify(): FakeCoolify {
      if (!suite.coolify) throw new Error("the suite's fake Coolify has not started");
      return suite.coolify;
    },
  };
};

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

/** An sshd of our own: own host key, own authorized_keys, the fakes' environment set for every session. */
export class TestSshd {
  readonly clientKey: string;
  /** Its host key, private (OpenSSH format) and public (`ssh-ed25519 AAAA...`), as an environment's sshHostKey pair. */
  readonly hostKey: string;
  readonly hostPublicKey: string;
  private process?: ChildProcess;

  constructor(
    private readonly dir: string,
    readonly port: number,
    sessionEnv: Record<string, string>,
    readonly address = "127.0.0.1",
  ) {
    const keygen = (file: string) => spawnSync(SSH_TOOLS["ssh-keygen"] ?? "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { stdio: "pipe" });
    keygen(join(dir, "host_key"));
    keygen(join(dir, "client_key"));
    this.clientKey = readFileSync(join(dir, "client_key"), "utf8");
    this.hostKey = readFileSync(join(dir, "host_key"), "utf8");
    this.hostPublicKey = readFileSync(join(dir, "host_key.pub"), "utf8").trim();
    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")));
    writeFileSync(
      join(dir, "sshd_config"),
      [
        `Port ${port}`,
        `ListenAddress ${address}`,
        `HostKey ${join(dir, "host_key")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        `SetEnv ${Object.entries(sessionEnv)
          .map(([key, value]) => `${key}=${value}`)
          .join(" ")}`,
      ].join("\n") + "\n",
    );
    // sshd running as root insists on its privilege separation directory.
    if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  }

  async start(): Promise<void> {
    const sshd = spawn(SSH_TOOLS.sshd ?? "sshd", ["-D", "-e", "-f", join(this.dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    this.process = sshd;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      sshd.once("exit", (code) => reject(new Error(`sshd on ${this.address}:${this.port} exited with ${code}: ${log}`)));
      sshd.stderr?.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Server listening")) resolve();
      });
    });
  }

  stop(): void {
    this.process?.kill();
  }
}
