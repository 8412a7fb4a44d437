//! Amazon ECS: the latest ACTIVE revision of each task definition family, container by
//! container: privileged mode, read-only root file systems, log configuration and credentials in
//! environment variables (names only; values are dropped by the collector).

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEcsTaskDefinition"];
