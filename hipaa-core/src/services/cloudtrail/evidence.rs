//! AWS CloudTrail evidence: the trails visible in each region and what they record.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// The trails one region's `DescribeTrails` shows (with shadow trails, so multi-region and
/// organization trails appear in every region and in member accounts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudTrailRegion {
    /// The trails.
    pub trails: Fact<Vec<Trail>>,
}

/// A CloudTrail trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    /// Trail name.
    pub name: String,
    /// Trail ARN (the key for de-duplicating shadow copies).
    pub arn: String,
    /// The region the trail was created in.
    pub home_region: String,
    /// Records events in every region.
    pub multi_region: bool,
    /// An organization trail (covers every member account).
    pub organization: bool,
    /// Log-file integrity validation.
    pub log_file_validation: bool,
    /// KMS key for log files, when SSE-KMS is used.
    pub kms_key_id: Option<String>,
    /// CloudWatch Logs log group ARN the trail delivers to.
    pub cloudwatch_log_group_arn: Option<String>,
    /// The S3 bucket log files go to.
    pub s3_bucket: Option<String>,
    /// Whether it is logging now (`GetTrailStatus`).
    pub is_logging: Fact<bool>,
    /// What it records (`GetEventSelectors`).
    pub selectors: Fact<TrailSelectors>,
}

/// What a trail records, reduced to what the controls ask.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrailSelectors {
    /// Read and write management events are recorded.
    pub management_events: bool,
    /// S3 object-level (data event) ARN prefixes recorded; `arn:aws:s3` (or `arn:aws:s3:::`)
    /// means every bucket.
    pub s3_data_prefixes: Vec<String>,
}

impl TrailSelectors {
    /// Whether object-level events of this bucket are recorded.
    pub fn covers_bucket(&self, bucket: &str) -> bool {
        self.s3_data_prefixes.iter().any(|p| {
            let p = p.trim_end_matches('/');
            // `arn:aws:s3` or `arn:aws:s3:::` is every bucket; `arn:aws:s3:::b` or `…:::b/` is the
            // whole of bucket b. A narrower prefix (`…:::b/reports/`) covers only part of it.
            p.ends_with(":s3")
                || p.ends_with(":s3:::")
                || p.split_once(":::").is_some_and(|(_, rest)| rest == bucket)
        })
    }
}

impl crate::evidence::RegionSection for CloudTrailRegion {}

#[cfg(test)]
mod tests {
    use super::TrailSelectors;

    #[test]
    fn a_partial_prefix_does_not_cover_the_bucket() {
        let s = |p: &[&str]| TrailSelectors {
            management_events: true,
            s3_data_prefixes: p.iter().map(|x| x.to_string()).collect(),
        };
        assert!(s(&["arn:aws:s3"]).covers_bucket("b"));
        assert!(s(&["arn:aws:s3:::"]).covers_bucket("b"));
        assert!(s(&["arn:aws:s3:::b/"]).covers_bucket("b"));
        assert!(s(&["arn:aws:s3:::b"]).covers_bucket("b"));
        assert!(!s(&["arn:aws:s3:::b/reports/"]).covers_bucket("b"));
        assert!(!s(&["arn:aws:s3:::bb/"]).covers_bucket("b"));
        assert!(!s(&[]).covers_bucket("b"));
    }
}
