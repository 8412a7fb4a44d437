//! The Python exception hierarchy, and the one place each core error kind is given its class.

use hipaa_core::{Error, ErrorKind};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::{create_exception, PyTypeInfo};

create_exception!(
    hipaa_aws,
    HipaaError,
    PyException,
    "Base class of every error raised by hipaa_aws. `kind` names the input or stage that failed \
     (`scope`, `snapshot`, `report`, `catalog`, `framework`, `check`, `io`, `registry`, `config`, \
     `argument`, `aws`); `code` is the stable code the Node package uses too (`HIPAA_CONFIG`, \
     `HIPAA_BAD_INPUT`, `HIPAA_AWS_ACCESS`, `HIPAA_INTERNAL`); `path` names the file or data set \
     when there is one."
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

impl Class {
    /// The class of each core error kind: decided by the core, not by reading the message.
    fn of(kind: ErrorKind) -> Class {
        match kind {
            ErrorKind::Configuration => Class::Configuration,
            ErrorKind::BadInput => Class::BadInput,
            ErrorKind::AwsAccess => Class::AwsAccess,
            ErrorKind::Internal => Class::Base,
        }
    }

    /// The kind behind the class, whose code is the same string the Node package uses.
    fn kind(self) -> ErrorKind {
        match self {
            Class::Configuration => ErrorKind::Configuration,
            Class::BadInput => ErrorKind::BadInput,
            Class::AwsAccess => ErrorKind::AwsAccess,
            Class::Base => ErrorKind::Internal,
        }
    }
}

/// Build an exception of `class` carrying `code`, `kind` and `path` as attributes.
fn build(py: Python<'_>, class: Class, message: String, kind: &str, path: Option<&str>) -> PyErr {
    let err = match class {
        Class::Base => HipaaError::new_err(message),
        Class::Configuration => ConfigurationError::new_err(message),
        Class::AwsAccess => AwsAccessError::new_err(message),
        Class::BadInput => BadInputError::new_err(message),
    };
    let value = err.value(py);
    // Attributes are a convenience on top of the message; failing to set one is not worth a second error.
    let _ = value.setattr("code", class.kind().code());
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("path", path);
    err
}

/// Map a core error onto the hierarchy by the kind the core gives it.
pub(crate) fn core_error(e: Error) -> PyErr {
    let message = e.to_string();
    let class = Class::of(e.kind());
    Python::attach(|py| build(py, class, message, e.subject(), e.path()))
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
    base.setattr("code", ErrorKind::Internal.code())?;
    base.setattr("kind", "internal")?;
    base.setattr("path", py.None())?;
    m.add("HipaaError", base)?;
    m.add("ConfigurationError", ConfigurationError::type_object(py))?;
    m.add("AwsAccessError", AwsAccessError::type_object(py))?;
    m.add("BadInputError", BadInputError::type_object(py))?;
    Ok(())
}
