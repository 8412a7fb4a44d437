#!/usr/bin/env bash
# The AWS Batch job's wrapper around `hipaa`. The scanner stays read-only: it writes its report to
# a local file, and this wrapper (with the job role's one write permission, s3:PutObject on the
# results bucket) copies it to S3.
#
#   HIPAA_MODE=scan  (default) one shard of an array job: hipaa scan --organization
#                    --shard $AWS_BATCH_JOB_ARRAY_INDEX/$HIPAA_SHARDS, report to
#                    s3://$HIPAA_RESULTS_BUCKET/<prefix>/<run>/shard-I-of-N.json
#   HIPAA_MODE=merge after the array job: every shard's report of the run, merged with
#                    hipaa merge into <prefix>/<run>/organization.json (and .html)
#
# Environment: HIPAA_RESULTS_BUCKET (required), HIPAA_SHARDS (required to scan), HIPAA_RUN_ID
# (default: the array job's id, the part of $AWS_BATCH_JOB_ID before `:`), HIPAA_RESULTS_PREFIX
# (default `runs`), HIPAA_SCOPE_S3_URI (a scope file to use, s3://bucket/key), HIPAA_SCAN_ARGS
# (more options for hipaa scan, e.g. `--region us-east-1,us-west-2`), HIPAA_BIN and PYTHON (the
# programs, default `hipaa` and `python3`), HIPAA_ENDPOINT_URL (an emulator, for tests).
#
# Exit status: 0 when the report was written and copied, whatever it found (its own exit code,
# 3 or 4, is logged and stored with the object); otherwise the scanner's or the copy's failure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hipaa=${HIPAA_BIN:-hipaa}
python=${PYTHON:-python3}
results="$python $here/results.py"
mode=${HIPAA_MODE:-scan}
bucket=${HIPAA_RESULTS_BUCKET:?HIPAA_RESULTS_BUCKET names the results bucket}
job=${AWS_BATCH_JOB_ID:-local}
run=${HIPAA_RUN_ID:-${job%%:*}}
prefix="${HIPAA_RESULTS_PREFIX:-runs}/$run"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scope=()
if [ -n "${HIPAA_SCOPE_S3_URI:-}" ]; then
  $results get "$HIPAA_SCOPE_S3_URI" "$work/scope.toml"
  scope=(--scope "$work/scope.toml")
fi
# Word-split on purpose: HIPAA_SCAN_ARGS is a list of options.
read -r -a extra <<< "${HIPAA_SCAN_ARGS:-}"

# 0, 3 (failures) and 4 (incomplete) are finished reports; anything else is a failure to report.
finished() { [ "$1" -eq 0 ] || [ "$1" -eq 3 ] || [ "$1" -eq 4 ]; }

case "$mode" in
  scan)
    count=${HIPAA_SHARDS:?HIPAA_SHARDS is the array size}
    index=${AWS_BATCH_JOB_ARRAY_INDEX:-0}
    out="$work/shard-$index-of-$count.json"
    set +e
    "$hipaa" scan --organization --shard "$index/$count" --format json -o "$out" --no-progress \
      "${scope[@]}" "${extra[@]}"
    code=$?
    set -e
    if ! finished "$code"; then
      echo "hipaa-batch: shard $index/$count: hipaa scan exited $code" >&2
      exit "$code"
    fi
    $results put "$bucket" "$prefix/shard-$index-of-$count.json" "$out" "$code"
    echo "hipaa-batch: shard $index/$count of run $run: s3://$bucket/$prefix/shard-$index-of-$count.json (scan exit $code)"
    ;;
  merge)
    mkdir -p "$work/shards"
    $results get-all "$bucket" "$prefix/shard-" "$work/shards"
    set +e
    "$hipaa" merge "$work"/shards/*.json "${scope[@]}" --format json -o "$work/organization.json"
    code=$?
    set -e
    if ! finished "$code"; then
      echo "hipaa-batch: merge of run $run: hipaa merge exited $code" >&2
      exit "$code"
    fi
    "$hipaa" report "$work/organization.json" --format html -o "$work/organization.html"
    $results put "$bucket" "$prefix/organization.json" "$work/organization.json" "$code"
    $results put "$bucket" "$prefix/organization.html" "$work/organization.html" "$code"
    echo "hipaa-batch: run $run merged: s3://$bucket/$prefix/organization.json (exit $code)"
    ;;
  *)
    echo "hipaa-batch: HIPAA_MODE must be scan or merge, not \`$mode\`" >&2
    exit 2
    ;;
esac
