//! AWS WAF (WAFv2): web ACLs have rules and log what they see; REGIONAL ACLs per region, CLOUDFRONT
//! ACLs once per account.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsWafv2WebAcl"];
