//! Amazon API Gateway HTTP and WebSocket APIs: access logging on every stage, TLS 1.2 custom
//! domains.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsApiGatewayV2Stage", "AwsApiGatewayV2DomainName"];
