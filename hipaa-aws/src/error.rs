//! The adapter's one error type: what stops a scan before any evidence is read.

use thiserror::Error;

/// Why a scan could not start.
#[derive(Debug, Error)]
pub enum Error {
    /// The options are invalid (bad endpoint URL, no region, zero concurrency).
    #[error("configuration: {0}")]
    Config(String),
}

impl From<Error> for hipaa_core::Error {
    fn from(e: Error) -> Self {
        hipaa_core::Error::Source(e.to_string())
    }
}
