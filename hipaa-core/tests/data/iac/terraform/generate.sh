#!/bin/sh
# Re-make the plan fixtures (needs Terraform and the hashicorp/aws provider in a local plugin
# directory; no network, no credentials). Tests read only the committed plan.json files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugins=${TF_PLUGIN_DIR:-/opt/tf-plugins}
for dir in "$here"/*/; do
  [ -f "$dir/main.tf" ] || continue
  (
    cd "$dir"
    terraform init -input=false -backend=false -plugin-dir="$plugins" >/dev/null
    terraform plan -input=false -refresh=false -lock=false -out=plan.tfplan >/dev/null
    terraform show -json plan.tfplan | python3 -m json.tool --indent 1 > plan.json
    rm -rf plan.tfplan .terraform .terraform.lock.hcl
  )
  echo "wrote ${dir}plan.json"
done
