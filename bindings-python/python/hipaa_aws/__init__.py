"""Read-only HIPAA Security Rule compliance scanning of AWS accounts, from Python.

Every status, filter, summary and verdict comes from the Rust core (the same engine as the
``hipaa`` command); this package adds notebook conveniences (``Report.to_pandas``, an HTML view).

>>> import hipaa_aws
>>> report = hipaa_aws.demo()                       # the bundled sample environment, no AWS needed
>>> report.exit_code(fail_on="high")
3
>>> len(report.failed(severity="critical")) > 0
True

Scanning an account uses the AWS SDK's default credential chain::

    report = hipaa_aws.scan(profile="phi-prod", regions=["us-east-1"], scope="scope.toml")
    report.to_pandas()

A whole AWS Organization, in this process or over an executor (a Dask cluster's)::

    report = hipaa_aws.scan_organization(scope="scope.toml", executor=client.get_executor())
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional, Sequence, Union

from hipaa_aws import _native
from hipaa_aws._native import (
    AwsAccessError,
    BadInputError,
    Citation,
    Completeness,
    ConfigurationError,
    Control,
    Finding,
    Gate,
    HipaaError,
    Remediation,
    Resource,
    Scope,
    Snapshot,
    __version__,
    citations,
    controls,
    demo_snapshot,
    load_attestations,
    load_plan,
    load_snapshot,
    load_template,
    vocabulary,
)
from hipaa_aws.organization import merge, scan_organization
from hipaa_aws.report import Report

__all__ = [
    "AwsAccessError",
    "BadInputError",
    "Citation",
    "Completeness",
    "ConfigurationError",
    "Control",
    "Finding",
    "Gate",
    "HipaaError",
    "ProgressCallback",
    "Remediation",
    "Report",
    "Resource",
    "Scope",
    "Snapshot",
    "__version__",
    "citations",
    "controls",
    "demo",
    "demo_snapshot",
    "diff",
    "evaluate",
    "evaluate_plan",
    "evaluate_template",
    "load_attestations",
    "load_plan",
    "load_report",
    "load_snapshot",
    "load_template",
    "merge",
    "scan",
    "scan_async",
    "scan_organization",
    "snapshot",
    "trend",
    "verify_bundle",
    "vocabulary",
    "write_bundle",
]

#: Called as ``progress(done, total, stage)`` while a scan runs (from a worker thread). If it
#: raises, the scan is cancelled and the exception propagates from ``scan``/``snapshot``.
ProgressCallback = Callable[[int, int, str], object]

ScopeArg = Union[Scope, str, "os.PathLike[str]", None]
RegionsArg = Union[str, Sequence[str], None]


def _scope(scope: ScopeArg) -> Optional[Scope]:
    """A Scope, or a scope file path (loaded like the CLI's ``--scope``), or None (defaults)."""
    if scope is None or isinstance(scope, Scope):
        return scope
    if isinstance(scope, (str, os.PathLike)):
        return Scope.load(os.fspath(scope))
    raise TypeError(f"scope must be a Scope, a path to a scope file or None, not {type(scope).__name__}")


def _regions(regions: RegionsArg) -> Optional[list[str]]:
    """``"us-east-1,us-west-2"`` (as on the command line) or a list of names."""
    if regions is None:
        return None
    if isinstance(regions, str):
        return [r.strip() for r in regions.split(",") if r.strip()]
    return list(regions)


def scan(
    profile: Optional[str] = None,
    regions: RegionsArg = None,
    endpoint_url: Optional[str] = None,
    scope: ScopeArg = None,
    progress: Optional[ProgressCallback] = None,
    max_attempts: int = 5,
    concurrency: int = 32,
    framework: Optional[str] = None,
    framework_file: Union[str, "os.PathLike[str]", None] = None,
) -> Report:
    """Scan an AWS account and evaluate it: the library form of ``hipaa scan``.

    Blocks (with the GIL released) until the scan is done; Ctrl-C / a kernel interrupt cancels it.
    ``regions`` defaults to the scope's, else every enabled region. ``endpoint_url`` points every
    service at a local emulator (moto, LocalStack). Reads that fail become ERROR findings; if *no*
    read succeeds at all, :class:`AwsAccessError` is raised instead.
    The collected evidence is kept on the result as ``report.evidence``.
    ``framework`` groups findings by a bundled framework (``"hipaa-2013"``, the default, or
    ``"hipaa-nprm-2025"``: the proposed rule, readiness only); ``framework_file`` by your own.
    """
    evidence, native = _native.scan(
        profile=profile,
        regions=_regions(regions),
        endpoint_url=endpoint_url,
        scope=_scope(scope),
        progress=progress,
        max_attempts=max_attempts,
        concurrency=concurrency,
        framework=framework,
        framework_file=_path(framework_file),
    )
    return Report(native, evidence=evidence)


async def scan_async(
    profile: Optional[str] = None,
    regions: RegionsArg = None,
    endpoint_url: Optional[str] = None,
    scope: ScopeArg = None,
    progress: Optional[ProgressCallback] = None,
    max_attempts: int = 5,
    concurrency: int = 32,
    framework: Optional[str] = None,
    framework_file: Union[str, "os.PathLike[str]", None] = None,
) -> Report:
    """:func:`scan` as a coroutine for asyncio code (the scan runs on the module's tokio runtime)."""
    evidence, native = await _native.scan_async(
        profile=profile,
        regions=_regions(regions),
        endpoint_url=endpoint_url,
        scope=_scope(scope),
        progress=progress,
        max_attempts=max_attempts,
        concurrency=concurrency,
        framework=framework,
        framework_file=_path(framework_file),
    )
    return Report(native, evidence=evidence)


def snapshot(
    profile: Optional[str] = None,
    regions: RegionsArg = None,
    endpoint_url: Optional[str] = None,
    scope: ScopeArg = None,
    progress: Optional[ProgressCallback] = None,
    max_attempts: int = 5,
    concurrency: int = 32,
) -> Snapshot:
    """Collect evidence only (``hipaa snapshot``); evaluate it later, offline, with :func:`evaluate`."""
    return _native.snapshot(
        profile=profile,
        regions=_regions(regions),
        endpoint_url=endpoint_url,
        scope=_scope(scope),
        progress=progress,
        max_attempts=max_attempts,
        concurrency=concurrency,
    )


def _path(p: Union[str, "os.PathLike[str]", None]) -> Optional[str]:
    return None if p is None else os.fspath(p)


def evaluate(
    snapshot: Union[Snapshot, str, "os.PathLike[str]"],
    scope: ScopeArg = None,
    framework: Optional[str] = None,
    framework_file: Union[str, "os.PathLike[str]", None] = None,
) -> Report:
    """Evaluate saved evidence under a scope (``hipaa evaluate``); no network access.
    ``framework``/``framework_file`` choose the grouping, as for :func:`scan`."""
    if not isinstance(snapshot, Snapshot):
        snapshot = load_snapshot(os.fspath(snapshot))
    native = _native.evaluate(
        snapshot, _scope(scope), framework=framework, framework_file=_path(framework_file)
    )
    return Report(native, evidence=snapshot)


PathArg = Union[str, "os.PathLike[str]"]


def evaluate_template(
    path: PathArg,
    scope: ScopeArg = None,
    parameters: Optional[dict[str, str]] = None,
    region: Optional[str] = None,
    account: Optional[str] = None,
    framework: Optional[str] = None,
    framework_file: Optional[PathArg] = None,
) -> Report:
    """Judge a CloudFormation template (YAML or JSON) or a CDK output directory (``cdk.out``)
    before it is deployed, with the controls of a live scan (``hipaa iac``).

    ``parameters`` gives CloudFormation parameter values; a parameter without a default that is
    not given is unknown until apply, and every finding that needs it is ERROR with the reason
    ``unknown_until_apply``. Findings carry the logical id as ``resource.id`` and the file and
    line as ``location``.
    """
    evidence = load_template(os.fspath(path), parameters=parameters, region=region, account=account)
    native = _native.evaluate(
        evidence, _scope(scope), framework=framework, framework_file=_path(framework_file)
    )
    return Report(native, evidence=evidence)


def evaluate_plan(
    path: PathArg,
    scope: ScopeArg = None,
    region: Optional[str] = None,
    account: Optional[str] = None,
    framework: Optional[str] = None,
    framework_file: Optional[PathArg] = None,
) -> Report:
    """Judge a Terraform plan (``terraform show -json PLANFILE``) before it is applied, with the
    controls of a live scan (``hipaa iac``); ``resource.id`` is the resource address."""
    evidence = load_plan(os.fspath(path), region=region, account=account)
    native = _native.evaluate(
        evidence, _scope(scope), framework=framework, framework_file=_path(framework_file)
    )
    return Report(native, evidence=evidence)


def demo(
    framework: Optional[str] = None,
    framework_file: Union[str, "os.PathLike[str]", None] = None,
) -> Report:
    """The bundled sample environment's report (``hipaa demo``): same answer on every run."""
    return Report(_native.demo(framework=framework, framework_file=_path(framework_file)))


def load_report(
    path: Union[str, "os.PathLike[str]"],
    framework: Optional[str] = None,
    framework_file: Union[str, "os.PathLike[str]", None] = None,
) -> Report:
    """Read a report saved as JSON by :meth:`Report.save` or ``hipaa scan --format json -o``;
    with ``framework``/``framework_file``, regrouped by that framework (``hipaa report --framework``)."""
    return Report(
        _native.load_report(
            os.fspath(path), framework=framework, framework_file=_path(framework_file)
        )
    )


def diff(old: Report, new: Report) -> dict[str, Any]:
    """What changed between two reports (``hipaa diff``): ``new_failures``, ``fixed``,
    ``still_failing``, ``newly_unknown`` (lists of changes), ``waivers_expiring``,
    ``old_generated_at`` and ``new_generated_at``."""
    return _native.diff(old._native, new._native)


def trend(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """One point per report, oldest first (``hipaa trend``): ``generated_at``, ``account``,
    ``pass_rate`` (by safeguard) and ``failures``."""
    return _native.trend([r._native for r in reports])


def write_bundle(
    path: Union[str, "os.PathLike[str]"],
    snapshot: Union[Snapshot, str, "os.PathLike[str]"],
    scope: Optional[Scope] = None,
    scope_file: Union[str, "os.PathLike[str]", None] = None,
    attestations_file: Union[str, "os.PathLike[str]", None] = None,
) -> dict[str, Any]:
    """Evaluate ``snapshot`` and write the evidence bundle zip (``hipaa bundle``); returns its manifest.

    The scope is ``scope``, else ``scope_file`` loaded, else the defaults; the attestations in
    ``attestations_file`` are added to it before evaluating. The two files are copied into the
    bundle (``scope.toml``, ``attestations.toml``) as they are on disk.
    """
    if not isinstance(snapshot, Snapshot):
        snapshot = load_snapshot(os.fspath(snapshot))
    return _native.write_bundle(
        os.fspath(path),
        snapshot,
        scope,
        None if scope_file is None else os.fspath(scope_file),
        None if attestations_file is None else os.fspath(attestations_file),
    )


def verify_bundle(path: Union[str, "os.PathLike[str]"]) -> dict[str, Any]:
    """Check a bundle against its manifest (``hipaa verify``): ``ok``, ``manifest_intact``, and
    the files ``changed``, ``missing`` and ``unexpected``."""
    return _native.verify_bundle(os.fspath(path))
