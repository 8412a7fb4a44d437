//! Findings as flat rows (`to_records`) and columns (`to_columns`, for pandas), built in Rust.
//!
//! Most of the cost of such a table is creating Python strings, and most cells repeat: findings
//! are sorted by status, severity and control, so a control's title, category and remediation
//! come many times in a row, and there are few accounts, regions, kinds and citations. Each
//! column therefore re-uses the string it made for the previous row when the text is the same,
//! and small vocabularies are looked up once; Python strings are immutable, so sharing is safe.

use crate::model::{reason_label, OWNERS};
use hipaa_core::{Category, Finding, Registry, Severity, Status};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyModule, PyString};
use std::collections::HashMap;

/// The flat columns, in order.
pub(crate) const COLUMNS: [&str; 20] = [
    "control_id",
    "title",
    "category",
    "owner",
    "severity",
    "status",
    "citations",
    "safeguards",
    "resource_arn",
    "resource_id",
    "resource_kind",
    "resource_account",
    "resource_region",
    "resource_name",
    "resource_phi",
    "message",
    "remediation_console",
    "remediation_cli",
    "remediation_terraform",
    "reason",
];

/// One text column: the previous row's value and its Python string.
struct Repeat<'a, 'py> {
    last: Option<(&'a str, Bound<'py, PyString>)>,
}

impl<'a, 'py> Repeat<'a, 'py> {
    fn new() -> Self {
        Repeat { last: None }
    }

    fn text(&mut self, py: Python<'py>, s: &'a str) -> Bound<'py, PyAny> {
        if let Some((prev, obj)) = &self.last {
            if *prev == s {
                return obj.clone().into_any();
            }
        }
        let obj = PyString::new(py, s);
        self.last = Some((s, obj.clone()));
        obj.into_any()
    }

    fn maybe(&mut self, py: Python<'py>, s: Option<&'a str>) -> Bound<'py, PyAny> {
        match s {
            Some(s) => self.text(py, s),
            None => py.None().into_bound(py),
        }
    }
}

/// A small set of distinct strings (citations, safeguard names, enum labels), each made once.
struct Vocabulary<'a, 'py> {
    seen: HashMap<&'a str, Bound<'py, PyString>>,
}

impl<'a, 'py> Vocabulary<'a, 'py> {
    fn new() -> Self {
        Vocabulary {
            seen: HashMap::new(),
        }
    }

    fn get(&mut self, py: Python<'py>, s: &'a str) -> Bound<'py, PyString> {
        self.seen
            .entry(s)
            .or_insert_with(|| PyString::new(py, s))
            .clone()
    }
}

/// Distinct safeguard families of a finding's citations, from the bundled registry.
struct Safeguards<'a> {
    registry: Option<&'static Registry>,
    last: Option<(&'a [String], Vec<&'static str>)>,
}

impl<'a> Safeguards<'a> {
    fn new() -> Self {
        Safeguards {
            registry: Registry::bundled().ok(),
            last: None,
        }
    }

    fn of(&mut self, citations: &'a [String]) -> &[&'static str] {
        let same = matches!(&self.last, Some((prev, _)) if *prev == citations);
        if !same {
            let mut out: Vec<&'static str> = Vec::new();
            if let Some(reg) = self.registry {
                for c in citations {
                    if let Some(spec) = reg.get(c) {
                        let name = spec.safeguard.name();
                        if !out.contains(&name) {
                            out.push(name);
                        }
                    }
                }
            }
            self.last = Some((citations, out));
        }
        self.last.as_ref().map(|(_, v)| v.as_slice()).unwrap_or(&[])
    }
}

/// Position of `value` in `all` (vocabularies are tiny; the fallback is never reached).
fn code<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

/// Severities from least to most severe: the order of the ordered pandas categorical.
pub(crate) fn severities_ascending() -> Vec<Severity> {
    Severity::ALL.iter().rev().copied().collect()
}

/// Every column's cache; `cells` gives one finding's 20 values in `COLUMNS` order.
struct Cells<'a, 'py> {
    py: Python<'py>,
    text: Vec<Repeat<'a, 'py>>,
    words: Vocabulary<'a, 'py>,
    safeguards: Safeguards<'a>,
}

/// Columns that are plain text (or missing), by their index in `COLUMNS`.
const TEXT: [usize; 13] = [0, 1, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19];

impl<'a, 'py> Cells<'a, 'py> {
    fn new(py: Python<'py>) -> Self {
        Cells {
            py,
            text: (0..COLUMNS.len()).map(|_| Repeat::new()).collect(),
            words: Vocabulary::new(),
            safeguards: Safeguards::new(),
        }
    }

    fn text(&mut self, column: usize, s: Option<&'a str>) -> Bound<'py, PyAny> {
        let py = self.py;
        match self.text.get_mut(column) {
            Some(c) => c.maybe(py, s),
            None => s
                .into_pyobject(py)
                .map(Bound::into_any)
                .unwrap_or_else(|e| match e {}),
        }
    }

    /// The value of text column `column` for `f`.
    fn text_cell(&mut self, column: usize, f: &'a Finding) -> Bound<'py, PyAny> {
        let r = &f.resource;
        let value: Option<&'a str> = match column {
            0 => Some(&f.control_id),
            1 => Some(&f.title),
            8 => Some(&r.arn),
            9 => Some(&r.id),
            10 => Some(&r.kind),
            11 => Some(&r.account),
            12 => r.region.as_deref(),
            13 => r.name.as_deref(),
            15 => Some(&f.message),
            16 => Some(&f.remediation.console),
            17 => f.remediation.cli.as_deref(),
            18 => f.remediation.terraform.as_deref(),
            _ => None,
        };
        if column == 19 {
            // ERROR findings only: rare, so no cache.
            return f
                .reason
                .map(reason_label)
                .into_pyobject(self.py)
                .map(Bound::into_any)
                .unwrap_or_else(|e| match e {});
        }
        self.text(column, value)
    }

    fn citations(&mut self, f: &'a Finding) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let items: Vec<_> = f.citations.iter().map(|c| self.words.get(py, c)).collect();
        Ok(PyList::new(py, items)?.into_any())
    }

    fn safeguards(&mut self, f: &'a Finding) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let names: Vec<&'static str> = self.safeguards.of(&f.citations).to_vec();
        let items: Vec<_> = names.into_iter().map(|s| self.words.get(py, s)).collect();
        Ok(PyList::new(py, items)?.into_any())
    }

    fn phi(&self, f: &Finding) -> Bound<'py, PyAny> {
        f.resource
            .phi
            .into_pyobject(self.py)
            .map(|b| b.to_owned().into_any())
            .unwrap_or_else(|e| match e {})
    }

    /// One finding as 20 values in `COLUMNS` order.
    fn row(&mut self, f: &'a Finding) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let py = self.py;
        let mut out = Vec::with_capacity(COLUMNS.len());
        for column in 0..COLUMNS.len() {
            let v = match column {
                2 => self.words.get(py, f.category.name()).into_any(),
                3 => self.words.get(py, f.owner.name()).into_any(),
                4 => self.words.get(py, f.severity.name()).into_any(),
                5 => self.words.get(py, f.status.label()).into_any(),
                6 => self.citations(f)?,
                7 => self.safeguards(f)?,
                14 => self.phi(f),
                _ => self.text_cell(column, f),
            };
            out.push(v);
        }
        Ok(out)
    }
}

/// Python's cyclic garbage collector paused while a table is built: it would otherwise scan
/// the growing table again and again (a third of the time, or more), and nothing built here can
/// form a cycle. Restored on drop, also on error; nested pauses leave it as they found it.
pub(crate) struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        let enabled = |gc: &Bound<'py, PyModule>| -> PyResult<bool> {
            gc.call_method0("isenabled")?.extract()
        };
        let gc = py
            .import("gc")
            .ok()
            .filter(|gc| enabled(gc).unwrap_or(false) && gc.call_method0("disable").is_ok());
        GcPause { gc }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}

/// One dict per finding.
pub(crate) fn records<'py>(py: Python<'py>, findings: &[Finding]) -> PyResult<Bound<'py, PyList>> {
    let _pause = GcPause::new(py);
    let keys: Vec<Bound<'py, PyString>> = COLUMNS.iter().map(|c| PyString::intern(py, c)).collect();
    let mut cells = Cells::new(py);
    let mut rows = Vec::with_capacity(findings.len());
    for f in findings {
        let d = PyDict::new(py);
        for (k, v) in keys.iter().zip(cells.row(f)?) {
            d.set_item(k, v)?;
        }
        rows.push(d);
    }
    PyList::new(py, rows)
}

/// Column name → list of values; the enum columns (`category`, `owner`, `severity`, `status`)
/// hold integer codes into `crate::model::vocabulary()`.
pub(crate) fn columns<'py>(py: Python<'py>, findings: &[Finding]) -> PyResult<Bound<'py, PyDict>> {
    let _pause = GcPause::new(py);
    let severities = severities_ascending();
    let mut cells = Cells::new(py);
    let out = PyDict::new(py);
    for (column, name) in COLUMNS.iter().enumerate() {
        let values: Vec<Bound<'py, PyAny>> = match column {
            2 => ints(py, findings, |f| code(&Category::ALL, &f.category))?,
            3 => ints(py, findings, |f| code(&OWNERS, &f.owner))?,
            4 => ints(py, findings, |f| code(&severities, &f.severity))?,
            5 => ints(py, findings, |f| code(&Status::ALL, &f.status))?,
            6 => findings
                .iter()
                .map(|f| cells.citations(f))
                .collect::<PyResult<_>>()?,
            7 => findings
                .iter()
                .map(|f| cells.safeguards(f))
                .collect::<PyResult<_>>()?,
            14 => findings.iter().map(|f| cells.phi(f)).collect(),
            c if TEXT.contains(&c) => findings.iter().map(|f| cells.text_cell(c, f)).collect(),
            _ => Vec::new(),
        };
        out.set_item(*name, PyList::new(py, values)?)?;
    }
    Ok(out)
}

fn ints<'py>(
    py: Python<'py>,
    findings: &[Finding],
    get: impl Fn(&Finding) -> usize,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    findings
        .iter()
        .map(|f| Ok(get(f).into_pyobject(py)?.into_any()))
        .collect()
}
