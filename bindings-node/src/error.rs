//! Errors as JavaScript sees them: an `Error` whose `code` says which kind of mistake it is.
//!
//! | code               | meaning                                                           |
//! |--------------------|-------------------------------------------------------------------|
//! | `HIPAA_CONFIG`     | the call itself is wrong: bad option, unknown option, bad value   |
//! | `HIPAA_AWS_ACCESS` | the scan could not run at all (nothing could be collected)        |
//! | `HIPAA_BAD_INPUT`  | a scope, snapshot, catalog or report is unreadable or malformed   |
//! | `HIPAA_INTERNAL`   | the package's bundled data is malformed (a packaging bug)          |
//!
//! The code comes from `hipaa_core::Error::kind()`, so Python's `e.code` is the same string.
//!
//! A read that fails during a scan is not an error: it becomes an ERROR finding and the gate's
//! exit code 4, exactly as in the CLI.

use hipaa_core::ErrorKind;
use napi::bindgen_prelude::{Env, JsObjectValue, JsValue, Unknown};
use napi_derive::napi;
use std::fmt;

/// The stable `code` property of every error this package throws.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The options or arguments of a call are invalid.
    #[napi(value = "HIPAA_CONFIG")]
    Config,
    /// Collecting evidence failed as a whole.
    #[napi(value = "HIPAA_AWS_ACCESS")]
    AwsAccess,
    /// A scope, snapshot, catalog or report is unreadable or malformed.
    #[napi(value = "HIPAA_BAD_INPUT")]
    BadInput,
    /// The package's bundled data is malformed: a packaging bug.
    #[napi(value = "HIPAA_INTERNAL")]
    Internal,
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.kind().code()
    }
}

impl ErrorCode {
    /// The core's kind this code stands for.
    pub fn kind(self) -> ErrorKind {
        match self {
            ErrorCode::Config => ErrorKind::Configuration,
            ErrorCode::AwsAccess => ErrorKind::AwsAccess,
            ErrorCode::BadInput => ErrorKind::BadInput,
            ErrorCode::Internal => ErrorKind::Internal,
        }
    }

    /// The code of a core kind.
    pub fn of(kind: ErrorKind) -> ErrorCode {
        match kind {
            ErrorKind::Configuration => ErrorCode::Config,
            ErrorKind::AwsAccess => ErrorCode::AwsAccess,
            ErrorKind::BadInput => ErrorCode::BadInput,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

/// An error on its way to JavaScript: the code and the message from Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The `code` property.
    pub code: ErrorCode,
    /// The `message` property.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Result of the binding's own helpers.
pub type Result<T, E = Failure> = std::result::Result<T, E>;

impl Failure {
    /// A mistake in the call's options or arguments.
    pub fn config(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::Config,
            message: message.into(),
        }
    }

    /// A malformed or unreadable input document.
    pub fn bad_input(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::BadInput,
            message: message.into(),
        }
    }

    /// An argument napi could not convert (wrong JavaScript type), named for the caller.
    pub fn argument(what: &str, e: &napi::Error) -> Failure {
        Failure::config(format!("{what}: {}", e.reason))
    }

    /// As thrown by a synchronous function (`napi::Result<T, ErrorCode>`): napi sets `code` from the [`ErrorCode`].
    pub fn into_napi(self) -> napi::Error<ErrorCode> {
        napi::Error::new(self.code, self.message)
    }

    /// As a JavaScript `Error` object with its `code`, for rejecting a promise: the object is made
    /// here, on the JavaScript thread, and napi rejects with that very object.
    pub fn into_js(self, env: &Env) -> napi::Error {
        let made = env
            .create_error(napi::Error::from_reason(self.message.clone()))
            .and_then(|mut obj| {
                obj.set_named_property("code", self.code.as_ref())?;
                Ok(obj)
            });
        match made {
            Ok(obj) => napi::Error::from(obj.to_unknown()),
            Err(e) => e,
        }
    }
}

/// The core decides the kind; the code is that kind's.
impl From<hipaa_core::Error> for Failure {
    fn from(e: hipaa_core::Error) -> Failure {
        Failure {
            code: ErrorCode::of(e.kind()),
            message: e.to_string(),
        }
    }
}

/// Turn a JavaScript value into `T`, reporting a wrong type as a [`ErrorCode::Config`] error.
pub fn convert<T: napi::bindgen_prelude::FromNapiValue>(
    value: Unknown<'_>,
    what: &str,
) -> Result<T> {
    T::from_unknown(value).map_err(|e| Failure::argument(what, &e))
}
