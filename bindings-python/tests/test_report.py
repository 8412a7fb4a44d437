"""The report API on the bundled demo (no network): typed findings, verdicts, conversions,
pandas, HTML, saving; plus scopes, the catalog and the registry against the CLI."""

from __future__ import annotations

import datetime
import html
import json
import re
import sys
from pathlib import Path

import pytest

import hipaa_aws
from conftest import DEMO_SCOPE, run_cli, without_times

STATUSES = ["FAIL", "ERROR", "MANUAL", "WAIVED", "PASS", "INHERITED", "NOT_APPLICABLE"]
SEVERITIES = ["informational", "low", "medium", "high", "critical"]


@pytest.fixture(scope="module")
def report() -> hipaa_aws.Report:
    return hipaa_aws.demo()


def test_demo_equals_the_cli(report: hipaa_aws.Report) -> None:
    out = run_cli("demo", "--format", "json")
    assert out.returncode == 0, out.stderr
    # The demo is evaluated as of its recorded time, so even the timestamps agree.
    assert json.loads(report.to_json()) == json.loads(out.stdout)


def test_findings_are_typed(report: hipaa_aws.Report) -> None:
    raw = json.loads(report.to_json())["findings"]
    assert len(report) == len(report.findings) == len(raw) > 0
    for f, d in zip(report, raw):
        assert isinstance(f, hipaa_aws.Finding)
        assert f.control_id == d["control_id"]
        assert f.title == d["title"]
        assert f.category == d["category"]
        assert f.citations == d["citations"]
        assert f.owner == d["owner"] and f.owner in ("aws", "customer", "shared")
        assert f.severity == d["severity"] and f.severity in SEVERITIES
        assert f.status == d["status"] and f.status in STATUSES
        assert f.message == d["message"]
        r = f.resource
        assert isinstance(r, hipaa_aws.Resource)
        assert (r.arn, r.id, r.kind, r.account, r.region) == (
            d["resource"]["arn"], d["resource"]["id"], d["resource"]["kind"],
            d["resource"]["account"], d["resource"]["region"],
        )
        assert r.name == d["resource"].get("name")
        assert r.phi == d["resource"].get("phi")
        assert isinstance(f.remediation, hipaa_aws.Remediation)
        assert f.remediation.console == d["remediation"]["console"]
        assert f.remediation.cli == d["remediation"].get("cli")
        assert f.remediation.terraform == d["remediation"].get("terraform")
        assert f.reason == d.get("reason")
        assert f.waiver == d.get("waiver")
        assert f.to_dict() == d
    waived = [f for f in report if f.status == "WAIVED"]
    assert waived and all(f.waiver is not None for f in waived)
    assert "Finding(" in repr(report.findings[0])


def test_summary_and_completeness(report: hipaa_aws.Report) -> None:
    s = report.summary
    for key in ("totals", "controls", "by_severity", "by_safeguard", "by_owner", "by_category",
                "by_citation", "completeness"):
        assert key in s
    assert s["totals"]["total"] == len(report)
    for status in STATUSES:
        assert s["totals"][status] == sum(1 for f in report if f.status == status)
    c = report.completeness
    assert isinstance(c, hipaa_aws.Completeness)
    assert c.complete and bool(c)
    assert c.reads_failed == 0 and c.reads_attempted > 0
    assert c.failed_reads == []
    assert c.to_dict() == s["completeness"]
    assert report.account == "123456789012"
    assert isinstance(report.generated_at, datetime.datetime)
    assert report.tool["name"] == "hipaa-aws"


def test_failed_gate_and_exit_code(report: hipaa_aws.Report) -> None:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    for sev in SEVERITIES:
        want = [f for f in report if f.status == "FAIL" and order[f.severity] >= order[sev]]
        assert report.failed(severity=sev) == want
    assert report.failed() == [f for f in report if f.status == "FAIL"]
    gate = report.gate(fail_on="critical")
    assert isinstance(gate, hipaa_aws.Gate)
    assert not gate.ok and not gate
    assert gate.exit_code == 3 == report.exit_code("critical")
    assert gate.failures == report.failed("critical")
    assert report.exit_code() == 3


def test_gate_on_an_incomplete_report() -> None:
    # Drop every S3 read from the demo evidence: S3 findings become ERROR, nothing FAILs at critical.
    data = json.loads(hipaa_aws.demo_snapshot().to_json())
    data["services"]["s3"]["buckets"] = {
        "unknown": {"reason": "access_denied", "operation": "s3:ListBuckets", "detail": "AccessDenied"}
    }
    data["reads"]["failures"].append({"operation": "s3:ListBuckets", "resource": "",
                                      "reason": "access_denied", "detail": "AccessDenied"})
    incomplete = hipaa_aws.evaluate(hipaa_aws.Snapshot.from_json(json.dumps(data)), scope=DEMO_SCOPE)
    assert not incomplete.completeness.complete
    assert any(f.status == "ERROR" and f.reason == "access_denied" for f in incomplete)
    assert incomplete.completeness.failed_reads[-1]["operation"] == "s3:ListBuckets"
    # Incomplete wins over failures: 4 at any threshold, even where the demo still FAILs.
    assert incomplete.failed("informational")
    assert incomplete.exit_code("informational") == 4 == incomplete.gate().exit_code
    # Allowing an incomplete scan never hides a failure it found.
    assert incomplete.gate(allow_incomplete=True).exit_code == 3
    if not incomplete.failed("critical"):
        assert incomplete.exit_code("critical") == 4
        assert incomplete.gate("critical").exit_code == 4
        assert incomplete.gate("critical", allow_incomplete=True).ok


def test_json_round_trip_and_save(report: hipaa_aws.Report, tmp_path: Path) -> None:
    again = hipaa_aws.Report.from_json(report.to_json())
    assert again.findings == report.findings
    assert again.summary == report.summary
    p = report.save(tmp_path / "report.json")
    assert hipaa_aws.load_report(p).to_json() == report.to_json()
    md = report.save(tmp_path / "report.md", format="markdown").read_text()
    assert md == report.to_markdown()
    assert "iam.root_mfa" in md
    page = report.save(tmp_path / "report.html", format="html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "iam.root_mfa" in page
    assert report.to_dict() == json.loads(report.to_json())


def test_records(report: hipaa_aws.Report) -> None:
    records = report.to_records()
    columns = hipaa_aws.Report.record_columns()
    assert len(records) == len(report)
    for rec, f in zip(records, report):
        assert list(rec) == columns
        assert rec["control_id"] == f.control_id
        assert rec["status"] == f.status
        assert rec["severity"] == f.severity
        assert rec["citations"] == f.citations
        assert rec["resource_arn"] == f.resource.arn
        assert rec["resource_name"] == f.resource.name
        assert rec["resource_phi"] == f.resource.phi
        assert rec["remediation_cli"] == f.remediation.cli
        assert rec["reason"] == f.reason
        assert rec["safeguards"] and set(rec["safeguards"]) <= {
            "administrative", "physical", "technical", "organizational", "documentation"}
        assert all(not isinstance(v, dict) for v in rec.values()), "records are flat"
    by_citation = {c.citation: c.safeguard for c in hipaa_aws.citations()}
    for rec in records:
        assert rec["safeguards"] == list(dict.fromkeys(by_citation[c] for c in rec["citations"]))


def test_to_pandas_columns_and_dtypes(report: hipaa_aws.Report) -> None:
    pd = pytest.importorskip("pandas")
    df = report.to_pandas()
    assert list(df.columns) == hipaa_aws.Report.record_columns()
    assert len(df) == len(report)
    for col in ("category", "owner", "status"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
        assert not df[col].cat.ordered
    assert list(df["status"].cat.categories) == STATUSES
    assert list(df["owner"].cat.categories) == ["aws", "customer", "shared"]
    assert df["severity"].cat.ordered
    assert list(df["severity"].cat.categories) == SEVERITIES
    assert df["resource_phi"].dtype == "boolean"
    for col in ("citations", "safeguards"):
        assert df[col].dtype == object
    strings = ["control_id", "title", "resource_arn", "resource_id", "resource_kind", "resource_account",
               "resource_region", "resource_name", "message", "remediation_console", "remediation_cli",
               "remediation_terraform", "reason"]
    for col in strings:
        assert isinstance(df[col].dtype, pd.StringDtype), col
    # Same values as the records (missing values become <NA>).
    records = report.to_records()
    for i in (0, len(df) // 2, len(df) - 1):
        row = df.iloc[i]
        for col, want in records[i].items():
            got = row[col]
            if want is None:
                assert got is pd.NA, (i, col, got)
            else:
                assert got == want, (i, col)
    # Ordered severity: filtering and sorting work as analysts expect.
    assert len(df[(df.status == "FAIL") & (df.severity >= "high")]) == len(report.failed("high"))
    per_safeguard = df[df.status == "FAIL"].explode("safeguards").groupby("safeguards").size()
    assert per_safeguard.sum() >= len(report.failed())


def test_to_pandas_without_pandas(report: hipaa_aws.Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="pip install pandas"):
        report.to_pandas()


def test_repr_html_shows_every_finding(report: hipaa_aws.Report) -> None:
    page = report._repr_html_()
    rows = re.findall(r"<tr><td [^>]*><span class=\"hipaa-status[^\"]*\"[^>]*>([A-Z_]+)</span>", page)
    assert rows == [f.status for f in report], "one row per finding, in report order"
    for f in report:
        assert html.escape(f.control_id) in page
        assert html.escape(f.resource.name or f.resource.id) in page
        assert html.escape(f.message) in page
    for status, colour in hipaa_aws.report.STATUS_COLOURS.items():
        if any(f.status == status for f in report):
            assert colour in page
    totals = report.summary["totals"]
    assert f"<b>{totals['FAIL']}</b>" in page
    # A long report is cut for display, saying how much is hidden.
    short = report.to_html(max_findings=5)
    assert short.count('<tr><td') == 5
    assert f"{len(report) - 5} more findings not shown" in short


def test_scope_from_keywords_equals_the_file() -> None:
    from_file = hipaa_aws.Scope.load(DEMO_SCOPE)
    kwargs = from_file.to_dict()
    assert hipaa_aws.Scope(**kwargs) == from_file
    assert hipaa_aws.Scope.from_toml(from_file.to_toml()) == from_file
    assert hipaa_aws.Scope.demo() == from_file
    assert from_file.regions == ["us-east-1", "us-west-2"]
    assert from_file.mode == "all"
    # Dates may be datetime.date objects.
    kwargs["waivers"][0]["expires"] = datetime.date(2027, 6, 30)
    assert hipaa_aws.Scope(**kwargs) == from_file
    default = hipaa_aws.Scope()
    assert default.to_dict()["phi"] == {"tag_key": "DataClass", "tag_values": ["PHI"]}
    assert default.to_dict()["thresholds"]["password_min_length"] == 14


def test_scope_changes_the_evaluation() -> None:
    snapshot = hipaa_aws.demo_snapshot()
    base = hipaa_aws.evaluate(snapshot, scope=DEMO_SCOPE)
    fewer = hipaa_aws.evaluate(snapshot, scope=hipaa_aws.Scope(controls={"disable": ["iam.root_mfa"]}))
    assert any(f.control_id == "iam.root_mfa" for f in base)
    assert not any(f.control_id == "iam.root_mfa" for f in fewer)
    phi_only = hipaa_aws.evaluate(snapshot, scope=hipaa_aws.Scope(mode="phi-only"))
    assert phi_only.scope_info["mode"] == "phi-only"


def test_controls_and_citations_equal_the_cli() -> None:
    out = run_cli("controls", "--format", "json")
    assert out.returncode == 0, out.stderr
    controls = hipaa_aws.controls()
    assert [c.to_dict() for c in controls] == json.loads(out.stdout)
    assert {c.owner for c in controls} <= {"aws", "customer", "shared"}
    assert {c.check for c in controls} <= {"automated", "manual", "inherited", "organization"}
    out = run_cli("citations", "--format", "json")
    assert out.returncode == 0, out.stderr
    citations = hipaa_aws.citations()
    assert [c.to_dict() for c in citations] == json.loads(out.stdout)
    assert len(citations) == 68
    assert {c.owner for c in citations} == {"aws", "customer", "shared"}
    enc = next(c for c in citations if c.citation == "164.312(a)(2)(iv)")
    assert enc.safeguard == "technical" and enc.requirement == "addressable"
    assert "s3.default_encryption" in enc.controls


def test_the_proposed_rule_is_a_thin_option_equal_to_the_cli(tmp_path: Path) -> None:
    nprm = hipaa_aws.demo(framework="hipaa-nprm-2025")
    out = run_cli("demo", "--format", "json", "--framework", "hipaa-nprm-2025")
    assert out.returncode == 0, out.stderr
    assert json.loads(nprm.to_json()) == json.loads(out.stdout)
    assert nprm.framework["status"] == "proposed"
    assert "not compliance" in nprm.framework["banner"]
    assert "not compliance" in nprm.to_html()
    base = hipaa_aws.demo()
    assert base.framework["id"] == "hipaa-2013" and "banner" not in base.framework
    key = lambda r: sorted((f.control_id, f.resource.arn, f.status) for f in r)  # noqa: E731
    assert key(nprm) == key(base)
    path = tmp_path / "base.json"
    base.save(path)
    regrouped = hipaa_aws.load_report(path, framework="hipaa-nprm-2025")
    assert regrouped.summary["by_citation"] == nprm.summary["by_citation"]
    evaluated = hipaa_aws.evaluate(
        hipaa_aws.demo_snapshot(), scope=DEMO_SCOPE, framework="hipaa-nprm-2025"
    )
    assert evaluated.framework["id"] == "hipaa-nprm-2025"
    cits = hipaa_aws.citations(framework="hipaa-nprm-2025")
    out = run_cli("citations", "--format", "json", "--framework", "hipaa-nprm-2025")
    assert [c.to_dict() for c in cits] == json.loads(out.stdout)
    with pytest.raises(hipaa_aws.ConfigurationError):
        hipaa_aws.demo(framework="hipaa-1999")


def test_offline_evaluation_of_the_demo_matches_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "demo-evidence.json"
    hipaa_aws.demo_snapshot().save(path)
    ours = hipaa_aws.evaluate(path, scope=DEMO_SCOPE)
    out = run_cli("evaluate", str(path), "--scope", str(DEMO_SCOPE), "--format", "json")
    assert out.returncode == 3, out.stderr
    assert without_times(json.loads(ours.to_json())) == without_times(json.loads(out.stdout))
