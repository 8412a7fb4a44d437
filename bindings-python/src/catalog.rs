//! The control catalog and the HIPAA registry, as the CLI's `controls` and `citations` list them.

use crate::errors::core_error;
use crate::model::{PyCitation, PyControl};
use hipaa_core::{citation_index, Catalog, Registry};
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

/// Every Security Rule spec in regulation order, with its owner and the controls answering it.
#[pyfunction]
#[pyo3(signature = (catalogs=None))]
pub fn citations(catalogs: Option<Vec<PathBuf>>) -> PyResult<Vec<PyCitation>> {
    let (catalog, registry) = catalog(&catalogs.unwrap_or_default())?;
    Ok(citation_index(registry, &catalog)
        .into_iter()
        .map(PyCitation)
        .collect())
}
