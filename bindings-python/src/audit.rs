//! Audit artefacts: report diffs and trends, the risk register, attestations and the evidence
//! bundle. Thin wrappers over `hipaa_core::{progress, risk, attest, bundle}`; results are plain
//! Python data converted from the core's serde types.

use crate::errors::core_error;
use crate::model::to_python;
use crate::report::PyReport;
use crate::scope::PyScope;
use crate::snapshot::PySnapshot;
use hipaa_core::bundle::BundleInput;
use hipaa_core::risk::RiskRegister;
use hipaa_core::Report;
use pyo3::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read a text file the caller named, as the core reports unreadable inputs.
fn read_text(path: &Path) -> hipaa_core::Result<String> {
    std::fs::read_to_string(path).map_err(|source| hipaa_core::Error::Io {
        path: path.display().to_string(),
        source,
    })
}

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
/// `attestations_file` are added to it before evaluating, as the CLI does. The two files' text
/// goes into the bundle as `scope.toml` and `attestations.toml`.
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
    let manifest = py.detach(|| -> PyResult<_> {
        let scope_text = scope_file.as_deref().map(read_text).transpose();
        let scope_text = scope_text.map_err(core_error)?;
        let attestations_text = attestations_file.as_deref().map(read_text).transpose();
        let attestations_text = attestations_text.map_err(core_error)?;
        let mut scope = match (scope, &scope_file) {
            (Some(s), _) => s,
            (None, Some(p)) => PyScope {
                inner: Arc::new(
                    hipaa_core::Scope::from_toml(
                        scope_text.as_deref().unwrap_or_default(),
                        &p.display().to_string(),
                    )
                    .map_err(core_error)?,
                ),
                base_dir: p.parent().map(Path::to_path_buf),
            },
            (None, None) => PyScope::default_scope(),
        };
        if let (Some(text), Some(p)) = (&attestations_text, &attestations_file) {
            let extra = hipaa_core::attest::parse_attestations(text, &p.display().to_string())
                .map_err(core_error)?;
            let mut inner = scope.inner.as_ref().clone();
            inner.attestations.extend(extra);
            scope.inner = Arc::new(inner);
        }
        let engine = scope.engine()?;
        let report = engine
            .evaluate(&snapshot.inner, &scope.inner)
            .map_err(core_error)?;
        let risks = risk_register(&report, Some(&scope));
        let input = BundleInput {
            report: &report,
            snapshot: &snapshot.inner,
            catalog: engine.catalog(),
            registry: engine.registry(),
            scope_text: scope_text.as_deref(),
            attestations_text: attestations_text.as_deref(),
            risks: &risks,
        };
        hipaa_core::bundle::write_bundle(&input, &path).map_err(core_error)
    })?;
    to_python(py, &manifest)
}

/// Check a bundle against its manifest (`hipaa verify`): `ok`, `manifest_intact`, `changed`,
/// `missing`, `unexpected`.
#[pyfunction]
pub fn verify_bundle<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
    let v = py.detach(|| hipaa_core::bundle::verify_bundle(&path));
    to_python(py, &v.map_err(core_error)?)
}
