#!/usr/bin/env bash
# One-step setup: npm dependencies, generated provider bindings and the compiled local provider
# (local-provider/, which lets the real Terraform run every stack offline); with --test-tools also the
# system tools the tests drive for real: sshd for the bootstrap end-to-end test, PostgreSQL as the
# database the bootstrap script writes its token into, shellcheck, strace (which processes the
# bootstrap starts, with their arguments), jq, gpg and gpgv (the Docker apt key's fingerprint and the
# fake repository's signature), promtool and amtool for the generated monitoring configuration, and
# iptables and nginx for the private network's filter and Loki's gateway (run in network namespaces
# of the test's own).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--test-tools" ]]; then
  missing=()
  command -v sshd >/dev/null 2>&1 || [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v strace >/dev/null 2>&1 || missing+=(strace)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v gpg >/dev/null 2>&1 || missing+=(gpg)
  command -v gpgv >/dev/null 2>&1 || missing+=(gpgv)
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  command -v iptables-restore >/dev/null 2>&1 || missing+=(iptables)
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  if ((${#missing[@]} > 0)); then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

npm ci --no-audit --no-fund
bash tools/get-providers.sh
npm run --silent build:local-provider
