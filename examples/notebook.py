# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # HIPAA Security Rule compliance of an AWS account, from a notebook
#
# This notebook scans the project's **moto fixture** — a fake AWS account on 127.0.0.1 with
# public buckets, an unencrypted PHI bucket, a key policy open to everyone, console users without
# MFA — so it runs anywhere without an AWS account. To scan a real account instead, give
# `scan()` a `profile=` (or rely on your environment's credentials) and drop `endpoint_url=`.
#
# Run it as a script (`.venv/bin/python examples/notebook.py`) or open it in Jupyter
# (`jupytext --to notebook examples/notebook.py`, or JupyterLab with jupytext). It needs
# `hipaa_aws` (`pip install ./bindings-python`), pandas, and for the fixture `moto[server]` and
# boto3; matplotlib is used for the chart when installed.

# %%
import os
import sys
from pathlib import Path

import pandas as pd

import hipaa_aws

try:  # in Jupyter, `display` renders rich output (the report's HTML table, DataFrames)
    show = display  # type: ignore[name-defined]  # noqa: F821
except NameError:  # as a script, plain text
    show = print


def repo_root() -> Path:
    """The checkout this notebook lives in (it holds the fixture and the sample scope)."""
    start = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
    for d in (start, *start.parents):
        if (d / "tests" / "fixture" / "moto_server.py").exists():
            return d
    raise RuntimeError("run this notebook from inside the hipaa-aws checkout")


REPO = repo_root()
SCOPE = REPO / "hipaa-core" / "data" / "demo" / "scope.toml"
print("hipaa_aws", hipaa_aws.__version__)

# %% [markdown]
# ## A local AWS account to scan
#
# `HIPAA_ENDPOINT_URL` can name a running, already seeded moto server; otherwise one is started on
# 127.0.0.1 and seeded with the fixture account. The fixture's credentials are fake.

# %%
os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_REGION": "us-east-1"})
os.environ.pop("AWS_PROFILE", None)

endpoint = os.environ.get("HIPAA_ENDPOINT_URL")
moto = None
if endpoint is None:
    sys.path.insert(0, str(REPO / "tests" / "fixture"))
    import moto_server
    import seed

    moto, endpoint = moto_server.start()
    seed.seed(endpoint, scale=1)
print("scanning", endpoint)

# %% [markdown]
# ## Scan
#
# `scan()` collects evidence with read-only calls and evaluates every control. The progress
# callback receives `(done, total, stage)`; here it prints a line per stage.

# %%
stages_seen = set()


def progress(done: int, total: int, stage: str) -> None:
    if stage not in stages_seen:
        stages_seen.add(stage)
        print(f"  {stage} …")


report = hipaa_aws.scan(
    endpoint_url=endpoint,
    regions=["us-east-1", "us-west-2"],
    scope=SCOPE,
    progress=progress,
)
show(report)  # in Jupyter: status counts and every finding, with coloured statuses

# %% [markdown]
# ## Summary
#
# Every roll-up comes from the Rust core: totals, per severity, per safeguard, per owner (the AWS
# shared-responsibility model), per category and per HIPAA citation.

# %%
totals = report.summary["totals"]
print({status: n for status, n in totals.items() if n})
print(report.completeness)
show(pd.DataFrame(report.summary["by_owner"]).T)

# %% [markdown]
# ## Failures as a DataFrame
#
# `to_pandas()` gives one row per finding; `severity` is an ordered categorical, so filtering
# "high and above" and sorting worst-first work directly.

# %%
df = report.to_pandas()
failures = df[df.status == "FAIL"].sort_values(["severity", "control_id"], ascending=[False, True])
print(f"{len(failures)} failures, {int((failures.severity >= 'high').sum())} of them high or critical")
show(failures[["severity", "control_id", "resource_id", "owner", "message"]].head(15))

# %% [markdown]
# ## Failures per HIPAA safeguard
#
# Each finding cites Security Rule specs; `safeguards` lists their safeguard families
# (administrative 164.308, physical 164.310, technical 164.312, …). The counts agree with the
# core's own `by_safeguard` summary.

# %%
per_safeguard = (
    failures.explode("safeguards").groupby("safeguards").size().sort_values(ascending=True)
)
core_counts = {k: v["FAIL"] for k, v in report.summary["by_safeguard"].items() if v["FAIL"]}
assert per_safeguard.to_dict() == core_counts, (per_safeguard.to_dict(), core_counts)

try:
    import matplotlib

    if "ipykernel" not in sys.modules:
        matplotlib.use("Agg")  # no window when run as a script
    import matplotlib.pyplot as plt
except ImportError:
    plt = None

if plt is not None:
    ax = per_safeguard.plot.barh(color="#c62828", title="FAIL findings per HIPAA safeguard")
    ax.set_xlabel("failures")
    plt.tight_layout()
    if "ipykernel" in sys.modules:
        plt.show()
    else:
        out = Path(os.environ.get("HIPAA_NOTEBOOK_OUT", ".")) / "failures_per_safeguard.png"
        plt.savefig(out, dpi=100)
        print("chart written to", out)
    plt.close("all")
else:  # a text chart without matplotlib
    width = max(per_safeguard.max(), 1)
    for name, n in per_safeguard.items():
        print(f"{name:>15} {'#' * round(40 * n / width)} {n}")

# %% [markdown]
# ## What to fix first
#
# The critical failures, with the remediation as an AWS CLI command where there is one.

# %%
for f in report.failed(severity="critical"):
    print(f"{f.control_id} on {f.resource.name or f.resource.id}: {f.message}")
    print(f"    owner: {f.owner}; cites {', '.join(f.citations)}")
    print(f"    fix: {f.remediation.cli or f.remediation.console}")

# %% [markdown]
# ## The deploy-gate verdict and saving the evidence
#
# `gate()` answers as `hipaa scan --fail-on high` would; the evidence can be saved and evaluated
# again offline (`hipaa_aws.evaluate(...)`) with a different scope, without calling AWS.

# %%
gate = report.gate(fail_on="high")
print(f"gate: ok={gate.ok}, exit code {gate.exit_code}, {len(gate.failures)} blocking failures")
phi_only = hipaa_aws.evaluate(report.evidence, scope=hipaa_aws.Scope(mode="phi-only"))
print(f"judging only PHI-tagged resources: {phi_only.summary['totals']['FAIL']} failures "
      f"instead of {totals['FAIL']}")

# %%
if moto is not None:
    moto_server.stop(moto)
