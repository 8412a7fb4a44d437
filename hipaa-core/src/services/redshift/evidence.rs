//! Amazon Redshift evidence: provisioned clusters per region, the `require_ssl` parameter of
//! each parameter group they use, and each cluster's audit-logging status.
//!
//! A setting the answer left out is `None`, never a guess: the controls that need it are ERROR.

use crate::evidence::{Fact, Store, Tags, Unknown};
use crate::services::rds::evidence::{DbParameter, ParameterGroupUse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's Redshift clusters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedshiftRegion {
    /// Provisioned clusters (`DescribeClusters`).
    pub clusters: Fact<Vec<RedshiftCluster>>,
    /// The cluster parameter groups the clusters use, each read once
    /// (`DescribeClusterParameters`, only `require_ssl` kept), by name. A group missing here
    /// was never read.
    #[serde(default)]
    pub parameter_groups: BTreeMap<String, Fact<Vec<DbParameter>>>,
}

/// A provisioned Redshift cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedshiftCluster {
    /// Cluster identifier.
    pub id: String,
    /// Cluster ARN (`arn:aws:redshift:REGION:ACCOUNT:cluster:ID`).
    pub arn: String,
    /// Whether its storage is encrypted.
    pub encrypted: bool,
    /// The KMS key, when encrypted with one.
    pub kms_key_id: Option<String>,
    /// Whether it has a publicly resolvable endpoint.
    pub publicly_accessible: Option<bool>,
    /// Its cluster parameter groups (one in practice) and whether each is applied.
    pub parameter_groups: Vec<ParameterGroupUse>,
    /// Tags from the cluster description.
    pub tags: Tags,
    /// Audit logging (`DescribeLoggingStatus`).
    pub logging: Fact<AuditLogging>,
}

/// Where a cluster's audit logs (connection, user and user-activity logs) go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogging {
    /// Whether audit logging is on.
    pub enabled: bool,
    /// `s3` or `cloudwatch`.
    pub destination: Option<String>,
    /// The bucket, for S3 delivery.
    pub bucket: Option<String>,
    /// The log types exported, for CloudWatch delivery.
    pub log_exports: Vec<String>,
}

impl crate::evidence::RegionSection for RedshiftRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<Store>, Unknown>> {
        Some(self.clusters.get().map(|list| {
            list.iter()
                .map(|c| Store {
                    arn: c.arn.clone(),
                    tags: Fact::Known(c.tags.clone()),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
