//! Amazon CloudWatch: CloudWatch Logs log groups (encryption, retention) and the metric filters
//! and alarms that watch CloudTrail events.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsLogsLogGroup"];
