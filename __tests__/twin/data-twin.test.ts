/**
 * The fake Coolify API's data side answers as coollabsio/coolify v4.3.9's controllers do
 * (DatabasesController, S3StoragesController, NotificationsController): called here behind the
 * routing and the contract's checks, which fake-coolify-api.ts makes and its own tests prove.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTwin, type TwinAnswer, twinAnswer } from "../fixtures/twin/coolify-twin";

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
