//! Amazon OpenSearch Service: encryption, HTTPS, network exposure and audit logs of domains
//! (OpenSearch and legacy Elasticsearch engines). No index or document is read.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsOpenSearchServiceDomain"];
