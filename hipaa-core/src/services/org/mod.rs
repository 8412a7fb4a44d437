//! AWS Organizations: the organization, its accounts, the account's parents and the service
//! control policies. No controls of its own yet; the scope and BAA rules read it.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
