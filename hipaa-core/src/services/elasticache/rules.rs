//! Amazon ElastiCache rules: each replication group (and each cache cluster outside one)
//! encrypts at rest and in transit, makes clients authenticate and keeps automatic backups.
//! Memcached has no disk, AUTH or snapshots: those controls are NOT_APPLICABLE to it.

use super::evidence::Cache;
use crate::aws::schedule::plural;
use crate::evidence::{Unknown, UnknownReason};
use crate::services::kms::rules::key_label;
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "elasticache.at_rest_encryption",
            f: at_rest_encryption,
        },
        RuleFn {
            id: "elasticache.transit_encryption",
            f: transit_encryption,
        },
        RuleFn {
            id: "elasticache.auth",
            f: auth,
        },
        RuleFn {
            id: "elasticache.backup_enabled",
            f: backup_enabled,
        },
    ]
}

const GROUPS: &str = "elasticache:DescribeReplicationGroups";
const CLUSTERS: &str = "elasticache:DescribeCacheClusters";

/// Judge every replication group and stand-alone cache cluster of every scanned region; `op`
/// is the read that describes the cache, for reasons.
fn each_cache(
    ctx: &Context<'_>,
    judge: impl Fn(&Cache, &'static str) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.elasticache, "ElastiCache", "ElastiCache"));
    let mut out = Vec::new();
    for region in regions {
        if let Err(u) = &region.data {
            out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u.clone()));
            continue;
        }
        for (list, kind, op) in [
            (region.get(|r| &r.replication_groups), "AwsElastiCacheReplicationGroup", GROUPS),
            (region.get(|r| &r.cache_clusters), "AwsElastiCacheCacheCluster", CLUSTERS),
        ] {
            let caches = match list {
                Ok(c) => c,
                Err(u) => {
                    out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                    continue;
                }
            };
            for c in caches {
                let phi = PhiMark::of(&ctx.scope.phi, &c.tags);
                let res = Resource::regional(ctx, &c.arn, &c.id, kind, region.name, &phi);
                out.push(Outcome::from_result(res, phi, judge(c, op)));
            }
        }
    }
    if out.is_empty() {
        return none_found(ctx, "ElastiCache caches");
    }
    out
}

/// A setting the description left out: ERROR naming it.
fn given<T: Copy>(v: Option<T>, op: &str, what: &str) -> Result<T, Unknown> {
    v.ok_or_else(|| {
        Unknown::new(
            UnknownReason::NotCollected,
            op,
            format!("the description does not give {what}"),
        )
    })
}

fn at_rest_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cache(ctx, |c, op| {
        if c.is_memcached() {
            return Ok(Verdict::not_applicable(
                "Memcached keeps data only in memory and writes none to disk",
            ));
        }
        Ok(if given(c.at_rest_encryption, op, "encryption at rest")? {
            match &c.kms_key_id {
                Some(k) => Verdict::pass(format!(
                    "encrypted at rest with the KMS key `{}`",
                    key_label(ctx, k)
                )),
                None => Verdict::pass("encrypted at rest"),
            }
        } else {
            Verdict::fail(
                "not encrypted at rest: data written to disk during syncs, swaps and backups is stored in clear",
            )
        })
    })
}

fn transit_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cache(ctx, |c, op| {
        if !given(c.transit_encryption, op, "encryption in transit")? {
            return Ok(Verdict::fail(
                "encryption in transit is off: clients and replicas exchange cached data in clear",
            ));
        }
        Ok(match c.transit_encryption_mode.as_deref() {
            Some(m) if m.eq_ignore_ascii_case("preferred") => Verdict::fail(
                "encryption in transit is only `preferred`: clients may still connect without TLS",
            ),
            _ => Verdict::pass("encryption in transit is required"),
        })
    })
}

fn auth(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cache(ctx, |c, op| {
        if c.is_memcached() {
            return Ok(Verdict::not_applicable(
                "Memcached offers no AUTH token or user access control",
            ));
        }
        if !c.user_groups.is_empty() {
            return Ok(Verdict::pass(format!(
                "clients sign in as users of the RBAC user group {}",
                c.user_groups
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(if given(c.auth_token, op, "whether an AUTH token is required")? {
            Verdict::pass("clients must give an AUTH token")
        } else {
            Verdict::fail(
                "no AUTH token and no RBAC user group: any client that reaches the endpoint can read and write every key",
            )
        })
    })
}

fn backup_enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cache(ctx, |c, op| {
        if c.is_memcached() {
            return Ok(Verdict::not_applicable("Memcached has no snapshots"));
        }
        let days = given(c.snapshot_retention_days, op, "the snapshot retention")?;
        Ok(if days > 0 {
            Verdict::pass(format!(
                "automatic snapshots are kept {}",
                plural(days.unsigned_abs().into(), "day")
            ))
        } else {
            Verdict::fail(
                "automatic snapshots are off (retention 0 days): a failed node or a flush loses the data",
            )
        })
    })
}
