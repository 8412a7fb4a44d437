//! The control catalog and the HIPAA registry, as the CLI's `controls` and `citations` list them.

use crate::errors::core_error;
use crate::model::{PyCitation, PyControl};
use hipaa_core::{Catalog, Registry};
use pyo3::prelude::*;
use std::path::PathBuf;

/// The bundled catalog plus extra catalog files (the CLI's `--catalog`).
fn catalog(extra: &[PathBuf]) -> PyResult<(Catalog, &'static Registry)> {
    let registry = Registry::bundled().map_err(core_error)?;
    let mut catalog = Catalog::bundled(registry).map_err(core_error)?;
    for path in extra {
        catalog
            .extend_from_file(path, registry)
            .map_err(core_error)?;
    }
    Ok((catalog, registry))
}

/// Every control in the catalog, in catalog order.
#[pyfunction]
#[pyo3(signature = (catalogs=None))]
pub fn controls(catalogs: Option<Vec<PathBuf>>) -> PyResult<Vec<PyControl>> {
    let (catalog, _) = catalog(&catalogs.unwrap_or_default())?;
    Ok(catalog.controls().iter().cloned().map(PyControl).collect())
}

/// Every requirement of a framework (default: the Security Rule in force) in its order, with
/// its owner and the controls answering it (`hipaa citations --framework`).
#[pyfunction]
#[pyo3(signature = (catalogs=None, *, framework=None, framework_file=None))]
pub fn citations(
    catalogs: Option<Vec<PathBuf>>,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<Vec<PyCitation>> {
    let (catalog, _) = catalog(&catalogs.unwrap_or_default())?;
    let framework = hipaa_core::audit::FrameworkChoice {
        id: framework,
        file: framework_file,
    }
    .load()
    .map_err(core_error)?;
    framework.check_controls(&catalog).map_err(core_error)?;
    Ok(framework
        .citation_index(&catalog)
        .into_iter()
        .map(PyCitation)
        .collect())
}
