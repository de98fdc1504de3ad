/**
 * The fake Coolify API's data side answers as coollabsio/coolify v4.3.9's controllers do
 * (DatabasesController, S3StoragesController, NotificationsController): called here behind the
 * routing and the contract's checks, which fake-coolify-api.ts makes and its own tests prove.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPair } from "../../tools/new-environment";
import { changeTwin, readTwin, type TwinAnswer, twinAnswer } from "../fixtures/twin/coolify-twin";

describe("the twin's databases, backups, S3 storages and Discord settings", () => {
  const state = mkdtempSync(join(tmpdir(), "data-twin-"));
  const call = (action: string, body: Record<string, unknown> = {}, params: Record<string, string> = {}, sensitive = true): TwinAnswer => {
    const answer = twinAnswer(state, { action, params, query: new URLSearchParams(), body, canReadSensitive: sensitive });
    if (!answer) throw new Error(`no behaviour for ${action}`);
    return answer;
  };
  const uuidOf = (answer: TwinAnswer): string => (answer.body as { uuid: string }).uuid;
  let project: string;
  let server: string;
  let orders: string;
  let storage: string;

  beforeAll(() => {
    project = uuidOf(call("ProjectController::create_project", { name: "shop" }));
    server = readTwin(state).servers[0].uuid;
    storage = uuidOf(
      call("S3StoragesController::store", {
        name: "dumps",
        endpoint: "https://hel1.your-objectstorage.com",
        bucket: "shop-dumps",
        region: "hel1",
        key: "AKIA",
        secret: "s3-secret",
      }),
    );
    const place = { project_uuid: project, server_uuid: server, environment_name: "production" };
    orders = uuidOf(call("DatabasesController::create_database_postgresql", { ...place, name: "orders", instant_deploy: true }));
  });

  it("creates a database as create_standalone_<kind> does, started by instant_deploy, its password and URL shown only to a sensitive token", () => {
    const shown = call("DatabasesController::database_by_uuid", {}, { uuid: orders }).body as Record<string, unknown>;
    expect(shown).toMatchObject({
      uuid: orders,
      name: "orders",
      image: "postgres:16-alpine",
      postgres_user: "postgres",
      postgres_db: "postgres",
      status: "running:healthy",
    });
    expect(shown.postgres_password).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(shown.internal_db_url).toBe(`postgres://postgres:${shown.postgres_password}@${orders}:5432/postgres`);
    const hidden = call("DatabasesController::database_by_uuid", {}, { uuid: orders }, false).body as Record<string, unknown>;
    expect(["postgres_password", "internal_db_url", "id"].filter((field) => field in hidden)).toEqual([]);
  });

  it("refuses another kind's field (422), a taken public port (400) and a project it does not know (404)", () => {
    const place = { project_uuid: project, server_uuid: server, environment_name: "production" };
    expect(call("DatabasesController::create_database_postgresql", { ...place, mysql_user: "x" })).toEqual({
      status: 422,
      body: { message: "Validation failed.", errors: { mysql_user: ["This field is not allowed."] } },
    });
    expect(call("DatabasesController::update_by_uuid", { is_public: true, public_port: 15432 }, { uuid: orders }).status).toBe(200);
    expect(call("DatabasesController::create_database_mysql", { ...place, is_public: true, public_port: 15432 })).toEqual({
      status: 400,
      body: { message: "Public port already used by another database." },
    });
    expect(call("DatabasesController::create_database_redis", { ...place, project_uuid: "nope" }).status).toBe(404);
  });

  it("changes only what is configured on a PATCH: the database keeps running what it started with", () => {
    expect(call("DatabasesController::update_by_uuid", { image: "postgres:17-alpine" }, { uuid: orders })).toEqual({
      status: 200,
      body: { message: "Database updated." },
    });
    const db = readTwin(state).data?.databases.find((candidate) => candidate.uuid === orders);
    expect([db?.fields.image, db?.running]).toEqual(["postgres:17-alpine", { image: "postgres:16-alpine" }]);
  });

  it("takes a backup to a known S3 storage, refusing a kind Coolify cannot back up, a missing or unknown storage and a bad frequency (422)", () => {
    const cache = uuidOf(call("DatabasesController::create_database_redis", { project_uuid: project, server_uuid: server, environment_name: "production" }));
    const backup = { frequency: "daily", save_s3: true, s3_storage_uuid: storage, database_backup_retention_amount_s3: 7 };
    expect(call("DatabasesController::create_backup", backup, { uuid: cache })).toEqual({
      status: 422,
      body: { message: "Scheduled backups are not supported for this database type." },
    });
    expect(call("DatabasesController::create_backup", { ...backup, s3_storage_uuid: undefined }, { uuid: orders }).status).toBe(422);
    expect(call("DatabasesController::create_backup", { ...backup, s3_storage_uuid: "unknown" }, { uuid: orders }).status).toBe(422);
    expect(call("DatabasesController::create_backup", { ...backup, frequency: "now and then" }, { uuid: orders }).status).toBe(422);
    expect(call("DatabasesController::create_backup", backup, { uuid: orders }).status).toBe(201);
    const [listed] = call("DatabasesController::database_backup_details_uuid", {}, { uuid: orders }).body as Record<string, unknown>[];
    const storageId = readTwin(state).data?.s3Storages[0].id;
    expect(listed).toMatchObject({
      id: 1,
      frequency: "daily",
      enabled: true,
      save_s3: true,
      s3_storage_id: storageId,
      databases_to_backup: "postgres",
      executions: [],
    });
    expect("s3_storage_uuid" in listed).toBe(false);
  });

  it("lists a database on its server and in its environment, which then cannot be deleted (400)", () => {
    expect(call("ServersController::resources_by_server", {}, { uuid: server }).body).toContainEqual(
      expect.objectContaining({ uuid: orders, name: "orders", type: "standalone-postgresql" }),
    );
    const environment = call("ProjectController::environment_details", {}, { uuid: project, environment_name_or_uuid: "production" }).body as {
      postgresqls: unknown[];
    };
    expect(environment.postgresqls).toEqual([{ uuid: orders, name: "orders" }]);
    expect(call("ProjectController::delete_environment", {}, { uuid: project, environment_name_or_uuid: "production" }).status).toBe(400);
  });

  it("keeps an S3 storage's key and secret from a token that may not read sensitive data, and refuses a private endpoint or a bad bucket (422)", () => {
    expect(call("S3StoragesController::index", {}, {}, false).body).toEqual([
      expect.not.objectContaining({ key: expect.anything(), secret: expect.anything(), id: expect.anything() }),
    ]);
    const body = { name: "x", endpoint: "http://10.0.0.5:9000", bucket: "shop-dumps", region: "r", key: "k", secret: "s" };
    expect(call("S3StoragesController::store", body).status).toBe(422);
    expect(call("S3StoragesController::store", { ...body, endpoint: "https://s3.example.com", bucket: "Shop_Dumps" }).status).toBe(422);
    expect(call("S3StoragesController::validateStorage", {}, { uuid: storage }).body).toEqual({ valid: true, message: "S3 storage connection is valid." });
  });

  it("answers the check of a bucket it cannot list with 200 and valid: false, and marks the storage unusable (no error a provider would fail on)", () => {
    changeTwin(state, (twin) => {
      twin.s3Unreachable = ["https://hel1.your-objectstorage.com/shop-dumps"];
    });
    expect(call("S3StoragesController::validateStorage", {}, { uuid: storage })).toEqual({
      status: 200,
      body: {
        valid: false,
        message:
          "Could not connect to the S3 endpoint within 15 seconds. Please verify the endpoint, bucket, credentials, region, and network/firewall settings.",
      },
    });
    expect(call("S3StoragesController::show", {}, { uuid: storage }).body).toMatchObject({ is_usable: false });
    changeTwin(state, (twin) => {
      twin.s3Unreachable = [];
    });
    expect(call("S3StoragesController::validateStorage", {}, { uuid: storage }).body).toMatchObject({ valid: true });
    expect(call("S3StoragesController::show", {}, { uuid: storage }).body).toMatchObject({ is_usable: true });
  });

  it("starts the Discord settings at the migrations' defaults, hides the webhook URL from a token that may not read it, and refuses one that is not a public URL", () => {
    expect(call("NotificationsController::discord", {}, {}, false).body).toMatchObject({
      discord_enabled: false,
      deployment_failure_discord_notifications: true,
      status_change_discord_notifications: false,
    });
    expect(call("NotificationsController::update_discord", { discord_enabled: true, discord_webhook_url: "2b1c0f" }).status).toBe(422);
    expect(call("NotificationsController::update_discord", { discord_enabled: true, discord_webhook_url: "https://discord.com/api/webhooks/1/x" }).status).toBe(
      200,
    );
    expect("discord_webhook_url" in (call("NotificationsController::discord", {}, {}, false).body as object)).toBe(false);
    expect(call("NotificationsController::discord").body).toMatchObject({ discord_enabled: true, discord_webhook_url: "https://discord.com/api/webhooks/1/x" });
  });
});

describe("the twin's servers, their Sentinel settings and the team's SSH keys", () => {
  const state = mkdtempSync(join(tmpdir(), "server-twin-"));
  const call = (action: string, body: Record<string, unknown> = {}, params: Record<string, string> = {}, query = ""): TwinAnswer => {
    const answer = twinAnswer(state, { action, params, query: new URLSearchParams(query), body, canReadSensitive: true });
    if (!answer) throw new Error(`no behaviour for ${action}`);
    return answer;
  };
  const uuidOf = (answer: TwinAnswer): string => (answer.body as { uuid: string }).uuid;
  const [[workers, workersPublic], [next]] = [keyPair("coolify-workers@live"), keyPair("coolify-workers-next@live")];
  let key: string;
  let worker: string;

  beforeAll(() => {
    key = uuidOf(call("SecurityController::create_key", { name: "live-workers", description: "workers", private_key: workers }));
    worker = uuidOf(call("ServersController::create_server", { name: "live-worker-1", ip: "10.0.0.3", port: 22, user: "root", private_key_uuid: key }));
  });

  it("keeps a key with the public half and fingerprint Coolify derives, and refuses one it cannot load or already has (422)", () => {
    const [type, data] = workersPublic.split(" ");
    expect(call("SecurityController::key_by_uuid", {}, { uuid: key }).body).toMatchObject({
      name: "live-workers",
      private_key: `${workers.trim()}\n`,
      public_key: `${type} ${data}`,
      is_git_related: false,
    });
    expect(call("SecurityController::create_key", { name: "again", private_key: workers })).toEqual({
      status: 422,
      body: { message: "Private key already exists." },
    });
    expect(call("SecurityController::create_key", { name: "garbage", private_key: "2b1c0f9e" })).toEqual({
      status: 422,
      body: { message: "Invalid private key." },
    });
  });

  it("registers a server with Coolify's defaults and refuses a bad address, user or port (422), a key it does not have (404) and an address it has (400)", () => {
    expect(call("ServersController::server_by_uuid", {}, { uuid: worker }).body).toMatchObject({
      name: "live-worker-1",
      ip: "10.0.0.3",
      port: 22,
      user: "root",
      is_coolify_host: false,
      settings: { is_reachable: false, is_usable: false, is_sentinel_enabled: true, concurrent_builds: 2, connection_timeout: 10 },
    });
    const place = { name: "x", port: 22, private_key_uuid: key };
    expect(call("ServersController::create_server", { ...place, ip: "10.0.0.4;reboot", user: "root; id", port: 70000 })).toEqual({
      status: 422,
      body: {
        message: "Validation failed.",
        errors: {
          ip: ["The ip must be a valid IPv4 address, IPv6 address, or hostname."],
          port: ["The port field must be between 1 and 65535."],
          user: ["The User may only contain letters, numbers, dots, hyphens, and underscores."],
        },
      },
    });
    expect(call("ServersController::create_server", { ...place, ip: "10.0.0.4", private_key_uuid: "nope" })).toEqual({
      status: 404,
      body: { message: "Private Key not found." },
    });
    expect(call("ServersController::create_server", { ...place, ip: "10.0.0.3" }).status).toBe(400);
  });

  it("changes a key in place, refusing one it cannot load (422), and will not delete a key a server uses (422)", () => {
    expect(
      call("SecurityController::update_key", { private_key: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----" }, { uuid: key }),
    ).toEqual({
      status: 422,
      body: { message: "The private key is invalid.", errors: { private_key: ["The private key is invalid."] } },
    });
    const before = (call("SecurityController::key_by_uuid", {}, { uuid: key }).body as { fingerprint: string }).fingerprint;
    expect(call("SecurityController::update_key", { private_key: next }, { uuid: key }).status).toBe(201);
    const after = call("SecurityController::key_by_uuid", {}, { uuid: key }).body as { fingerprint: string; private_key: string };
    expect([after.private_key, after.fingerprint === before]).toEqual([`${next.trim()}\n`, false]);
    expect(call("SecurityController::delete_key", {}, { uuid: key })).toMatchObject({
      status: 422,
      body: { message: "Private Key is in use and cannot be deleted." },
    });
  });

  it("sets a server's Sentinel URL, refusing one that is not a URL (422); switching Sentinel off switches metrics off", () => {
    expect(call("ServerSentinelController::update", { sentinel_custom_url: "10.0.0.2:8000" }, { uuid: worker }).status).toBe(422);
    expect(
      call("ServerSentinelController::update", { sentinel_custom_url: "http://10.0.0.2:8000", is_metrics_enabled: true }, { uuid: worker }).body,
    ).toMatchObject({
      is_sentinel_enabled: true,
      is_metrics_enabled: true,
      sentinel_custom_url: "http://10.0.0.2:8000",
    });
    expect(call("ServerSentinelController::update", { is_sentinel_enabled: false }, { uuid: worker }).body).toMatchObject({
      is_sentinel_enabled: false,
      is_metrics_enabled: false,
    });
  });

  it("deletes a server with resources only when forced, and them with it; never Coolify's own server (400)", () => {
    const project = uuidOf(call("ProjectController::create_project", { name: "shop" }));
    const place = { project_uuid: project, server_uuid: worker, environment_name: "production" };
    const db = uuidOf(call("DatabasesController::create_database_redis", place));
    expect(call("ServersController::delete_server", {}, { uuid: worker }).status).toBe(400);
    expect(call("ServersController::delete_server", {}, { uuid: worker }, "force=true")).toEqual({ status: 200, body: { message: "Server deleted." } });
    expect(call("DatabasesController::database_by_uuid", {}, { uuid: db }).status).toBe(404);
    expect(call("SecurityController::delete_key", {}, { uuid: key }).status).toBe(200);
    const localhost = readTwin(state).servers[0].uuid;
    expect(call("ServersController::delete_server", {}, { uuid: localhost }, "force=true")).toEqual({
      status: 400,
      body: { message: "Local server cannot be deleted." },
    });
  });
});
