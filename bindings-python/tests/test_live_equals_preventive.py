"""Live equals preventive: a stack synthesized by aws-cdk-lib is judged from its template, then
created in moto with CloudFormation `CreateStack` and scanned; every resource both modes judge
gets the same control id and the same status, for the properties moto's CloudFormation applies.

moto creates the stack in its own server here (127.0.0.1), not the shared fixture account."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

import hipaa_aws
import moto_server
from conftest import FAKE_CREDENTIALS, REPO

TEMPLATE_DIR = REPO / "hipaa-core" / "tests" / "data" / "iac" / "cdk" / "live" / "cdk.out"
TEMPLATE = TEMPLATE_DIR / "Live.template.json"
REGION = "us-east-1"

# Controls compared: moto's CloudFormation applies the properties they read (KMS key rotation and
# policy, S3 default encryption, security-group ingress, log-group retention and key).
COMPARED = {
    "kms.key_rotation",
    "kms.key_usable",
    "kms.key_policy_not_public",
    "kms.key_policy_no_wildcard_grant",
    "kms.no_unconditioned_cross_account",
    "s3.default_encryption",
    "s3.default_encryption_kms",
    "s3.bucket_policy_not_public",
    "s3.bucket_acl_not_public",
    "s3.tls_only",
    "s3.access_logging",
    "ec2.sg_no_ssh_from_internet",
    "ec2.sg_no_rdp_from_internet",
    "ec2.sg_no_db_ports_from_internet",
    "ec2.sg_no_all_traffic_from_internet",
    "cloudwatch.log_group_retention",
    "cloudwatch.log_group_kms",
}

# Controls of the template's resources that are not compared, and why.
NOT_COMPARED = {
    "s3.versioning": "moto's CloudFormation drops VersioningConfiguration",
    "s3.bucket_public_access_block": "moto's CloudFormation drops PublicAccessBlockConfiguration",
    "s3.object_lock": "judged on PHI-tagged buckets only; the stack tags none",
    "s3.replication": "judged on PHI-tagged buckets only; the stack tags none",
    "secretsmanager.rotation": "moto's CloudFormation does not create AWS::SecretsManager::Secret with its properties",
    "secretsmanager.cmk_encryption": "moto's CloudFormation does not create AWS::SecretsManager::Secret with its properties",
    "secretsmanager.not_public": "moto's CloudFormation does not create AWS::SecretsManager::Secret with its properties",
    "scope.resources_classified": "judged by ARN: the template's stand-in ARNs and the live ARNs differ by design",
    "scope.phi_service_eligible": "judged by ARN: the template's stand-in ARNs and the live ARNs differ by design",
}


def moto_template() -> str:
    """The template as given to moto: a key policy written as an object (as CDK writes it) is
    passed through `Fn::ToJsonString`, because moto 5.2's CloudFormation stores the object
    unconverted and its `DescribeKey` then answers 500. The stack is the same; the preventive
    side reads the template unchanged."""
    t = json.loads(TEMPLATE.read_text())
    for r in t["Resources"].values():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::KMS::Key" and isinstance(props.get("KeyPolicy"), dict):
            props["KeyPolicy"] = {"Fn::ToJsonString": props["KeyPolicy"]}
    return json.dumps(t)


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh moto server with the `Live` stack created from its template; yields the URL and
    the logical id → physical id of every resource."""
    proc, url = moto_server.start()
    try:
        client = boto3.client(
            "cloudformation",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_stack(StackName="Live", TemplateBody=moto_template())
        status = client.describe_stacks(StackName="Live")["Stacks"][0]["StackStatus"]
        assert status == "CREATE_COMPLETE", status
        resources = client.list_stack_resources(StackName="Live")["StackResourceSummaries"]
        physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources if r.get("LogicalResourceId")}
        yield url, physical
    finally:
        moto_server.stop(proc)


def test_the_template_and_the_account_agree(stack: tuple[str, dict[str, str]]) -> None:
    url, physical = stack
    preventive = hipaa_aws.evaluate_template(TEMPLATE_DIR)
    live = hipaa_aws.scan(endpoint_url=url, regions=[REGION], max_attempts=2)
    by_key = {(f.control_id, f.resource.id): f for f in live}

    compared = 0
    for f in preventive:
        if f.location is None:
            continue  # account-level: the live account's to answer
        if f.control_id not in COMPARED:
            assert f.control_id in NOT_COMPARED or f.status == "NOT_APPLICABLE", (
                f"{f.control_id} on {f.resource.id} is neither compared nor listed with a reason"
            )
            continue
        assert f.resource.id in physical, f"moto did not create {f.resource.id}"
        # A live finding names the resource by its physical id: bucket or log group name, key or
        # group id.
        twin = by_key.get((f.control_id, physical[f.resource.id]))
        assert twin is not None, f"no live {f.control_id} finding for {f.resource.id} ({physical[f.resource.id]})"
        assert (f.control_id, f.status) == (twin.control_id, twin.status), (
            f"{f.control_id} {f.resource.id}: template {f.status} ({f.message}), live {twin.status} ({twin.message})"
        )
        compared += 1
    # Both keys, both buckets, both groups and both log groups were compared.
    assert compared >= 30, compared
    statuses = {(f.control_id, re.sub(r"[0-9A-F]{8}$", "", f.resource.id)): f.status for f in preventive}
    assert statuses[("kms.key_rotation", "Rotated")] == "PASS"
    assert statuses[("kms.key_rotation", "Unrotated")] == "FAIL"
    assert statuses[("ec2.sg_no_ssh_from_internet", "Ssh")] == "FAIL"
    assert statuses[("cloudwatch.log_group_retention", "Short")] == "FAIL"
