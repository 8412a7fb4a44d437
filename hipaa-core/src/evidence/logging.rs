//! Logging and monitoring evidence: CloudTrail, AWS Config, GuardDuty, Security Hub,
//! CloudWatch Logs and CloudWatch alarms, region by region.

use super::Fact;
use serde::{Deserialize, Serialize};

/// One region's logging and monitoring set-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggingRegion {
    /// Region name.
    pub region: String,
    /// Trails visible here (`DescribeTrails` with shadow trails, so multi-region and
    /// organization trails show up in every region and in member accounts).
    pub trails: Fact<Vec<Trail>>,
    /// AWS Config recorders.
    pub config_recorders: Fact<Vec<ConfigRecorder>>,
    /// GuardDuty detectors.
    pub guardduty: Fact<Vec<Detector>>,
    /// Security Hub; `None` when the account is not subscribed in this region.
    pub security_hub: Fact<Option<SecurityHub>>,
    /// CloudWatch Logs log groups.
    pub log_groups: Fact<Vec<LogGroup>>,
    /// CloudWatch Logs metric filters.
    pub metric_filters: Fact<Vec<MetricFilter>>,
    /// CloudWatch metric alarms.
    pub alarms: Fact<Vec<MetricAlarm>>,
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

/// An AWS Config configuration recorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    /// Recorder name.
    pub name: String,
    /// Records every supported resource type.
    pub all_supported: bool,
    /// Includes global resource types (IAM).
    pub include_global: bool,
    /// Whether it is recording now (`DescribeConfigurationRecorderStatus`).
    pub recording: Fact<bool>,
}

/// A GuardDuty detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    /// Detector id.
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: Fact<String>,
}

/// A Security Hub subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityHub {
    /// Hub ARN.
    pub arn: String,
    /// When it was enabled.
    pub subscribed_at: Option<String>,
}

/// A CloudWatch Logs log group (metadata only; events are never read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    /// Log group name.
    pub name: String,
    /// Log group ARN.
    pub arn: String,
    /// KMS key ARN when encrypted with a customer key.
    pub kms_key_id: Option<String>,
    /// Retention in days; `None` means never expire.
    pub retention_days: Option<i32>,
}

/// A CloudWatch Logs metric filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricFilter {
    /// Filter name.
    pub name: String,
    /// The log group it reads.
    pub log_group: String,
    /// The filter pattern.
    pub pattern: String,
    /// `(namespace, metric name)` pairs it publishes.
    pub metrics: Vec<(String, String)>,
}

/// A CloudWatch metric alarm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricAlarm {
    /// Alarm name.
    pub name: String,
    /// Metric namespace.
    pub namespace: Option<String>,
    /// Metric name.
    pub metric: Option<String>,
    /// Whether actions are enabled.
    pub actions_enabled: bool,
    /// Alarm actions (SNS topics, …).
    pub actions: Vec<String>,
}

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
