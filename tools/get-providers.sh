#!/usr/bin/env bash
# Generates the hcloud and Coolify bindings into .gen/ (cdktf get), and keeps the providers' schemas
# beside them in .gen/provider-schemas/: the guardrails read which attributes are sensitive from
# there, since the bindings do not say. Offline, the schemas beside the checkout
# (../shared/provider-schemas) stand in for the Terraform registry; online, Terraform downloads the
# providers and prints their schemas.
set -euo pipefail
cd "$(dirname "$0")/.."

schemas="${CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH:-$PWD/../shared/provider-schemas}"
if [[ -d "$schemas" ]]; then
  export CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH="$schemas"
fi
export CHECKPOINT_DISABLE=1
npx --no-install cdktf get

kept=.gen/provider-schemas
rm -rf "$kept"
mkdir -p "$kept"
if [[ -d "$schemas" ]]; then
  cp "$schemas"/*.json "$kept"/
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  node -e '
    const providers = require("./cdktf.json").terraformProviders.map((entry) => {
      const [source, version] = entry.split("@");
      return [source.split("/").pop(), { source, version }];
    });
    console.log(JSON.stringify({ terraform: { required_providers: Object.fromEntries(providers) } }));
  ' >"$work/main.tf.json"
  (cd "$work" && terraform init -backend=false -input=false >/dev/null && terraform providers schema -json) >"$kept/providers.json"
fi
