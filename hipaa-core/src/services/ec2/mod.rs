//! Amazon EC2: instances (where they run, and their tags). No controls of its own yet; the VPC
//! and backup rules read it.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEc2Instance", "AwsEc2Volume"];
