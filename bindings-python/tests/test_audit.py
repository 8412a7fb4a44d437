"""Audit artefacts: report diffs and trends, the risk register, attestations and evidence bundles
(offline: the bundled sample environment, no moto)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import hipaa_aws

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "hipaa-core" / "data" / "demo"

ATTESTATION = """
[[attestation]]
control = "admin.risk_analysis"
by = "Jane Roe, Security Officer"
date = 2026-03-01
evidence = "risk/2026-risk-analysis.pdf"
expires = 2027-03-01
"""


@pytest.fixture(scope="module")
def evidence() -> hipaa_aws.Snapshot:
    return hipaa_aws.load_snapshot(DEMO / "snapshot.json")


def test_diff_of_a_report_with_itself_has_no_new_failures() -> None:
    report = hipaa_aws.demo()
    d = hipaa_aws.diff(report, report)
    assert d["new_failures"] == [] and d["fixed"] == [] and d["newly_unknown"] == []
    assert d["still_failing"]  # the sample environment has failures
    assert {"waivers_expiring", "old_generated_at", "new_generated_at"} <= d.keys()


def test_trend_has_one_point_per_report_oldest_first(evidence: hipaa_aws.Snapshot) -> None:
    old = hipaa_aws.demo()
    new = hipaa_aws.evaluate(evidence, scope=hipaa_aws.Scope.load(DEMO / "scope.toml"))
    points = hipaa_aws.trend([new, old])
    assert len(points) == 2
    assert points[0]["generated_at"] <= points[1]["generated_at"]
    assert points[0]["generated_at"] == old.to_dict()["generated_at"]


def test_risk_register_has_one_risk_per_fail_or_error() -> None:
    report = hipaa_aws.demo()
    register = report.risk_register()
    failing = [f for f in report.findings if f.status in ("FAIL", "ERROR")]
    assert len(register["risks"]) == len(failing) > 0
    assert {"as_of", "assets", "risks"} <= register.keys()
    csv = report.risks_csv(scope=hipaa_aws.Scope(remediation_days={"critical": 1}))
    assert len(csv.strip().splitlines()) == len(failing) + 1


def test_bundle_verifies_and_names_a_changed_file(evidence: hipaa_aws.Snapshot, tmp_path: Path) -> None:
    attestations = tmp_path / "attestations.toml"
    attestations.write_text(ATTESTATION)
    bundle = tmp_path / "bundle.zip"
    manifest = hipaa_aws.write_bundle(
        bundle, evidence, scope_file=DEMO / "scope.toml", attestations_file=attestations
    )
    paths = {f["path"] for f in manifest["files"]}
    assert {"report.json", "snapshot.json", "risks.csv", "scope.toml", "attestations.toml"} <= paths
    v = hipaa_aws.verify_bundle(bundle)
    assert v == {"ok": True, "manifest_intact": True, "changed": [], "missing": [], "unexpected": []}

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "risks.csv":
                data = bytes([data[0] ^ 1]) + data[1:]
            dst.writestr(item, data)
    v = hipaa_aws.verify_bundle(tampered)
    assert not v["ok"] and v["manifest_intact"]
    assert v["changed"] == ["risks.csv"]


def test_attestations_load_and_join_a_scope(tmp_path: Path) -> None:
    path = tmp_path / "attestations.toml"
    path.write_text(ATTESTATION)
    loaded = hipaa_aws.load_attestations(path)
    assert loaded[0]["control"] == "admin.risk_analysis" and loaded[0]["date"] == "2026-03-01"
    scope = hipaa_aws.Scope.load(DEMO / "scope.toml", attestations=path)
    assert scope.to_dict()["attestation"][-1] == loaded[0]
    assert hipaa_aws.Scope(attestation=loaded).to_dict()["attestation"] == loaded


def test_bad_attestations_and_missing_files_are_bad_input(
    evidence: hipaa_aws.Snapshot, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(ATTESTATION.replace("by = ", "who = "))
    with pytest.raises(hipaa_aws.BadInputError):
        hipaa_aws.load_attestations(bad)
    with pytest.raises(hipaa_aws.BadInputError):
        hipaa_aws.Scope.load(DEMO / "scope.toml", attestations=bad)
    with pytest.raises(hipaa_aws.BadInputError):
        hipaa_aws.Scope(attestation=[{"control": "admin.risk_analysis", "by": "x"}])
    with pytest.raises(hipaa_aws.BadInputError):
        hipaa_aws.write_bundle(tmp_path / "b.zip", evidence, attestations_file=bad)
    with pytest.raises(hipaa_aws.BadInputError) as e:
        hipaa_aws.write_bundle(tmp_path / "b.zip", evidence, attestations_file=tmp_path / "missing.toml")
    assert e.value.kind == "io"
    with pytest.raises(hipaa_aws.BadInputError):
        hipaa_aws.verify_bundle(tmp_path / "missing.zip")
    assert not (tmp_path / "b.zip").exists()
