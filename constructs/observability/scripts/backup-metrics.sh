#!/usr/bin/env bash
# Publishes, for node exporter's textfile collector, when each database's last successful Coolify
# backup finished: coolify_database_backup_last_success_timestamp_seconds{database="<name>"}.
# Runs on the Coolify host (the operations agent's scheduled task) and reads Coolify's own tables
# (coollabsio/coolify v4.3.9, database/migrations: scheduled_database_backups with the polymorphic
# `database` relation, scheduled_database_backup_executions with `status` and `updated_at`).
set -euo pipefail
: "${METRICS_DIR:?METRICS_DIR is not set}"

# The database kinds Coolify backs up and their models' tables (catalog/coolify.ts BACKUP_CAPABLE_KINDS).
sql="SELECT d.name, floor(EXTRACT(EPOCH FROM max(e.updated_at)))::bigint
FROM scheduled_database_backup_executions e
JOIN scheduled_database_backups b ON b.id = e.scheduled_database_backup_id
JOIN (
  SELECT id, name, 'App\\Models\\StandalonePostgresql' AS type FROM standalone_postgresqls
  UNION ALL SELECT id, name, 'App\\Models\\StandaloneMysql' FROM standalone_mysqls
  UNION ALL SELECT id, name, 'App\\Models\\StandaloneMariadb' FROM standalone_mariadbs
  UNION ALL SELECT id, name, 'App\\Models\\StandaloneMongodb' FROM standalone_mongodbs
) d ON d.id = b.database_id AND d.type = b.database_type
WHERE e.status = 'success'
GROUP BY d.name ORDER BY d.name;"

rows=$(docker exec -i coolify-db psql -U coolify -d coolify -v ON_ERROR_STOP=1 -qAt -F ' ' <<<"$sql")
mkdir -p "$METRICS_DIR"
out=$METRICS_DIR/coolify-database-backups.prom
{
  echo "# HELP coolify_database_backup_last_success_timestamp_seconds End of the last successful Coolify backup of a database."
  echo "# TYPE coolify_database_backup_last_success_timestamp_seconds gauge"
  while read -r name finished; do
    if [[ -n $name ]]; then printf 'coolify_database_backup_last_success_timestamp_seconds{database="%s"} %s\n' "$name" "$finished"; fi
  done <<<"$rows"
} >"$out.tmp"
chmod 644 "$out.tmp"
mv "$out.tmp" "$out"
