#!/usr/bin/env bash
# Makes a worker usable in Coolify before anything is placed on it, and waits until it is: asks
# Coolify to validate the server without installing anything (POST /api/v1/servers/{uuid}/validate
# with {"install": false} dispatches ValidateServer; `true` would dispatch ValidateAndInstallServerJob,
# which installs Docker Coolify's way, get.docker.com piped to root: coollabsio/coolify v4.3.9
# app/Http/Controllers/Api/ServersController.php `validate_server`). The infra stack installed the
# pinned, verified Docker and Coolify's prerequisites first (constructs/bootstrap/worker-docker.ts);
# ValidateServer marks a server with a working Docker usable (app/Models/Server.php
# `validateDockerEngine`). Then it polls GET /api/v1/servers/{uuid} until `settings.is_reachable` and
# `settings.is_usable` are true.
#
# Environment: COOLIFY_URL, SERVER_UUID, SERVER_NAME, WAIT_TIMEOUT_SECONDS, POLL_SECONDS and the
# token in COOLIFY_API_TOKEN (or the provider's COOLIFY_TOKEN). The token reaches curl through
# stdin, never as an argument. Failure: one line `worker-ready: <server>: <cause>` and exit 1.
set -Eeuo pipefail

url=${COOLIFY_URL:?}
uuid=${SERVER_UUID:?}
name=${SERVER_NAME:-$uuid}
timeout=${WAIT_TIMEOUT_SECONDS:-900}
poll=${POLL_SECONDS:-10}
token=${COOLIFY_API_TOKEN:-${COOLIFY_TOKEN:-}}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

fail() {
  printf 'worker-ready: %s: %s\n' "$name" "$1" >&2
  exit 1
}
[[ -n "$token" ]] || fail "no Coolify API token (set TF_VAR_coolify_token or COOLIFY_TOKEN)"

# Usage: api <method> <path> [JSON body]; prints the HTTP status, the answer goes to $body.
# Bash 3.2 compatible (macOS ships it, and deploys may run from a laptop): no array that may be
# empty is expanded, because bash before 4.4 treats "${a[@]}" of an empty array as an unbound
# variable under `set -u` (bash's CHANGES, bash-4.4-rc2 against bash-4.4-beta2, "New Features in
# Bash", item 3a). The optional body is curl's --data; an empty one means none.
api() {
  local data=${3:-}
  printf 'header = "Authorization: Bearer %s"\n' "$token" |
    if [[ -n "$data" ]]; then
      curl -sS --max-time 30 -K - -X "$1" -H 'Accept: application/json' -H 'Content-Type: application/json' --data "$data" \
        -o "$body" -w '%{http_code}' "${url%/}/api/v1$2"
    else
      curl -sS --max-time 30 -K - -X "$1" -H 'Accept: application/json' -o "$body" -w '%{http_code}' "${url%/}/api/v1$2"
    fi
}

status=$(api POST "/servers/${uuid}/validate" '{"install":false}') || fail "cannot reach ${url}"
[[ "$status" == "201" || "$status" == "200" ]] || fail "validation refused: HTTP ${status} $(head -c 200 "$body")"

deadline=$((SECONDS + timeout))
while :; do
  status=$(api GET "/servers/${uuid}") || status=000
  if [[ "$status" == "200" ]] && jq -e '.settings.is_reachable == true and .settings.is_usable == true' "$body" >/dev/null; then
    printf 'worker-ready: %s: validated, usable\n' "$name"
    exit 0
  fi
  ((SECONDS < deadline)) || fail "not usable after ${timeout}s (last answer HTTP ${status}: $(head -c 200 "$body"))"
  sleep "$poll"
done
