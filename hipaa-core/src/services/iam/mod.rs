//! AWS IAM: the root user, console MFA, access keys, the password policy and administrator
//! grants in managed and inline policies.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsIamUser", "AwsIamRole", "AwsIamGroup", "AwsIamPolicy", "AwsIamPrincipal"];
