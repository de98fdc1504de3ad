#!/usr/bin/env bash
# Installs (or upgrades) the pinned Coolify on this server and leaves it ready for the Terraform
# provider: root user created, API on and open only to the admins and the deploy runner, instance
# domain set, auto-update off, and two API tokens the operator already knows: a root one for deploys
# and a read-only one for plans.
#
# Usage: coolify-bootstrap.sh <inputs file>
# The inputs file holds KEY=VALUE lines (see read_inputs); it carries the secrets, so they never
# appear in process arguments. Nothing here echoes a secret, and there is no `set -x`. No secret is
# ever a process argument, here or in what this script starts: secrets travel through stdin or the
# environment (`docker exec -e NAME` passes a variable by name).
# Every failure ends with one line `bootstrap: <step>: <cause>` on stderr and a non-zero exit.
set -Eeuo pipefail

# The names of the token rows this script owns; each is updated in place, never duplicated.
readonly TOKEN_NAME="terraform-bootstrap"
readonly READ_TOKEN_NAME="terraform-plan-read"
# Coolify's root user and root team both have id 0; only a root-team token may enable the API.
readonly ROOT_ID=0
readonly APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock)
readonly POLL_SECONDS="${BOOTSTRAP_POLL_SECONDS:-5}"
# Tests point these at temporary files, as they shorten the polls.
readonly FSTAB="${BOOTSTRAP_FSTAB:-/etc/fstab}"
# Where a data volume the bootstrap mounts itself goes: /mnt/HC_Volume_<id>, where Hetzner's automount puts it.
readonly VOLUME_MOUNT_DIR="${BOOTSTRAP_VOLUME_MOUNT_DIR:-/mnt}"
readonly AUTHORIZED_KEYS="${BOOTSTRAP_AUTHORIZED_KEYS:-/root/.ssh/authorized_keys}"
# Answers the installer's requests to Coolify's CDN from the verified release files.
CDN_CURL="$(dirname "${BASH_SOURCE[0]}")/cdn-curl.sh"
readonly CDN_CURL
# Installs the pinned Docker Engine where Docker is missing; the workers run the same file.
DOCKER_INSTALL="$(dirname "${BASH_SOURCE[0]}")/docker-install.sh"
readonly DOCKER_INSTALL

step="inputs"
data_volume=""
volume_mount=""
work_dir=""
inputs_file=""
# "<CDN name> <path in the release tag's tree> <SHA-256>", one per release file.
release_files=()
# The environment's SSH public keys, one OpenSSH line each.
authorized_keys=()

note() { printf 'bootstrap: %s: %s\n' "$step" "$1"; }
fail() {
  printf 'bootstrap: %s: %s\n' "$step" "$1" >&2
  exit 1
}
on_error() { printf 'bootstrap: %s: command failed with exit code %s (line %s)\n' "$step" "$1" "$2" >&2; }
trap 'on_error $? $LINENO' ERR
trap '[[ -z "$work_dir" ]] || rm -rf "$work_dir"' EXIT

read_inputs() {
  local file=$1 line key value
  [[ -r "$file" ]] || fail "cannot read the inputs file ${file}"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    [[ "$line" == *=* ]] || fail "a line without KEY=VALUE in ${file}"
    key=${line%%=*}
    value=${line#*=}
    case "$key" in
      ENVIRONMENT) environment=$value ;;
      COOLIFY_VERSION) version=$value ;;
      COOLIFY_FQDN) fqdn=$value ;;
      COOLIFY_API_URL) api_url=${value%/} ;;
      COOLIFY_DATA_DIR) data_dir=${value%/} ;;
      DOCKER_DATA_DIR) docker_dir=${value%/} ;;
      CONTAINERD_DATA_DIR) containerd_dir=${value%/} ;;
      MONITORING_DATA_DIR) monitoring_dir=${value%/} ;;
      DATA_VOLUME_DEVICE) data_volume=$value ;;
      WAIT_TIMEOUT_SECONDS) wait_timeout=$value ;;
      ROOT_USERNAME) root_username=$value ;;
      ROOT_USER_EMAIL) root_email=$value ;;
      ROOT_USER_PASSWORD) root_password=$value ;;
      COOLIFY_API_TOKEN) api_token=$value ;;
      COOLIFY_READ_TOKEN) read_token=$value ;;
      COOLIFY_API_ALLOWED_IPS) api_allowed_ips=$value ;;
      COOLIFY_RELEASE_BASE_URL) release_base_url=${value%/} ;;
      COOLIFY_RELEASE_FILE) release_files+=("$value") ;;
      DOCKER_VERSION) docker_version=$value ;;
      DOCKER_APT_KEY_FINGERPRINT) docker_key_fingerprint=$value ;;
      AUTHORIZED_KEY) authorized_keys+=("$value") ;;
      *) fail "unknown input ${key}" ;;
    esac
  done <"$file"
  local name
  for name in environment version fqdn api_url data_dir docker_dir containerd_dir monitoring_dir wait_timeout root_username root_email root_password api_token read_token \
    api_allowed_ips release_base_url docker_version docker_key_fingerprint; do
    [[ -n "${!name:-}" ]] || fail "missing input for ${name}"
  done
  local entry
  for entry in "${release_files[@]}"; do
    [[ "$entry" =~ ^[A-Za-z0-9_.-]+\ [A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\ [0-9a-f]{64}$ && ! "$entry" =~ (^|[ /])\.\.?([ /]|$) ]] ||
      fail "COOLIFY_RELEASE_FILE must be '<CDN name> <path> <SHA-256>', not '${entry}'"
  done
  for entry in "${authorized_keys[@]}"; do
    [[ "$entry" =~ ^[a-z0-9@.-]+\ [A-Za-z0-9+/]+=*(\ .*)?$ ]] || fail "AUTHORIZED_KEY must be one OpenSSH public key line"
  done
  [[ " ${release_files[*]} " == *" install.sh scripts/install.sh "* ]] || fail "no COOLIFY_RELEASE_FILE for the installer, install.sh"
  data_dir=${BOOTSTRAP_DATA_DIR:-$data_dir}
  docker_dir=${BOOTSTRAP_DOCKER_DIR:-$docker_dir}
  containerd_dir=${BOOTSTRAP_CONTAINERD_DIR:-$containerd_dir}
  monitoring_dir=${BOOTSTRAP_MONITORING_DIR:-$monitoring_dir}
  [[ "$wait_timeout" =~ ^[0-9]+$ ]] || fail "WAIT_TIMEOUT_SECONDS must be a whole number of seconds"
  # Sanctum reads `<id>|<secret>` as a token id plus secret; a bare token is looked up by its hash.
  [[ "$api_token" =~ ^[A-Za-z0-9_-]+$ ]] || fail "COOLIFY_API_TOKEN may hold only letters, digits, - and _"
  [[ "$read_token" =~ ^[A-Za-z0-9_-]+$ ]] || fail "COOLIFY_READ_TOKEN may hold only letters, digits, - and _"
  [[ "$read_token" != "$api_token" ]] || fail "COOLIFY_READ_TOKEN must differ from COOLIFY_API_TOKEN"
  # Coolify casts a CIDR's prefix with PHP's (int), so `10.0.0.0/` or `/x` would mean /0: everyone.
  local entries prefix longest
  IFS=, read -ra entries <<<"$api_allowed_ips"
  ((${#entries[@]} > 0)) || fail "COOLIFY_API_ALLOWED_IPS is empty"
  for entry in "${entries[@]}"; do
    [[ "$entry" =~ ^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(/([0-9]{1,3}))?$ ]] ||
      fail "COOLIFY_API_ALLOWED_IPS must be a comma-separated list of addresses and CIDRs, not '${entry}'"
    prefix=${BASH_REMATCH[4]}
    longest=32
    [[ "${BASH_REMATCH[1]}" != *:* ]] || longest=128
    [[ -z "$prefix" ]] || ((10#$prefix <= longest)) ||
      fail "COOLIFY_API_ALLOWED_IPS: the prefix of '${entry}' is longer than ${longest} bits"
  done
}

# Runs "$@" until it succeeds or the wait timeout passes; returns 1 on timeout.
wait_until() {
  local deadline=$((SECONDS + wait_timeout))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep "$POLL_SECONDS"
  done
}

wait_for_cloud_init() {
  step="cloud-init"
  if ! command -v cloud-init >/dev/null 2>&1; then
    note "not installed, nothing to wait for"
    return
  fi
  local rc=0
  timeout "$wait_timeout" cloud-init status --wait >/dev/null || rc=$?
  ((rc != 124)) || fail "still running after ${wait_timeout}s"
  # 2 means cloud-init finished with recoverable errors; the server is still usable.
  ((rc == 0 || rc == 2)) || fail "finished with errors (cloud-init status exit code ${rc})"
  note "finished"
}

apt_idle() { ! fuser "${APT_LOCKS[@]}" >/dev/null 2>&1; }

wait_for_apt() {
  step="apt locks"
  if ! command -v fuser >/dev/null 2>&1; then
    note "fuser not installed, not waiting"
    return
  fi
  wait_until apt_idle || fail "apt/dpkg still busy after ${wait_timeout}s"
  note "free"
}

# The directory a volume's device mounts at: /dev/disk/by-id/scsi-0HC_Volume_<id> at HC_Volume_<id>.
volume_mount_point() {
  local name=${1##*/}
  printf '%s/%s\n' "$VOLUME_MOUNT_DIR" "${name#scsi-0}"
}

# Leaves the given fstab lines in the file once each and in this order (the volume before the bind
# mounts from it, the order in which boot mounts them), dropping any older line for the same device
# or bind target; a file that already ends with them is not rewritten.
keep_in_fstab() {
  local wanted kept desired
  wanted=$(printf '%s\n' "$@")
  kept=$(awk -v device="$data_volume" -v wanted="$wanted" '
    BEGIN { n = split(wanted, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, " "); own[f[2]] = 1 } }
    !($1 == device || ($2 in own))' "$FSTAB" 2>/dev/null) || kept=""
  desired="${kept:+${kept}$'\n'}${wanted}"
  [[ "$(cat "$FSTAB" 2>/dev/null)" == "$desired" ]] && return
  { printf '%s\n' "$desired" >"${FSTAB}.bootstrap" && mv "${FSTAB}.bootstrap" "$FSTAB"; } || fail "cannot write ${FSTAB}"
}

# Mounts the data volume unless it is mounted already, and sets volume_mount to where it is. Hetzner
# mounts a volume only as the one-shot effect of attaching it with automount, which a volume
# re-attached to a rebuilt server does not get (hetznercloud/terraform-provider-hcloud issue #473,
# open at v1.59.0), so the bootstrap mounts it itself, by its device, where automount would.
mount_data_volume() {
  volume_mount=$(findmnt -n -o TARGET --source "$(readlink -f "$data_volume")" | head -n 1) || volume_mount=""
  [[ -z "$volume_mount" ]] || return 0
  volume_mount=$(volume_mount_point "$data_volume")
  mkdir -p "$volume_mount"
  mount "$data_volume" "$volume_mount" || fail "cannot mount ${data_volume} at ${volume_mount}"
}

# Puts Coolify's data, Docker's (the databases' volumes, the containers), containerd's (Docker 29's
# image store) and the monitoring's (host directories that outlive its Coolify service) on the data
# volume, before the installer or Docker write anything: bind mounts from the volume, kept in fstab
# after the volume itself, so that a rebuilt server finds them all.
prepare_data_volume() {
  step="data volume"
  if [[ -z "$data_volume" ]]; then
    note "none; Coolify's data stays on the root disk"
    return
  fi
  wait_until test -b "$data_volume" || fail "device ${data_volume} did not appear within ${wait_timeout}s"
  local mounted fstype name target dir entries=()
  mount_data_volume
  mounted=$volume_mount
  fstype=$(findmnt -n -o FSTYPE --target "$mounted")
  entries+=("${data_volume} ${mounted} ${fstype} discard,nofail,defaults 0 0")
  for name in coolify docker containerd monitoring; do
    case "$name" in
      coolify) target=$data_dir ;;
      docker) target=$docker_dir ;;
      containerd) target=$containerd_dir ;;
      monitoring) target=$monitoring_dir ;;
    esac
    dir="${mounted}/${name}"
    entries+=("${dir} ${target} none bind 0 0")
    if [[ "$(findmnt -n -o TARGET --target "$target" 2>/dev/null)" == "$target" ]]; then
      continue
    fi
    if [[ -d "$target" && -n "$(ls -A "$target")" ]]; then
      fail "${target} already holds data on the root disk; stop Coolify and Docker and move it to ${dir} first (docs/runbook/rebuild-host.md)"
    fi
    mkdir -p "$dir" "$target"
    mount --bind "$dir" "$target" || fail "cannot bind ${dir} to ${target}"
  done
  keep_in_fstab "${entries[@]}"
  note "${data_dir}, ${docker_dir}, ${containerd_dir} and ${monitoring_dir} live on ${mounted}"
}

# Hetzner gives a server the environment's keys only when it creates it, and a running server ignores
# a new key list (constructs/hetzner/hetzner-server.ts), so this keeps root's authorized_keys in step
# with the configuration: every configured key is present, and a key this step installed earlier that
# is no longer configured is removed. Keys are compared by type and base64 body. Other lines, such as
# Coolify's own key for the host (coollabsio/coolify v4.3.9, scripts/install.sh lines 902-909) or a
# key added by hand, stay. The keys it installed are listed beside the file, one per line.
install_authorized_keys() {
  step="authorized keys"
  ((${#authorized_keys[@]} > 0)) || return 0
  local record="${AUTHORIZED_KEYS%/*}/coolify-bootstrap-keys" updated
  install -d -m 700 "${AUTHORIZED_KEYS%/*}" || fail "cannot create ${AUTHORIZED_KEYS%/*}"
  [[ -e "$AUTHORIZED_KEYS" ]] || install -m 600 /dev/null "$AUTHORIZED_KEYS" || fail "cannot create ${AUTHORIZED_KEYS}"
  updated=$(mktemp "${AUTHORIZED_KEYS}.XXXXXX") || fail "cannot write beside ${AUTHORIZED_KEYS}"
  # Lines of the configured keys (first file), the earlier record (second) and the current file (third).
  awk 'FILENAME == ARGV[1] { key = $1 " " $2; configured[key] = $0; order[++n] = key; next }
       FILENAME == ARGV[2] { installed[$1 " " $2] = 1; next }
       { key = $1 " " $2 }
       key in configured { if (!(key in seen)) { print; seen[key] = 1 }; next }
       key in installed { next }
       { print }
       END { for (i = 1; i <= n; i++) if (!(order[i] in seen)) print configured[order[i]] }' \
    <(printf '%s\n' "${authorized_keys[@]}") <(cat "$record" 2>/dev/null) "$AUTHORIZED_KEYS" >"$updated" ||
    fail "cannot read ${AUTHORIZED_KEYS}"
  chmod 600 "$updated"
  if cmp -s "$updated" "$AUTHORIZED_KEYS"; then
    rm -f "$updated"
    note "unchanged"
  else
    mv "$updated" "$AUTHORIZED_KEYS" || fail "cannot replace ${AUTHORIZED_KEYS}"
    note "${AUTHORIZED_KEYS} holds the ${#authorized_keys[@]} configured key(s)"
  fi
  printf '%s\n' "${authorized_keys[@]}" | awk '{ print $1 " " $2 }' >"$record" || fail "cannot write ${record}"
}

# The version of Coolify's container when it runs; nothing for a stopped or missing one, whose
# image says nothing about a working Coolify (`.State.Running`, moby/moby docker-v29.7.2 api/types/container/container.go line 77).
running_version() {
  local state
  state=$(docker inspect --format '{{.State.Running}} {{.Config.Image}}' coolify 2>/dev/null) || return 0
  [[ "$state" == "true "* ]] || return 0
  printf '%s\n' "${state##*:}"
}

# Downloads every release file from the base URL and keeps it only if its SHA-256 is the expected
# one; then the installer's CDN names point at the verified copies. Nothing runs before all match.
fetch_release() {
  step="release files"
  local entry name path expected file sum
  mkdir -p "${work_dir}/release" "${work_dir}/cdn"
  for entry in "${release_files[@]}"; do
    read -r name path expected <<<"$entry"
    file="${work_dir}/release/${path}"
    mkdir -p "${file%/*}"
    curl -fsSL --retry 3 --max-time 120 -o "$file" "${release_base_url}/${path}" ||
      fail "cannot download ${release_base_url}/${path}"
    sum=$(sha256sum "$file")
    [[ "${sum%% *}" == "$expected" ]] ||
      fail "${path} from ${release_base_url} has SHA-256 ${sum%% *}, not the expected ${expected}; nothing was run"
    ln "$file" "${work_dir}/cdn/${name}"
  done
  note "${#release_files[@]} files of Coolify ${version} from ${release_base_url} match their checksums"
}

# Docker, pinned and verified, by the installer shared with the workers (docker-install.sh beside
# this script), before Coolify's installer, which then finds it and installs none of its own.
install_docker() {
  step="docker"
  bash "$DOCKER_INSTALL" bootstrap "$docker_version" "$docker_key_fingerprint" "$wait_timeout" || exit 1
}

# major.minor.patch without a -beta.N/-rc.N suffix, as the provider compares versions
# (terraform-provider-coolify v0.1.17, internal/client/version.go, IsVersionAtLeast).
version_core() { printf '%s\n' "${1%%-*}"; }

# Coolify's upgrade path runs forward only: upgrade.sh pulls the requested image and restarts the
# containers on the same database volume (coollabsio/coolify v4.3.10, scripts/upgrade.sh lines
# 214-233 and 264-295), whose schema the newer version has already migrated. So an older version
# than the one running is refused before anything is downloaded or run.
refuse_downgrade() {
  local current=$1 newest
  [[ -n "$current" ]] || return 0
  newest=$(printf '%s\n%s\n' "$(version_core "$current")" "$(version_core "$version")" | sort -V | tail -n 1)
  [[ "$newest" == "$(version_core "$version")" ]] ||
    fail "environment \"${environment}\": coolify.version ${version} is older than Coolify ${current}, which runs on this host; Coolify cannot be downgraded, set coolify.version to ${current} or later"
}

install_coolify() {
  step="install"
  local current
  current=$(running_version)
  if [[ "$current" == "$version" ]]; then
    note "Coolify ${version} already running"
    return
  fi
  refuse_downgrade "$current"
  work_dir=$(mktemp -d)
  fetch_release
  install_docker
  step="install"
  install -D -m 755 "$CDN_CURL" "${work_dir}/bin/curl" || fail "cannot read ${CDN_CURL}"
  note "${current:+upgrading from ${current} }installing ${version}"
  local rc=0 real_curl
  real_curl=$(command -v curl)
  # No root user for the installer: it would write the password into .env with `sed` (the value in
  # sed's arguments); create_root_user hands it to Coolify's own seeder through the environment.
  # The release's own installer runs unmodified; its CDN downloads get the verified files.
  env -u ROOT_USERNAME -u ROOT_USER_EMAIL -u ROOT_USER_PASSWORD AUTOUPDATE=false \
    PATH="${work_dir}/bin:${PATH}" CDN_CURL_FILES="${work_dir}/cdn" CDN_CURL_REAL="$real_curl" \
    bash "${work_dir}/cdn/install.sh" "$version" </dev/null || rc=$?
  ((rc == 0)) || fail "the installer exited with code ${rc}"
  current=$(running_version)
  [[ "$current" == "$version" ]] || fail "Coolify runs '${current}' after installing ${version}"
}

healthy() { [[ "$(curl -fsS --max-time 5 "${api_url}/api/health" 2>/dev/null)" == "OK" ]]; }

wait_for_health() {
  step="health"
  wait_until healthy || fail "no OK from ${api_url}/api/health within ${wait_timeout}s"
  note "OK"
}

# Runs SQL read from stdin in Coolify's database; prints result rows, unaligned, tuples only.
sql() { docker exec -i coolify-db psql -U coolify -d coolify -v ON_ERROR_STOP=1 -qAt; }

root_user_exists() { [[ "$(sql <<<"SELECT count(*) FROM users WHERE id = ${ROOT_ID};" 2>/dev/null)" == "1" ]]; }

# Coolify's RootUserSeeder (database/seeders/RootUserSeeder.php, v4.3.9) creates user 0 from
# ROOT_USERNAME/ROOT_USER_EMAIL/ROOT_USER_PASSWORD with its own validation and skips an existing one.
# The values reach it as environment variables named on docker's command line, never as values.
run_root_user_seeder() {
  ROOT_USERNAME="$root_username" ROOT_USER_EMAIL="$root_email" ROOT_USER_PASSWORD="$root_password" \
    docker exec -e ROOT_USERNAME -e ROOT_USER_EMAIL -e ROOT_USER_PASSWORD coolify \
    php artisan db:seed --class=RootUserSeeder --force 2>&1
}

# /api/health answers before the migrations and seeders are done, so the user is waited for.
seeded_root_user() {
  local output
  output=$(run_root_user_seeder) || return 1
  # The seeder exits 0 when it rejects the values; it says so on its output.
  if [[ "$output" == *"Invalid Root User Environment Variables"* ]]; then
    fail "Coolify rejected the root user; check coolify_root_email and coolify_root_password against its rules"
  fi
  root_user_exists
}

create_root_user() {
  step="root user"
  if root_user_exists; then
    note "present"
    return
  fi
  wait_until seeded_root_user || fail "Coolify did not create the root user within ${wait_timeout}s"
  note "created"
}

localhost_key_rows() { sql <<<"SELECT count(*) FROM private_keys WHERE id = 0;"; }

# Coolify reaches its own host over SSH with "localhost's key": private_keys row 0, which its
# ProductionSeeder imports at every start from the key file named id.<user>@host.docker.internal
# when the row is missing (database/seeders/ProductionSeeder.php lines 86-108; the s6 service
# init-seeder runs `start:seeder`, app/Console/Commands/Seeder.php; coollabsio/coolify v4.3.9). The
# installer makes that key and adds it to root's authorized_keys only when Docker has no coolify-db
# volume (scripts/install.sh lines 898-910), so a host rebuilt onto its volume has Coolify's data but
# a fresh root disk without the key in authorized_keys. This step puts back whatever is missing: the
# key file (only while Coolify has no key row either), the row, the authorized_keys line.
ensure_localhost_key() {
  step="localhost key"
  local keys="${data_dir}/ssh/keys" key rows blob changes=()
  key=$(find "$keys" -maxdepth 1 -name 'id.*@host.docker.internal' ! -name '*.pub' 2>/dev/null | sort | head -n 1)
  rows=$(localhost_key_rows) || fail "cannot read Coolify's private keys"
  if [[ -z "$key" ]]; then
    [[ "$rows" == "0" ]] || fail "Coolify holds localhost's key but ${keys} has no id.*@host.docker.internal; restore it from the backup of ${data_dir}"
    key="${keys}/id.$(id -un)@host.docker.internal"
    install -d -m 700 "$keys"
    ssh-keygen -t ed25519 -a 100 -f "$key" -q -N "" -C coolify || fail "cannot generate ${key}"
    rm -f "${key}.pub"
    chown 9999 "$key"
    changes+=("generated ${key}")
  fi
  if [[ "$rows" != "1" ]]; then
    docker exec coolify php artisan db:seed --class=ProductionSeeder --force >/dev/null 2>&1 || fail "Coolify's ProductionSeeder failed"
    [[ "$(localhost_key_rows)" == "1" ]] || fail "Coolify did not import ${key} as localhost's key"
    changes+=("imported into Coolify")
  fi
  blob=$(ssh-keygen -y -f "$key" | awk '{ print $1 " " $2 }') || fail "cannot read the public half of ${key}"
  if ! grep -qsF "$blob" "$AUTHORIZED_KEYS"; then
    install -d -m 700 "$(dirname "$AUTHORIZED_KEYS")"
    printf '%s coolify\n' "$blob" >>"$AUTHORIZED_KEYS"
    chmod 600 "$AUTHORIZED_KEYS"
    changes+=("added to ${AUTHORIZED_KEYS}")
  fi
  if ((${#changes[@]} == 0)); then
    note "present"
    return
  fi
  note "$(printf '%s; ' "${changes[@]}" | sed 's/; $//')"
}

# Installations by earlier versions of this script left the root user's email and password in
# Coolify's .env and the installer's backups of it (.env-<date>); once the user exists they go.
scrub_root_credentials() {
  step="root credentials"
  local file scrubbed=0
  for file in "${data_dir}/source/.env" "${data_dir}/source/.env-"*; do
    [[ -f "$file" ]] || continue
    grep -qE '^ROOT_USER_(PASSWORD|EMAIL)=' "$file" || continue
    sed -i -E '/^ROOT_USER_(PASSWORD|EMAIL)=/d' "$file"
    scrubbed=$((scrubbed + 1))
  done
  note "none left in ${data_dir}/source (${scrubbed} file(s) cleaned)"
}

# Creates or updates, in place, the root user's root-team token row named $2 with the abilities $3
# (a JSON array) for the token whose SHA-256 is $1; prints what changed.
token_sql() {
  cat <<SQL
\set hash '$1'
\set name '$2'
\set abilities '$3'
BEGIN;
UPDATE personal_access_tokens
   SET token = :'hash', abilities = :'abilities', team_id = '${ROOT_ID}', updated_at = now()
 WHERE tokenable_type = 'App\\Models\\User' AND tokenable_id = ${ROOT_ID} AND name = :'name'
   AND (token IS DISTINCT FROM :'hash' OR abilities IS DISTINCT FROM :'abilities' OR team_id IS DISTINCT FROM '${ROOT_ID}')
RETURNING :'name' || ' updated';
INSERT INTO personal_access_tokens (tokenable_type, tokenable_id, name, token, abilities, team_id, created_at, updated_at)
SELECT 'App\\Models\\User', ${ROOT_ID}, :'name', :'hash', :'abilities', '${ROOT_ID}', now(), now()
 WHERE NOT EXISTS (
   SELECT 1 FROM personal_access_tokens
    WHERE tokenable_type = 'App\\Models\\User' AND tokenable_id = ${ROOT_ID} AND name = :'name')
RETURNING :'name' || ' created';
COMMIT;
SQL
}

# Usage: store_token <plain token> <row name> <abilities as a JSON array>
store_token() {
  local hash result
  # Sanctum stores only the SHA-256 of the plain token; the plain token never leaves this process.
  hash=$(printf '%s' "$1" | sha256sum)
  hash=${hash%% *}
  result=$(token_sql "$hash" "$2" "$3" | sql) || fail "cannot store the token ${2} in Coolify's database"
  note "${result:-${2} unchanged}"
}

# Deploys use the root token; pull-request plans use the read-only one, whose `read` ability
# Coolify's api.ability middleware admits to the read routes only (every GET and one POST that
# fetches logs; app/Http/Middleware/ApiAbility.php, routes/api.php, v4.3.9), with sensitive fields
# hidden (api.sensitive).
seed_tokens() {
  step="api tokens"
  store_token "$api_token" "$TOKEN_NAME" '["root"]'
  store_token "$read_token" "$READ_TOKEN_NAME" '["read"]'
}

# Calls the API with the token; the Authorization header goes through stdin so the token is not an
# argument. Usage: api_call <method> <path> <body file>; prints the HTTP status.
api_call() {
  printf 'header = "Authorization: Bearer %s"\n' "$api_token" |
    curl -sS --max-time 30 -K - -X "$1" -H 'Accept: application/json' -o "$3" -w '%{http_code}' "${api_url}$2"
}

require_ok() {
  local path=$1 status=$2 body=$3
  [[ "$status" == "200" ]] && return
  local message
  message=$(head -c 200 "$body" | tr -d '\n')
  if [[ "$status" == "401" ]]; then
    fail "Coolify rejected the token on ${path} (HTTP 401 ${message})"
  fi
  fail "${path} answered HTTP ${status} ${message}"
}

enable_api() {
  step="enable api"
  local enabled
  enabled=$(sql <<<"SELECT is_api_enabled FROM instance_settings WHERE id = 0;") || fail "cannot read instance settings"
  if [[ "$enabled" == "t" ]]; then
    note "already enabled"
    return
  fi
  work_dir=${work_dir:-$(mktemp -d)}
  local status
  # Coolify 4.2 turned this into a POST; a GET answers 405 (routes/api.php, v4.3.9).
  status=$(api_call POST /api/v1/enable "${work_dir}/enable.json") || fail "cannot reach ${api_url}/api/v1/enable"
  require_ok /api/v1/enable "$status" "${work_dir}/enable.json"
  note "enabled"
}

# Whether the instance settings already hold the domain with auto-update off.
settings_current() {
  local current
  current=$(sql <<<"SELECT coalesce(fqdn, '') || '|' || is_auto_update_enabled::text FROM instance_settings WHERE id = 0;") ||
    fail "cannot read instance settings"
  [[ "$current" == "${fqdn}|false" ]]
}

# Through the model, as the dashboard's settings page does (app/Livewire/Settings/Index.php, v4.3.9):
# InstanceSettings' `updated` hook forgets the cached trusted host when the domain changes, which a
# direct SQL update would skip.
readonly SETTINGS_PHP='App\Models\InstanceSettings::get()->update(["fqdn" => getenv("BOOTSTRAP_FQDN"), "is_auto_update_enabled" => false]);'
# Then the proxy routes the domain to the dashboard: Server::setupDynamicProxyConfiguration writes
# <proxy path>/dynamic/coolify.yaml with the router `Host(`<host>`)` (app/Models/Server.php, v4.3.9).
readonly PROXY_PHP='App\Models\Server::find(0)->setupDynamicProxyConfiguration();'

set_instance_settings() {
  step="instance domain"
  if settings_current; then
    note "${fqdn} already set, auto-update off"
    return
  fi
  BOOTSTRAP_FQDN="$fqdn" docker exec -e BOOTSTRAP_FQDN coolify php artisan tinker --execute "$SETTINGS_PHP" >/dev/null ||
    fail "cannot save the instance settings for ${fqdn}"
  settings_current || fail "Coolify did not keep the instance domain ${fqdn}"
  note "${fqdn} set, auto-update off"
}

# The instance domain's host, as Coolify takes it from the URL (Url::getHost: no scheme, port or path).
fqdn_host() {
  local host=${fqdn#*://}
  host=${host%%/*}
  printf '%s\n' "${host%%:*}"
}

proxy_routes_domain() { grep -qsF "Host(\`$(fqdn_host)\`)" "${data_dir}/proxy/dynamic/coolify.yaml"; }

# Its own step, checked on every run, so that a run that saved the domain and then failed here
# writes the proxy configuration on the next run instead of finding the domain set and stopping.
configure_proxy() {
  step="proxy configuration"
  local file="${data_dir}/proxy/dynamic/coolify.yaml"
  if proxy_routes_domain; then
    note "${file} routes $(fqdn_host)"
    return
  fi
  docker exec coolify php artisan tinker --execute "$PROXY_PHP" >/dev/null || fail "Coolify could not write ${file}"
  proxy_routes_domain || fail "Coolify did not write a router for $(fqdn_host) into ${file}"
  note "${file} written for $(fqdn_host)"
}

# Keeps the dashboard, its API, realtime and terminal to the admins and the deploy runner: the proxy
# configuration generated next to the inputs (constructs/bootstrap/dashboard-access.ts) goes beside
# Coolify's own coolify.yaml in the proxy's dynamic directory, which Traefik watches.
install_dashboard_access() {
  step="dashboard access"
  local source target
  source="$(dirname "$inputs_file")/dashboard-access.yaml"
  target="${data_dir}/proxy/dynamic/zz-dashboard-access.yaml"
  [[ -r "$source" ]] || fail "cannot read ${source}"
  if cmp -s "$source" "$target"; then
    note "unchanged"
    return
  fi
  install -D -m 644 "$source" "$target" || fail "cannot write ${target}"
  note "only admins and the deploy runner reach ${fqdn}"
}

# The addresses the host's own calls to 127.0.0.1:<dashboard port> reach Coolify from: Docker's
# port publishing hands them to the container from the gateway of the `coolify` network, which
# upgrade.sh creates (`docker network create --attachable --ipv6 coolify`) and docker-compose.prod.yml
# joins as an external network (coollabsio/coolify v4.3.9). Prints one address per line.
coolify_network_gateways() {
  docker network inspect coolify --format '{{range .IPAM.Config}}{{println .Gateway}}{{end}}' | sed '/^$/d'
}

# Sets Coolify's API allow list (instance_settings.allowed_ips, a text column since migration
# 2024_07_01_115528_add_is_api_allowed_and_iplist) to the admins, the deploy runner and the host
# itself. ApiAllowed (app/Http/Middleware/ApiAllowed.php, v4.3.9) answers 403 to any other caller
# of the API's main route group; an empty list would admit everyone. InstanceSettings::get()
# memoizes per request only (`once`), so the row is the setting.
restrict_api() {
  step="api allow list"
  local gateways allowed current
  gateways=$(coolify_network_gateways) || fail "cannot read the gateway of Docker's coolify network"
  [[ "$gateways" =~ ^[0-9A-Fa-f:.]+($'\n'[0-9A-Fa-f:.]+)*$ ]] || fail "Docker's coolify network has no gateway address"
  allowed="${api_allowed_ips},$(paste -sd, <<<"$gateways")"
  current=$(sql <<<"SELECT coalesce(allowed_ips, '') FROM instance_settings WHERE id = 0;") || fail "cannot read instance settings"
  if [[ "$current" == "$allowed" ]]; then
    note "unchanged"
    return
  fi
  sql <<SQL >/dev/null || fail "cannot save the API allow list"
\set allowed '${allowed}'
UPDATE instance_settings SET allowed_ips = :'allowed', updated_at = now() WHERE id = 0;
SQL
  note "the API answers only ${allowed}"
}

verify_token() {
  step="verify"
  work_dir=${work_dir:-$(mktemp -d)}
  local status answered
  status=$(api_call GET /api/v1/version "${work_dir}/version.json") || fail "cannot reach ${api_url}/api/v1/version"
  require_ok /api/v1/version "$status" "${work_dir}/version.json"
  answered=$(tr -d '"[:space:]' <"${work_dir}/version.json")
  [[ "${answered#v}" == "$version" ]] || fail "/api/v1/version answered '${answered}', expected ${version}"
  note "the token works; Coolify ${version} is ready"
}

# Whether the instance domain answers over HTTPS with a certificate curl trusts (any HTTP status
# below 500: the dashboard itself may answer 403 to the host, which is not on its allow list).
tls_answers() {
  local status
  status=$(curl -sS -o /dev/null --max-time 10 -w '%{http_code}' "${fqdn}/" 2>"${work_dir}/tls.err") || return 1
  [[ "$status" =~ ^[1-4][0-9][0-9]$ ]]
}

# The apps stack calls https://coolify.<domain>; until Let's Encrypt has issued the certificate,
# Traefik serves its self-signed default one ("TRAEFIK DEFAULT CERT", traefik/traefik v3.6
# pkg/tls/generate/generate.go) and the provider's calls would fail. Bounded by the wait timeout.
wait_for_certificate() {
  step="certificate"
  if [[ "$fqdn" != https://* ]]; then
    note "${fqdn} is not https, no certificate to wait for"
    return
  fi
  work_dir=${work_dir:-$(mktemp -d)}
  : >"${work_dir}/tls.err"
  wait_until tls_answers ||
    fail "${fqdn}/ did not answer with a valid certificate within ${wait_timeout}s (last: $(head -n 1 "${work_dir}/tls.err"))"
  note "${fqdn} answers with a valid certificate"
}

main() {
  (($# == 1)) || fail "usage: coolify-bootstrap.sh <inputs file>"
  inputs_file=$1
  read_inputs "$1"
  wait_for_cloud_init
  wait_for_apt
  install_authorized_keys
  prepare_data_volume
  install_coolify
  wait_for_health
  create_root_user
  ensure_localhost_key
  scrub_root_credentials
  seed_tokens
  enable_api
  set_instance_settings
  configure_proxy
  install_dashboard_access
  restrict_api
  verify_token
  wait_for_certificate
}

main "$@"
