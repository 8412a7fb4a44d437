//! Amazon RDS: DB instances, their storage encryption and automated backups.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsRdsDbInstance", "AwsRdsDbCluster", "AwsRdsDbSnapshot", "AwsRdsDbClusterSnapshot"];
