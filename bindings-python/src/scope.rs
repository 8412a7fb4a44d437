//! `Scope`: the core's scope, built from keyword arguments or the CLI's TOML file.

use crate::errors::{bad_input, core_error};
use crate::model::to_python;
use hipaa_core::audit::FrameworkChoice;
use hipaa_core::{Engine, Scope};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pythonize::depythonize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What is in scope: accounts and their BAA, regions, the PHI tag, exclusions, waivers, thresholds.
#[pyclass(module = "hipaa_aws", name = "Scope", frozen, from_py_object)]
#[derive(Debug, Clone)]
pub struct PyScope {
    pub(crate) inner: Arc<Scope>,
    /// The folder `controls.extra_catalogs` are relative to (the scope file's; else the working directory).
    pub(crate) base_dir: Option<PathBuf>,
}

impl PyScope {
    pub(crate) fn default_scope() -> PyScope {
        PyScope {
            inner: Arc::new(Scope::default()),
            base_dir: None,
        }
    }

    /// The bundled engine adjusted by this scope's `[controls]` settings.
    pub(crate) fn engine(&self) -> PyResult<Engine> {
        Engine::for_scope(&self.inner, self.base_dir.as_deref()).map_err(core_error)
    }

    /// The engine, grouping findings by the framework the caller named (`framework=` id or
    /// `framework_file=` path; default: the rule in force).
    pub(crate) fn engine_for(&self, framework: &FrameworkChoice) -> PyResult<Engine> {
        let mut engine = self.engine()?;
        if !framework.is_default() {
            engine
                .set_framework(framework.load().map_err(core_error)?)
                .map_err(core_error)?;
        }
        Ok(engine)
    }
}

/// `datetime.date` values (waiver `expires`) become ISO text, which the core's date field reads.
fn dates_to_text<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    if let Ok(d) = value.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, v) in d.iter() {
            out.set_item(k, dates_to_text(&v)?)?;
        }
        return Ok(out.into_any());
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .map(|v| dates_to_text(&v?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(PyList::new(py, items)?.into_any());
    }
    let date_type = py.import("datetime")?.getattr("date")?;
    if value.is_instance(&date_type)? {
        let text: String = value.call_method0("isoformat")?.extract()?;
        return Ok(pyo3::types::PyString::new(py, text.get(..10).unwrap_or(&text)).into_any());
    }
    Ok(value.clone())
}

#[pymethods]
impl PyScope {
    /// Build a scope from the same keys as the TOML file (`regions`, `mode`, `exclude`, `accounts`,
    /// `phi`, `thresholds`, `controls`, `waivers`, `attestation`, `remediation_days`); nested tables
    /// are dicts. Validation is the core's.
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let dict = match kwargs {
            Some(k) => dates_to_text(k.as_any())?,
            None => PyDict::new(py).into_any(),
        };
        let scope: Scope =
            depythonize(&dict).map_err(|e| bad_input("scope", format!("scope: {e}")))?;
        // The core's own checks beyond the types (account ids, empty waiver fields), so keyword
        // arguments and files are judged alike.
        scope.validate("keyword arguments").map_err(|e| match e {
            hipaa_core::Error::Scope { message, .. } => {
                bad_input("scope", format!("scope: {message}"))
            }
            other => core_error(other),
        })?;
        Ok(PyScope {
            inner: Arc::new(scope),
            base_dir: None,
        })
    }

    /// Read a scope file (the CLI's `--scope`); `extra_catalogs` resolve against its folder.
    /// `attestations` names an attestations file whose entries are added (the CLI's `--attestations`).
    #[staticmethod]
    #[pyo3(signature = (path, attestations=None))]
    fn load(path: PathBuf, attestations: Option<PathBuf>) -> PyResult<Self> {
        let mut scope = Scope::load(&path).map_err(core_error)?;
        if let Some(a) = attestations {
            scope
                .attestations
                .extend(hipaa_core::attest::load_attestations(&a).map_err(core_error)?);
        }
        Ok(PyScope {
            inner: Arc::new(scope),
            base_dir: path.parent().map(Path::to_path_buf),
        })
    }

    /// Parse scope TOML text.
    #[staticmethod]
    fn from_toml(text: String) -> PyResult<Self> {
        let scope = Scope::from_toml(&text, "<string>").map_err(core_error)?;
        Ok(PyScope {
            inner: Arc::new(scope),
            base_dir: None,
        })
    }

    /// The bundled sample environment's scope (BAA recorded, one waiver).
    #[staticmethod]
    fn demo() -> PyResult<Self> {
        Ok(PyScope {
            inner: Arc::new(hipaa_core::demo::scope().map_err(core_error)?),
            base_dir: None,
        })
    }

    /// Regions to scan; empty means every region the account has enabled.
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.inner.regions.clone()
    }

    /// `all` or `phi-only`.
    #[getter]
    fn mode<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.mode)
    }

    /// Every setting, with defaults filled in, as plain Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.inner.as_ref())
    }

    /// The scope as TOML, readable by `Scope.load` and the CLI.
    fn to_toml(&self) -> PyResult<String> {
        toml::to_string_pretty(self.inner.as_ref())
            .map_err(|e| crate::errors::internal(format!("cannot write scope TOML: {e}")))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyScope>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        format!(
            "Scope(regions={:?}, accounts={}, waivers={})",
            self.inner.regions,
            self.inner.accounts.len(),
            self.inner.waivers.len()
        )
    }
}
