#!/usr/bin/env bash
# Backs up what a Coolify host cannot be rebuilt without: its database (pg_dump of coolify-db),
# source/.env (APP_KEY), the SSH keys Coolify reaches servers with, and the proxy configuration.
# One archive, sealed with a passphrase read from the environment (lib/backup-format.sh: encrypted
# and authenticated together with its environment and creation time), uploaded to <prefix>/daily/
# (and <prefix>/weekly/ on the weekly day); daily copies are kept 30 days, weekly ones 90. The
# creation time is also kept in $COOLIFY_DATA/backup-seen, below which coolify-restore.sh refuses a
# backup. Runs on the Coolify host as root, with lib/s3.sh and lib/backup-format.sh prepended (the
# operations agent's scheduled task does this; docs/runbook/restore-coolify.md shows the manual run).
# Paths as Coolify's installer lays them out (coollabsio/coolify v4.3.9, scripts/install.sh:
# /data/coolify/{source/.env,ssh/keys,proxy}); its PostgreSQL is the `coolify-db` container with
# database and user `coolify` (docker-compose.yml container_name, .env.production DB_USERNAME).
set -euo pipefail

: "${BACKUP_PASSPHRASE:?BACKUP_PASSPHRASE is not set}" "${BACKUP_PREFIX:?BACKUP_PREFIX is not set}" "${ENVIRONMENT:?ENVIRONMENT is not set}"
: "${BACKUP_S3_ENDPOINT:?}" "${BACKUP_S3_REGION:?}" "${BACKUP_S3_BUCKET:?}" "${BACKUP_S3_ACCESS_KEY:?}" "${BACKUP_S3_SECRET_KEY:?}"
backup_check_passphrase backup
COOLIFY_DATA=${COOLIFY_DATA:-/data/coolify}
DAILY_DAYS=30
WEEKLY_DAYS=90
WEEKLY_DAY=${BACKUP_WEEKLY_DAY:-7} # ISO day of week (date +%u): Sunday

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/content"

docker exec coolify-db pg_dump -U coolify -d coolify --format=custom >"$work/content/database.dump"
cp "$COOLIFY_DATA/source/.env" "$work/content/source.env"
cp -a "$COOLIFY_DATA/ssh/keys" "$work/content/ssh-keys"
mkdir "$work/content/proxy"
tar -C "$COOLIFY_DATA/proxy" --exclude='./*.log' -cf "$work/content/proxy/proxy.tar" .
now=$(date -u +%s)
stamp=$(date -u -d "@$now" +%Y%m%dT%H%M%SZ)
{
  echo "created=$stamp"
  echo "environment=$ENVIRONMENT"
  echo "coolify_image=$(docker inspect --format '{{.Config.Image}}' coolify)"
} >"$work/content/manifest"

tar -C "$work/content" -czf "$work/backup.tar.gz" .
backup_seal "$work/backup.tar.gz" "$work/backup.tar.gz.enc" "$ENVIRONMENT" "$stamp"

s3_put "$work/backup.tar.gz.enc" "$BACKUP_PREFIX/daily/$stamp.tar.gz.enc"
if [[ $(date -u -d "@$now" +%u) == "$WEEKLY_DAY" ]]; then s3_put "$work/backup.tar.gz.enc" "$BACKUP_PREFIX/weekly/$stamp.tar.gz.enc"; fi

# Retention: names carry the UTC time, so anything sorting below the cutoff's name is older.
prune() { # <kind> <days>
  local cutoff key
  cutoff=$(date -u -d "@$((now - $2 * 86400))" +%Y%m%dT%H%M%SZ)
  while IFS= read -r key; do
    if [[ -n $key && ${key##*/} < $cutoff ]]; then
      s3_delete "$key"
      echo "removed $key (older than $2 days)"
    fi
  done < <(s3_list "$BACKUP_PREFIX/$1/")
}
prune daily "$DAILY_DAYS"
prune weekly "$WEEKLY_DAYS"

echo "$stamp" >"$COOLIFY_DATA/backup-seen"

if [[ -n ${METRICS_DIR:-} ]]; then
  mkdir -p "$METRICS_DIR"
  printf '# HELP coolify_self_backup_last_success_timestamp_seconds Last successful backup of Coolify itself.\n# TYPE coolify_self_backup_last_success_timestamp_seconds gauge\ncoolify_self_backup_last_success_timestamp_seconds %s\n' "$now" >"$METRICS_DIR/coolify-backup.prom.tmp"
  chmod 644 "$METRICS_DIR/coolify-backup.prom.tmp"
  mv "$METRICS_DIR/coolify-backup.prom.tmp" "$METRICS_DIR/coolify-backup.prom"
fi
echo "backed up Coolify to $BACKUP_PREFIX/daily/$stamp.tar.gz.enc"
