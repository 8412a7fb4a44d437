"""Every exception class, raised by a real bad input, carrying the Rust message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hipaa_aws
from hipaa_aws import AwsAccessError, BadInputError, ConfigurationError, HipaaError


def test_hierarchy() -> None:
    for cls in (ConfigurationError, AwsAccessError, BadInputError):
        assert issubclass(cls, HipaaError)
        assert cls.__module__ == "hipaa_aws"
    assert issubclass(HipaaError, Exception)


# ---- ConfigurationError: bad scan options and arguments --------------------------------------


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"endpoint_url": "localhost:5000"}, "`localhost:5000`"),
        ({"regions": ["US East"]}, "`US East` is not a region name"),
        ({"concurrency": 0}, "concurrency must be at least 1"),
        ({"max_attempts": 0}, "max attempts must be at least 1"),
    ],
)
def test_bad_scan_options(options: dict, needle: str) -> None:
    with pytest.raises(ConfigurationError, match=needle) as e:
        hipaa_aws.scan(**options)
    assert e.value.kind == "config"
    assert e.value.code == "HIPAA_CONFIG"
    with pytest.raises(ConfigurationError, match=needle):
        hipaa_aws.snapshot(**options)


def test_bad_severity_and_format() -> None:
    report = hipaa_aws.demo()
    with pytest.raises(ConfigurationError, match="unknown severity `urgent`") as e:
        report.failed(severity="urgent")
    assert e.value.kind == "argument"
    assert e.value.code == "HIPAA_CONFIG"
    with pytest.raises(ConfigurationError, match="unknown severity"):
        report.gate(fail_on="urgent")
    with pytest.raises(ConfigurationError, match="unknown report format `pdf`"):
        report.save("report.pdf", format="pdf")


# ---- AwsAccessError: the scan could not run at all ------------------------------------------


def test_no_credentials_is_an_access_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No credentials anywhere in the chain (and never the EC2 metadata address): nothing can be read.
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    with pytest.raises(AwsAccessError, match="no AWS credentials") as e:
        hipaa_aws.scan(endpoint_url="http://127.0.0.1:9", regions=["us-east-1"], max_attempts=1)
    assert e.value.kind == "aws"
    assert e.value.code == "HIPAA_AWS_ACCESS"
    with pytest.raises(AwsAccessError):
        hipaa_aws.snapshot(endpoint_url="http://127.0.0.1:9", regions=["us-east-1"], max_attempts=1)


def test_unreachable_endpoint_is_an_incomplete_report_not_an_exception() -> None:
    # Like the CLI (exit 4) and the Node gate: failed reads are ERROR findings, never PASS.
    report = hipaa_aws.scan(endpoint_url="http://127.0.0.1:9", regions=["us-east-1"], max_attempts=1)
    assert report.completeness.reads_failed > 0
    assert report.gate().exit_code == 4
    assert all(f.status in ("ERROR", "MANUAL", "INHERITED") for f in report.findings)


# ---- BadInputError: malformed or unreadable scope, snapshot, report, catalog -----------------


def test_malformed_scope_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "my-scope.toml"
    path.write_text('regions = ["us-east-1"]\nmode = "sometimes"\n')
    with pytest.raises(BadInputError, match="line 2") as e:
        hipaa_aws.Scope.load(path)
    assert e.value.kind == "scope"
    assert e.value.path == str(path)
    assert "my-scope.toml" in str(e.value)
    # Through the scan functions too (a path is loaded like --scope).
    with pytest.raises(BadInputError, match="line 2"):
        hipaa_aws.evaluate(hipaa_aws.demo_snapshot(), scope=path)


def test_bad_scope_keywords() -> None:
    with pytest.raises(BadInputError, match="unknown field `colour`") as e:
        hipaa_aws.Scope(colour="blue")
    assert e.value.kind == "scope"
    with pytest.raises(BadInputError, match="not 12 digits"):
        hipaa_aws.Scope(accounts=[{"id": "12", "baa": "signed"}])
    with pytest.raises(BadInputError, match="sometimes"):
        hipaa_aws.Scope(mode="sometimes")
    with pytest.raises(BadInputError, match="2027-06-30"):
        hipaa_aws.Scope(waivers=[{"control": "s3.access_logging", "resource": "*",
                                  "justification": "j", "owner": "o", "expires": "soon"}])


def test_waiver_for_unknown_control() -> None:
    scope = hipaa_aws.Scope(waivers=[{"control": "s3.no_such_control", "resource": "*",
                                      "justification": "j", "owner": "o", "expires": "2030-01-01"}])
    with pytest.raises(BadInputError, match="unknown control `s3.no_such_control`"):
        hipaa_aws.evaluate(hipaa_aws.demo_snapshot(), scope=scope)


def test_malformed_snapshot(tmp_path: Path) -> None:
    bad = tmp_path / "evidence.json"
    bad.write_text('{"schema_version": 1,\n "taken_at": ')
    with pytest.raises(BadInputError, match="line 2") as e:
        hipaa_aws.load_snapshot(bad)
    assert e.value.kind == "snapshot"
    assert e.value.code == "HIPAA_BAD_INPUT"
    assert e.value.path == str(bad)
    future = json.loads(hipaa_aws.demo_snapshot().to_json())
    future["schema_version"] = 99
    with pytest.raises(BadInputError, match="schema_version"):
        hipaa_aws.Snapshot.from_json(json.dumps(future))


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    for load in (hipaa_aws.load_snapshot, hipaa_aws.load_report, hipaa_aws.Scope.load):
        with pytest.raises(BadInputError, match="cannot access") as e:
            load(missing)  # type: ignore[operator]
        assert e.value.kind == "io"
        assert e.value.path == str(missing)


def test_malformed_report(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"schema_version": "7.0", "findings": []}')
    with pytest.raises(BadInputError, match="unsupported schema_version `7.0`") as e:
        hipaa_aws.load_report(path)
    assert e.value.kind == "report"
    with pytest.raises(BadInputError):
        hipaa_aws.Report.from_json("[1, 2")


BAD_CATALOG = """
[[control]]
id = "custom.thing"
title = "A custom control"
category = "logging"
citations = ["164.999(z)"]
owner = "customer"
severity = "low"
resource_kind = "AwsAccount"
check = "manual"
rationale = "r"
remediation = { console = "c", cli = "aws example" }
"""


def test_malformed_catalog(tmp_path: Path) -> None:
    path = tmp_path / "our-controls.toml"
    path.write_text(BAD_CATALOG)
    with pytest.raises(BadInputError, match="164.999") as e:
        hipaa_aws.controls(catalogs=[path])
    assert e.value.kind == "catalog"
    # As a scope's extra catalog, relative to the scope file.
    scope_path = tmp_path / "scope.toml"
    scope_path.write_text('[controls]\nextra_catalogs = ["our-controls.toml"]\n')
    with pytest.raises(BadInputError, match="164.999"):
        hipaa_aws.evaluate(hipaa_aws.demo_snapshot(), scope=scope_path)


def test_automated_control_without_a_check(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(BAD_CATALOG.replace("164.999(z)", "164.312(b)").replace('"manual"', '"automated"'))
    scope_path = tmp_path / "scope.toml"
    scope_path.write_text('[controls]\nextra_catalogs = ["extra.toml"]\n')
    with pytest.raises(BadInputError, match="custom.thing") as e:
        hipaa_aws.evaluate(hipaa_aws.demo_snapshot(), scope=scope_path)
    assert e.value.kind == "check"
