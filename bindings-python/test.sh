#!/usr/bin/env bash
# Build the Python package into the repo's venv and run its test suite.
#
#   bindings-python/test.sh [pytest arguments...]
#
# Expects <repo>/.venv (created by scripts/test with moto[server] and boto3; VENV=... overrides)
# and adds maturin, pytest, pandas, mypy and dask[distributed] to it when missing. `maturin develop` builds the
# native module in debug mode into <repo>/target/debug, so the AWS SDK crates `cargo build`
# already compiled are reused, then installs the package (editable) into the venv. The tests
# start their own moto server on 127.0.0.1 and call the `hipaa` binary for comparisons.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv=${VENV:-$root/.venv}
py=$venv/bin/python

if [ ! -x "$py" ]; then
  echo "bindings-python/test.sh: no Python venv at $venv (scripts/test creates it)" >&2
  exit 1
fi

missing=()
[ -x "$venv/bin/maturin" ] || missing+=("maturin>=1.16,<2")
"$py" -c 'import pytest' 2>/dev/null || missing+=("pytest>=7")
"$py" -c 'import pandas' 2>/dev/null || missing+=("pandas>=1.5")
"$py" -c 'import mypy' 2>/dev/null || missing+=("mypy>=1.10")
"$py" -c 'import moto, boto3' 2>/dev/null || missing+=("moto[server]==5.2.5" "boto3")
"$py" -c 'import distributed' 2>/dev/null || missing+=("dask[distributed]>=2024.1")
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing into $venv: ${missing[*]}"
  "$py" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

# The CLI the tests compare against (a no-op when `cargo build --workspace` already ran).
(cd "$root" && cargo build --quiet -p hipaa-cli)

echo "building hipaa_aws (maturin develop, debug, target/debug)"
(cd "$here" && VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH "$venv/bin/maturin" develop --quiet)

cd "$here"
status=0
"$py" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "bindings-python/test.sh: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
