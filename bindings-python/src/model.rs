//! Read-only Python views of the core's value types: findings, resources, controls, citations.
//! Each wraps its core type once; enum values become the strings the JSON report uses.

use crate::errors::argument_error;
use hipaa_core::catalog::CheckKind;
use hipaa_core::registry::{Requirement, SpecKind};
use hipaa_core::report::{Completeness, Gate};
use hipaa_core::{
    Category, CitationEntry, Control, Finding, Owner, Remediation, Resource, Severity, Status,
    UnknownReason,
};
use pyo3::prelude::*;
use pyo3::types::PyList;
use pythonize::pythonize;
use std::collections::HashMap;

/// Parse a severity name the way the CLI does (`--fail-on high`).
pub(crate) fn severity(name: &str) -> PyResult<Severity> {
    name.parse::<Severity>().map_err(argument_error)
}

/// Any serializable core value as plain Python data (dicts, lists, str, int, float, bool, None).
pub(crate) fn to_python<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize(py, value).map_err(|e| crate::errors::internal(format!("cannot convert: {e}")))
}

/// The label the report JSON uses for a failed read's class (`access_denied`, …).
pub(crate) fn reason_label(r: UnknownReason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| r.name().to_string())
}

fn check_name(k: CheckKind) -> &'static str {
    match k {
        CheckKind::Automated => "automated",
        CheckKind::Manual => "manual",
        CheckKind::Inherited => "inherited",
        CheckKind::Organization => "organization",
    }
}

/// How to fix a failing control.
#[pyclass(
    module = "hipaa_aws",
    name = "Remediation",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyRemediation(pub(crate) Remediation);

#[pymethods]
impl PyRemediation {
    /// Console steps.
    #[getter]
    fn console(&self) -> &str {
        &self.0.console
    }
    /// An AWS CLI snippet, when there is one.
    #[getter]
    fn cli(&self) -> Option<&str> {
        self.0.cli.as_deref()
    }
    /// A Terraform snippet, when there is one.
    #[getter]
    fn terraform(&self) -> Option<&str> {
        self.0.terraform.as_deref()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!("Remediation(console={:?})", self.0.console)
    }
}

/// The resource a finding is about.
#[pyclass(
    module = "hipaa_aws",
    name = "Resource",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyResource(pub(crate) Resource);

#[pymethods]
impl PyResource {
    #[getter]
    fn arn(&self) -> &str {
        &self.0.arn
    }
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn kind(&self) -> &str {
        &self.0.kind
    }
    #[getter]
    fn account(&self) -> &str {
        &self.0.account
    }
    #[getter]
    fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    #[getter]
    fn phi(&self) -> Option<bool> {
        self.0.phi
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!("Resource(kind={:?}, arn={:?})", self.0.kind, self.0.arn)
    }
}

/// One control judged on one resource.
#[pyclass(
    module = "hipaa_aws",
    name = "Finding",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyFinding(pub(crate) Finding);

#[pymethods]
impl PyFinding {
    #[getter]
    fn control_id(&self) -> &str {
        &self.0.control_id
    }
    #[getter]
    fn title(&self) -> &str {
        &self.0.title
    }
    #[getter]
    fn category(&self) -> &'static str {
        self.0.category.name()
    }
    #[getter]
    fn citations(&self) -> Vec<String> {
        self.0.citations.to_vec()
    }
    #[getter]
    fn owner(&self) -> &'static str {
        self.0.owner.name()
    }
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.name()
    }
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.label()
    }
    #[getter]
    fn resource(&self) -> PyResource {
        PyResource(self.0.resource.clone())
    }
    /// In an organization report: the account the finding came from (else `None`).
    #[getter]
    fn account(&self) -> Option<&str> {
        self.0.account.as_deref()
    }
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }
    #[getter]
    fn remediation(&self) -> PyRemediation {
        PyRemediation((*self.0.remediation).clone())
    }
    /// For ERROR: the class of the failed read (`access_denied`, `throttled`, …).
    #[getter]
    fn reason(&self) -> Option<String> {
        self.0.reason.map(reason_label)
    }
    /// For WAIVED: index into the report's `waivers`.
    #[getter]
    fn waiver(&self) -> Option<usize> {
        self.0.waiver
    }
    /// For infrastructure code: where the resource is defined (`file`, `line`, `column`).
    #[getter]
    fn location<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .location
            .as_ref()
            .map(|l| to_python(py, l))
            .transpose()
    }
    /// The finding as in the report JSON (nested dicts).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "Finding({} {} {} on {})",
            self.0.status,
            self.0.severity,
            self.0.control_id,
            self.0
                .resource
                .name
                .as_deref()
                .unwrap_or(&self.0.resource.id)
        )
    }
}

/// Findings as a Python list of `Finding`.
pub(crate) fn finding_list<'a, 'py>(
    py: Python<'py>,
    findings: impl Iterator<Item = &'a Finding>,
) -> PyResult<Bound<'py, PyList>> {
    let _pause = crate::table::GcPause::new(py);
    let items = findings
        .map(|f| Bound::new(py, PyFinding(f.clone())))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// A catalog control: everything about it except the code that decides it.
#[pyclass(
    module = "hipaa_aws",
    name = "Control",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyControl(pub(crate) Control);

#[pymethods]
impl PyControl {
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn title(&self) -> &str {
        &self.0.title
    }
    #[getter]
    fn category(&self) -> &'static str {
        self.0.category.name()
    }
    #[getter]
    fn citations(&self) -> Vec<String> {
        self.0.citations.clone()
    }
    #[getter]
    fn owner(&self) -> &'static str {
        self.0.owner.name()
    }
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.name()
    }
    #[getter]
    fn resource_kind(&self) -> &str {
        &self.0.resource_kind
    }
    /// `automated`, `manual` or `inherited`.
    #[getter]
    fn check(&self) -> &'static str {
        check_name(self.0.check)
    }
    #[getter]
    fn rationale(&self) -> &str {
        &self.0.rationale
    }
    /// Earlier ids of this control, still accepted in scope files, waivers and saved reports.
    #[getter]
    fn renamed_from(&self) -> Vec<String> {
        self.0.renamed_from.clone()
    }
    #[getter]
    fn remediation(&self) -> PyRemediation {
        PyRemediation(self.0.remediation.clone())
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "Control({:?}, severity={:?}, owner={:?})",
            self.0.id,
            self.0.severity.name(),
            self.0.owner.name()
        )
    }
}

/// A HIPAA Security Rule spec with the controls that answer it.
#[pyclass(
    module = "hipaa_aws",
    name = "Citation",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyCitation(pub(crate) CitationEntry);

#[pymethods]
impl PyCitation {
    #[getter]
    fn citation(&self) -> &str {
        &self.0.spec.citation
    }
    #[getter]
    fn title(&self) -> &str {
        &self.0.spec.title
    }
    #[getter]
    fn safeguard(&self) -> &'static str {
        self.0.spec.safeguard.name()
    }
    /// `standard` or `implementation`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0.spec.kind {
            SpecKind::Standard => "standard",
            SpecKind::Implementation => "implementation",
        }
    }
    /// The standard this spec belongs to (itself for a standard).
    #[getter]
    fn standard(&self) -> &str {
        &self.0.spec.standard
    }
    /// `required` or `addressable`.
    #[getter]
    fn requirement(&self) -> &'static str {
        match self.0.spec.requirement {
            Requirement::Required => "required",
            Requirement::Addressable => "addressable",
        }
    }
    /// `aws`, `customer` or `shared`.
    #[getter]
    fn owner(&self) -> &'static str {
        self.0.spec.owner.name()
    }
    #[getter]
    fn owner_reason(&self) -> &str {
        &self.0.spec.owner_reason
    }
    /// Ids of the controls citing it.
    #[getter]
    fn controls(&self) -> Vec<String> {
        self.0.controls.clone()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "Citation({:?}, owner={:?}, controls={})",
            self.0.spec.citation,
            self.0.spec.owner.name(),
            self.0.controls.len()
        )
    }
}

/// How much of the evidence could be read.
#[pyclass(
    module = "hipaa_aws",
    name = "Completeness",
    frozen,
    skip_from_py_object,
    eq
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyCompleteness(pub(crate) Completeness);

#[pymethods]
impl PyCompleteness {
    #[getter]
    fn reads_attempted(&self) -> u64 {
        self.0.reads_attempted
    }
    #[getter]
    fn reads_failed(&self) -> u64 {
        self.0.reads_failed
    }
    #[getter]
    fn read_success_ratio(&self) -> f64 {
        self.0.read_success_ratio
    }
    #[getter]
    fn error_findings(&self) -> usize {
        self.0.error_findings
    }
    /// True when no read failed and no finding is ERROR.
    #[getter]
    fn complete(&self) -> bool {
        self.0.complete
    }
    /// The failed reads: dicts with `operation`, `resource`, `reason`, `detail`.
    #[getter]
    fn failed_reads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0.failed_reads)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __bool__(&self) -> bool {
        self.0.complete
    }
    fn __repr__(&self) -> String {
        format!(
            "Completeness(complete={}, reads_attempted={}, reads_failed={}, error_findings={})",
            if self.0.complete { "True" } else { "False" },
            self.0.reads_attempted,
            self.0.reads_failed,
            self.0.error_findings
        )
    }
}

/// A pipeline's answer: may the deploy go ahead, and why not.
#[pyclass(module = "hipaa_aws", name = "Gate", frozen, skip_from_py_object)]
#[derive(Debug, Clone)]
pub struct PyGate(pub(crate) Gate);

#[pymethods]
impl PyGate {
    /// True when the exit code is 0.
    #[getter]
    fn ok(&self) -> bool {
        self.0.ok
    }
    /// 0 clean, 3 failures at or above the threshold, 4 incomplete (wins over 3).
    #[getter]
    fn exit_code(&self) -> i32 {
        self.0.exit_code
    }
    #[getter]
    fn complete(&self) -> bool {
        self.0.complete
    }
    /// The failures that closed the gate.
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        finding_list(py, self.0.failures.iter())
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0)
    }
    fn __bool__(&self) -> bool {
        self.0.ok
    }
    fn __repr__(&self) -> String {
        format!(
            "Gate(ok={}, exit_code={}, failures={})",
            if self.0.ok { "True" } else { "False" },
            self.0.exit_code,
            self.0.failures.len()
        )
    }
}

/// Every owner, in the order the core's summaries use.
pub(crate) const OWNERS: [Owner; 3] = [Owner::Aws, Owner::Customer, Owner::Shared];

/// Vocabulary name → its values.
pub(crate) type Vocabulary = HashMap<&'static str, Vec<&'static str>>;

/// The closed vocabularies, from the core: `status` in report order (worst first), `severity`
/// from least to most severe, `category` in catalog order, `owner`, and the `reason` of an
/// ERROR finding.
#[pyfunction]
pub fn vocabulary() -> Vocabulary {
    HashMap::from([
        ("status", Status::ALL.iter().map(|s| s.label()).collect()),
        (
            "severity",
            Severity::ALL.iter().rev().map(|s| s.name()).collect(),
        ),
        ("category", Category::ALL.iter().map(|c| c.name()).collect()),
        ("owner", OWNERS.iter().map(|o| o.name()).collect()),
        (
            "reason",
            UnknownReason::ALL.iter().map(|r| r.label()).collect(),
        ),
    ])
}
