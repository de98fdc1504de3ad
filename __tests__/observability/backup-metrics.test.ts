import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { operationsScript } from "../../constructs/observability/compose";
import { TOOLS as POSTGRES_TOOLS, TestPostgres } from "../bootstrap/harness";
import { describeWithTools, findTool } from "../support/tools";

const FIXTURES = join(__dirname, "..", "fixtures", "operations");
const TOOLS = { ...POSTGRES_TOOLS, promtool: findTool("promtool") };

describeWithTools(
  "backup freshness for Prometheus (constructs/observability/scripts/backup-metrics.sh on Coolify's tables in a real PostgreSQL)",
  TOOLS,
  () => {
    let postgres: TestPostgres;
    let dir: string;

    beforeAll(() => {
      postgres = new TestPostgres();
      postgres.resetDatabase();
      postgres.query(readFileSync(join(FIXTURES, "backup-tables.sql"), "utf8"));
      // shop-db: an older success, a newer success, then a failure (which must not count);
      // events (MongoDB): one success; legacy (MySQL): only failures; a PostgreSQL and a MySQL share id 1.
      postgres.query(`
      INSERT INTO standalone_postgresqls (id, name) VALUES (1, 'shop-db');
      INSERT INTO standalone_mysqls (id, name) VALUES (1, 'legacy');
      INSERT INTO standalone_mongodbs (id, name) VALUES (7, 'events');
      INSERT INTO scheduled_database_backups (id, uuid, frequency, database_type, database_id, team_id) VALUES
        (1, 'b1', '0 2 * * *', 'App\\Models\\StandalonePostgresql', 1, 0),
        (2, 'b2', '@daily', 'App\\Models\\StandaloneMongodb', 7, 0),
        (3, 'b3', '30 2 * * 0', 'App\\Models\\StandaloneMysql', 1, 0);
      INSERT INTO scheduled_database_backup_executions (uuid, status, scheduled_database_backup_id, created_at, updated_at) VALUES
        ('e1', 'success', 1, '2026-11-20 02:00:00', '2026-11-20 02:01:40'),
        ('e2', 'success', 1, '2026-11-21 02:00:00', '2026-11-21 02:02:00'),
        ('e3', 'failed', 1, '2026-11-22 02:00:00', '2026-11-22 02:00:30'),
        ('e4', 'success', 2, '2026-11-21 00:00:00', '2026-11-21 00:05:00'),
        ('e5', 'failed', 3, '2026-11-22 02:30:00', '2026-11-22 02:31:00');
    `);
      dir = mkdtempSync(join(tmpdir(), "backup-metrics-"));
    });
    afterAll(() => {
      postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("publishes the end of each database's last successful backup, which promtool accepts as metrics", () => {
      const run = spawnSync("bash", ["-s"], {
        input: operationsScript("backup-metrics"),
        encoding: "utf8",
        env: {
          PATH: `${join(FIXTURES, "bin")}:${process.env.PATH}`,
          PGHOST: postgres.socketDir,
          FAKE_DOCKER_LOG: join(dir, "docker.log"),
          METRICS_DIR: join(dir, "metrics"),
        },
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const metrics = readFileSync(join(dir, "metrics", "coolify-database-backups.prom"), "utf8");
      const seconds = (utc: string) => Date.parse(`${utc}Z`) / 1000;
      expect(metrics.split("\n").filter((line) => !line.startsWith("#") && line)).toEqual([
        `coolify_database_backup_last_success_timestamp_seconds{database="events"} ${seconds("2026-11-21T00:05:00")}`,
        `coolify_database_backup_last_success_timestamp_seconds{database="shop-db"} ${seconds("2026-11-21T02:02:00")}`,
      ]);
      const check = spawnSync(TOOLS.promtool ?? "promtool", ["check", "metrics"], { input: metrics, encoding: "utf8" });
      expect(`${check.stdout}${check.stderr}`).toBe("");
      expect(check.status).toBe(0);
    });
  },
);
