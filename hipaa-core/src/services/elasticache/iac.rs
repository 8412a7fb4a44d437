//! ElastiCache in infrastructure code: `AWS::ElastiCache::ReplicationGroup` and
//! `AWS::ElastiCache::CacheCluster`; Terraform's `aws_elasticache_replication_group` and
//! `aws_elasticache_cluster` (a cluster that joins a replication group is judged with the group).
//! What the code leaves unsaid is the API's default: no encryption at rest or in transit, no
//! AUTH token, no automatic snapshots. An AUTH token's value is never read, only whether one is
//! set.

use super::evidence::{Cache, ElastiCacheRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const GROUPS: &[&str] = &["AWS::ElastiCache::ReplicationGroup", "aws_elasticache_replication_group"];
const CLUSTERS: &[&str] = &["AWS::ElastiCache::CacheCluster", "aws_elasticache_cluster"];

/// The ElastiCache section from every replication group and stand-alone cache cluster.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, GROUPS) && !any_of(sources, CLUSTERS) {
        return;
    }
    let section = by_region(
        sources,
        || ElastiCacheRegion {
            replication_groups: Fact::Known(Vec::new()),
            cache_clusters: Fact::Known(Vec::new()),
        },
        |src, region| {
            let groups: Vec<Cache> = src.of(GROUPS).map(|r| cache(src, r, out)).collect();
            let clusters: Vec<Cache> = src
                .of(CLUSTERS)
                .filter(|r| r.props.get("replication_group_id").is_null())
                .map(|r| cache(src, r, out))
                .collect();
            if let Fact::Known(l) = &mut region.replication_groups {
                l.extend(groups);
            }
            if let Fact::Known(l) = &mut region.cache_clusters {
                l.extend(clusters);
            }
        },
    );
    out.services.elasticache = Some(section);
}

fn k(cfn: bool, c: &'static str, t: &'static str) -> &'static str {
    if cfn {
        c
    } else {
        t
    }
}

fn cache(src: &Source, r: &Res, out: &mut Converted) -> Cache {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let group = GROUPS.contains(&r.kind.as_str());
    let flag = |c: &'static str, t: &'static str| -> Result<Option<bool>, Unknown> {
        Ok(Some(p.get(k(cfn, c, t)).unless_computed().boolean(c)?.unwrap_or(false)))
    };
    let engine = p.get(k(cfn, "Engine", "engine")).text("Engine").ok().flatten().unwrap_or_else(|| "redis".into()).to_ascii_lowercase();
    // A stand-alone cluster has no at-rest setting of its own: only groups encrypt at rest.
    let at_rest = if group { flag("AtRestEncryptionEnabled", "at_rest_encryption_enabled") } else { Ok(Some(false)) };
    let at_rest_encryption = out.or_open(r, &arn, &["elasticache.at_rest_encryption"], at_rest, Some(false));
    let transit = flag("TransitEncryptionEnabled", "transit_encryption_enabled");
    let transit_encryption = out.or_open(r, &arn, &["elasticache.transit_encryption"], transit, Some(false));
    let mode = p.get(k(cfn, "TransitEncryptionMode", "transit_encryption_mode")).unless_computed().text("TransitEncryptionMode");
    let transit_encryption_mode = out.or_open(
        r,
        &arn,
        &["elasticache.transit_encryption"],
        mode.map(|m| m.or_else(|| (transit_encryption == Some(true)).then(|| "required".into()))),
        None,
    );
    // Only whether a token is set: its value is not looked at.
    let auth = match p.get(k(cfn, "AuthToken", "auth_token")) {
        Val::Null => Ok(false),
        Val::Str(s) => Ok(!s.is_empty()),
        _ => Ok(true),
    };
    let auth_token = out.or_open(r, &arn, &["elasticache.auth"], auth.map(Some), Some(false));
    let users = (|| -> Result<Vec<String>, Unknown> {
        let mut out = Vec::new();
        for u in p.get(k(cfn, "UserGroupIds", "user_group_ids")).unless_computed().items("UserGroupIds")? {
            if let Some(n) = u.name("UserGroupIds")? {
                out.push(n);
            }
        }
        Ok(out)
    })();
    let user_groups = out.or_open(r, &arn, &["elasticache.auth"], users, Vec::new());
    let days = p.get(k(cfn, "SnapshotRetentionLimit", "snapshot_retention_limit")).unless_computed().int("SnapshotRetentionLimit");
    let snapshot_retention_days = out.or_open(r, &arn, &["elasticache.backup_enabled"], days.map(|d| Some(i32::try_from(d.unwrap_or(0)).unwrap_or(i32::MAX))), Some(0));
    let key = p.get(k(cfn, "KmsKeyId", "kms_key_id")).unless_computed().name("KmsKeyId");
    let kms_key_id = out.or_open(r, &arn, &["elasticache.at_rest_encryption"], key, None);
    Cache {
        id: r.id.clone(),
        engine,
        at_rest_encryption,
        transit_encryption,
        transit_encryption_mode,
        auth_token,
        user_groups,
        snapshot_retention_days,
        kms_key_id,
        tags: r.tags("Tags").into(),
        arn,
    }
}
