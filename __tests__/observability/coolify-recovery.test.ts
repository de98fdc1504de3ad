import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join, relative } from "node:path";
import { COOLIFY_VERSION } from "../../catalog/coolify";
import { OPERATIONS_SCRIPTS_DIR, operationsScript } from "../../constructs/observability/compose";
import { FIXTURES as BOOTSTRAP_FIXTURES, FakeCoolify, freePort, TOOLS as POSTGRES_TOOLS, SSH_TOOLS, TestPostgres, TestSshd } from "../bootstrap/harness";
import { runWithInput, type ScriptRun } from "../support/bash";
import { S3StandIn } from "../support/s3-stand-in";
import { describeWithTools, findTool } from "../support/tools";

const OPERATIONS_BIN = join(__dirname, "..", "fixtures", "operations", "bin");
const TOOLS = {
  ...SSH_TOOLS,
  ...POSTGRES_TOOLS,
  ssh: findTool("ssh"),
  pg_dump: findTool("pg_dump"),
  pg_restore: findTool("pg_restore"),
  openssl: findTool("openssl"),
};

const PREFIX = "coolify/production";
const PASSPHRASE = randomBytes(24).toString("hex");
const OLD_APP_KEY = `base64:${randomBytes(32).toString("base64")}`;
const NEW_APP_KEY = `base64:${randomBytes(32).toString("base64")}`;
const PLAIN_TOKEN = randomBytes(20).toString("hex");
const IMAGE = `ghcr.io/coollabsio/coolify:${COOLIFY_VERSION}`;
const BACKUP_FORMAT_LIB = join(OPERATIONS_SCRIPTS_DIR, "lib", "backup-format.sh");
const RESTORE_SCRIPT = [join(OPERATIONS_SCRIPTS_DIR, "lib", "s3.sh"), BACKUP_FORMAT_LIB, join(OPERATIONS_SCRIPTS_DIR, "coolify-restore.sh")]
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");

/** A backup sealed as coolify-backup.sh seals one (lib/backup-format.sh), of a directory's content. */
const seal = (content: string, out: string, environment: string, created: string, passphrase = PASSPHRASE): Buffer => {
  execFileSync("bash", ["-c", `set -euo pipefail; . "$LIB"; tar -C "$CONTENT" -czf "$OUT.tar.gz" .; backup_seal "$OUT.tar.gz" "$OUT" "$ENV_NAME" "$CREATED"`], {
    env: { PATH: process.env.PATH, LIB: BACKUP_FORMAT_LIB, CONTENT: content, OUT: out, ENV_NAME: environment, CREATED: created, BACKUP_PASSPHRASE: passphrase },
  });
  return readFileSync(out);
};
const STAMP = /\d{8}T\d{6}Z/;

/** Every file under a directory with its content's hash, to prove what changed and what did not. */
const tree = (dir: string): Record<string, string> => {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return files;
};

/** A Coolify host's data directory as the installer lays it out (coollabsio/coolify v4.3.9, scripts/install.sh). */
const coolifyData = (dir: string, appKey: string, withKeys: boolean): string => {
  const data = join(dir, "data", "coolify");
  mkdirSync(join(data, "source"), { recursive: true });
  mkdirSync(join(data, "ssh", "keys"), { recursive: true });
  mkdirSync(join(data, "ssh", "mux"), { recursive: true });
  mkdirSync(join(data, "proxy", "dynamic"), { recursive: true });
  writeFileSync(
    join(data, "source", ".env"),
    `APP_ID=${randomBytes(8).toString("hex")}\nAPP_KEY=${appKey}\nDB_USERNAME=coolify\nDB_PASSWORD=${randomBytes(12).toString("hex")}\n`,
  );
  if (withKeys) {
    execFileSync(SSH_TOOLS["ssh-keygen"] ?? "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(data, "ssh", "keys", "id.root@host.docker.internal")]);
    writeFileSync(join(data, "proxy", "dynamic", "coolify.yaml"), "http:\n  routers:\n    coolify-http:\n      rule: Host(`coolify.example.com`)\n");
    writeFileSync(join(data, "proxy", "acme.json"), JSON.stringify({ letsencrypt: { Certificates: [{ domain: { main: "coolify.example.com" } }] } }));
  }
  return data;
};

/** An sshd standing for one host: its sessions see that host's Coolify data, database and S3 settings. */
const host = async (dir: string, env: Record<string, string>): Promise<TestSshd> => {
  mkdirSync(dir, { recursive: true });
  const sshd = new TestSshd(dir, await freePort(), env);
  await sshd.start();
  return sshd;
};

/** Runs a script on a host over SSH, as an operator does (`ssh root@host bash -s < script`). */
const overSsh = (sshd: TestSshd, dir: string, script: string): Promise<ScriptRun> =>
  runWithInput(
    TOOLS.ssh ?? "ssh",
    [
      "-i",
      join(dir, "client_key"),
      "-p",
      String(sshd.port),
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "BatchMode=yes",
      "-o",
      "LogLevel=ERROR",
      `${userInfo().username}@127.0.0.1`,
      "bash -s",
    ],
    script,
    { PATH: process.env.PATH },
  );

describeWithTools("backup and restore of Coolify itself, end to end (real PostgreSQL, sshd, curl, openssl; S3 stand-in)", TOOLS, () => {
  let work: string;
  let s3: S3StandIn;
  let source: TestPostgres;
  let target: TestPostgres;
  let oldHost: TestSshd;
  let newHost: TestSshd;
  let newCoolify: FakeCoolify;
  let oldData: string;
  let newData: string;
  const s3Env = (): Record<string, string> => ({
    BACKUP_S3_ENDPOINT: s3.endpoint,
    BACKUP_S3_REGION: s3.region,
    BACKUP_S3_BUCKET: s3.bucket,
    BACKUP_S3_ACCESS_KEY: s3.accessKey,
    BACKUP_S3_SECRET_KEY: "s3-secret-of-the-test",
    BACKUP_PREFIX: PREFIX,
    BACKUP_PASSPHRASE: PASSPHRASE,
  });
  const hostEnv = (postgres: TestPostgres, data: string, name: string): Record<string, string> => ({
    ...s3Env(),
    PATH: `${OPERATIONS_BIN}:${process.env.PATH}`,
    PGHOST: postgres.socketDir,
    COOLIFY_DATA: data,
    FAKE_DOCKER_LOG: join(work, `${name}-docker.log`),
    FAKE_COOLIFY_IMAGE: IMAGE,
    METRICS_DIR: join(work, `${name}-metrics`),
    ENVIRONMENT: "production",
    // The weekly copy is made today, whatever day the test runs.
    BACKUP_WEEKLY_DAY: String(new Date().getUTCDay() || 7),
  });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "coolify-recovery-"));
    s3 = new S3StandIn("acme-production-coolify", "fsn1", "AKIATESTOPERATIONS", "s3-secret-of-the-test");
    await s3.start();
    const schema = readFileSync(join(BOOTSTRAP_FIXTURES, "schema.sql"), "utf8");
    source = new TestPostgres();
    source.resetDatabase();
    source.query(schema);
    // What a running instance holds: its settings, the root user and the API token Terraform uses.
    source.query(
      `UPDATE instance_settings SET fqdn = 'https://coolify.example.com', is_api_enabled = true, is_auto_update_enabled = false WHERE id = 0;
       INSERT INTO users (id, name, email) VALUES (0, 'root', 'ops@example.com');
       INSERT INTO personal_access_tokens (tokenable_type, tokenable_id, name, token, abilities, team_id, created_at, updated_at)
       VALUES ('App\\Models\\User', 0, 'terraform', '${createHash("sha256").update(PLAIN_TOKEN).digest("hex")}', '["root"]', '0', now(), now());`,
    );
    target = new TestPostgres();
    target.resetDatabase();
    target.query(schema);
    oldData = coolifyData(join(work, "old"), OLD_APP_KEY, true);
    newData = coolifyData(join(work, "new"), NEW_APP_KEY, false);
    oldHost = await host(join(work, "old-sshd"), hostEnv(source, oldData, "old"));
    newHost = await host(join(work, "new-sshd"), hostEnv(target, newData, "new"));
    newCoolify = new FakeCoolify(target);
    writeFileSync(join(newCoolify.state, "image"), IMAGE);
    await newCoolify.start();
  }, 60_000);

  afterAll(async () => {
    newCoolify?.stop();
    oldHost?.stop();
    newHost?.stop();
    source?.stop();
    target?.stop();
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const restore = () => overSsh(newHost, join(work, "new-sshd"), RESTORE_SCRIPT);
  const untouched = () => ({ database: newCoolify.dump(), files: tree(newData) });

  it("refuses to restore when there is no backup yet, naming where it looked, and changes nothing", async () => {
    const before = untouched();
    const result = await restore();
    expect(result.stderr).toContain(`restore: no backup under ${PREFIX}/daily/ or ${PREFIX}/weekly/ in bucket ${s3.bucket}; nothing was changed`);
    expect(result.status).toBe(1);
    expect(untouched()).toEqual(before);
  });

  it("backs up the database, APP_KEY, SSH keys and proxy configuration, encrypted, with daily and weekly copies and retention", async () => {
    const now = Date.now();
    const stamps = new Map(
      [31, 29, 91, 85].map((days) => [
        days,
        new Date(now - days * 86_400_000)
          .toISOString()
          .replace(/[-:]/g, "")
          .replace(/\.\d+Z$/, "Z"),
      ]),
    );
    const old = (days: number): string => stamps.get(days) ?? "";
    for (const key of [
      `${PREFIX}/daily/${old(31)}.tar.gz.enc`,
      `${PREFIX}/daily/${old(29)}.tar.gz.enc`,
      `${PREFIX}/weekly/${old(91)}.tar.gz.enc`,
      `${PREFIX}/weekly/${old(85)}.tar.gz.enc`,
    ]) {
      s3.objects.set(key, Buffer.from("an older backup"));
    }
    const result = await overSsh(oldHost, join(work, "old-sshd"), operationsScript("coolify-backup"));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const keys = [...s3.objects.keys()].sort();
    expect(keys.filter((k) => k.includes(old(31)) || k.includes(old(91)))).toEqual([]);
    expect(keys.filter((k) => k.includes(old(29)) || k.includes(old(85)))).toEqual([
      `${PREFIX}/daily/${old(29)}.tar.gz.enc`,
      `${PREFIX}/weekly/${old(85)}.tar.gz.enc`,
    ]);
    const fresh = keys.filter((k) => s3.objects.get(k)?.toString() !== "an older backup");
    expect(fresh.map((k) => k.replace(/\d{8}T\d{6}Z/, "<time>"))).toEqual([`${PREFIX}/daily/<time>.tar.gz.enc`, `${PREFIX}/weekly/<time>.tar.gz.enc`]);
    const archive = s3.objects.get(fresh[0]) ?? Buffer.alloc(0);
    // The sealed format's header, bound to the environment and the time the name carries, and none of the secrets readable.
    const created = fresh[0].match(STAMP)?.[0];
    expect(archive.subarray(0, archive.indexOf("\n")).toString()).toMatch(
      new RegExp(
        `^coolify-backup/2 environment=production created=${created} kdf=pbkdf2-sha256:600000 cipher=aes-256-ctr enc-salt=[0-9a-f]{16} mac-salt=[0-9a-f]{16}$`,
      ),
    );
    expect(readFileSync(join(oldData, "backup-seen"), "utf8")).toBe(`${created}\n`);
    for (const secret of [OLD_APP_KEY, readFileSync(join(oldData, "ssh", "keys", "id.root@host.docker.internal"), "utf8").split("\n")[1]]) {
      expect(archive.includes(Buffer.from(secret))).toBe(false);
    }
    expect(readFileSync(join(work, "old-metrics", "coolify-backup.prom"), "utf8")).toMatch(/^coolify_self_backup_last_success_timestamp_seconds \d{10}$/m);
    expect(result.stdout).not.toContain(s3.accessKey);
  }, 60_000);

  it("refuses a passphrase shorter than 20 characters before anything else, in the restore and in the backup", async () => {
    const before = untouched();
    const restoring = await overSsh(newHost, join(work, "new-sshd"), `export BACKUP_PASSPHRASE=only-19-characters!\n${RESTORE_SCRIPT}`);
    expect([restoring.status, restoring.stderr]).toEqual([2, "restore: BACKUP_PASSPHRASE must have at least 20 characters, it has 19\n"]);
    expect(untouched()).toEqual(before);
    const backingUp = await overSsh(oldHost, join(work, "old-sshd"), `export BACKUP_PASSPHRASE=short\n${operationsScript("coolify-backup")}`);
    expect([backingUp.status, backingUp.stderr]).toEqual([2, "backup: BACKUP_PASSPHRASE must have at least 20 characters, it has 5\n"]);
  });

  it("refuses a backup it cannot authenticate with the passphrase, and changes nothing", async () => {
    const before = untouched();
    const wrong = await overSsh(newHost, join(work, "new-sshd"), `export BACKUP_PASSPHRASE=${randomBytes(24).toString("hex")}\n${RESTORE_SCRIPT}`);
    expect(wrong.stderr).toMatch(
      /restore: backup coolify\/production\/(daily|weekly)\/\d{8}T\d{6}Z\.tar\.gz\.enc cannot be authenticated \(wrong BACKUP_PASSPHRASE, or the file was altered\); nothing was changed/,
    );
    expect(wrong.status).toBe(1);
    expect(untouched()).toEqual(before);
  });

  /** The newest backup the backup run wrote, by key. */
  const newest = (): [string, Buffer] => {
    const key =
      [...s3.objects.keys()]
        .filter((k) => k.includes("/daily/"))
        .sort()
        .at(-1) ?? "";
    return [key, s3.objects.get(key) ?? Buffer.alloc(0)];
  };

  it.each([
    ["its header", 40],
    ["its ciphertext", 400],
    ["its tag", -1],
  ])("refuses a backup with one byte of %s altered, and changes nothing", async (_, at) => {
    const [key, original] = newest();
    const altered = Buffer.from(original);
    const index = at < 0 ? altered.length + at : at;
    altered[index] ^= 0x01;
    // The daily and the weekly copy of the newest backup: the restore takes either.
    const copies = [...s3.objects.keys()].filter((k) => k.endsWith(key.slice(key.lastIndexOf("/"))));
    expect(copies).toHaveLength(2);
    for (const copy of copies) s3.objects.set(copy, altered);
    const before = untouched();
    const result = await restore();
    for (const copy of copies) s3.objects.set(copy, original);
    expect(result.stderr).toMatch(
      /restore: backup \S+ (cannot be authenticated \(wrong BACKUP_PASSPHRASE, or the file was altered\)|is not a coolify-backup\/2 backup)/,
    );
    expect(result.status).toBe(1);
    expect(untouched()).toEqual(before);
  });

  it("refuses an older backup put under a newer name, and one of another environment, and changes nothing", async () => {
    const [key, original] = newest();
    const renamed = `${PREFIX}/daily/29990101T000000Z.tar.gz.enc`;
    s3.objects.set(renamed, original);
    const before = untouched();
    const replayed = await restore();
    s3.objects.delete(renamed);
    expect(replayed.stderr).toContain(
      `restore: backup ${renamed} was sealed at ${key.match(STAMP)?.[0]}, not at the time its name says (a renamed backup); nothing was changed`,
    );
    const staging = `${PREFIX}/daily/29991231T000000Z.tar.gz.enc`;
    const content = join(work, "staging-content");
    mkdirSync(content, { recursive: true });
    s3.objects.set(staging, seal(content, join(work, "staging.enc"), "staging", "29991231T000000Z"));
    const foreign = await restore();
    s3.objects.delete(staging);
    expect(foreign.stderr).toContain(`restore: backup ${staging} belongs to environment staging, not production; nothing was changed`);
    expect([replayed.status, foreign.status]).toEqual([1, 1]);
    expect(untouched()).toEqual(before);
  });

  it("refuses a backup that lacks the database dump and the SSH keys, naming both, and changes nothing", async () => {
    const partial = join(work, "partial");
    mkdirSync(join(partial, "proxy"), { recursive: true });
    writeFileSync(join(partial, "manifest"), `coolify_image=${IMAGE}\n`);
    writeFileSync(join(partial, "source.env"), `APP_KEY=${OLD_APP_KEY}\n`);
    execFileSync("tar", ["-C", join(oldData, "proxy"), "-cf", join(partial, "proxy", "proxy.tar"), "."]);
    const key = `${PREFIX}/daily/29991231T000000Z.tar.gz.enc`;
    s3.objects.set(key, seal(partial, join(work, "partial.enc"), "production", "29991231T000000Z"));
    const before = untouched();
    const result = await restore();
    s3.objects.delete(key);
    expect(result.stderr).toContain(`restore: backup ${key} is missing: database dump (database.dump), SSH keys (ssh-keys/); nothing was changed`);
    expect(result.status).toBe(1);
    expect(untouched()).toEqual(before);
  });

  it("restores the newest backup onto a freshly installed host: the old token and settings work, keys and proxy files are back", async () => {
    expect(newCoolify.status("/api/v1/version", PLAIN_TOKEN)).toBe(401);
    const result = await restore();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/restore: Coolify restored from coolify\/production\/(daily|weekly)\/\d{8}T\d{6}Z\.tar\.gz\.enc/);
    // The token Terraform holds authenticates again, and the restored settings (API enabled) answer.
    expect(newCoolify.status("/api/v1/version", PLAIN_TOKEN)).toBe(200);
    expect(newCoolify.settings()).toBe("https://coolify.example.com|t|f");
    const restored = tree(newData);
    const original = tree(oldData);
    for (const file of [
      "ssh/keys/id.root@host.docker.internal",
      "ssh/keys/id.root@host.docker.internal.pub",
      "proxy/dynamic/coolify.yaml",
      "proxy/acme.json",
    ]) {
      expect([file, restored[file]]).toEqual([file, original[file]]);
    }
    const env = readFileSync(join(newData, "source", ".env"), "utf8");
    expect(env).toContain(`APP_KEY=${NEW_APP_KEY}\n`);
    expect(env).toContain(`APP_PREVIOUS_KEYS=${OLD_APP_KEY}\n`);
    expect(readFileSync(join(work, "new-docker.log"), "utf8")).toContain("up -d --force-recreate");
  }, 60_000);

  it("then refuses a backup older than the one it restored, even when asked for by name, and changes nothing", async () => {
    const restored = readFileSync(join(newData, "backup-seen"), "utf8").trim();
    expect(restored).toBe(newest()[0].match(STAMP)?.[0]);
    const older = `${PREFIX}/daily/20200101T000000Z.tar.gz.enc`;
    const content = join(work, "older-content");
    mkdirSync(content, { recursive: true });
    s3.objects.set(older, seal(content, join(work, "older.enc"), "production", "20200101T000000Z"));
    const before = untouched();
    const result = await overSsh(newHost, join(work, "new-sshd"), `export BACKUP_KEY=${older}\n${RESTORE_SCRIPT}`);
    s3.objects.delete(older);
    expect(result.stderr).toContain(
      `restore: backup ${older} was sealed at 20200101T000000Z, before ${restored}, the newest backup this host has seen (a replayed backup?); nothing was changed`,
    );
    expect(result.status).toBe(1);
    expect(untouched()).toEqual(before);
  });

  it("keeps its copy of the data directory's previous .env beside it", () => {
    cpSync(join(newData, "source", ".env.before-restore"), join(work, "kept.env"));
    expect(readFileSync(join(work, "kept.env"), "utf8")).toContain(`APP_KEY=${NEW_APP_KEY}\n`);
    expect(readFileSync(join(work, "kept.env"), "utf8")).not.toContain("APP_PREVIOUS_KEYS");
  });
});
