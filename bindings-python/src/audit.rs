//! Audit artefacts: report diffs and trends, the risk register, attestations and the evidence
//! bundle. Thin wrappers over `hipaa_core::{progress, risk, attest, bundle}`; results are plain
//! Python data converted from the core's serde types.

use crate::errors::core_error;
use crate::model::to_python;
use crate::report::PyReport;
use crate::scope::PyScope;
use crate::snapshot::PySnapshot;
use hipaa_core::audit::Inputs;
use hipaa_core::risk::RiskRegister;
use hipaa_core::Report;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// What changed between two reports (`hipaa diff`): `new_failures`, `fixed`, `still_failing`,
/// `newly_unknown`, `waivers_expiring`, `old_generated_at`, `new_generated_at`.
#[pyfunction]
pub fn diff<'py>(
    py: Python<'py>,
    old: &Bound<'py, PyReport>,
    new: &Bound<'py, PyReport>,
) -> PyResult<Bound<'py, PyAny>> {
    let (old, new) = (old.get().inner.clone(), new.get().inner.clone());
    let d = py.detach(|| hipaa_core::progress::diff(&old, &new));
    to_python(py, &d)
}

/// One point per report, oldest first (`hipaa trend`): `generated_at`, `account`, `pass_rate`,
/// `failures`.
#[pyfunction]
pub fn trend<'py>(
    py: Python<'py>,
    reports: Vec<Bound<'py, PyReport>>,
) -> PyResult<Bound<'py, PyAny>> {
    let shared: Vec<Arc<Report>> = reports.iter().map(|r| r.get().inner.clone()).collect();
    let points = py.detach(|| {
        let owned: Vec<Report> = shared.iter().map(|r| r.as_ref().clone()).collect();
        hipaa_core::progress::trend(&owned)
    });
    to_python(py, &points)
}

/// Read an attestations file (`[[attestation]]` tables) as plain Python data.
#[pyfunction]
pub fn load_attestations<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
    let loaded = py.detach(|| hipaa_core::attest::load_attestations(&path));
    to_python(py, &loaded.map_err(core_error)?)
}

/// The risk register of `report` under `scope`'s remediation days.
pub(crate) fn risk_register(report: &Report, scope: Option<&PyScope>) -> RiskRegister {
    let days = scope.map(|s| s.inner.remediation_days).unwrap_or_default();
    RiskRegister::from_report(report, &days)
}

/// Evaluate `snapshot` and write the evidence bundle zip (`hipaa bundle`); returns the manifest.
///
/// The scope is `scope`, else `scope_file` loaded, else the defaults; attestations from
/// `attestations_file` are added to it before evaluating, as the CLI does. The text of the files
/// used goes into the bundle as `scope.toml` and `attestations.toml`.
#[pyfunction]
#[pyo3(signature = (path, snapshot, scope=None, scope_file=None, attestations_file=None))]
pub fn write_bundle<'py>(
    py: Python<'py>,
    path: PathBuf,
    snapshot: PySnapshot,
    scope: Option<PyScope>,
    scope_file: Option<PathBuf>,
    attestations_file: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let manifest = py.detach(|| -> hipaa_core::Result<_> {
        let mut inputs = match (scope, &scope_file) {
            (Some(s), _) => Inputs::from_scope(s.inner.as_ref().clone(), s.base_dir.clone()),
            (None, Some(p)) => Inputs::load(Some(p), None)?,
            (None, None) => Inputs::default(),
        };
        if let Some(p) = &attestations_file {
            inputs.add_attestations_file(p)?;
        }
        let engine = inputs.engine(&[])?;
        Ok(hipaa_core::audit::write_bundle(&inputs, &engine, &snapshot.inner, &path)?.manifest)
    });
    let manifest = manifest.map_err(core_error)?;
    to_python(py, &manifest)
}

/// Check a bundle against its manifest (`hipaa verify`): `ok`, `manifest_intact`, `changed`,
/// `missing`, `unexpected`.
#[pyfunction]
pub fn verify_bundle<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
    let v = py.detach(|| hipaa_core::bundle::verify_bundle(&path));
    to_python(py, &v.map_err(core_error)?)
}
