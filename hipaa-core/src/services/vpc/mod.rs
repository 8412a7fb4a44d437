//! Amazon VPC: VPCs and flow logs; VPCs count as holding ePHI when tagged, or when they run a
//! PHI-tagged instance or database.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEc2Vpc"];
