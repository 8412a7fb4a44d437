//! Read-only AWS evidence collection for `hipaa-core`: one `SdkConfig`, bounded concurrency,
//! every call counted, every failed read recorded as an unknown fact.
//!
//! Layout: `config` (options and the shared `SdkConfig`), `ledger` (every call counted and
//! classified), `scan` (one scan of one account), `account` (identity and regions), `regional`
//! (per-region clients and the region loop), and `collect/<service>.rs`, one collector per
//! service folder of `hipaa-core/src/services/`.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod account;
mod collect;
mod config;
mod error;
mod ledger;
mod regional;
mod run;
mod scan;

pub use config::ScanOptions;
pub use error::Error;
pub use run::{scan, snapshot};
pub use scan::AwsSource;
