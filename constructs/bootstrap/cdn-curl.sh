#!/usr/bin/env bash
# `curl` for Coolify's installer, first on its PATH while coolify-bootstrap.sh runs it. The installer
# and the upgrade script it runs download files from Coolify's CDN, whatever was published last
# (coollabsio/coolify v4.3.9, scripts/install.sh line 18 `CDN="https://cdn.coollabs.io/coolify"`):
# this answers those requests from the release files the bootstrap verified, kept under their CDN
# names in $CDN_CURL_FILES, to stdout or to `-o <path>` as the calls ask. Any other file of the CDN
# is refused; every other URL goes to the real curl ($CDN_CURL_REAL).
set -euo pipefail
files=${CDN_CURL_FILES:?}
real=${CDN_CURL_REAL:?}
readonly CDN_HOST_PATTERN='^(https?://)?cdn\.coollabs\.io([:/]|$)'
readonly CDN_FILE_PATTERN='^(https?://)?cdn\.coollabs\.io/coolify/([A-Za-z0-9_.-]+)$'

url=""
output=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg=${args[i]}
  if [[ "$arg" =~ $CDN_HOST_PATTERN ]]; then
    url=$arg
  elif [[ "$arg" == "-o" || "$arg" == "--output" ]]; then
    i=$((i + 1))
    output=${args[i]:-}
  fi
done
[[ -n "$url" ]] || exec "$real" "$@"

refuse() {
  printf 'curl: (22) %s: %s\n' "$url" "$1" >&2
  exit 22
}
# Only the flags the installer's CDN calls use (install.sh lines 321 and 777-785, upgrade.sh lines
# 60-66): anything else would ask for something this does not do.
for arg in "$@"; do
  case "$arg" in
    "$url" | "$output" | -o | --output | --silent | -L | -fsSL) ;;
    *) refuse "option '${arg}' is not supported for Coolify's CDN, which the bootstrap serves from the verified release" ;;
  esac
done
[[ "$url" =~ $CDN_FILE_PATTERN ]] || refuse "not a file of the verified Coolify release; refused"
name=${BASH_REMATCH[2]}
[[ "$name" != "." && "$name" != ".." && -f "${files}/${name}" ]] || refuse "not a file of the verified Coolify release; refused"
if [[ -n "$output" ]]; then
  cat "${files}/${name}" >"$output"
else
  cat "${files}/${name}"
fi
