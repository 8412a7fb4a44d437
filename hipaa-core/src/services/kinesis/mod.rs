//! Amazon Kinesis Data Streams: streams' server-side encryption. No record is read: the
//! evidence comes from `ListStreams`, `DescribeStreamSummary` and `ListTagsForStream`.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsKinesisStream"];
