//! Amazon RDS evidence: DB instances per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's RDS databases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RdsRegion {
    /// DB instances (`DescribeDBInstances`).
    pub instances: Fact<Vec<RdsInstance>>,
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

impl crate::evidence::RegionSection for RdsRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.instances.get().map(|list| {
            list.iter()
                .map(|i| crate::evidence::Store {
                    arn: i.arn.clone(),
                    tags: Fact::Known(i.tags.clone()),
                    region: None,
                    in_cluster: i.in_cluster(),
                })
                .collect()
        }))
    }
}

impl RdsInstance {
    /// Aurora, DocumentDB and Neptune instances are backed up with their cluster.
    pub fn in_cluster(&self) -> bool {
        let engine = self.engine.to_ascii_lowercase();
        engine.starts_with("aurora") || engine == "docdb" || engine == "neptune"
    }
}
