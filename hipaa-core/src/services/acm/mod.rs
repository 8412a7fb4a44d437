//! AWS Certificate Manager: certificates in use are not about to expire, have strong keys, and
//! renew without failing.

pub mod evidence;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsCertificateManagerCertificate"];
