//! The adapter's one error type: what stops a scan before any evidence is read.

use thiserror::Error;

/// Why a scan could not start.
#[derive(Debug, Error)]
pub enum Error {
    /// The options are invalid (bad endpoint URL, no region, zero concurrency).
    #[error("configuration: {0}")]
    Config(String),
    /// No credentials could be obtained from the default chain or the named profile, so no read
    /// can succeed: the scan cannot run at all.
    #[error("no AWS credentials: {0}")]
    Credentials(String),
}

impl From<Error> for hipaa_core::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Config(m) => hipaa_core::Error::Config(m),
            Error::Credentials(_) => hipaa_core::Error::Source(e.to_string()),
        }
    }
}
