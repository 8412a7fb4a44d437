//! Scope: which regions a scan covers, whether ePHI sits only in HIPAA-eligible services, the
//! service control policy that keeps it there, and whether data stores are classified.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsSqsQueue", "AwsSnsTopic"];
