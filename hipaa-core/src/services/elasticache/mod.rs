//! Amazon ElastiCache: encryption at rest and in transit, AUTH and automatic backups of Valkey
//! and Redis OSS replication groups and of cache clusters outside any group (Memcached, old
//! single-node Redis). No cache is connected to and no key is read.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsElastiCacheReplicationGroup", "AwsElastiCacheCacheCluster"];
