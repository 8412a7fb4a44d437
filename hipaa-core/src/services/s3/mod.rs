//! Amazon S3: default encryption, public exposure, TLS, versioning, Object Lock, access logging
//! and replication of buckets, and the account-level Block Public Access.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsS3Bucket"];
