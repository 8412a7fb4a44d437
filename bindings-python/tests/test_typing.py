"""The type stubs match the built module (mypy.stubtest) and describe real usage (mypy --strict)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

pytest.importorskip("mypy")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=600)


def test_stubs_match_the_native_module() -> None:
    out = run("mypy.stubtest", "hipaa_aws", "--mypy-config-file", "pyproject.toml",
              "--allowlist", "stubtest-allowlist.txt")
    assert out.returncode == 0, out.stdout + out.stderr


def test_typed_usage_passes_mypy_strict() -> None:
    # The config (pyproject.toml) checks the package and tests/typed_usage.py in strict mode.
    out = run("mypy")
    assert out.returncode == 0, out.stdout + out.stderr
