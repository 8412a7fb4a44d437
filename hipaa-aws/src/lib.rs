//! Read-only AWS evidence collection for `hipaa-core`: one `SdkConfig`, bounded concurrency,
//! every call counted, every failed read recorded as an unknown fact.
//!
//! Layout: `config` (options and the shared `SdkConfig`), `ledger` (every call counted and
//! classified), `clients` (every SDK client, built with the interceptors it must carry),
//! `wellformed` (cut-short XML answers refused), `scan` (one scan of one account), `account`
//! (identity and regions), `regional` (the region loop), `env_vars` (environment variable values
//! dropped where the API returns them), `organization` (every account of an organization,
//! streamed), and `collect/<service>.rs`, one collector per service folder of
//! `hipaa-core/src/services/`.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod account;
mod clients;
mod collect;
mod config;
#[cfg(feature = "workloads")]
mod env_vars;
mod error;
mod ledger;
mod organization;
mod regional;
mod run;
mod scan;
mod wellformed;

pub use config::{RetryMode, ScanOptions};
pub use error::Error;
pub use organization::{scan_organization, OrganizationOptions, DEFAULT_ACCOUNT_CONCURRENCY};
pub use run::{scan, snapshot};

/// Stack for the worker threads of a runtime that scans: in a debug build the SDK's futures
/// are large and a scan nests several of them, which leaves tokio's default 2 MiB little margin.
pub const WORKER_STACK_SIZE: usize = 8 * 1024 * 1024;

/// A multi-thread tokio runtime builder fit for scans (I/O and timers on, [`WORKER_STACK_SIZE`]).
pub fn runtime_builder() -> tokio::runtime::Builder {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.enable_all().thread_stack_size(WORKER_STACK_SIZE);
    b
}
pub use scan::AwsSource;

/// The well-formedness pass every XML answer gets before a collector sees it, for custom clients
/// and for the benchmark (`cargo run --release -p hipaa-aws --example bench_wellformed`).
pub use wellformed::check as check_well_formed_xml;
