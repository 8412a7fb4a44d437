//! Classic Load Balancers: HTTPS or SSL listeners only, SSL negotiation policies that allow only
//! TLS 1.2, and access logs.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsElbLoadBalancer"];
