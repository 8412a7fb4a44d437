//! `Snapshot`: collected evidence, saved and evaluated offline as is.

use crate::errors::core_error;
use crate::model::to_python;
use chrono::{DateTime, Utc};
use hipaa_core::Snapshot;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// All evidence from one scan of one account.
#[pyclass(module = "hipaa_aws", name = "Snapshot", frozen, from_py_object)]
#[derive(Debug, Clone)]
pub struct PySnapshot {
    pub(crate) inner: Arc<Snapshot>,
}

impl PySnapshot {
    pub(crate) fn new(s: Snapshot) -> Self {
        PySnapshot { inner: Arc::new(s) }
    }
}

#[pymethods]
impl PySnapshot {
    /// Parse snapshot JSON (as written by `to_json`, `save` or `hipaa snapshot`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let parsed = py.detach(|| Snapshot::from_json(&text, "<string>"));
        Ok(PySnapshot::new(parsed.map_err(core_error)?))
    }

    /// The account id, when the scan could read it.
    #[getter]
    fn account(&self) -> Option<String> {
        self.inner.account.known().cloned()
    }
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.inner.regions.clone()
    }
    #[getter]
    fn taken_at(&self) -> DateTime<Utc> {
        self.inner.taken_at
    }
    /// What produced it (`aws`, `aws endpoint http://…`, `cloudformation t.yaml`).
    #[getter]
    fn source(&self) -> String {
        self.inner.provenance.label()
    }
    #[getter]
    fn partition(&self) -> &str {
        &self.inner.partition
    }
    /// API calls made.
    #[getter]
    fn reads_attempted(&self) -> u64 {
        self.inner.reads.attempted()
    }
    /// Calls made, keyed by `service:Operation`.
    #[getter]
    fn calls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.reads.calls)
    }
    /// The reads that failed: dicts with `operation`, `resource`, `reason`, `detail`.
    #[getter]
    fn failed_reads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.reads.failures)
    }

    /// Pretty JSON in the snapshot schema.
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_json())
    }

    /// Every fact as plain Python data (`{"known": …}` or `{"unknown": {…}}`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.inner.as_ref())
    }

    /// Write the snapshot JSON to `path` (what `hipaa evaluate` reads).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| std::fs::write(&path, self.inner.to_json() + "\n"))
            .map_err(|e| PyOSError::new_err(format!("cannot write `{}`: {e}", path.display())))
    }

    fn __repr__(&self) -> String {
        format!(
            "Snapshot(account={:?}, regions={:?}, taken_at={:?}, reads={}, failed={})",
            self.inner
                .account
                .known()
                .map(String::as_str)
                .unwrap_or("unknown"),
            self.inner.regions,
            self.inner.taken_at.to_rfc3339(),
            self.inner.reads.attempted(),
            self.inner.reads.failures.len()
        )
    }
}

/// Read a snapshot file written by `Snapshot.save` or `hipaa snapshot`.
#[pyfunction]
pub fn load_snapshot(py: Python<'_>, path: PathBuf) -> PyResult<PySnapshot> {
    let loaded = py.detach(|| Snapshot::load(&path));
    Ok(PySnapshot::new(loaded.map_err(core_error)?))
}

/// What infrastructure code alone does not say, as converter options.
fn code_options(
    parameters: Option<std::collections::BTreeMap<String, String>>,
    region: Option<String>,
    account: Option<String>,
) -> hipaa_core::iac::Options {
    hipaa_core::iac::Options {
        parameters: parameters.unwrap_or_default(),
        region,
        account,
        ..hipaa_core::iac::Options::default()
    }
}

/// The evidence of a CloudFormation template (YAML or JSON) or a CDK output directory.
#[pyfunction]
#[pyo3(signature = (path, parameters=None, region=None, account=None))]
pub fn load_template(
    py: Python<'_>,
    path: PathBuf,
    parameters: Option<std::collections::BTreeMap<String, String>>,
    region: Option<String>,
    account: Option<String>,
) -> PyResult<PySnapshot> {
    let options = code_options(parameters, region, account);
    let loaded = py.detach(|| hipaa_core::iac::load_template(&path, &options));
    Ok(PySnapshot::new(loaded.map_err(core_error)?))
}

/// The evidence of a Terraform plan (`terraform show -json PLANFILE`).
#[pyfunction]
#[pyo3(signature = (path, region=None, account=None))]
pub fn load_plan(
    py: Python<'_>,
    path: PathBuf,
    region: Option<String>,
    account: Option<String>,
) -> PyResult<PySnapshot> {
    let options = code_options(None, region, account);
    let loaded = py.detach(|| hipaa_core::iac::load_plan(&path, &options));
    Ok(PySnapshot::new(loaded.map_err(core_error)?))
}

/// The bundled sample environment's evidence (recorded from the moto fixture).
#[pyfunction]
pub fn demo_snapshot() -> PyResult<PySnapshot> {
    Ok(PySnapshot::new(
        hipaa_core::demo::snapshot().map_err(core_error)?,
    ))
}
