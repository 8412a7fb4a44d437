//! AWS Systems Manager: which instances it manages and their patch compliance. Its rules read
//! the EC2 section's instances too.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEc2Instance", "AwsSsmManagedInstance"];
