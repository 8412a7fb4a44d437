//! AWS Lambda: who may invoke each function (resource policy, function URLs), whether its
//! runtime still gets security patches, and what its environment variables reveal. Variable
//! values are never kept: the collector keeps names only (see `crate::aws::secret_names`).

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsLambdaFunction"];
