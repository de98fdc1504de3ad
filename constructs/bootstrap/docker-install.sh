#!/usr/bin/env bash
# The one Docker install the platform makes, on the Coolify host (from coolify-bootstrap.sh) and on
# every worker (constructs/bootstrap/worker-docker.ts): the pinned Docker Engine from Docker's apt
# repository, its signing key checked against the fingerprint kept in catalog/docker.ts. With Docker
# present, Coolify's installer skips `curl https://get.docker.com | sh` (coollabsio/coolify v4.3.9,
# scripts/install.sh lines 503 and 554: Docker is installed only when `docker` is not a command), and
# a worker needs no `{"install": true}` validation, which runs Coolify's own Docker install.
# A Docker already present is left alone: upgrading it restarts every container.
#
# Usage: docker-install.sh <label> <docker version> <apt key fingerprint> <wait seconds> [command...]
# Each further command must exist afterwards; a missing one is installed from the distribution's
# apt package of the same name. Every line it prints starts with `<label>: docker: `; a failure is
# one such line on stderr and exit 1.
set -Eeuo pipefail

(($# >= 4)) || {
  echo "usage: docker-install.sh <label> <docker version> <apt key fingerprint> <wait seconds> [command...]" >&2
  exit 1
}
label=$1
docker_version=$2
docker_key_fingerprint=$3
wait_timeout=$4
shift 4
# Tests point these at temporary files.
readonly OS_RELEASE="${BOOTSTRAP_OS_RELEASE:-/etc/os-release}"
readonly APT_KEYRINGS="${BOOTSTRAP_APT_KEYRINGS:-/etc/apt/keyrings}"
readonly APT_SOURCES="${BOOTSTRAP_APT_SOURCES:-/etc/apt/sources.list.d}"

note() { printf '%s: docker: %s\n' "$label" "$1"; }
fail() {
  printf '%s: docker: %s\n' "$label" "$1" >&2
  exit 1
}
trap 'fail "command failed with exit code $? (line ${LINENO})"' ERR
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
[[ "$wait_timeout" =~ ^[0-9]+$ ]] || fail "the wait must be a whole number of seconds, not '${wait_timeout}'"

export DEBIAN_FRONTEND=noninteractive
# apt-daily may hold the dpkg lock; apt's DPkg::Lock::Timeout option (seconds) makes each apt-get wait
# for it up to the bootstrap's own wait instead of failing at once.
apt_get=(apt-get -o "DPkg::Lock::Timeout=${wait_timeout}")

install_commands() {
  local missing=() name
  for name in "$@"; do
    command -v "$name" >/dev/null 2>&1 || missing+=("$name")
  done
  ((${#missing[@]} > 0)) || return 0
  "${apt_get[@]}" update -qq >/dev/null || fail "apt-get update failed"
  "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null || fail "cannot install ${missing[*]}"
  note "installed ${missing[*]}"
}

install_docker() {
  if command -v docker >/dev/null 2>&1; then
    note "Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '(version unknown)') present, left as it is"
    return
  fi
  local id codename
  read -r id codename < <(
    # shellcheck disable=SC1090
    . "$OS_RELEASE" && printf '%s %s\n' "${ID:-}" "${UBUNTU_CODENAME:-${VERSION_CODENAME:-}}"
  ) || fail "cannot read ${OS_RELEASE}"
  case "$id" in
    ubuntu | debian) ;;
    *) fail "Docker is missing and '${id}' is neither ubuntu nor debian, the systems whose Docker apt repository this script uses; install Docker ${docker_version} first" ;;
  esac
  [[ -n "$codename" ]] || fail "${OS_RELEASE} names no release codename"
  local repository="https://download.docker.com/linux/${id}"
  "${apt_get[@]}" update -qq >/dev/null || fail "apt-get update failed"
  if ! command -v gpg >/dev/null 2>&1; then
    "${apt_get[@]}" install -y -qq gnupg >/dev/null || fail "cannot install gnupg to check Docker's key"
  fi
  local key="${work_dir}/docker.asc" fingerprints
  curl -fsSL --retry 3 --max-time 60 -o "$key" "${repository}/gpg" || fail "cannot download Docker's apt key from ${repository}/gpg"
  install -d -m 700 "${work_dir}/gnupg"
  # The fingerprint of each primary key in the file: the `fpr` record that follows a `pub` record.
  fingerprints=$(GNUPGHOME="${work_dir}/gnupg" gpg --batch --show-keys --with-colons "$key" 2>/dev/null |
    awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }' | paste -sd ' ') || fingerprints=""
  # apt trusts every key in the file, so it must hold Docker's key and no other.
  [[ "$fingerprints" == "$docker_key_fingerprint" ]] ||
    fail "the key from ${repository}/gpg has fingerprint '${fingerprints}', not Docker's ${docker_key_fingerprint}; nothing was installed"
  install -d -m 755 "$APT_KEYRINGS"
  install -m 644 "$key" "${APT_KEYRINGS}/docker.asc"
  printf 'deb [arch=%s signed-by=%s] %s %s stable\n' "$(dpkg --print-architecture)" "${APT_KEYRINGS}/docker.asc" "$repository" "$codename" \
    >"${APT_SOURCES}/docker.list"
  "${apt_get[@]}" update -qq >/dev/null || fail "apt-get update failed with Docker's repository ${repository}"
  local package
  # `apt-cache madison` prints `docker-ce | <epoch>:<version>-<revision>~<distribution> | <source>`,
  # newest first: the first package of the pinned release (no ~rc/~beta) is taken.
  package=$(apt-cache madison docker-ce | awk -F'|' -v want="${docker_version}-" '
    { gsub(/ /, "", $2); upstream = $2; sub(/^[0-9]+:/, "", upstream) }
    index(upstream, want) == 1 { print $2; exit }')
  [[ -n "$package" ]] || fail "${repository} offers no docker-ce ${docker_version} for ${codename} (apt-cache madison docker-ce)"
  "${apt_get[@]}" install -y -qq "docker-ce=${package}" "docker-ce-cli=${package}" containerd.io docker-buildx-plugin docker-compose-plugin >/dev/null ||
    fail "cannot install docker-ce ${package}"
  local installed
  installed=$(dpkg-query -W -f '${Version}' docker-ce 2>/dev/null) || installed=""
  [[ "$installed" == "$package" ]] || fail "docker-ce is '${installed}' after installing ${package}"
  note "installed Docker ${docker_version} (docker-ce ${package}) from ${repository}"
}

install_docker
install_commands "$@"
