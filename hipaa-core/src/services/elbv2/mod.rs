//! Elastic Load Balancing v2 (Application, Network and Gateway Load Balancers): HTTPS-only
//! listeners, TLS policies, TLS on network load balancers that carry ePHI, header hygiene, access
//! logs, deletion protection and WAF in front of internet-facing Application Load Balancers.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsElbv2LoadBalancer"];
