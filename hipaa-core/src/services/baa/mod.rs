//! The Business Associate Addendum: every account that may hold ePHI is covered by an active
//! AWS BAA, shown by AWS Artifact or recorded in the scope file.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
