"""Preventive mode from Python: templates, CDK output and Terraform plans judged with the controls
of a live scan, the same findings as `hipaa iac`, and typed errors for bad input (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hipaa_aws
from conftest import REPO, run_cli

IAC = REPO / "hipaa-core" / "tests" / "data" / "iac"
TEMPLATE = IAC / "cloudformation" / "short-forms" / "template.yaml"
PLAN = IAC / "terraform" / "module" / "plan.json"


def keys(findings: list[dict]) -> set[tuple[str, str, str]]:
    return {(f["control_id"], f["resource"]["id"], f["status"]) for f in findings}


def test_a_template_gives_the_findings_of_the_cli() -> None:
    report = hipaa_aws.evaluate_template(TEMPLATE)
    out = run_cli("iac", str(TEMPLATE), "--format", "json")
    assert out.returncode == 4, out.stderr
    assert keys(json.loads(report.to_json())["findings"]) == keys(json.loads(out.stdout)["findings"])
    public = next(f for f in report if f.control_id == "s3.bucket_policy_not_public" and f.resource.id == "Public")
    assert public.status == "FAIL"
    assert public.location == {"file": str(TEMPLATE), "line": 91, "column": 3}
    assert report.evidence is not None and report.evidence.source.startswith("cloudformation ")


def test_what_the_code_leaves_open_is_error_never_pass() -> None:
    report = hipaa_aws.evaluate_template(TEMPLATE)
    open_ = [f for f in report if f.status == "ERROR"]
    assert open_ and all(f.reason == "unknown_until_apply" for f in open_)
    assert any(f.resource.id == "AccessLogs" and "SharedKeyArn" in f.message for f in open_)
    assert report.exit_code() == 4
    assert not report.gate("critical").ok
    # Given the parameter, the bucket's encryption is known.
    given = hipaa_aws.evaluate_template(TEMPLATE, parameters={"SharedKeyArn": "arn:aws:kms:us-east-1:111122223333:key/k"})
    logs = [f for f in given if f.resource.id == "AccessLogs" and f.control_id == "s3.default_encryption"]
    assert [f.status for f in logs] == ["PASS"]
    assert "unknown_until_apply" in hipaa_aws.vocabulary()["reason"]


def test_a_plan_names_resources_by_address_and_points_at_the_tf_file() -> None:
    report = hipaa_aws.evaluate_plan(PLAN)
    acl = next(f for f in report if f.control_id == "s3.bucket_acl_not_public" and f.status == "FAIL")
    assert acl.resource.id == "aws_s3_bucket.scratch"
    assert acl.location is not None and acl.location["file"].endswith("terraform/module/main.tf")
    assert acl.location["line"] == 8
    module = [f for f in report if f.resource.id.startswith("module.phi.")]
    assert module and all(f.location and f.location["file"].endswith("modules/phi/main.tf") for f in module)


def test_a_scope_applies_to_code_as_to_an_account() -> None:
    scope = hipaa_aws.Scope.from_toml(
        '[[waivers]]\ncontrol = "s3.bucket_acl_not_public"\nresource = "aws_s3_bucket.scratch"\n'
        'justification = "public website"\nowner = "web"\nexpires = "2099-01-01"\n'
    )
    report = hipaa_aws.evaluate_plan(PLAN, scope=scope)
    acl = next(f for f in report if f.control_id == "s3.bucket_acl_not_public" and f.resource.id == "aws_s3_bucket.scratch")
    assert acl.status == "WAIVED"


def test_bad_code_is_a_typed_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("Resources:\n  B:\n    Type: [\n")
    with pytest.raises(hipaa_aws.BadInputError) as e:
        hipaa_aws.evaluate_template(bad)
    assert "broken.yaml" in str(e.value) and "line 4" in str(e.value)
    assert e.value.code == "HIPAA_BAD_INPUT"
    with pytest.raises(hipaa_aws.BadInputError, match="Terraform plan"):
        hipaa_aws.evaluate_template(PLAN)
    with pytest.raises(hipaa_aws.BadInputError, match="CloudFormation template"):
        hipaa_aws.evaluate_plan(TEMPLATE)
