//! `hipaa_aws._native`: the Python binding of `hipaa-core` and `hipaa-aws`.
//!
//! A thin layer: every status, filter, summary and verdict comes from the core; this crate only
//! converts values, maps errors to Python classes, releases the GIL around long calls and drives
//! one tokio runtime. The pure-Python package `hipaa_aws` (in `python/`) adds notebook
//! conveniences on top.

mod audit;
mod catalog;
mod errors;
mod model;
mod report;
mod scan;
mod scope;
mod snapshot;
mod table;

use pyo3::prelude::*;

#[pymodule]
#[pyo3(name = "_native")]
fn hipaa_aws_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Before the first call builds the module's one runtime: scans need deeper worker stacks.
    pyo3_async_runtimes::tokio::init(hipaa_aws::runtime_builder());
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_class::<model::PyFinding>()?;
    m.add_class::<model::PyResource>()?;
    m.add_class::<model::PyRemediation>()?;
    m.add_class::<model::PyControl>()?;
    m.add_class::<model::PyCitation>()?;
    m.add_class::<model::PyCompleteness>()?;
    m.add_class::<model::PyGate>()?;
    m.add_class::<scope::PyScope>()?;
    m.add_class::<snapshot::PySnapshot>()?;
    m.add_class::<report::PyReport>()?;
    m.add_function(wrap_pyfunction!(scan::scan, m)?)?;
    m.add_function(wrap_pyfunction!(scan::scan_async, m)?)?;
    m.add_function(wrap_pyfunction!(scan::snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(scan::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(scan::scan_organization, m)?)?;
    m.add_function(wrap_pyfunction!(scan::merge, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot::load_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot::demo_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot::load_template, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot::load_plan, m)?)?;
    m.add_function(wrap_pyfunction!(report::load_report, m)?)?;
    m.add_function(wrap_pyfunction!(report::demo, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::controls, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::citations, m)?)?;
    m.add_function(wrap_pyfunction!(model::vocabulary, m)?)?;
    m.add_function(wrap_pyfunction!(audit::diff, m)?)?;
    m.add_function(wrap_pyfunction!(audit::trend, m)?)?;
    m.add_function(wrap_pyfunction!(audit::load_attestations, m)?)?;
    m.add_function(wrap_pyfunction!(audit::write_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(audit::verify_bundle, m)?)?;
    Ok(())
}
