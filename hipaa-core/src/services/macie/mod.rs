//! Amazon Macie: sensitive-data discovery where ePHI is stored. Its rule reads the S3 section's
//! buckets to find the regions that need it.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
