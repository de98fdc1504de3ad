#!/usr/bin/env bash
# Restores a Coolify host from a backup made by coolify-backup.sh: the newest one under
# <prefix>/daily/ and <prefix>/weekly/, or BACKUP_KEY. Runs as root on a host where the pinned
# Coolify version has just been installed (docs/runbook/restore-coolify.md), with lib/s3.sh and
# lib/backup-format.sh prepended. Everything is downloaded, authenticated, decrypted and checked
# before anything is changed: a missing, altered, undecryptable or incomplete backup, one of another
# environment than ENVIRONMENT, one whose name is not its sealed creation time, and one older than
# the newest this host has seen ($COOLIFY_DATA/backup-seen, or BACKUP_NOT_BEFORE) stop the restore
# with what is wrong, and the host stays as it was.
#
# Then, as Coolify's own restore guide describes (coollabsio/coolify-docs, knowledge-base
# "backup-restore-coolify"): the database dump replaces the new database (pg_restore --clean
# --no-owner through `docker exec -i coolify-db`), the old APP_KEY goes into APP_PREVIOUS_KEYS of
# the new .env so that Coolify can read what it encrypted, the SSH keys and the proxy configuration
# are put back, and Coolify's containers are recreated with the new environment.
set -euo pipefail

: "${BACKUP_PASSPHRASE:?BACKUP_PASSPHRASE is not set}" "${BACKUP_PREFIX:?BACKUP_PREFIX is not set}" "${ENVIRONMENT:?ENVIRONMENT is not set}"
: "${BACKUP_S3_ENDPOINT:?}" "${BACKUP_S3_REGION:?}" "${BACKUP_S3_BUCKET:?}" "${BACKUP_S3_ACCESS_KEY:?}" "${BACKUP_S3_SECRET_KEY:?}"
backup_check_passphrase restore
COOLIFY_DATA=${COOLIFY_DATA:-/data/coolify}

fail() {
  echo "restore: $*; nothing was changed" >&2
  exit 1
}

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

key=${BACKUP_KEY:-}
if [[ -z $key ]]; then
  key=$({ s3_list "$BACKUP_PREFIX/daily/"; s3_list "$BACKUP_PREFIX/weekly/"; } | awk -F/ '{ print $NF "\t" $0 }' | sort | tail -n 1 | cut -f2)
  [[ -n $key ]] || fail "no backup under $BACKUP_PREFIX/daily/ or $BACKUP_PREFIX/weekly/ in bucket $BACKUP_S3_BUCKET"
fi
echo "restore: using $key"
s3_get "$key" "$work/backup.enc" 2>"$work/s3.log" || fail "backup $key cannot be downloaded from bucket $BACKUP_S3_BUCKET ($(tr '\n' ' ' <"$work/s3.log"))"
mkdir "$work/content"
sealed=$(backup_open "$work/backup.enc" "$work/backup.tar.gz" 2>"$work/open.log") || fail "backup $key $(head -n 1 "$work/open.log")"
read -r environment created <<<"$sealed"
[[ $environment == "$ENVIRONMENT" ]] || fail "backup $key belongs to environment $environment, not $ENVIRONMENT"
name=${key##*/}
[[ ${name%%.*} == "$created" ]] || fail "backup $key was sealed at $created, not at the time its name says (a renamed backup)"
seen=$(cat "$COOLIFY_DATA/backup-seen" 2>/dev/null || true)
for floor in "$seen" "${BACKUP_NOT_BEFORE:-}"; do
  if [[ -n $floor && ! $floor =~ $BACKUP_STAMP_RE ]]; then fail "\"$floor\" is not a backup time like 20260131T033000Z (BACKUP_NOT_BEFORE or $COOLIFY_DATA/backup-seen)"; fi
  if [[ $created < $floor ]]; then fail "backup $key was sealed at $created, before $floor, the newest backup this host has seen (a replayed backup?)"; fi
done
tar -C "$work/content" -xzf "$work/backup.tar.gz" 2>/dev/null || fail "backup $key is not a readable archive (damaged file)"

content=$work/content
missing=()
[[ -s $content/manifest ]] || missing+=("manifest")
[[ -s $content/database.dump ]] || missing+=("database dump (database.dump)")
grep -qE '^APP_KEY=.+' "$content/source.env" 2>/dev/null || missing+=("APP_KEY (source.env)")
[[ -d $content/ssh-keys ]] && [[ -n $(ls -A "$content/ssh-keys") ]] || missing+=("SSH keys (ssh-keys/)")
[[ -s $content/proxy/proxy.tar ]] || missing+=("proxy configuration (proxy/proxy.tar)")
if ((${#missing[@]} > 0)); then
  printf -v list '%s, ' "${missing[@]}"
  fail "backup $key is missing: ${list%, }"
fi
docker exec -i coolify-db pg_restore --list <"$content/database.dump" >/dev/null 2>&1 || fail "the database dump in backup $key is damaged (pg_restore cannot read it)"
[[ -f $COOLIFY_DATA/source/.env ]] || fail "$COOLIFY_DATA/source/.env does not exist; install the pinned Coolify version first"

backed_up=$(sed -n 's/^coolify_image=//p' "$content/manifest")
running=$(docker inspect --format '{{.Config.Image}}' coolify)
[[ $backed_up == "$running" ]] || echo "restore: warning: the backup was taken on $backed_up, this host runs $running" >&2

# From here on the host changes.
docker exec -i coolify-db pg_restore --clean --if-exists --no-acl --no-owner -U coolify -d coolify <"$content/database.dump"

old_key=$(sed -n 's/^APP_KEY=//p' "$content/source.env" | head -n 1)
env_file=$COOLIFY_DATA/source/.env
cp -p "$env_file" "$env_file.before-restore"
{
  grep -v '^APP_PREVIOUS_KEYS=' "$env_file.before-restore" || true
  echo "APP_PREVIOUS_KEYS=$old_key"
} >"$env_file"

rm -rf "$COOLIFY_DATA/ssh/keys"
mkdir -p "$COOLIFY_DATA/ssh"
cp -a "$content/ssh-keys" "$COOLIFY_DATA/ssh/keys"
mkdir -p "$COOLIFY_DATA/proxy"
tar -C "$COOLIFY_DATA/proxy" -xf "$content/proxy/proxy.tar"

docker compose --project-directory "$COOLIFY_DATA/source" --env-file "$env_file" \
  -f "$COOLIFY_DATA/source/docker-compose.yml" -f "$COOLIFY_DATA/source/docker-compose.prod.yml" up -d --force-recreate
echo "$created" >"$COOLIFY_DATA/backup-seen"
echo "restore: Coolify restored from $key"
