//! Typed evidence: what a scan learned, with every fact either known or unknown-with-reason.

pub mod backup;
mod fact;
pub mod governance;
pub mod iam;
pub mod kms;
pub mod logging;
pub mod network;
pub mod s3;
mod snapshot;

pub use fact::{Fact, Unknown, UnknownReason};
pub use snapshot::{ReadFailure, ReadLog, Snapshot, SNAPSHOT_SCHEMA_VERSION};

use std::collections::BTreeMap;

/// Resource tags as read from AWS, ordered so snapshots diff cleanly.
pub type Tags = BTreeMap<String, String>;
