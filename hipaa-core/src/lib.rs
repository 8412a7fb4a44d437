#![doc = include_str!("../README.md")]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod attest;
pub mod audit;
pub mod aws;
pub mod bundle;
pub mod catalog;
pub mod demo;
pub mod eligible;
mod error;
mod evaluate;
pub mod evidence;
pub mod framework;
pub mod iac;
pub mod network_map;
pub mod notice;
pub mod organization;
pub mod progress;
pub mod registry;
pub mod report;
pub mod risk;
pub mod rules;
pub mod scope;
pub mod scp;
pub mod services;
pub mod source;
#[cfg(test)]
mod testkit;
mod vocabulary;

pub use catalog::{Catalog, CheckKind, Control, Remediation};
pub use error::{Error, ErrorKind, Result};
pub use evaluate::Engine;
pub use evidence::{Fact, Location, Provenance, Snapshot, Unknown, UnknownReason};
pub use framework::{Framework, FrameworkInfo, FrameworkStatus};
pub use registry::{citation_index, CitationEntry, Registry, Spec};
pub use report::{Finding, Gate, Report, EXIT_CLEAN, EXIT_FAILURES, EXIT_INCOMPLETE};
pub use rules::{Check, Context, Outcome, Resource, Verdict};
pub use scope::Scope;
pub use source::{EvidenceSource, NoProgress, Progress, SnapshotFile};
pub use vocabulary::{Category, Owner, Safeguard, Severity, Status};
