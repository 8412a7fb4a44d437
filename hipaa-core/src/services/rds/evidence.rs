//! Amazon RDS evidence: DB instances and DB clusters (Aurora, Multi-AZ DB clusters) per region.
//!
//! A setting the answer left out is `None`, never a guess: the controls that need it are ERROR.
//! Fields added after the first schema default to `None` (or an unrecorded listing), so an
//! older snapshot gives ERROR for the new controls rather than a PASS.

use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use serde::{Deserialize, Serialize};

/// One region's RDS databases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsRegion {
    /// DB instances (`DescribeDBInstances`), cluster members included.
    pub instances: Fact<Vec<RdsInstance>>,
    /// DB clusters (`DescribeDBClusters`).
    #[serde(default = "clusters_not_recorded")]
    pub clusters: Fact<Vec<RdsCluster>>,
}

pub(crate) fn clusters_not_recorded() -> Fact<Vec<RdsCluster>> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "rds:DescribeDBClusters",
        "this snapshot was made before DB clusters were collected",
    ))
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
    /// The cluster it belongs to, for Aurora, DocumentDB and Neptune members.
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// Whether it has a publicly resolvable endpoint.
    #[serde(default)]
    pub publicly_accessible: Option<bool>,
    /// A standby in another Availability Zone.
    #[serde(default)]
    pub multi_az: Option<bool>,
    /// Deletion protection.
    #[serde(default)]
    pub deletion_protection: Option<bool>,
    /// IAM database authentication.
    #[serde(default)]
    pub iam_auth: Option<bool>,
    /// Automatic minor version upgrades.
    #[serde(default)]
    pub auto_minor_upgrade: Option<bool>,
    /// The KMS key of its storage (an ARN), when encrypted.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The log types exported to CloudWatch Logs.
    #[serde(default)]
    pub log_exports: Option<Vec<String>>,
}

/// An RDS DB cluster: Aurora, or a Multi-AZ DB cluster of MySQL or PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdsCluster {
    /// DB cluster identifier.
    pub id: String,
    /// Cluster ARN.
    pub arn: String,
    /// Engine name (`aurora-postgresql`, `aurora-mysql`, `mysql`, …).
    pub engine: String,
    /// Automated backup retention in days.
    pub backup_retention_days: i32,
    /// Storage encryption.
    pub storage_encrypted: bool,
    /// The KMS key of its storage (an ARN), when encrypted.
    pub kms_key_id: Option<String>,
    /// Whether its instances span Availability Zones.
    pub multi_az: Option<bool>,
    /// Deletion protection.
    pub deletion_protection: Option<bool>,
    /// IAM database authentication.
    pub iam_auth: Option<bool>,
    /// The log types exported to CloudWatch Logs.
    pub log_exports: Option<Vec<String>>,
    /// Given only for Multi-AZ DB clusters; Aurora sets it on each member instance.
    pub publicly_accessible: Option<bool>,
    /// Given only for Multi-AZ DB clusters; Aurora sets it on each member instance.
    pub auto_minor_upgrade: Option<bool>,
    /// Member instance identifiers.
    pub members: Vec<String>,
    /// Tags from the cluster description.
    pub tags: Tags,
}

impl crate::evidence::RegionSection for RdsRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        let store = |arn: &str, tags: &Tags, in_cluster: bool| crate::evidence::Store {
            arn: arn.to_string(),
            tags: Fact::Known(tags.clone()),
            region: None,
            in_cluster,
        };
        Some(self.instances.get().and_then(|instances| {
            let clusters = self.clusters.get()?;
            Ok(instances
                .iter()
                .map(|i| store(&i.arn, &i.tags, i.in_cluster()))
                .chain(clusters.iter().map(|c| store(&c.arn, &c.tags, false)))
                .collect())
        }))
    }
}

impl RdsInstance {
    /// Aurora, DocumentDB and Neptune instances are backed up with their cluster.
    pub fn in_cluster(&self) -> bool {
        if self.cluster_id.is_some() {
            return true;
        }
        let engine = self.engine.to_ascii_lowercase();
        engine.starts_with("aurora") || engine == "docdb" || engine == "neptune"
    }
}
