//! Amazon RDS evidence: DB instances and DB clusters (Aurora, Multi-AZ DB clusters) per region.
//!
//! A setting the answer left out is `None`, never a guess: the controls that need it are ERROR.
//! Fields added after the first schema default to `None` (or an unrecorded listing), so an
//! older snapshot gives ERROR for the new controls rather than a PASS.

use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's RDS databases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsRegion {
    /// DB instances (`DescribeDBInstances`), cluster members included.
    pub instances: Fact<Vec<RdsInstance>>,
    /// DB clusters (`DescribeDBClusters`).
    #[serde(default = "clusters_not_recorded")]
    pub clusters: Fact<Vec<RdsCluster>>,
    /// The DB parameter groups the instances use, each read once (`DescribeDBParameters`,
    /// only the TLS parameters), by name. A group missing here was never read.
    #[serde(default)]
    pub parameter_groups: BTreeMap<String, Fact<Vec<DbParameter>>>,
    /// The DB cluster parameter groups the clusters use (`DescribeDBClusterParameters`, only
    /// the TLS parameters), by name.
    #[serde(default)]
    pub cluster_parameter_groups: BTreeMap<String, Fact<Vec<DbParameter>>>,
    /// Manual DB snapshots (`DescribeDBSnapshots`) with who may restore them.
    #[serde(default = "snapshots_not_recorded")]
    pub snapshots: Fact<Vec<RdsSnapshot>>,
    /// Manual DB cluster snapshots (`DescribeDBClusterSnapshots`) with who may restore them.
    #[serde(default = "snapshots_not_recorded")]
    pub cluster_snapshots: Fact<Vec<RdsSnapshot>>,
}

impl RdsRegion {
    /// A region's databases as listed, before any parameter group or snapshot was read (the
    /// controls that need those are then ERROR, never PASS).
    pub fn new(instances: Fact<Vec<RdsInstance>>, clusters: Fact<Vec<RdsCluster>>) -> Self {
        RdsRegion {
            instances,
            clusters,
            parameter_groups: BTreeMap::new(),
            cluster_parameter_groups: BTreeMap::new(),
            snapshots: snapshots_not_recorded(),
            cluster_snapshots: snapshots_not_recorded(),
        }
    }
}

pub(crate) fn snapshots_not_recorded() -> Fact<Vec<RdsSnapshot>> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "rds:DescribeDBSnapshots",
        "this snapshot was made before RDS snapshots were collected",
    ))
}

/// The parameter that forces TLS on an engine, and the values that turn it on; `None` for
/// engines that set TLS elsewhere (Oracle's option groups, Db2). The collector reads only these.
pub fn tls_parameter(engine: &str) -> Option<(&'static str, &'static [&'static str])> {
    let e = engine.to_ascii_lowercase();
    if e.starts_with("postgres") || e.starts_with("aurora-postgresql") || e.starts_with("sqlserver")
    {
        Some(("rds.force_ssl", &["1"]))
    } else if e.starts_with("mysql") || e.starts_with("mariadb") || e.starts_with("aurora") {
        Some(("require_secure_transport", &["ON", "1"]))
    } else {
        None
    }
}

/// How a database uses a parameter group: its name, and whether its values are in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterGroupUse {
    /// The group's name (`default.postgres16` for an engine default group).
    pub name: String,
    /// `in-sync`, `applying` or `pending-reboot` (a static change waits for a reboot).
    pub status: Option<String>,
}

impl ParameterGroupUse {
    /// Engine default groups cannot be modified.
    pub fn is_default(&self) -> bool {
        self.name.starts_with("default.")
    }
}

/// One parameter of a parameter group: only those the controls read are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbParameter {
    /// Parameter name (`rds.force_ssl`, `require_secure_transport`).
    pub name: String,
    /// Its value; `None` when the group leaves it unset.
    pub value: Option<String>,
    /// `static` (takes effect at the next reboot) or `dynamic`.
    pub apply_type: Option<String>,
}

/// A manual DB snapshot or DB cluster snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdsSnapshot {
    /// Snapshot identifier.
    pub id: String,
    /// Snapshot ARN.
    pub arn: String,
    /// The DB instance or cluster it was taken from.
    pub source: Option<String>,
    /// Whether its data is encrypted.
    pub encrypted: bool,
    /// The KMS key, when encrypted.
    pub kms_key_id: Option<String>,
    /// Tags from the snapshot description.
    pub tags: Tags,
    /// The accounts that may restore it (`all` for everyone), from its `restore` attribute.
    pub restore: Fact<Vec<String>>,
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
    /// Its DB parameter groups (one in practice).
    #[serde(default)]
    pub parameter_groups: Option<Vec<ParameterGroupUse>>,
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
    /// Its DB cluster parameter group; the status is `pending-reboot` when any member waits
    /// for a reboot to apply it.
    #[serde(default)]
    pub parameter_group: Option<ParameterGroupUse>,
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
