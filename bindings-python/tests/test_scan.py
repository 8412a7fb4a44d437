"""Live scans of the moto fixture through the Python API, compared with the fixture's expected
findings, with the `hipaa` command's JSON, and with offline evaluation of the saved evidence."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
from pathlib import Path

import pytest

import hipaa_aws
from conftest import DEMO_SCOPE, REGIONS, automated, run_cli, without_times


def test_scan_reports_every_seeded_problem(
    live_report: hipaa_aws.Report, expected: set, moto_gaps: set
) -> None:
    got = automated(live_report.findings)
    assert got == expected, f"missing: {sorted(expected - got)}\nunexpected: {sorted(got - expected)}"
    # Only the reads moto does not implement fail.
    assert {r["operation"] for r in live_report.completeness.failed_reads} == moto_gaps
    assert live_report.account == "123456789012"
    assert live_report.exit_code() == 3
    assert live_report.gate(fail_on="informational").exit_code == 3


def test_scan_equals_the_cli_json(
    live_report: hipaa_aws.Report, cli_scan: subprocess.CompletedProcess[str]
) -> None:
    assert cli_scan.returncode == 3, cli_scan.stderr
    cli = json.loads(cli_scan.stdout)
    ours = json.loads(live_report.to_json())
    assert ours["findings"] == cli["findings"]
    # The first scan of a fresh server asks IAM twice to generate the credential report (the
    # second scan finds it ready), so the read counts may differ by that one call.
    for r in (ours, cli):
        r["summary"]["completeness"].pop("reads_attempted")
    assert without_times(ours) == without_times(cli)
    # The CLI's JSON read back through the binding gives the same typed findings.
    assert hipaa_aws.Report.from_json(cli_scan.stdout).findings == live_report.findings


def test_offline_evaluate_equals_the_live_scan(live_report: hipaa_aws.Report, tmp_path: Path) -> None:
    evidence = live_report.evidence
    assert evidence is not None
    assert evidence.account == "123456789012"
    assert evidence.regions == REGIONS
    path = tmp_path / "evidence.json"
    evidence.save(path)
    scope = hipaa_aws.Scope.load(DEMO_SCOPE)
    offline = hipaa_aws.evaluate(hipaa_aws.load_snapshot(path), scope=scope)
    assert offline.findings == live_report.findings
    assert offline.summary == live_report.summary
    # A path works too, and the CLI agrees on the saved evidence.
    assert hipaa_aws.evaluate(path, scope=DEMO_SCOPE).findings == live_report.findings
    out = run_cli("evaluate", str(path), "--scope", str(DEMO_SCOPE), "--format", "json")
    assert out.returncode == 3, out.stderr
    assert json.loads(out.stdout)["findings"] == json.loads(live_report.to_json())["findings"]


def test_snapshot_then_evaluate_equals_scan(
    moto_url: str, live_report: hipaa_aws.Report, moto_gaps: set
) -> None:
    evidence = hipaa_aws.snapshot(endpoint_url=moto_url, regions="us-east-1,us-west-2", max_attempts=2)
    assert {r["operation"] for r in evidence.failed_reads} == moto_gaps
    assert evidence.reads_attempted > 0
    assert evidence.calls["sts:GetCallerIdentity"] == 1
    report = hipaa_aws.evaluate(evidence, scope=hipaa_aws.Scope.load(DEMO_SCOPE))
    assert automated(report.findings) == automated(live_report.findings)


def test_scan_async_equals_scan(moto_url: str, live_report: hipaa_aws.Report) -> None:
    async def main() -> hipaa_aws.Report:
        # Two scans at once on the one runtime, while the event loop stays free.
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        t = asyncio.ensure_future(ticker())
        a, b = await asyncio.gather(
            hipaa_aws.scan_async(endpoint_url=moto_url, regions=REGIONS, scope=DEMO_SCOPE, max_attempts=2),
            hipaa_aws.scan_async(endpoint_url=moto_url, regions=REGIONS, scope=DEMO_SCOPE, max_attempts=2),
        )
        t.cancel()
        assert ticks > 1, "the event loop was blocked during the scan"
        assert a.findings == b.findings
        return a

    report = asyncio.run(main())
    assert automated(report.findings) == automated(live_report.findings)


def test_progress_callback_is_called(moto_url: str) -> None:
    calls: list[tuple[int, int, str]] = []
    threads: set[int] = set()

    def progress(done: int, total: int, stage: str) -> None:
        calls.append((done, total, stage))
        threads.add(threading.get_ident())

    hipaa_aws.snapshot(endpoint_url=moto_url, regions=REGIONS, progress=progress, max_attempts=2)
    assert len(calls) > 10
    assert all(isinstance(s, str) and s for _, _, s in calls)
    assert all(0 <= d <= t for d, t, _ in calls)
    done, total, _ = calls[-1]
    assert done == total
    assert "identity" in {s for _, _, s in calls}


def test_progress_callback_error_cancels_the_scan(moto_url: str) -> None:
    seen = []

    def progress(done: int, total: int, stage: str) -> None:
        seen.append(done)
        if len(seen) == 3:
            raise ValueError("progress bar broke")

    with pytest.raises(ValueError, match="progress bar broke"):
        hipaa_aws.scan(endpoint_url=moto_url, regions=REGIONS, progress=progress, max_attempts=2)
    assert len(seen) == 3, "the callback was called again after it raised"


def test_progress_callback_error_in_scan_async(moto_url: str) -> None:
    def progress(done: int, total: int, stage: str) -> None:
        raise KeyError(stage)

    async def main() -> None:
        await hipaa_aws.scan_async(endpoint_url=moto_url, regions=REGIONS, progress=progress, max_attempts=2)

    with pytest.raises(KeyError):
        asyncio.run(main())
