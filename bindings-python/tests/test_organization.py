"""Organization scans from Python against the seeded moto organization (tests/fixture/seed_org.py,
on a moto server of its own): in-process, over a ProcessPoolExecutor and over a Dask cluster's
executor, each giving the findings tests/fixture/expected_org.json lists and the CLI reports."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import hipaa_aws
from conftest import FIXTURE, moto_server, run_cli

import seed_org  # noqa: E402  (tests/fixture is on sys.path, see conftest)

OrgKey = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def org() -> Iterator[tuple[str, dict[str, str]]]:
    """A moto server seeded with the organization fixture, and its account ids by name."""
    proc, url = moto_server.start()
    try:
        yield url, seed_org.seed(url)
    finally:
        moto_server.stop(proc)


def keys(report: hipaa_aws.Report, ids: dict[str, str]) -> set[OrgKey]:
    """Every finding in expected_org.json's terms (as tests/src/lib.rs `org_key`)."""
    org_section = report.organization or {}
    organization = (org_section.get("view", {}).get("organization") or {}).get("known") or {}
    org_id = organization.get("id", "")
    names = {v: k for k, v in ids.items()}
    out = set()
    for f in report.findings:
        r = f.resource
        resource = (r.name or r.id) if r.kind == "AwsOrganizationalUnit" else r.id
        if org_id:
            resource = resource.replace(org_id, "{org}")
        for name, account in ids.items():
            resource = resource.replace(account, "{" + name + "}")
        out.add((names.get(f.account or "", f.account or ""), f.control_id, resource, f.status))
    return out


def check(report: hipaa_aws.Report, ids: dict[str, str]) -> None:
    expected = json.loads((FIXTURE / "expected_org.json").read_text())
    states = {a["account"]: a["state"] for a in report.summary["by_account"]}
    for name, state in expected["accounts"].items():
        assert states[ids[name]] == state, name
    want = {(f["account"], f["control_id"], f["resource"], f["status"]) for f in expected["findings"]}
    got = keys(report, ids)
    assert not want - got, sorted(want - got)
    org_only = lambda s: {k for k in s if k[1].startswith("org.")}  # noqa: E731
    assert org_only(got) == org_only(want)
    assert report.exit_code() == 4
    # Only the locked account's role failed (other failed reads are moto gaps of newer services).
    failed = report.summary["completeness"]["failed_reads"]
    assert [(f["account"], f["operation"]) for f in failed
            if f["account"] == ids["locked"] or f["operation"] == "sts:AssumeRole"] == [
        (ids["locked"], "sts:AssumeRole")
    ]


def scan(url: str, **kwargs: Any) -> hipaa_aws.Report:
    return hipaa_aws.scan_organization(endpoint_url=url, regions=["us-east-1"], max_attempts=2, **kwargs)


@pytest.fixture(scope="module")
def in_process(org: tuple[str, dict[str, str]]) -> hipaa_aws.Report:
    url, _ = org
    seen: list[tuple[int, int, str]] = []
    report = scan(url, progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen and seen[-1][0] == seen[-1][1], "progress reached its total"
    return report


def test_in_process_scan_reports_the_fixture(org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report) -> None:
    _, ids = org
    check(in_process, ids)
    assert in_process.organization is not None
    locked = next(a for a in in_process.organization["accounts"] if a["id"] == ids["locked"])
    assert locked["scan"]["state"] == "unreachable"
    assert "OrganizationAccountAccessRole" in locked["scan"]["role_arn"]
    df = in_process.to_pandas()
    assert set(df["resource_account"]) >= {ids["phi-claims"], ids["sandbox-dev"]}


def test_the_cli_reports_the_same(org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report) -> None:
    url, ids = org
    out = run_cli("scan", "--organization", "--endpoint-url", url, "--region", "us-east-1",
                  "--format", "json", "--no-progress", "--max-attempts", "2")
    assert out.returncode == 4, out.stderr
    assert keys(hipaa_aws.Report.from_json(out.stdout), ids) == keys(in_process, ids)


def test_a_process_pool_maps_shards_and_merges(org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report) -> None:
    url, ids = org
    # spawn: a forked child would inherit this process's tokio runtime without its threads.
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        report = scan(url, executor=pool, shards=3)
    check(report, ids)
    assert keys(report, ids) == keys(in_process, ids)
    assert report.organization is not None and report.organization["shards"] == ["0/3", "1/3", "2/3"]


def test_a_dask_cluster_maps_named_accounts_and_merges(org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report) -> None:
    from distributed import Client, LocalCluster

    url, ids = org
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        sharded = scan(url, executor=client.get_executor(), shards=2)
        named = scan(url, executor=client.get_executor(),
                     accounts=[ids["phi-claims"], ids["phi-research"], ids["locked"]])
    check(sharded, ids)
    assert keys(sharded, ids) == keys(in_process, ids)
    assert {a["account"] for a in named.summary["by_account"]} == {ids["phi-claims"], ids["phi-research"], ids["locked"]}
    assert [f.status for f in named.findings if f.control_id == "org.account_scanned"].count("ERROR") == 1


def test_merge_refuses_overlaps_unless_told_which_wins(org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report) -> None:
    with pytest.raises(hipaa_aws.BadInputError, match="overlap"):
        hipaa_aws.merge([in_process, in_process])
    same = hipaa_aws.merge([in_process, in_process], prefer="newest")
    assert keys(same, org[1]) == keys(in_process, org[1])
    with pytest.raises(hipaa_aws.ConfigurationError, match="prefer"):
        hipaa_aws.merge([in_process], prefer="largest")
    with pytest.raises(hipaa_aws.BadInputError, match="account report"):
        hipaa_aws.merge([hipaa_aws.demo()])
    with pytest.raises(hipaa_aws.ConfigurationError, match="executor"):
        hipaa_aws.scan_organization(shards=2)


def test_a_readiness_scan_keeps_its_framework_through_the_executor_and_the_merge(
    org: tuple[str, dict[str, str]], in_process: hipaa_aws.Report
) -> None:
    url, ids = org
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        report = scan(url, executor=pool, shards=2, framework="hipaa-nprm-2025")
    assert report.framework["id"] == "hipaa-nprm-2025"
    # Only the grouping changes: every finding has the status the rule in force gives it.
    assert keys(report, ids) == keys(in_process, ids)
    assert report.to_dict()["readiness"], "the per-requirement change summary"
    assert "PROPOSED RULE" in report.to_markdown()
    assert any(a["scan"].get("network_map") for a in (report.organization or {})["accounts"])
    # Merging keeps the reports' framework unless told otherwise, and refuses a mix.
    assert hipaa_aws.merge([report]).framework["id"] == "hipaa-nprm-2025"
    assert hipaa_aws.merge([report], framework="hipaa-2013").framework["id"] == "hipaa-2013"
    # The in-process report's accounts overlap, but the framework mix is what is refused first.
    with pytest.raises(hipaa_aws.ConfigurationError, match="framework"):
        hipaa_aws.merge([report, in_process], prefer="newest")
