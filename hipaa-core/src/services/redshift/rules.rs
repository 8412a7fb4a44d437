//! Amazon Redshift rules: each provisioned cluster is encrypted, forces TLS through its
//! parameter group, is not publicly accessible and records audit logs.

use super::evidence::{RedshiftCluster, RedshiftRegion};
use crate::evidence::{Unknown, UnknownReason};
use crate::services::kms::rules::key_label;
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::rds::rules::{judge_group, read_group};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "redshift.encrypted",
            f: encrypted,
        },
        RuleFn {
            id: "redshift.require_ssl",
            f: require_ssl,
        },
        RuleFn {
            id: "redshift.not_public",
            f: not_public,
        },
        RuleFn {
            id: "redshift.audit_logging",
            f: audit_logging,
        },
    ]
}

const CLUSTERS: &str = "redshift:DescribeClusters";
const PARAMETERS: &str = "redshift:DescribeClusterParameters";

/// Judge every cluster of every scanned region, with its region's evidence (parameter groups).
fn each_cluster(
    ctx: &Context<'_>,
    judge: impl Fn(&RedshiftRegion, &RedshiftCluster) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.redshift, "Redshift", "Redshift"));
    let mut out = Vec::new();
    for region in regions {
        let listed = region.data.clone().and_then(|d| Ok((d, d.clusters.get()?)));
        let (data, clusters) = match listed {
            Ok(v) => v,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        for c in clusters {
            let phi = PhiMark::of_known(&ctx.scope.phi, &c.tags);
            let res = Resource::regional(ctx, &c.arn, &c.id, "AwsRedshiftCluster", region.name, &phi);
            out.push(Outcome::from_result(res, phi, judge(data, c)));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "Redshift clusters");
    }
    out
}

fn encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |_, c| {
        Ok(if c.encrypted {
            match &c.kms_key_id {
                Some(k) => Verdict::pass(format!(
                    "encrypted at rest with the KMS key `{}`",
                    key_label(ctx, k)
                )),
                None => Verdict::pass("encrypted at rest"),
            }
        } else {
            Verdict::fail(
                "not encrypted: its blocks, snapshots and backups are stored in clear",
            )
        })
    })
}

fn require_ssl(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |region, c| {
        let [group] = c.parameter_groups.as_slice() else {
            if c.parameter_groups.is_empty() {
                return Err(Unknown::new(
                    UnknownReason::ParseError,
                    CLUSTERS,
                    "the description names no cluster parameter group",
                ));
            }
            // Every group must force it.
            for g in &c.parameter_groups {
                let v = judge_group(g, "parameter group", read_group(&region.parameter_groups, g, PARAMETERS)?, "require_ssl", &["true"]);
                if v.status != crate::vocabulary::Status::Pass {
                    return Ok(v);
                }
            }
            return Ok(Verdict::pass("every parameter group sets `require_ssl` = true: connections without TLS are refused"));
        };
        let params = read_group(&region.parameter_groups, group, PARAMETERS)?;
        Ok(judge_group(group, "parameter group", params, "require_ssl", &["true"]))
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |_, c| {
        let public = c.publicly_accessible.ok_or_else(|| {
            Unknown::new(
                UnknownReason::NotCollected,
                CLUSTERS,
                "the description does not give public accessibility",
            )
        })?;
        Ok(if public {
            Verdict::fail(
                "publicly accessible: its endpoint resolves to a public address, so only its security groups stand between the internet and the warehouse",
            )
        } else {
            Verdict::pass("not publicly accessible")
        })
    })
}

fn audit_logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |_, c| {
        let l = c.logging.get()?;
        if !l.enabled {
            return Ok(Verdict::fail(
                "audit logging is off: connections, user changes and queries leave no record outside the cluster",
            ));
        }
        Ok(Verdict::pass(match (l.destination.as_deref(), &l.bucket) {
            (Some("cloudwatch"), _) if !l.log_exports.is_empty() => format!(
                "audit logs ({}) go to CloudWatch Logs",
                l.log_exports.join(", ")
            ),
            (_, Some(b)) => format!("audit logs go to the S3 bucket `{b}`"),
            _ => "audit logging is on".to_string(),
        }))
    })
}
