#!/usr/bin/env bash
# Scans the image of every running container with Trivy and reports the images with findings at or
# above SCAN_MIN_SEVERITY (and any image Trivy could not scan) to the environment's Discord webhook.
# Runs on the Coolify host (the operations agent's scheduled task): the `trivy` on PATH if there is
# one, otherwise the pinned TRIVY_IMAGE through Docker. The webhook URL reaches curl through a config
# on a file descriptor, never through its arguments.
set -euo pipefail

: "${DISCORD_WEBHOOK_URL:?DISCORD_WEBHOOK_URL is not set}" "${ENVIRONMENT:?ENVIRONMENT is not set}"
SEVERITIES=(LOW MEDIUM HIGH CRITICAL)
minimum=${SCAN_MIN_SEVERITY:-HIGH}
selected=()
for severity in "${SEVERITIES[@]}"; do
  if [[ $severity == "$minimum" || ${#selected[@]} -gt 0 ]]; then selected+=("$severity"); fi
done
((${#selected[@]} > 0)) || { echo "trivy-scan: SCAN_MIN_SEVERITY must be one of ${SEVERITIES[*]}, got $minimum" >&2; exit 2; }
severity_list=$(IFS=,; echo "${selected[*]}")

scan() { # <image>: the severity of every finding, one a word
  local template='{{range .}}{{range .Vulnerabilities}}{{.Severity}} {{end}}{{end}}'
  if command -v trivy >/dev/null 2>&1; then
    trivy image --quiet --scanners vuln --severity "$severity_list" --format template --template "$template" "$1"
  else
    : "${TRIVY_IMAGE:?TRIVY_IMAGE is not set}"
    docker run --rm -v /var/run/docker.sock:/var/run/docker.sock:ro -v trivy-cache:/root/.cache "$TRIVY_IMAGE" \
      image --quiet --scanners vuln --severity "$severity_list" --format template --template "$template" "$1"
  fi
}

report=()
while IFS= read -r image; do
  [[ -n $image ]] || continue
  if ! found=$(scan "$image" 2>/dev/null); then
    report+=("$image: could not be scanned")
    continue
  fi
  counts=()
  for ((i = ${#selected[@]} - 1; i >= 0; i--)); do
    n=$(grep -o "\b${selected[i]}\b" <<<"$found" | wc -l || true)
    if ((n > 0)); then counts+=("$n ${selected[i]}"); fi
  done
  if ((${#counts[@]} > 0)); then
    printf -v line '%s, ' "${counts[@]}"
    report+=("$image: ${line%, }")
  fi
done < <(docker ps --format '{{.Image}}' | sort -u)

if ((${#report[@]} == 0)); then
  echo "trivy-scan: no findings at $minimum or above"
  exit 0
fi
# Discord takes at most 2000 characters of content (discord.com/developers/docs/resources/webhook#execute-webhook).
message="Trivy scan of $ENVIRONMENT: images with $minimum or higher findings"
for line in "${report[@]}"; do message+=$'\n'"- $line"; done
message=${message:0:1990}
json_escape() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '%s' "${s//$'\n'/\\n}"; }
printf '{"content":"%s"}' "$(json_escape "$message")" |
  curl --silent --show-error --fail -H 'Content-Type: application/json' --data-binary @- -o /dev/null \
    -K <(printf 'url = "%s"\n' "$DISCORD_WEBHOOK_URL")
printf '%s\n' "${report[@]}"
