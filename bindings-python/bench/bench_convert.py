"""Benchmark (not a test): how long a big report takes to become records and a DataFrame.

    python bindings-python/bench/bench_convert.py [--findings 100000] [--repeat 3] [--scan-scale N]

The report is real: the bundled demo evidence with its S3 buckets replicated (each copy renamed,
policies included) until evaluation yields at least --findings findings, evaluated by the core.
Times are the best of --repeat runs. With --scan-scale N it also seeds the moto fixture at scale N
(tests/fixture, 127.0.0.1 only), times a scan of it, and prints conversion time as a share of
the scan time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import hipaa_aws

REPO = Path(__file__).resolve().parents[2]


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def scaled_snapshot(min_findings: int) -> hipaa_aws.Snapshot:
    """The demo evidence with its buckets copied until evaluation gives >= min_findings findings."""
    data = json.loads(hipaa_aws.demo_snapshot().to_json())
    scope = hipaa_aws.Scope.demo()
    base = hipaa_aws.evaluate(hipaa_aws.Snapshot.from_json(json.dumps(data)), scope)
    buckets = data["services"]["s3"]["buckets"]["known"]
    per_bucket = sum(1 for f in base if f.resource.kind == "AwsS3Bucket") / len(buckets)
    copies = max(0, int((min_findings - len(base)) / (per_bucket * len(buckets))) + 1)
    templates = [(b["name"], json.dumps(b)) for b in buckets]
    for i in range(copies):
        for name, text in templates:
            buckets.append(json.loads(text.replace(name, f"{name}-copy{i}")))
    return hipaa_aws.Snapshot.from_json(json.dumps(data))


def conversions(report: hipaa_aws.Report, repeat: int) -> dict[str, float]:
    times: dict[str, float] = {}
    times["to_records"], records = best_of(repeat, report.to_records)
    assert len(records) == len(report)
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas is not installed: skipping to_pandas (pip install pandas)")
    else:
        times["to_pandas"], df = best_of(repeat, report.to_pandas)
        assert len(df) == len(report)
    # A fresh wrapper each time: Report caches its findings after the first access.
    times["findings (typed objects)"], _ = best_of(
        repeat, lambda: hipaa_aws.Report(report._native).findings)
    times["to_json"], _ = best_of(repeat, report.to_json)
    return times


def scan_share(scale: int, repeat: int) -> None:
    sys.path.insert(0, str(REPO / "tests" / "fixture"))
    import moto_server
    import seed

    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_REGION": "us-east-1"})
    os.environ.pop("AWS_PROFILE", None)
    proc, url = moto_server.start()
    try:
        t0 = time.perf_counter()
        seed.seed(url, scale=scale)
        print(f"\nseeded the x{scale} fixture in {time.perf_counter() - t0:.1f} s")
        scope = REPO / "hipaa-core" / "data" / "demo" / "scope.toml"
        scan_s, report = best_of(1, lambda: hipaa_aws.scan(
            endpoint_url=url, regions=["us-east-1", "us-west-2"], scope=scope, max_attempts=2))
        print(f"scan of the x{scale} fixture: {scan_s:.2f} s, {len(report):,} findings")
        for name, t in conversions(report, repeat).items():
            print(f"  {name:<26} {t * 1000:9.1f} ms  ({100 * t / scan_s:5.2f}% of the scan)")
    finally:
        moto_server.stop(proc)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scan-scale", type=int, default=0, metavar="N")
    a = ap.parse_args()

    t0 = time.perf_counter()
    snapshot = scaled_snapshot(a.findings)
    build_s = time.perf_counter() - t0
    eval_s, report = best_of(1, lambda: hipaa_aws.evaluate(snapshot, hipaa_aws.Scope.demo()))
    print(f"hipaa_aws {hipaa_aws.__version__}: report of {len(report):,} findings "
          f"(snapshot built in {build_s:.2f} s, evaluated in {eval_s:.2f} s)")
    times = conversions(report, a.repeat)
    for name, t in times.items():
        flag = "" if name not in ("to_records", "to_pandas") else ("  ok (< 1 s)" if t < 1 else "  SLOW (>= 1 s)")
        print(f"  {name:<26} {t * 1000:9.1f} ms{flag}")
    if a.scan_scale:
        scan_share(a.scan_scale, a.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
