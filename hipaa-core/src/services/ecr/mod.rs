//! Amazon ECR: private repositories' image scanning (the repository's own scan-on-push setting
//! or the registry's scanning rules), tag immutability, KMS encryption and repository policies.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsEcrRepository"];
