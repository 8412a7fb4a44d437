"""The report as notebook users see it: the native report plus Python-only conveniences
(records, a pandas DataFrame, an HTML table for Jupyter, saving to a file).

Nothing here decides anything: statuses, filters, verdicts and summaries come from the native
module; this layer only reshapes and renders what it returns.
"""

from __future__ import annotations

import contextlib
import gc
import html
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Optional, Union

from hipaa_aws import _native
from hipaa_aws._native import Completeness, ConfigurationError, Finding, Gate, Scope, Snapshot

if TYPE_CHECKING:  # pandas is optional and imported only by to_pandas()
    import pandas

__all__ = ["Report", "STATUS_COLOURS"]

#: Background colour of each status badge in the HTML view (text is white).
STATUS_COLOURS: dict[str, str] = {
    "FAIL": "#c62828",
    "ERROR": "#e65100",
    "MANUAL": "#6a1b9a",
    "WAIVED": "#546e7a",
    "PASS": "#2e7d32",
    "INHERITED": "#1565c0",
    "NOT_APPLICABLE": "#757575",
}

_LIST_COLUMNS = ("citations", "safeguards")
_BOOL_COLUMNS = ("resource_phi",)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building big acyclic tables (as the native
    conversions do): otherwise it rescans the growing table many times over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _argument_error(message: str) -> ConfigurationError:
    err = ConfigurationError(message)
    err.kind = "argument"
    return err


class Report:
    """A complete, versioned evaluation result: findings, summaries, and the verdicts of the CLI.

    ``report.findings`` lists every finding (failures first); ``report.summary`` has every
    roll-up; ``report.failed(severity="high")``, ``report.gate(...)`` and ``report.exit_code(...)``
    answer the questions a pipeline asks. ``report.evidence`` is the snapshot it was evaluated
    from, when known (after :func:`hipaa_aws.scan` or :func:`hipaa_aws.evaluate`).
    """

    __slots__ = ("_native", "_findings", "evidence")

    #: The HTML view shows at most this many findings (failures come first); the rest are counted.
    html_max_findings: ClassVar[int] = 2000

    def __init__(self, native: _native.Report, evidence: Optional[Snapshot] = None) -> None:
        self._native = native
        self._findings: Optional[list[Finding]] = None
        self.evidence = evidence

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Parse report JSON (``to_json``, ``hipaa scan --format json``)."""
        return cls(_native.Report.from_json(text))

    # ---- data -------------------------------------------------------------------------------

    @property
    def findings(self) -> list[Finding]:
        """Every finding, in report order (FAIL, ERROR, MANUAL, WAIVED, PASS, INHERITED, N/A)."""
        if self._findings is None:  # converted once: the report never changes
            self._findings = self._native.findings
        return list(self._findings)

    @property
    def summary(self) -> dict[str, Any]:
        """Every roll-up: ``totals``, ``controls``, ``by_severity``, ``by_safeguard``,
        ``by_owner``, ``by_category``, ``by_citation``, ``completeness``."""
        return self._native.summary

    @property
    def completeness(self) -> Completeness:
        """How much of the evidence could be read; falsy when some read failed."""
        return self._native.completeness

    @property
    def account(self) -> Optional[str]:
        return self._native.account

    @property
    def generated_at(self) -> datetime:
        return self._native.generated_at

    @property
    def schema_version(self) -> str:
        return self._native.schema_version

    @property
    def tool(self) -> dict[str, Any]:
        return self._native.tool

    @property
    def framework(self) -> dict[str, Any]:
        """The framework findings are grouped by: ``id``, ``name``, ``version``, ``status``
        (``"proposed"`` means readiness for a proposed rule, never compliance) and its ``banner``."""
        return self._native.framework

    @property
    def snapshot_info(self) -> dict[str, Any]:
        """Where the evidence came from: ``taken_at``, ``source``, ``regions``."""
        return self._native.snapshot_info

    @property
    def scope_info(self) -> dict[str, Any]:
        return self._native.scope_info

    @property
    def waivers(self) -> list[dict[str, Any]]:
        return self._native.waivers

    @property
    def organization(self) -> Optional[dict[str, Any]]:
        """In an organization report: the organization and every account with what became of it
        (``accounts``, ``view``, ``discovery``, ``shards``); ``None`` for an account report."""
        return self._native.organization

    # ---- verdicts (all decided by the core) ---------------------------------------------------

    def failed(self, severity: str = "informational") -> list[Finding]:
        """FAIL findings at or above ``severity`` (critical, high, medium, low, informational)."""
        return self._native.failed(severity)

    def gate(self, fail_on: str = "informational", allow_incomplete: bool = False) -> Gate:
        """The deploy-gate verdict; ``allow_incomplete`` lets an incomplete scan without failures pass."""
        return self._native.gate(fail_on, allow_incomplete)

    def exit_code(self, fail_on: str = "informational") -> int:
        """The CLI's exit code: 0 clean, 3 failures at or above ``fail_on``, 4 incomplete (wins over 3)."""
        return self._native.exit_code(fail_on)

    # ---- conversions --------------------------------------------------------------------------

    def to_json(self) -> str:
        """Pretty JSON in the stable report schema, identical to ``hipaa scan --format json``."""
        return self._native.to_json()

    def to_markdown(self) -> str:
        """A Markdown document for tickets and wikis."""
        return self._native.to_markdown()

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain Python data, shaped like the JSON."""
        return self._native.to_dict()

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per finding (columns: :meth:`record_columns`); ``citations`` and
        ``safeguards`` are lists of strings, ``resource_phi`` is True, False or None."""
        return self._native.to_records()

    def risk_register(self, scope: Optional[Scope] = None) -> dict[str, Any]:
        """The risk register (``hipaa risks --format json``): ``as_of``, ``assets``, ``risks``
        (one per FAIL or ERROR finding); due dates from ``scope.remediation_days``, else the defaults."""
        return self._native.risk_register(scope)

    def risks_csv(self, scope: Optional[Scope] = None) -> str:
        """The risk register's risks as CSV (``hipaa risks --format csv``)."""
        return self._native.risks_csv(scope)

    @staticmethod
    def record_columns() -> list[str]:
        return _native.Report.record_columns()

    def to_pandas(self) -> pandas.DataFrame:
        """The findings as a pandas DataFrame, one row per finding (pandas is imported here).

        Columns are those of :meth:`to_records`. Dtypes: ``category``, ``owner``, ``status`` are
        categorical (status categories in report order), ``severity`` is an *ordered*
        categorical (informational < low < medium < high < critical); ``resource_phi`` is the
        nullable ``boolean``; ``citations`` and ``safeguards`` hold lists (``df.explode(...)``);
        every other column is the nullable ``string`` dtype.
        """
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError(
                "Report.to_pandas() needs pandas, which is not installed: pip install pandas "
                "(or pip install 'hipaa-aws[pandas]')"
            ) from e
        with _gc_paused():
            columns, vocabulary = self._native.to_columns()
            data: dict[str, Any] = {}
            for name in _native.Report.record_columns():
                values = columns.pop(name)
                if name in vocabulary:
                    data[name] = pd.Categorical.from_codes(
                        values, categories=vocabulary[name], ordered=name == "severity"
                    )
                elif name in _BOOL_COLUMNS:
                    data[name] = pd.array(values, dtype="boolean")
                elif name in _LIST_COLUMNS:
                    data[name] = pd.Series(values, dtype=object)
                else:
                    data[name] = pd.array(values, dtype="string")
            return pd.DataFrame(data)

    def save(self, path: Union[str, os.PathLike[str]], format: str = "json") -> Path:
        """Write the report as ``json`` (the CLI's schema), ``markdown`` or ``html``; returns the path."""
        fmt = format.lower()
        if fmt == "json":
            text = self.to_json() + "\n"
        elif fmt in ("markdown", "md"):
            text = self.to_markdown()
        elif fmt == "html":
            text = self.to_html(full_document=True)
        else:
            raise _argument_error(f"unknown report format `{format}` (expected json, markdown or html)")
        out = Path(path)
        out.write_text(text, encoding="utf-8")
        return out

    # ---- display ------------------------------------------------------------------------------

    def to_html(self, max_findings: Optional[int] = None, full_document: bool = False) -> str:
        """A readable HTML table: status counts, completeness, then every finding (up to
        ``max_findings``, default :attr:`html_max_findings`) with coloured status badges."""
        limit = self.html_max_findings if max_findings is None else max_findings
        findings = self.findings
        shown = findings if limit < 0 else findings[:limit]
        e = html.escape
        statuses = _native.vocabulary()["status"]
        totals = self.summary["totals"]
        comp = self.completeness
        account = self.account or "unknown account"
        banner = self.framework.get("banner")
        parts: list[str] = [
            '<div class="hipaa-report" style="font-family:system-ui,sans-serif;font-size:13px">',
            f"<h3 style=\"margin:0.2em 0\">HIPAA report: {e(account)}</h3>",
            f"<div style=\"color:#555\">{totals['total']} findings · generated "
            f"{e(self.generated_at.isoformat(timespec='seconds'))} · {e(str(self.tool.get('name', '')))} "
            f"{e(str(self.tool.get('version', '')))}</div>",
            '<table style="border-collapse:collapse;margin:0.5em 0"><tr>',
        ]
        if banner:
            parts.insert(
                2,
                '<div class="hipaa-readiness-banner" style="background:#fff3e0;border:2px solid '
                f'#ef6c00;padding:4px 8px;margin:4px 0"><b>{e(banner)}</b></div>',
            )
        for s in statuses:
            parts.append(
                f'<td style="padding:2px 8px">{_badge(s)}&nbsp;<b>{int(totals.get(s, 0))}</b></td>'
            )
        parts.append("</tr></table>")
        verdict = "complete" if comp.complete else "INCOMPLETE"
        parts.append(
            f'<div style="margin-bottom:0.5em">Evidence {verdict}: '
            f"{comp.reads_attempted - comp.reads_failed} of {comp.reads_attempted} reads succeeded, "
            f"{comp.error_findings} ERROR findings</div>"
        )
        parts.append(
            '<table class="hipaa-findings" style="border-collapse:collapse">'
            "<thead><tr>"
            + "".join(
                f'<th style="text-align:left;border-bottom:1px solid #999;padding:2px 6px">{h}</th>'
                for h in ("Status", "Severity", "Control", "Resource", "Owner", "Citations", "Message")
            )
            + "</tr></thead><tbody>"
        )
        cell = 'style="padding:2px 6px;border-bottom:1px solid #eee;vertical-align:top"'
        nowrap = 'style="padding:2px 6px;border-bottom:1px solid #eee;vertical-align:top;white-space:nowrap"'
        for f in shown:
            r = f.resource
            label = r.name or r.id
            parts.append(
                f"<tr><td {cell}>{_badge(f.status)}</td>"
                f"<td {cell}>{e(f.severity)}</td>"
                f'<td {cell} title="{e(f.title)}"><code>{e(f.control_id)}</code></td>'
                f'<td {cell} title="{e(r.arn)}">{e(label)}</td>'
                f"<td {cell}>{e(f.owner)}</td>"
                f"<td {nowrap}>{'<br>'.join(e(c) for c in f.citations)}</td>"
                f"<td {cell}>{e(f.message)}</td></tr>"
            )
        parts.append("</tbody></table>")
        hidden = len(findings) - len(shown)
        if hidden > 0:
            parts.append(
                f'<div style="color:#555">… {hidden} more findings not shown '
                "(use report.to_pandas() or report.to_html(max_findings=-1))</div>"
            )
        parts.append("</div>")
        body = "\n".join(parts)
        if not full_document:
            return body
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>HIPAA report: {e(account)}</title></head><body>\n{body}\n</body></html>\n"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    # ---- container protocol -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._native)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __repr__(self) -> str:
        return repr(self._native)


def _badge(status: str) -> str:
    colour = STATUS_COLOURS.get(status, "#424242")
    return (
        f'<span class="hipaa-status hipaa-{html.escape(status.lower())}" '
        f'style="background:{colour};color:#fff;border-radius:3px;padding:1px 5px;'
        f'font-size:11px;font-weight:600">{html.escape(status)}</span>'
    )
