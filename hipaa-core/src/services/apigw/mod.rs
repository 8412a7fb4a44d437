//! Amazon API Gateway REST APIs: stage logging, encrypted caches, TLS 1.2 custom domains, client
//! certificates to backends, and methods that need authorization.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[
    "AwsApiGatewayStage",
    "AwsApiGatewayRestApi",
    "AwsApiGatewayDomainName",
];
