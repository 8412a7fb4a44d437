"""Shared fixtures: the moto server of tests/fixture (127.0.0.1 only), seeded once per session,
one live scan of it, and the `hipaa` binary's answers for the same account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hipaa_aws

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixture"
DEMO_SCOPE = REPO / "hipaa-core" / "data" / "demo" / "scope.toml"
REGIONS = ["us-east-1", "us-west-2"]
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
}

sys.path.insert(0, str(FIXTURE))
import moto_server  # noqa: E402  (tests/fixture, shared with the Rust and Node suites)
import seed  # noqa: E402

Key = tuple[str, str, str]


def hipaa_bin() -> Path:
    """The CLI built by `cargo build` (HIPAA_BIN overrides)."""
    path = Path(os.environ.get("HIPAA_BIN", REPO / "target" / "debug" / "hipaa"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `cargo build -p hipaa-cli` first (bindings-python/test.sh does)")
    return path


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AWS_PROFILE"}
    env.update(FAKE_CREDENTIALS)
    return env


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(hipaa_bin()), *args], capture_output=True, text=True, env=cli_env(), timeout=300)


def key_of(f: hipaa_aws.Finding) -> Key:
    """As tests/src/lib.rs: control id, resource name (else id), status."""
    return (f.control_id, f.resource.name or f.resource.id, f.status)


def automated(findings: list[hipaa_aws.Finding]) -> set[Key]:
    """Findings decided from AWS evidence (MANUAL and INHERITED come from the catalog)."""
    return {key_of(f) for f in findings if f.status not in ("MANUAL", "INHERITED")}


def without_times(report_json: dict[str, Any]) -> dict[str, Any]:
    """A report's JSON minus the two timestamps that differ between runs."""
    out = dict(report_json)
    out.pop("generated_at", None)
    out["snapshot"] = {k: v for k, v in out["snapshot"].items() if k != "taken_at"}
    return out


@pytest.fixture(scope="session", autouse=True)
def fake_credentials() -> Iterator[None]:
    """The fixture account's credentials; no profile from the developer's environment."""
    saved = {k: os.environ.get(k) for k in [*FAKE_CREDENTIALS, "AWS_PROFILE"]}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ.pop("AWS_PROFILE", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A moto server on 127.0.0.1 seeded with the scale-1 fixture account."""
    proc, url = moto_server.start()
    try:
        seed.seed(url, scale=1)
        yield url
    finally:
        moto_server.stop(proc)


@pytest.fixture(scope="session")
def expected() -> set[Key]:
    data = json.loads((FIXTURE / "expected.json").read_text())
    return {(f["control_id"], f["resource"], f["status"]) for f in data["findings"]}


@pytest.fixture(scope="session")
def moto_gaps() -> set[str]:
    """Reads moto does not implement: the only ones allowed to fail against the fixture."""
    return set(json.loads((FIXTURE / "expected.json").read_text())["moto_gaps"])


@pytest.fixture(scope="session")
def live_report(moto_url: str) -> hipaa_aws.Report:
    """One scan of the fixture through the Python API, as the CLI test runs it."""
    return hipaa_aws.scan(
        endpoint_url=moto_url, regions=REGIONS, scope=DEMO_SCOPE, max_attempts=2
    )


@pytest.fixture(scope="session")
def cli_scan(moto_url: str) -> subprocess.CompletedProcess[str]:
    """`hipaa scan ... --format json` on the same fixture."""
    return run_cli(
        "scan", "--endpoint-url", moto_url, "--region", ",".join(REGIONS),
        "--scope", str(DEMO_SCOPE), "--format", "json", "--no-progress", "--max-attempts", "2",
    )
