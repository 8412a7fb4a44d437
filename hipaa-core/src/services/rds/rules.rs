//! Amazon RDS rules: storage encryption and automated-backup retention of DB instances.

use super::evidence::RdsInstance;
use crate::aws::schedule::plural;
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "rds.backup_retention",
            f: backup_retention,
        },
        RuleFn {
            id: "rds.storage_encrypted",
            f: storage_encrypted,
        },
    ]
}

fn each_rds<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&RdsInstance) -> Verdict,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.rds, "RDS", "RDS"));
    each_listed(
        ctx,
        regions,
        "RDS DB instances",
        |r| &r.instances,
        |region, i| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &i.tags);
            let res = Resource::regional(ctx, &i.arn, &i.id, "AwsRdsDbInstance", region, &phi);
            Outcome::from_result(res, phi, Ok(judge(i)))
        },
    )
}

fn backup_retention(ctx: &Context<'_>) -> Vec<Outcome> {
    let min = ctx.scope.thresholds.rds_backup_retention_min_days;
    each_rds(ctx, |i| {
        let d = i.backup_retention_days;
        if d <= 0 {
            Verdict::fail("automated backups are off (backup retention period 0 days)")
        } else if i64::from(d) < i64::from(min) {
            Verdict::fail(format!(
                "automated backups are kept {}, fewer than {}",
                plural(d.unsigned_abs().into(), "day"),
                plural(min.into(), "day")
            ))
        } else {
            Verdict::pass(format!(
                "automated backups are kept {}",
                plural(d.unsigned_abs().into(), "day")
            ))
        }
    })
}

fn storage_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_rds(ctx, |i| {
        if i.storage_encrypted {
            Verdict::pass("storage is encrypted at rest")
        } else {
            Verdict::fail(
                "storage is not encrypted: data, logs, backups and snapshots are stored in clear",
            )
        }
    })
}
