//! Amazon CloudFront, read once per account: HTTPS to viewers with TLS 1.2, HTTPS to origins
//! without old protocols, standard logging and a WAF web ACL on each distribution.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsCloudFrontDistribution"];
