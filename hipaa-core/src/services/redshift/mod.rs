//! Amazon Redshift: provisioned clusters' encryption, TLS, public access and audit logging.
//! No cluster is connected to and no table is read.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsRedshiftCluster"];
