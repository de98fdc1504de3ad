#!/usr/bin/env bash
# Generates the hcloud and Coolify bindings into .gen/ (cdktf get). Offline, the provider schemas
# beside the checkout (../shared/provider-schemas) stand in for the Terraform registry.
set -euo pipefail
cd "$(dirname "$0")/.."

schemas="${CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH:-$PWD/../shared/provider-schemas}"
if [[ -d "$schemas" ]]; then
  export CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH="$schemas"
fi
export CHECKPOINT_DISABLE=1
npx --no-install cdktf get
