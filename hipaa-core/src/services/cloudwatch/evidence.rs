//! Amazon CloudWatch evidence: CloudWatch Logs log groups and metric filters, and metric
//! alarms, per region (metadata only; log events are never read).

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's log groups, metric filters and alarms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudWatchRegion {
    /// CloudWatch Logs log groups.
    pub log_groups: Fact<Vec<LogGroup>>,
    /// CloudWatch Logs metric filters.
    pub metric_filters: Fact<Vec<MetricFilter>>,
    /// CloudWatch metric alarms.
    pub alarms: Fact<Vec<MetricAlarm>>,
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

impl crate::evidence::RegionSection for CloudWatchRegion {}
