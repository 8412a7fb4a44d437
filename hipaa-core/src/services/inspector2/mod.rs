//! Amazon Inspector: whether EC2, ECR and Lambda vulnerability scanning is on, in every scanned
//! region.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
