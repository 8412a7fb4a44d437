//! IAM policy documents: parsing and the questions the S3, KMS and IAM rules ask of them.
//!
//! A document is parsed once (JSON, or the URL-encoded form IAM's API returns) into typed
//! statements, and the analysis functions then walk those statements. Nothing here performs
//! I/O, and nothing panics on any input: malformed documents become a [`PolicyParseError`].
//!
//! The analysis is deliberately conservative where that is cheap: a condition only counts as
//! restricting who can call when it names the caller with a positive operator and a concrete
//! value, and a TLS-only deny only counts when nothing else narrows it.

mod analysis;
mod document;
mod parse;

pub use analysis::{action_matches, CrossAccountGrant, KMS_USE_ACTIONS};
pub use document::{
    Condition, Effect, PolicyDocument, PolicyParseError, Principal, PublicGrant, Statement,
};

#[cfg(test)]
mod tests;
