//! The native `Report`: the core's report, its filters and verdicts, and fast table conversions.
//! The Python class `hipaa_aws.Report` wraps it and adds notebook conveniences.

use crate::errors::core_error;
use crate::model::{finding_list, severity, to_python, PyCompleteness, PyGate};
use crate::scope::PyScope;
use chrono::{DateTime, Utc};
use hipaa_core::Report;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::PathBuf;
use std::sync::Arc;

/// A complete, versioned evaluation result (native part).
#[pyclass(
    module = "hipaa_aws._native",
    name = "Report",
    frozen,
    skip_from_py_object
)]
#[derive(Debug, Clone)]
pub struct PyReport {
    pub(crate) inner: Arc<Report>,
}

impl PyReport {
    pub(crate) fn new(r: Report) -> Self {
        PyReport { inner: Arc::new(r) }
    }
}

#[pymethods]
impl PyReport {
    /// Parse report JSON written by `to_json` or `hipaa scan --format json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let parsed = py.detach(|| Report::from_json(&text, "<string>"));
        Ok(PyReport::new(parsed.map_err(core_error)?))
    }

    /// Every finding, failures first.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        finding_list(py, self.inner.findings.iter())
    }

    /// FAIL findings at or above `severity` (the core's `Report::failures`).
    #[pyo3(signature = (severity="informational"))]
    fn failed<'py>(&self, py: Python<'py>, severity: &str) -> PyResult<Bound<'py, PyList>> {
        finding_list(py, self.inner.failures(crate::model::severity(severity)?))
    }

    /// The CI/CD verdict, as `hipaa scan --fail-on` decides it.
    #[pyo3(signature = (fail_on="informational", allow_incomplete=false))]
    fn gate(&self, fail_on: &str, allow_incomplete: bool) -> PyResult<PyGate> {
        Ok(PyGate(
            self.inner.gate(severity(fail_on)?, allow_incomplete),
        ))
    }

    /// 0 clean, 3 failures at or above `fail_on`, 4 incomplete (wins over 3).
    #[pyo3(signature = (fail_on="informational"))]
    fn exit_code(&self, fail_on: &str) -> PyResult<i32> {
        Ok(self.inner.exit_code(severity(fail_on)?))
    }

    /// Every roll-up (totals, controls, by_severity, by_safeguard, by_owner, by_category,
    /// by_citation, completeness) as plain Python data.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.summary)
    }

    #[getter]
    fn completeness(&self) -> PyCompleteness {
        PyCompleteness(self.inner.summary.completeness.clone())
    }

    #[getter]
    fn account(&self) -> Option<String> {
        self.inner.account.clone()
    }

    #[getter]
    fn generated_at(&self) -> DateTime<Utc> {
        self.inner.generated_at
    }

    #[getter]
    fn schema_version(&self) -> String {
        self.inner.schema_version.clone()
    }

    /// Tool and data versions: `name`, `version`, `registry_version`, `controls_in_force`.
    #[getter]
    fn tool<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.tool)
    }

    /// The framework findings are grouped by: `id`, `name`, `version`, `status`
    /// (`final` or `proposed`), `citation_prefix`, and for a proposed rule its `banner`.
    #[getter]
    fn framework<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.framework)
    }

    /// Evidence provenance: `taken_at`, `source`, `regions`.
    #[getter]
    fn snapshot_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.snapshot)
    }

    /// The scope applied: `mode`, `phi_tag_key`, `phi_tag_values`, `exclude`.
    #[getter]
    fn scope_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.scope)
    }

    /// Waivers and whether they are in force.
    #[getter]
    fn waivers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.waivers)
    }

    /// In an organization report: the organization, its view and every account with what
    /// became of it, as plain Python data (`None` for an account report).
    #[getter]
    fn organization<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.organization)
    }

    /// Pretty JSON in the stable report schema (what `hipaa scan --format json` prints).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_json())
    }

    /// A Markdown document (what `hipaa scan --format markdown` prints).
    fn to_markdown(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_markdown())
    }

    /// The whole report as plain Python data, shaped like the JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.inner.as_ref())
    }

    /// One flat dict per finding (keys: `record_columns()`), built directly in Rust.
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        crate::table::records(py, &self.inner.findings)
    }

    /// The same data column by column, for DataFrames: `(columns, vocabulary)`. Enum columns
    /// (`category`, `owner`, `severity`, `status`) hold integer codes into `vocabulary[name]`;
    /// severity runs from least to most severe.
    fn to_columns<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyDict>, crate::model::Vocabulary)> {
        // Only the coded columns: `reason` stays text in the table.
        let mut vocabulary = crate::model::vocabulary();
        vocabulary.retain(|name, _| ["category", "owner", "severity", "status"].contains(name));
        Ok((crate::table::columns(py, &self.inner.findings)?, vocabulary))
    }

    /// The names of the flat columns, in order.
    #[staticmethod]
    fn record_columns() -> Vec<&'static str> {
        crate::table::COLUMNS.to_vec()
    }

    /// The risk register (`hipaa risks --format json`): `as_of`, `assets`, `risks`; due dates
    /// from `scope`'s `remediation_days` (the defaults when no scope is given).
    #[pyo3(signature = (scope=None))]
    fn risk_register<'py>(
        &self,
        py: Python<'py>,
        scope: Option<PyScope>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let register = py.detach(|| crate::audit::risk_register(&self.inner, scope.as_ref()));
        to_python(py, &register)
    }

    /// The risk register's risks as CSV (`hipaa risks --format csv`).
    #[pyo3(signature = (scope=None))]
    fn risks_csv(&self, py: Python<'_>, scope: Option<PyScope>) -> String {
        py.detach(|| crate::audit::risk_register(&self.inner, scope.as_ref()).risks_csv())
    }

    fn __len__(&self) -> usize {
        self.inner.findings.len()
    }

    fn __repr__(&self) -> String {
        let t = &self.inner.summary.totals;
        format!(
            "Report(account={:?}, findings={}, FAIL={}, ERROR={}, PASS={}, complete={})",
            self.inner.account.as_deref().unwrap_or("unknown"),
            t.total,
            t.fail,
            t.error,
            t.pass,
            if self.inner.is_complete() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// Read a report file written by `Report.save` or `hipaa scan --format json -o`; with
/// `framework=` or `framework_file=`, its findings regrouped by that framework (`hipaa report
/// --framework`).
#[pyfunction]
#[pyo3(signature = (path, *, framework=None, framework_file=None))]
pub fn load_report(
    py: Python<'_>,
    path: PathBuf,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<PyReport> {
    let choice = hipaa_core::audit::FrameworkChoice {
        id: framework,
        file: framework_file,
    };
    let loaded = py.detach(|| choice.regroup(hipaa_core::audit::load_report(&path)?));
    Ok(PyReport::new(loaded.map_err(core_error)?))
}

/// The bundled sample environment's report, evaluated as of the time its evidence was recorded;
/// with `framework=` or `framework_file=`, grouped by that framework.
#[pyfunction]
#[pyo3(signature = (*, framework=None, framework_file=None))]
pub fn demo(framework: Option<String>, framework_file: Option<PathBuf>) -> PyResult<PyReport> {
    let choice = hipaa_core::audit::FrameworkChoice {
        id: framework,
        file: framework_file,
    };
    let report = hipaa_core::demo::report_under(&choice);
    Ok(PyReport::new(report.map_err(core_error)?))
}
