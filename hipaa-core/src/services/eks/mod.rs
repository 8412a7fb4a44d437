//! Amazon EKS: each cluster's API endpoint exposure, envelope encryption of Kubernetes secrets,
//! control-plane logging, and whether its Kubernetes version is still in standard support
//! (the dated calendar in `versions.toml`).

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEksCluster"];
