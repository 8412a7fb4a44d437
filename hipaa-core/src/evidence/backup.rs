//! Backup and recovery evidence: AWS Backup plans and vaults, and the backup settings of RDS,
//! DynamoDB and EFS, region by region.

use super::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's backup set-up and data stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupRegion {
    /// Region name.
    pub region: String,
    /// AWS Backup plans.
    pub plans: Fact<Vec<BackupPlan>>,
    /// AWS Backup vaults.
    pub vaults: Fact<Vec<BackupVault>>,
    /// DynamoDB tables.
    pub dynamodb_tables: Fact<Vec<DynamoTable>>,
    /// RDS DB instances.
    pub rds_instances: Fact<Vec<RdsInstance>>,
    /// EFS file systems.
    pub efs_file_systems: Fact<Vec<FileSystem>>,
    /// Which resource types AWS Backup may protect in this region (`DescribeRegionSettings`,
    /// e.g. `S3` → false): a selection does not back up a type that is not opted in.
    #[serde(default = "super::snapshot::not_collected")]
    pub opt_in: Fact<std::collections::BTreeMap<String, bool>>,
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

/// A DynamoDB table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamoTable {
    /// Table name.
    pub name: String,
    /// Table ARN.
    pub arn: String,
    /// Point-in-time recovery enabled.
    pub pitr: Fact<bool>,
    /// Table tags.
    pub tags: Fact<Tags>,
}

/// An RDS DB instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdsInstance {
    /// DB instance identifier.
    pub id: String,
    /// Instance ARN.
    pub arn: String,
    /// Engine name.
    pub engine: String,
    /// Automated backup retention in days (0 = automated backups off).
    pub backup_retention_days: i32,
    /// Storage encryption.
    pub storage_encrypted: bool,
    /// The VPC of its subnet group (where its network traffic is recorded).
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Tags from the instance description.
    pub tags: Tags,
}

/// An EFS file system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSystem {
    /// File system id.
    pub id: String,
    /// File system ARN.
    pub arn: String,
    /// Encrypted at rest.
    pub encrypted: bool,
    /// Automatic backups (`DescribeBackupPolicy` status `ENABLED`).
    pub backup_enabled: Fact<bool>,
    /// Tags from the file system description.
    pub tags: Tags,
}
