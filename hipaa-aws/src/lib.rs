//! Read-only AWS evidence collection for `hipaa-core`: one `SdkConfig`, bounded concurrency,
//! every call counted, every failed read recorded as an unknown fact.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod collect;
mod config;
mod error;
mod ledger;
mod run;

pub use collect::AwsSource;
pub use config::ScanOptions;
pub use error::Error;
pub use run::{scan, snapshot};
