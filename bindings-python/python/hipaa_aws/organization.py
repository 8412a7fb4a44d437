"""Organization scans from Python: in this process, or fanned out over any
:class:`concurrent.futures.Executor` (a process pool, a Dask cluster's executor) and merged.

The scanning, the sharding and the merge are the native module's (the same code as
``hipaa scan --organization --shard I/N`` and ``hipaa merge``); this module only hands the parts
to the executor and their JSON reports back to the merge.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from typing import Any, Callable, Optional, Sequence, Union

from hipaa_aws import _native
from hipaa_aws._native import ConfigurationError, Scope
from hipaa_aws.report import Report

__all__ = ["merge", "scan_organization"]

ScopeArg = Union[Scope, str, "os.PathLike[str]", None]

#: Shards an executor gets when neither ``shards`` nor its worker count says how many.
DEFAULT_SHARDS = 4


def _argument_error(message: str) -> ConfigurationError:
    err = ConfigurationError(message)
    err.kind = "argument"
    return err


def _scope(scope: ScopeArg) -> Optional[Scope]:
    if scope is None or isinstance(scope, Scope):
        return scope
    if isinstance(scope, (str, os.PathLike)):
        return Scope.load(os.fspath(scope))
    raise TypeError(f"scope must be a Scope, a path to a scope file or None, not {type(scope).__name__}")


def _list(value: Union[str, Sequence[str], None]) -> Optional[list[str]]:
    """``"a,b"`` (as on the command line) or a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _scan_part(job: tuple[dict[str, Any], Optional[str]]) -> str:
    """One part of a fanned-out scan, run by an executor's worker: its report as JSON (reports
    travel between processes as text). Module-level, so a worker imports it by name."""
    kwargs, scope_text = job
    scope = Scope.from_toml(scope_text) if scope_text is not None else None
    return _native.scan_organization(scope=scope, **kwargs).to_json()


def _workers(executor: Executor) -> int:
    n = getattr(executor, "_max_workers", None)
    return n if isinstance(n, int) and n > 0 else DEFAULT_SHARDS


def scan_organization(
    profile: Optional[str] = None,
    regions: Union[str, Sequence[str], None] = None,
    endpoint_url: Optional[str] = None,
    scope: ScopeArg = None,
    progress: Optional[Callable[[int, int, str], object]] = None,
    max_attempts: int = 5,
    concurrency: int = 32,
    accounts: Union[str, Sequence[str], None] = None,
    ous: Union[str, Sequence[str], None] = None,
    account_concurrency: Optional[int] = None,
    shard: Optional[str] = None,
    retry_mode: str = "standard",
    service_concurrency: Optional[int] = None,
    executor: Optional[Executor] = None,
    shards: Optional[int] = None,
    framework: Optional[str] = None,
    framework_file: Optional[str] = None,
) -> Report:
    """Scan every account of the caller's AWS Organization (or the named ``accounts``) into one
    report: the library form of ``hipaa scan --organization``.

    With ``executor=None`` the scan runs in this process (``account_concurrency`` accounts at a
    time, default 4; ``concurrency`` calls in flight in total). Given an executor, it maps the scan over it
    and merges the parts: one part per named account when ``accounts`` is given, else
    ``shards`` parts (default: the executor's worker count, else 4), each scanning the accounts
    of one shard; ``concurrency`` then applies to each part. Workers need AWS credentials of
    their own (the environment, a profile, an instance role) and ``hipaa_aws`` installed.

    An account whose role cannot be assumed is ERROR in the report (with the role and the
    reason); the others are scanned all the same. ``report.organization`` describes the
    organization and every account; ``report.summary["by_account"]`` and ``["by_ou"]`` sum them up.
    ``framework`` (``"hipaa-nprm-2025"``) or ``framework_file`` groups the findings as
    ``hipaa scan --framework`` does; with an executor, every worker must reach the file's path.
    """
    scope_obj = _scope(scope)
    kwargs: dict[str, Any] = dict(
        profile=profile,
        regions=_list(regions),
        endpoint_url=endpoint_url,
        max_attempts=max_attempts,
        concurrency=concurrency,
        accounts=_list(accounts),
        ous=_list(ous),
        account_concurrency=account_concurrency,
        retry_mode=retry_mode,
        service_concurrency=service_concurrency,
        framework=framework,
        framework_file=None if framework_file is None else str(framework_file),
    )
    if executor is None:
        if shards is not None:
            raise _argument_error("shards splits the scan over an executor: give executor= too (or shard='I/N' for one shard)")
        return Report(_native.scan_organization(scope=scope_obj, progress=progress, shard=shard, **kwargs))
    if progress is not None:
        raise _argument_error("progress callbacks do not reach an executor's workers: leave progress out")
    if shard is not None:
        raise _argument_error("shard picks one part of a scan; with an executor, give shards=N instead")
    scope_text = scope_obj.to_toml() if scope_obj is not None else None
    named = kwargs["accounts"]
    if named:
        parts = [dict(kwargs, accounts=[a]) for a in named]
    else:
        n = shards if shards is not None else _workers(executor)
        if n < 1:
            raise _argument_error(f"shards must be at least 1, not {n}")
        parts = [dict(kwargs, shard=f"{i}/{n}") for i in range(n)]
    texts = list(executor.map(_scan_part, [(p, scope_text) for p in parts]))
    return merge([Report.from_json(t) for t in texts], scope=scope_obj,
                 framework=framework, framework_file=framework_file)


def merge(
    reports: Sequence[Report],
    scope: ScopeArg = None,
    prefer: Optional[str] = None,
    framework: Optional[str] = None,
    framework_file: Optional[str] = None,
) -> Report:
    """Merge organization reports of disjoint account sets (``hipaa merge``). The result does not
    depend on the order or grouping of the reports; reports holding the same account are refused
    unless ``prefer`` (``"newest"`` or ``"oldest"``) says which wins. The organization controls
    are judged again under ``scope`` (give the one the scans used). The merged findings keep
    the framework the reports were grouped by, unless ``framework`` or ``framework_file`` names
    another."""
    return Report(_native.merge([r._native for r in reports], _scope(scope), prefer,
                                framework=framework,
                                framework_file=None if framework_file is None else str(framework_file)))
