//! The Python exception hierarchy, and the one place each core error kind is given its class.

use hipaa_core::Error;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyTypeInfo};

create_exception!(
    hipaa_aws,
    HipaaError,
    PyException,
    "Base class of every error raised by hipaa_aws. `kind` names the input or stage that failed \
     (`scope`, `snapshot`, `report`, `catalog`, `check`, `io`, `registry`, `config`, `argument`, \
     `aws`); `path` names the file or data set when there is one."
);
create_exception!(
    hipaa_aws,
    ConfigurationError,
    HipaaError,
    "Invalid scan options or arguments (endpoint URL, region name, concurrency, severity name)."
);
create_exception!(
    hipaa_aws,
    AwsAccessError,
    HipaaError,
    "The scan could not run at all: no AWS credentials could be obtained. (Reads that fail during \
     a scan are ERROR findings in an incomplete report, not this exception.)"
);
create_exception!(
    hipaa_aws,
    BadInputError,
    HipaaError,
    "A scope, snapshot, report or catalog is malformed, or its file cannot be read."
);

/// Which Python class a failure becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Base,
    Configuration,
    AwsAccess,
    BadInput,
}

/// Build an exception of `class` carrying `kind` and `path` as attributes.
fn build(py: Python<'_>, class: Class, message: String, kind: &str, path: Option<&str>) -> PyErr {
    let err = match class {
        Class::Base => HipaaError::new_err(message),
        Class::Configuration => ConfigurationError::new_err(message),
        Class::AwsAccess => AwsAccessError::new_err(message),
        Class::BadInput => BadInputError::new_err(message),
    };
    let value = err.value(py);
    // Attributes are a convenience on top of the message; failing to set one is not worth a second error.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("path", path);
    err
}

/// Map a core error onto the hierarchy, deliberately, variant by variant.
pub(crate) fn core_error(e: Error) -> PyErr {
    let message = e.to_string();
    let (class, kind, path): (Class, &str, Option<&str>) = match &e {
        // The bundled registry is part of the package: a malformed one is a packaging bug.
        Error::Registry { source_name, .. } => (Class::Base, "registry", Some(source_name)),
        // Extra catalogs come from the user (scope `extra_catalogs`, `catalogs=`).
        Error::Catalog { source_name, .. } => (Class::BadInput, "catalog", Some(source_name)),
        Error::Scope { path, .. } => (Class::BadInput, "scope", Some(path)),
        Error::Snapshot { path, .. } => (Class::BadInput, "snapshot", Some(path)),
        Error::Report { path, .. } => (Class::BadInput, "report", Some(path)),
        // A user catalog declared an automated control that no rule decides.
        Error::Check { .. } => (Class::BadInput, "check", None),
        // A file the caller named (scope, snapshot, report, catalog) could not be read.
        Error::Io { path, .. } => (Class::BadInput, "io", Some(path)),
        // hipaa-aws turns its configuration errors into `Source("configuration: …")`; every other
        // source error means the scan could not run at all.
        Error::Source(detail) => {
            if detail.starts_with(&config_prefix()) {
                (Class::Configuration, "config", None)
            } else {
                (Class::AwsAccess, "aws", None)
            }
        }
    };
    Python::attach(|py| build(py, class, message, kind, path))
}

/// How hipaa-aws renders a configuration error, taken from the type itself so the two cannot drift.
fn config_prefix() -> String {
    hipaa_aws::Error::Config(String::new()).to_string()
}

/// A bad argument value (severity name, output format): a ConfigurationError.
pub(crate) fn argument_error(message: impl Into<String>) -> PyErr {
    Python::attach(|py| build(py, Class::Configuration, message.into(), "argument", None))
}

/// Input given as Python values (Scope keyword arguments) that the core's types reject.
pub(crate) fn bad_input(kind: &str, message: impl Into<String>) -> PyErr {
    Python::attach(|py| build(py, Class::BadInput, message.into(), kind, None))
}

/// A failure of the binding itself (a task that panicked): the base class.
pub(crate) fn internal(message: impl Into<String>) -> PyErr {
    Python::attach(|py| build(py, Class::Base, message.into(), "internal", None))
}

/// Register the classes on the module, with defaults for the attributes every instance carries.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = HipaaError::type_object(py);
    base.setattr("kind", "internal")?;
    base.setattr("path", py.None())?;
    m.add("HipaaError", base)?;
    m.add("ConfigurationError", ConfigurationError::type_object(py))?;
    m.add("AwsAccessError", AwsAccessError::type_object(py))?;
    m.add("BadInputError", BadInputError::type_object(py))?;
    Ok(())
}
