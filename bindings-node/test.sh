#!/usr/bin/env bash
# The Node package's test suite, from a fresh clone (scripts/test calls it after the Rust tests):
#   1. npm ci                  the pinned @napi-rs/cli and TypeScript (package-lock.json)
#   2. node build.mjs          builds the addon in debug into the workspace's target/debug (no
#                              --target, so the AWS SDK already built there is reused) and
#                              regenerates index.d.ts, index.js and index.mjs
#   3. cargo build -p hipaa-cli  the `hipaa` binary the suite compares results with
#   4. tsc --noEmit --strict   the declarations type a realistic usage file (test/types-check.ts)
#   5. node --test             against the shared moto fixture (tests/fixture) on 127.0.0.1
# Needs the moto venv at <repo>/.venv (scripts/test creates it).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)

step() { printf '\n==> %s\n' "$*"; }

step "npm ci (bindings-node)"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

step "build the addon (debug, shared target dir)"
node build.mjs

step "the hipaa binary (for comparisons)"
cargo build -p hipaa-cli --quiet

step "the generated loaders and declarations are committed as generated"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 \
  && git -C "$root" ls-files --error-unmatch bindings-node/index.d.ts >/dev/null 2>&1; then
  if ! git -C "$root" diff --quiet -- bindings-node/index.d.ts bindings-node/index.js bindings-node/index.mjs; then
    git -C "$root" --no-pager diff --stat -- bindings-node/index.d.ts bindings-node/index.js bindings-node/index.mjs
    echo "bindings-node: index.d.ts/index.js/index.mjs differ from the committed ones: run 'node bindings-node/build.mjs' and commit them" >&2
    exit 1
  fi
fi

step "tsc --noEmit --strict (test/types-check.ts)"
./node_modules/.bin/tsc --noEmit --strict -p test/tsconfig.json

step "node --test (bindings-node/test, moto on 127.0.0.1)"
HIPAA_REPO_ROOT="$root" node --test --test-concurrency=1 test/
