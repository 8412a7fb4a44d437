"""Checked by mypy --strict (test_typing.py), never run: what an editor sees of the public API.
A `# type: ignore[code]` line must be an error, or strict mode reports the ignore as unused."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Optional

import hipaa_aws
from hipaa_aws import Finding, Report, Scope, Snapshot


def progress(done: int, total: int, stage: str) -> None:
    print(f"{stage}: {done}/{total}")


def scan_and_summarise(url: str) -> list[str]:
    report: Report = hipaa_aws.scan(
        regions=["us-east-1"], endpoint_url=url, scope="scope.toml", progress=progress, max_attempts=2
    )
    evidence: Optional[Snapshot] = report.evidence
    when: datetime = report.generated_at
    total: int = report.summary["totals"]["total"]
    lines = [f"{when.isoformat()} {total} {evidence.account if evidence else None}"]
    for f in report.failed(severity="high"):
        arn: str = f.resource.arn
        name: Optional[str] = f.resource.name
        phi: Optional[bool] = f.resource.phi
        cli: Optional[str] = f.remediation.cli
        lines.append(f"{f.status} {f.severity} {f.control_id} {arn} {name} {phi} {cli}")
    gate = report.gate(fail_on="critical", allow_incomplete=True)
    code: int = gate.exit_code
    ok: bool = gate.ok and report.completeness.complete
    lines.append(f"{code} {ok} {report.exit_code('high')}")
    records: list[dict[str, object]] = report.to_records()
    lines.append(str(len(records)))
    return lines


async def scan_later() -> Report:
    return await hipaa_aws.scan_async(profile="phi-prod", regions="us-east-1,us-west-2")


def offline() -> None:
    scope = Scope(regions=["us-east-1"], mode="phi-only")
    loaded: Scope = Scope.load("scope.toml")
    snap = hipaa_aws.load_snapshot("evidence.json")
    report = hipaa_aws.evaluate(snap, scope=scope)
    report.save("report.html", format="html")
    first: Finding = report.findings[0]
    status: str = first.status
    print(status, loaded.regions, asyncio.run(scan_later()))
    for c in hipaa_aws.controls():
        print(c.id, c.owner, c.check)
    for spec in hipaa_aws.citations():
        print(spec.citation, spec.safeguard, spec.controls)
    try:
        hipaa_aws.demo().failed("urgent")
    except hipaa_aws.ConfigurationError as e:
        print(e.kind, e.path)
    except hipaa_aws.AwsAccessError as e:
        print(e.kind, e)
    except hipaa_aws.HipaaError:
        raise


def audit(snap: Snapshot) -> bool:
    old, new = hipaa_aws.demo(), hipaa_aws.evaluate(snap, scope=Scope.load("scope.toml", attestations="a.toml"))
    changes: dict[str, Any] = hipaa_aws.diff(old, new)
    points: list[dict[str, Any]] = hipaa_aws.trend([old, new])
    risks: int = len(new.risk_register()["risks"])
    csv: str = new.risks_csv(scope=Scope(remediation_days={"critical": 7}))
    manifest = hipaa_aws.write_bundle("bundle.zip", snap, scope_file="scope.toml", attestations_file="a.toml")
    print(changes["fixed"], points, risks, csv, manifest["files"], hipaa_aws.load_attestations("a.toml"))
    ok: bool = hipaa_aws.verify_bundle("bundle.zip")["ok"]
    return ok


def before_deploy() -> int:
    report = hipaa_aws.evaluate_template("cdk.out", scope="scope.toml", parameters={"KeyArn": "arn:aws:kms:…"})
    plan = hipaa_aws.evaluate_plan("plan.json", region="us-east-1")
    for f in report.failed(severity="high"):
        at = f.location
        if at is not None:
            line: int = at["line"]
            print(f"{at['file']}:{line}", f.control_id, f.resource.id)
    reasons: list[str] = [f.reason for f in plan if f.reason is not None]
    print(reasons, "unknown_until_apply" in hipaa_aws.vocabulary()["reason"])
    return report.exit_code(fail_on="high")


def mistakes(report: Report, f: Finding) -> None:
    f.status = "PASS"  # type: ignore[misc]
    report.failed(severity=3)  # type: ignore[arg-type]
    hipaa_aws.scan(concurrency="many")  # type: ignore[arg-type]
    n: str = report.exit_code()  # type: ignore[assignment]
    print(n, f.resource.tags)  # type: ignore[attr-defined]
    hipaa_aws.evaluate_template("t.yaml", parameters={"Count": 3})  # type: ignore[dict-item]
