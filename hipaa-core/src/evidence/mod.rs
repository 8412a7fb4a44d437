//! Typed evidence: what a source (a live account, a template, a saved file) says, with every
//! fact either known or unknown-with-reason.
//!
//! The evidence types of each AWS service live in that service's folder
//! (`services/<service>/evidence.rs`); this module holds what they share: [`Fact`], the
//! [`Regional`] section shape and its region walk, the account's regions and the [`Snapshot`].

pub mod account;
mod fact;
mod legacy;
mod section;
mod snapshot;
mod template;

pub use fact::{Fact, Unknown, UnknownReason};
pub use section::{RegionEvidence, RegionSection, Regional, Section, Store, StoreListing};
pub use snapshot::{Provenance, ReadFailure, ReadLog, Snapshot, SNAPSHOT_SCHEMA_VERSION};
pub use template::{Location, OpenFact, TemplateResource};

use std::collections::BTreeMap;

/// A fact a source never read: `what` names the evidence (`AWS Organizations`).
pub fn not_collected<T>(what: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        format!("this snapshot has no {what} evidence"),
    ))
}

/// Resource tags as read from AWS, ordered so snapshots diff cleanly.
pub type Tags = BTreeMap<String, String>;
