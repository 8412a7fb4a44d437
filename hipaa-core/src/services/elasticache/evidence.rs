//! Amazon ElastiCache evidence: replication groups and stand-alone cache clusters per region.
//!
//! A setting the answer left out is `None`, never a guess: the controls that need it are ERROR.

use crate::evidence::{Fact, Store, Tags, Unknown};
use serde::{Deserialize, Serialize};

/// One region's caches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElastiCacheRegion {
    /// Valkey and Redis OSS replication groups (`DescribeReplicationGroups`).
    pub replication_groups: Fact<Vec<Cache>>,
    /// Cache clusters that belong to no replication group (`DescribeCacheClusters`): Memcached,
    /// and single-node Redis OSS made without a group. Members of a group are judged with it.
    pub cache_clusters: Fact<Vec<Cache>>,
}

/// A replication group or a stand-alone cache cluster, with the settings the controls read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    /// Replication group or cache cluster id.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// `valkey`, `redis` or `memcached`.
    pub engine: String,
    /// Encryption at rest.
    pub at_rest_encryption: Option<bool>,
    /// Encryption in transit.
    pub transit_encryption: Option<bool>,
    /// `required`, or `preferred` (plaintext clients still accepted, during a migration).
    pub transit_encryption_mode: Option<String>,
    /// Whether clients must give an AUTH token.
    pub auth_token: Option<bool>,
    /// RBAC user groups; any means clients sign in as a user.
    pub user_groups: Vec<String>,
    /// Days automatic snapshots are kept (0 = off).
    pub snapshot_retention_days: Option<i32>,
    /// The KMS key of its data at rest, when one is named.
    pub kms_key_id: Option<String>,
    /// Tags (`ListTagsForResource`).
    pub tags: Fact<Tags>,
}

impl Cache {
    /// Memcached keeps no data on disk and has no AUTH or snapshots.
    pub fn is_memcached(&self) -> bool {
        self.engine.eq_ignore_ascii_case("memcached")
    }
}

impl crate::evidence::RegionSection for ElastiCacheRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<Store>, Unknown>> {
        Some(self.replication_groups.get().and_then(|groups| {
            let clusters = self.cache_clusters.get()?;
            Ok(groups
                .iter()
                .chain(clusters)
                .map(|c| Store {
                    arn: c.arn.clone(),
                    tags: c.tags.clone(),
                    region: None,
                    in_cluster: false,
                })
                .collect())
        }))
    }
}
