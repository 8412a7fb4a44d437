"""The example notebook runs top to bottom against the fixture, and the benchmark still runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import FAKE_CREDENTIALS, REPO

PROJECT = Path(__file__).resolve().parents[1]


def test_notebook_runs_top_to_bottom(moto_url: str, tmp_path: Path) -> None:
    env = {**os.environ, **FAKE_CREDENTIALS, "HIPAA_ENDPOINT_URL": moto_url,
           "HIPAA_NOTEBOOK_OUT": str(tmp_path), "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, str(REPO / "examples" / "notebook.py")], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^\d+ failures, \d+ of them high or critical$", out.stdout, re.M), out.stdout
    assert "gate: ok=False, exit code 3" in out.stdout


def test_benchmark_runs_on_a_small_report() -> None:
    out = subprocess.run([sys.executable, str(PROJECT / "bench" / "bench_convert.py"),
                          "--findings", "2000", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "to_records" in out.stdout and "to_pandas" in out.stdout
