//! AWS Backup evidence: plans with their rules and selections, vaults, and which resource
//! types the region lets AWS Backup protect.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's AWS Backup set-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupRegion {
    /// AWS Backup plans.
    pub plans: Fact<Vec<BackupPlan>>,
    /// AWS Backup vaults.
    pub vaults: Fact<Vec<BackupVault>>,
    /// Which resource types AWS Backup may protect in this region (`DescribeRegionSettings`,
    /// e.g. `S3` → false): a selection does not back up a type that is not opted in.
    pub opt_in: Fact<std::collections::BTreeMap<String, bool>>,
    /// Restore testing plans, each with its newest restore job (`ListRestoreTestingPlans`,
    /// `ListRestoreJobs`); snapshots written before they were read hold no answer.
    #[serde(default = "not_in_snapshot")]
    pub restore_testing: Fact<Vec<RestoreTestingPlan>>,
}

/// Snapshots written before restore testing was read: unknown, never "no plans".
pub fn not_in_snapshot<T>() -> Fact<T> {
    Fact::Unknown(crate::evidence::Unknown::new(
        crate::evidence::UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before AWS Backup restore testing was collected",
    ))
}

/// An AWS Backup restore testing plan: it restores recovery points on a schedule to show that
/// they can be restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreTestingPlan {
    /// Plan name.
    pub name: String,
    /// Plan ARN.
    pub arn: String,
    /// Schedule expression (`cron(…)`).
    pub schedule: Option<String>,
    /// When it last ran, as the plan reports it.
    pub last_execution: Option<chrono::DateTime<chrono::Utc>>,
    /// Its newest restore job of the last 400 days (`ListRestoreJobs` by plan); `None` when it
    /// has none.
    pub last_job: Fact<Option<RestoreJob>>,
}

/// One restore job of a restore testing plan (no data, only its outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreJob {
    /// Job id.
    pub id: String,
    /// `PENDING`, `RUNNING`, `COMPLETED`, `ABORTED` or `FAILED`.
    pub status: Option<String>,
    /// Why, when it did not complete.
    pub status_message: Option<String>,
    /// When it started.
    pub created: Option<chrono::DateTime<chrono::Utc>>,
    /// When it finished.
    pub completed: Option<chrono::DateTime<chrono::Utc>>,
    /// The kind of resource restored (`EBS`, `RDS`, …).
    pub resource_type: Option<String>,
    /// `SUCCESSFUL`, `FAILED`, `TIMED_OUT` or `VALIDATING`, when the restored copy was validated.
    pub validation: Option<String>,
    /// The validation's message.
    pub validation_message: Option<String>,
}

/// An AWS Backup plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupPlan {
    /// Plan id.
    pub id: String,
    /// Plan ARN.
    pub arn: String,
    /// Plan name.
    pub name: String,
    /// Its rules (`GetBackupPlan`).
    pub rules: Fact<Vec<BackupRule>>,
    /// Its resource selections (`ListBackupSelections` + `GetBackupSelection`).
    pub selections: Fact<Vec<BackupSelection>>,
}

/// One rule of a backup plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRule {
    /// Rule name.
    pub name: String,
    /// Schedule expression (`cron(…)` or `rate(…)`); `None` for on-demand only.
    pub schedule: Option<String>,
    /// Target vault name.
    pub vault: String,
    /// Days until recovery points are deleted; `None` means kept forever.
    pub delete_after_days: Option<i64>,
    /// Destination vault ARNs of copy actions.
    pub copy_to: Vec<String>,
}

/// Which resources a backup selection covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSelection {
    /// Selection id.
    pub id: String,
    /// Selection name.
    pub name: String,
    /// Resource ARNs or ARN patterns (`*` wildcard) selected.
    pub resources: Vec<String>,
    /// ARNs or patterns excluded.
    pub not_resources: Vec<String>,
    /// Tag conditions `(key, value)`: a resource carrying any of them is selected.
    pub tags: Vec<(String, String)>,
    /// `Conditions`: every one must also hold for a resource picked by `resources` or `tags`.
    #[serde(default)]
    pub conditions: Vec<TagCondition>,
}

/// One `Conditions` entry of a backup selection, on a resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCondition {
    /// How the tag's value is compared.
    pub op: TagOp,
    /// Tag key (without the `aws:ResourceTag/` prefix).
    pub key: String,
    /// The value, or a pattern with `*` for the `like` operators.
    pub value: String,
}

/// A backup selection's condition operators (`StringEquals`, `StringNotEquals`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagOp {
    /// The tag is present with this value.
    Equals,
    /// The tag is absent or has another value.
    NotEquals,
    /// The tag is present and its value matches the pattern.
    Like,
    /// The tag is absent or its value does not match the pattern.
    NotLike,
}

/// An AWS Backup vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupVault {
    /// Vault name.
    pub name: String,
    /// Vault ARN.
    pub arn: String,
    /// The KMS key that encrypts recovery points.
    pub encryption_key_arn: Option<String>,
    /// Whether Vault Lock is applied.
    pub locked: bool,
    /// Vault Lock minimum retention, when set.
    pub min_retention_days: Option<i64>,
}

impl crate::evidence::RegionSection for BackupRegion {}
