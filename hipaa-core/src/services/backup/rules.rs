//! AWS Backup rules: plans (a schedule, frequency and retention, cross-region copies), vaults
//! (customer-managed key, Vault Lock) and whether every PHI-tagged resource AWS Backup can
//! protect is selected by a scheduled plan.
//!
//! A region whose listing failed gives one ERROR for that region, a known empty listing gives
//! nothing, and when no region has any resource of the kind the control gives one
//! NOT_APPLICABLE.

use super::evidence::{
    BackupPlan, BackupRegion, BackupSelection, BackupVault, RestoreJob, RestoreTestingPlan,
    TagCondition, TagOp,
};
use crate::aws::schedule::{describe_gap, max_gap_minutes, plural, NEVER};
use crate::aws::{arn, glob};
use crate::evidence::{Fact, RegionEvidence, Tags, Unknown, UnknownReason};
use crate::rules::{
    each_listed, each_region, none_found, section, Context, Outcome, PhiMark, Resource, RuleFn,
    Verdict,
};
use crate::services::kms::evidence::KeyManager;
use crate::services::kms::rules::find_key;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "backup.plan_exists",
            f: plan_exists,
        },
        RuleFn {
            id: "backup.plan_frequency_retention",
            f: plan_frequency_retention,
        },
        RuleFn {
            id: "backup.plan_cross_region_copy",
            f: plan_cross_region_copy,
        },
        RuleFn {
            id: "backup.vault_cmk",
            f: vault_cmk,
        },
        RuleFn {
            id: "backup.vault_lock",
            f: vault_lock,
        },
        RuleFn {
            id: "backup.phi_resources_covered",
            f: phi_resources_covered,
        },
        RuleFn {
            id: "backup.restore_testing",
            f: restore_testing,
        },
    ]
}

/// The Backup section's regions, or the outcomes that stand for its absence.
fn regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a, BackupRegion>>, Vec<Outcome>> {
    ctx.regions(&ctx.snapshot.services.backup, "AWS Backup", "backup")
}

// ---------------------------------------------------------------------------------------------
// Resources

fn plan_resource(ctx: &Context<'_>, region: &str, p: &BackupPlan) -> Resource {
    let mut r = Resource::regional(
        ctx,
        &p.arn,
        &p.id,
        "AwsBackupBackupPlan",
        region,
        &PhiMark::Account,
    );
    r.name = Some(p.name.clone());
    r
}

fn vault_resource(ctx: &Context<'_>, region: &str, v: &BackupVault) -> Resource {
    Resource::regional(
        ctx,
        &v.arn,
        &v.name,
        "AwsBackupBackupVault",
        region,
        &PhiMark::Account,
    )
}

fn each_plan<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&str, &BackupPlan) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "AWS Backup plans",
        |r| &r.plans,
        |region, p| {
            Outcome::from_result(
                plan_resource(ctx, region, p),
                PhiMark::Account,
                judge(region, p),
            )
        },
    )
}

fn each_vault<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&BackupVault) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "AWS Backup vaults",
        |r| &r.vaults,
        |region, v| {
            Outcome::from_result(vault_resource(ctx, region, v), PhiMark::Account, judge(v))
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Plans

fn plan_exists(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_region(ctx, regions, |r| {
        r.data.clone().and_then(|data| scheduled_plan(r.name, data))
    })
}

fn scheduled_plan(region: &str, r: &BackupRegion) -> Result<Verdict, Unknown> {
    let plans = r.plans.get()?;
    if plans.is_empty() {
        return Ok(Verdict::fail(format!(
            "no AWS Backup plan exists in {region}"
        )));
    }
    let mut unknown = None;
    for p in plans {
        match p.rules.get() {
            Ok(rules) => {
                if let Some((rule, expr)) = rules
                    .iter()
                    .find_map(|x| x.schedule.as_ref().map(|s| (x, s)))
                {
                    return Ok(Verdict::pass(format!(
                        "plan `{}` backs up on the schedule `{expr}` (rule `{}`)",
                        p.name, rule.name
                    )));
                }
            }
            Err(u) => {
                unknown.get_or_insert(u);
            }
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(Verdict::fail(format!(
            "{} in {} but none has a scheduled rule: backups run only on demand",
            if plans.len() == 1 {
                "one AWS Backup plan exists".to_string()
            } else {
                format!("{} AWS Backup plans exist", plans.len())
            },
            region
        ))),
    }
}

/// A plan passes when one of its scheduled rules alone backs up often enough and keeps recovery
/// points long enough; other rules (a monthly copy kept for years, an hourly one kept a day) add
/// to it and do not make it fail.
fn plan_frequency_retention(ctx: &Context<'_>) -> Vec<Outcome> {
    let hours = ctx.scope.thresholds.backup_max_interval_hours;
    let max_gap = u64::from(hours) * 60;
    let min_days = i64::from(ctx.scope.thresholds.backup_retention_min_days);
    each_plan(ctx, |_, plan| {
        let mut shortfalls = Vec::new();
        let mut unreadable = None;
        for rule in plan.rules.get()? {
            let Some(expr) = &rule.schedule else {
                continue;
            };
            let gap = match max_gap_minutes(expr) {
                Ok(g) => g,
                Err(why) => {
                    unreadable.get_or_insert(Unknown::new(
                        UnknownReason::ParseError,
                        "backup:GetBackupPlan",
                        format!(
                            "cannot tell how often rule `{}` runs from its schedule `{expr}`: {why}",
                            rule.name
                        ),
                    ));
                    continue;
                }
            };
            let mut short = Vec::new();
            if gap == NEVER {
                short.push("runs only in the years its schedule names".to_string());
            } else if gap > max_gap {
                short.push(format!("can leave {} between backups", describe_gap(gap)));
            }
            match rule.delete_after_days {
                Some(d) if d < min_days => {
                    short.push(format!(
                        "deletes recovery points after {}",
                        plural(d.max(0).unsigned_abs(), "day")
                    ));
                }
                _ => {}
            }
            if short.is_empty() {
                let kept = match rule.delete_after_days {
                    Some(d) => format!("keeps recovery points {}", plural(d.unsigned_abs(), "day")),
                    None => "keeps recovery points until deleted by hand".to_string(),
                };
                return Ok(Verdict::pass(format!(
                    "rule `{}` backs up at least every {} (`{expr}`) and {kept}",
                    rule.name,
                    describe_gap(gap)
                )));
            }
            shortfalls.push(format!("rule `{}` {}", rule.name, short.join(" and ")));
        }
        if let Some(u) = unreadable {
            return Err(u);
        }
        if shortfalls.is_empty() {
            return Ok(Verdict::fail(
                "the plan has no scheduled rule: it backs up only on demand",
            ));
        }
        Ok(Verdict::fail(format!(
            "no rule backs up at least every {} and keeps recovery points {} or more: {}",
            plural(u64::from(hours), "hour"),
            plural(min_days.unsigned_abs(), "day"),
            shortfalls.join("; ")
        )))
    })
}

fn plan_cross_region_copy(ctx: &Context<'_>) -> Vec<Outcome> {
    each_plan(ctx, |region, plan| {
        let mut same_region = Vec::new();
        let mut unreadable = None;
        for rule in plan.rules.get()?.iter().filter(|r| r.schedule.is_some()) {
            for dest in &rule.copy_to {
                match arn::region(dest) {
                    Some(r) if r != region => {
                        return Ok(Verdict::pass(format!(
                            "rule `{}` copies recovery points to `{dest}` in {r}",
                            rule.name
                        )))
                    }
                    Some(_) => same_region.push(format!("`{dest}`")),
                    None => {
                        unreadable.get_or_insert(Unknown::new(
                            UnknownReason::ParseError,
                            "backup:GetBackupPlan",
                            format!(
                                "the copy destination `{dest}` of rule `{}` is not a vault ARN with a region",
                                rule.name
                            ),
                        ));
                    }
                }
            }
        }
        if let Some(u) = unreadable {
            return Err(u);
        }
        Ok(Verdict::fail(if same_region.is_empty() {
            "no scheduled rule copies recovery points to another region".to_string()
        } else {
            format!(
                "recovery points are copied only within {region} ({})",
                same_region.join(", ")
            )
        }))
    })
}

// ---------------------------------------------------------------------------------------------
// Vaults

fn vault_cmk(ctx: &Context<'_>) -> Vec<Outcome> {
    each_vault(ctx, |v| {
        let Some(key) = &v.encryption_key_arn else {
            return Ok(Verdict::fail(
                "the vault names no KMS key for its recovery points",
            ));
        };
        let k = find_key(ctx, key, "backup:ListBackupVaults")?;
        Ok(match k.metadata.get()?.manager {
            KeyManager::Customer => Verdict::pass(format!(
                "recovery points are encrypted with the customer-managed key `{}`",
                k.display_name()
            )),
            KeyManager::Aws => Verdict::fail(format!(
                "recovery points are encrypted with the AWS-managed key `{}`, whose policy you cannot restrict",
                k.display_name()
            )),
        })
    })
}


fn vault_lock(ctx: &Context<'_>) -> Vec<Outcome> {
    each_vault(ctx, |v| {
        Ok(match (v.locked, v.min_retention_days) {
            (true, Some(d)) => Verdict::pass(format!(
                "Vault Lock is on: recovery points cannot be deleted before {}",
                plural(d.unsigned_abs(), "day")
            )),
            (true, None) => Verdict::pass("Vault Lock is on"),
            (false, _) => Verdict::fail(
                "Vault Lock is off: anyone with delete permissions can remove recovery points early",
            ),
        })
    })
}

// ---------------------------------------------------------------------------------------------
// PHI coverage

/// The finding kind of a PHI-tagged ARN that AWS Backup can protect; `None` for anything else
/// (security groups, snapshots, parameter groups, …), and for data stores AWS Backup has no
/// resource type for (ElastiCache, OpenSearch), which are then never reported as uncovered.
fn protectable_kind(arn: &str) -> Option<&'static str> {
    let res = arn::resource(arn)?;
    match arn::service(arn)? {
        "dynamodb" => res
            .strip_prefix("table/")
            .filter(|name| !name.contains('/'))
            .map(|_| "AwsDynamoDbTable"),
        "rds" if res.starts_with("db:") => Some("AwsRdsDbInstance"),
        "rds" if res.starts_with("cluster:") => Some("AwsRdsDbCluster"),
        "redshift" if res.starts_with("cluster:") => Some("AwsRedshiftCluster"),
        "docdb" if res.starts_with("cluster:") => Some("AwsDocDbCluster"),
        "elasticfilesystem" if res.starts_with("file-system/") => Some("AwsEfsFileSystem"),
        "ec2" if res.starts_with("volume/") => Some("AwsEc2Volume"),
        "ec2" if res.starts_with("instance/") => Some("AwsEc2Instance"),
        "s3" if !res.contains('/') => Some("AwsS3Bucket"),
        "fsx" if res.starts_with("file-system/") => Some("AwsFsxFileSystem"),
        "fsx" if res.starts_with("volume/") => Some("AwsFsxVolume"),
        "storagegateway" if res.contains("/volume/") => Some("AwsStorageGatewayVolume"),
        _ => None,
    }
}

/// The service sections whose stores AWS Backup can protect (S3 buckets are found through the
/// tagged inventory and judged against the S3 listing separately).
const PROTECTABLE_SECTIONS: &[&str] = &["dynamodb", "rds", "redshift", "efs", "ec2"];

/// A PHI-tagged resource AWS Backup can protect.
struct Protectable<'a> {
    arn: &'a str,
    kind: &'static str,
    region: &'a str,
    tags: &'a Tags,
}

/// Whether a selection picks the resource: by ARN pattern or by one of its tags (OR), then only
/// if every condition holds (AND), and not excluded by a `NotResources` pattern. Tag keys and
/// values compare exactly (case-sensitive); `like` patterns know only `*`.
pub(super) fn selects(sel: &BackupSelection, arn: &str, tags: &Tags) -> bool {
    let chosen = sel.resources.iter().any(|p| glob::star(p, arn))
        || sel.tags.iter().any(|(k, v)| tags.get(k) == Some(v));
    chosen
        && sel.conditions.iter().all(|c| condition_holds(c, tags))
        && !sel.not_resources.iter().any(|p| glob::star(p, arn))
}

fn condition_holds(c: &TagCondition, tags: &Tags) -> bool {
    let value = tags.get(&c.key);
    let like = || value.is_some_and(|v| glob::star(&c.value, v));
    match c.op {
        TagOp::Equals => value == Some(&c.value),
        TagOp::NotEquals => value != Some(&c.value),
        TagOp::Like => like(),
        TagOp::NotLike => !like(),
    }
}

/// Whether some plan of the resource's region selects it and has a scheduled rule.
/// AWS Backup can protect an S3 bucket only when versioning is on: `Some(FAIL)` when it is not.
fn s3_backup_ready(ctx: &Context<'_>, arn: &str) -> Result<Option<Verdict>, Unknown> {
    use crate::services::s3::evidence::Versioning;
    let Some(Fact::Known(buckets)) = ctx.snapshot.services.s3.as_ref().map(|s| &s.buckets) else {
        return Ok(None);
    };
    let Some(b) = buckets.iter().find(|b| b.arn == arn) else {
        return Ok(None);
    };
    Ok(match b.versioning.get()? {
        Versioning::Enabled => None,
        _ => Some(Verdict::fail(
            "a backup plan selects it, but AWS Backup cannot back up an S3 bucket without versioning",
        )),
    })
}

fn coverage(
    regions: &[RegionEvidence<'_, BackupRegion>],
    c: &Protectable<'_>,
) -> Result<Verdict, Unknown> {
    let region = match regions.iter().find(|r| r.name == c.region) {
        Some(r) => r.data.clone()?,
        None => {
            return Err(Unknown::new(
                UnknownReason::NotCollected,
                "snapshot",
                format!("no backup evidence was collected for region `{}`", c.region),
            ))
        }
    };
    let mut unknown = None;
    let mut unscheduled = Vec::new();
    for plan in region.plans.get()? {
        let selections = match plan.selections.get() {
            Ok(s) => s,
            Err(u) => {
                unknown.get_or_insert(u);
                continue;
            }
        };
        let Some(sel) = selections.iter().find(|s| selects(s, c.arn, c.tags)) else {
            continue;
        };
        match plan.rules.get() {
            Ok(rules) if rules.iter().any(|r| r.schedule.is_some()) => {
                return opted_in(region, c).map(|on| match on {
                    Ok(()) => Verdict::pass(format!(
                        "backed up by plan `{}` through selection `{}`",
                        plan.name, sel.name
                    )),
                    Err(kind) => Verdict::fail(format!(
                        "selected by plan `{}` (selection `{}`), but {kind} is not opted in to AWS Backup in {}, so it is never backed up",
                        plan.name, sel.name, c.region
                    )),
                });
            }
            Ok(_) => unscheduled.push(format!("`{}`", plan.name)),
            Err(u) => {
                unknown.get_or_insert(u);
            }
        }
    }
    if let Some(u) = unknown {
        return Err(u);
    }
    Ok(Verdict::fail(if unscheduled.is_empty() {
        format!("no AWS Backup plan in {} selects it", c.region)
    } else {
        format!(
            "selected only by plans with no scheduled rule ({}), so it is never backed up",
            unscheduled.join(", ")
        )
    }))
}

/// The Backup region setting (resource type opt-in) that governs a resource kind.
fn opt_in_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "AwsDynamoDbTable" => "DynamoDB",
        "AwsRdsDbInstance" => "RDS",
        "AwsRdsDbCluster" => "Aurora",
        "AwsRedshiftCluster" => "Redshift",
        "AwsDocDbCluster" => "DocumentDB",
        "AwsEfsFileSystem" => "EFS",
        "AwsEc2Volume" => "EBS",
        "AwsEc2Instance" => "EC2",
        "AwsS3Bucket" => "S3",
        "AwsFsxFileSystem" | "AwsFsxVolume" => "FSx",
        "AwsStorageGatewayVolume" => "Storage Gateway",
        _ => return None,
    })
}

/// Whether the region lets AWS Backup protect this kind of resource: `Ok(Err(type))` when its
/// type is turned off. A type missing from the settings is unknown, never assumed on.
fn opted_in(
    region: &BackupRegion,
    c: &Protectable<'_>,
) -> Result<Result<(), &'static str>, Unknown> {
    let Some(kind) = opt_in_type(c.kind) else {
        return Ok(Ok(()));
    };
    match region.opt_in.get()?.get(kind) {
        Some(true) => Ok(Ok(())),
        Some(false) => Ok(Err(kind)),
        None => Err(Unknown::new(
            UnknownReason::ParseError,
            "backup:DescribeRegionSettings",
            format!(
                "the {} settings do not mention resource type `{kind}`",
                c.region
            ),
        )),
    }
}

/// Every PHI-tagged resource AWS Backup can protect (from the backup evidence and the tagged
/// inventory, once per ARN) must be selected by a scheduled plan in its region.
fn phi_resources_covered(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();

    // The tagged inventory: it lists every tagged resource, so a region whose inventory is known
    // hides no PHI-tagged resource even if one of the backup listings failed there.
    let mut inventory: BTreeMap<&str, (&str, &Tags)> = BTreeMap::new();
    match &ctx.snapshot.services.scope {
        None => out.push(Outcome::error(
            ctx.account_resource(),
            PhiMark::Account,
            Unknown::new(
                UnknownReason::NotCollected,
                "snapshot",
                "this snapshot has no tagged-resource inventory",
            ),
        )),
        Some(list) => {
            for inv in ctx.snapshot.walk(list, "tagged inventory") {
                match inv.get(|r| &r.resources) {
                    Ok(resources) => {
                        for r in resources {
                            inventory
                                .entry(r.arn.as_str())
                                .or_insert((inv.name, &r.tags));
                        }
                    }
                    Err(u) => out.push(Outcome::error(
                        ctx.region_resource(inv.name),
                        PhiMark::Account,
                        u,
                    )),
                }
            }
        }
    }

    let mut found: BTreeMap<&str, Protectable<'_>> = BTreeMap::new();
    // Aurora, DocumentDB and Neptune instances are backed up with their cluster, not one by one.
    let mut cluster_members: BTreeSet<String> = BTreeSet::new();
    // A bucket's region from the S3 listing, or why it is unknown. The tagged inventory's region
    // need not be the bucket's (the tagging API may list a bucket outside its home region), so a
    // bucket whose location read failed is ERROR, never judged against another region's plans.
    let mut bucket_regions: BTreeMap<String, Result<String, Unknown>> = BTreeMap::new();
    // Every data store the service sections list, tags from the tagged inventory when the
    // service could not read them.
    let listed = ctx.snapshot.services.stores(ctx.snapshot);
    let s3_listing: Option<Unknown> = listed
        .iter()
        .find_map(|(name, l)| match (&l.stores, *name == "s3") {
            (Err(u), true) => Some(u.clone()),
            _ => None,
        });
    for (service, listing) in &listed {
        let stores = match &listing.stores {
            Ok(stores) => stores,
            // A store listing that failed may hide a PHI-tagged store the tagged inventory does
            // not name (or names without the cluster it belongs to): coverage in that region is
            // unknown, said once per listing rather than left out.
            Err(u) if PROTECTABLE_SECTIONS.contains(service) => {
                match listing.region.as_deref() {
                    Some(r) => out.push(Outcome::error(ctx.region_resource(r), PhiMark::Account, u.clone())),
                    None => out.push(Outcome::error(ctx.account_resource(), PhiMark::Account, u.clone())),
                }
                continue;
            }
            Err(_) => continue,
        };
        for s in stores {
            if s.in_cluster {
                cluster_members.insert(s.arn.clone());
                continue;
            }
            let Some(kind) = protectable_kind(&s.arn) else {
                continue;
            };
            let name = match &s.region {
                Some(Fact::Known(r)) => r.as_str(),
                Some(Fact::Unknown(u)) => {
                    if kind == "AwsS3Bucket" {
                        bucket_regions.insert(s.arn.clone(), Err(u.clone()));
                    }
                    continue;
                }
                None => match listing.region.as_deref() {
                    Some(r) => r,
                    None => continue,
                },
            };
            if kind == "AwsS3Bucket" {
                // Buckets are found through the tagged inventory, which gives their region here.
                bucket_regions.insert(s.arn.clone(), Ok(name.to_string()));
                continue;
            }
            let tags: &Tags = match (&s.tags, inventory.get(s.arn.as_str())) {
                (Fact::Known(tags), _) => tags,
                (Fact::Unknown(_), Some(&(_, tags))) => tags,
                (Fact::Unknown(u), None) => {
                    let phi = PhiMark::Unknown(u.clone());
                    let res = Resource::regional(ctx, &s.arn, &arn::short_id(&s.arn), kind, name, &phi);
                    out.push(Outcome::error(res, phi, u.clone()));
                    continue;
                }
            };
            if ctx.scope.phi.matches(tags) {
                found.entry(s.arn.as_str()).or_insert(Protectable {
                    arn: &s.arn,
                    kind,
                    region: name,
                    tags,
                });
            }
        }
    }
    // Where the RDS listing failed, an RDS DB instance the inventory names may be a member of an
    // Aurora, DocumentDB or Neptune cluster, which AWS Backup protects through the cluster: its
    // coverage is unknown, not judged as a standalone instance.
    let rds_failed: BTreeMap<&str, &Unknown> = listed
        .iter()
        .filter_map(|(name, l)| match (*name, l.region.as_deref(), &l.stores) {
            ("rds", Some(r), Err(u)) => Some((r, u)),
            _ => None,
        })
        .collect();
    for (&arn, &(inv_region, tags)) in &inventory {
        if found.contains_key(arn) || cluster_members.contains(arn) || !ctx.scope.phi.matches(tags)
        {
            continue;
        }
        let Some(kind) = protectable_kind(arn) else {
            continue;
        };
        if kind == "AwsRdsDbInstance" {
            let region = arn::region(arn).unwrap_or(inv_region);
            if let Some(u) = rds_failed.get(region) {
                let phi = PhiMark::Tagged;
                let res = Resource::regional(ctx, arn, &arn::short_id(arn), kind, region, &phi);
                out.push(Outcome::error(res, phi, (*u).clone()));
                continue;
            }
        }
        let region = if kind == "AwsS3Bucket" {
            // The S3 listing's region; when the listing failed or could not read the location,
            // ERROR. Only a bucket the S3 evidence does not mention falls back to the inventory.
            let known = match (bucket_regions.get(arn), &s3_listing) {
                (Some(Ok(r)), _) => Ok(r.as_str()),
                (Some(Err(u)), _) | (None, Some(u)) => Err(u.clone()),
                (None, None) => Ok(inv_region),
            };
            match known {
                Ok(r) => r,
                Err(u) => {
                    let phi = PhiMark::Tagged;
                    let mut res =
                        Resource::regional(ctx, arn, &arn::short_id(arn), kind, inv_region, &phi);
                    res.region = None; // not known: the inventory's region is not the bucket's
                    out.push(Outcome::error(res, phi, u));
                    continue;
                }
            }
        } else {
            arn::region(arn).unwrap_or(inv_region)
        };
        found.insert(
            arn,
            Protectable {
                arn,
                kind,
                region,
                tags,
            },
        );
    }

    for c in found.values() {
        let mut res = Resource::regional(
            ctx,
            c.arn,
            &arn::short_id(c.arn),
            c.kind,
            c.region,
            &PhiMark::Tagged,
        );
        // Resources known by generated ids read better by their Name tag.
        if matches!(
            c.kind,
            "AwsEfsFileSystem"
                | "AwsEc2Instance"
                | "AwsEc2Volume"
                | "AwsFsxFileSystem"
                | "AwsFsxVolume"
        ) {
            res.name = c.tags.get("Name").cloned();
        }
        let verdict = coverage(&regions, c).and_then(|v| {
            if c.kind != "AwsS3Bucket" || v.status != crate::vocabulary::Status::Pass {
                return Ok(v);
            }
            s3_backup_ready(ctx, c.arn).map(|ready| ready.unwrap_or(v))
        });
        out.push(Outcome::from_result(res, PhiMark::Tagged, verdict));
    }
    if out.is_empty() {
        return none_found(ctx, "PHI-tagged resources that AWS Backup can protect");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Restore testing

/// Every region that has AWS Backup plans needs a restore testing plan whose newest restore job
/// completed (and passed validation when it was validated) within what its schedule allows.
/// A region with neither backup plans nor restore testing plans gives nothing.
fn restore_testing(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for r in &regions {
        let region = match &r.data {
            Ok(d) => *d,
            Err(u) => {
                out.push(Outcome::error(
                    ctx.region_resource(r.name),
                    PhiMark::Account,
                    u.clone(),
                ));
                continue;
            }
        };
        let plans = match region.restore_testing.get() {
            Ok(p) => p,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(r.name), PhiMark::Account, u));
                continue;
            }
        };
        if plans.is_empty() {
            let verdict = region.plans.get().map(|backups| {
                (!backups.is_empty()).then(|| {
                    Verdict::fail(format!(
                        "{} in {} but no restore testing plan: no restore is ever tested automatically",
                        if backups.len() == 1 {
                            "one AWS Backup plan exists".to_string()
                        } else {
                            format!("{} AWS Backup plans exist", backups.len())
                        },
                        r.name
                    ))
                })
            });
            match verdict {
                Ok(None) => {}
                Ok(Some(v)) => out.push(Outcome::from_result(
                    ctx.region_resource(r.name),
                    PhiMark::Account,
                    Ok(v),
                )),
                Err(u) => out.push(Outcome::error(ctx.region_resource(r.name), PhiMark::Account, u)),
            }
            continue;
        }
        for p in plans {
            let mut res = Resource::regional(
                ctx,
                &p.arn,
                &p.name,
                "AwsBackupRestoreTestingPlan",
                r.name,
                &PhiMark::Account,
            );
            res.name = Some(p.name.clone());
            out.push(Outcome::from_result(res, PhiMark::Account, judge_restore_plan(ctx, p)));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "AWS Backup plans or restore testing plans");
    }
    out
}

const OP_JOBS: &str = "backup:ListRestoreJobs";

fn judge_restore_plan(ctx: &Context<'_>, p: &RestoreTestingPlan) -> Result<Verdict, Unknown> {
    let Some(job) = p.last_job.get()? else {
        return Ok(Verdict::fail(
            "the plan has run no restore job in the last 400 days",
        ));
    };
    let when = job.completed.or(job.created).ok_or_else(|| {
        Unknown::new(
            UnknownReason::ParseError,
            OP_JOBS,
            format!("restore job `{}` has neither a start nor an end date", job.id),
        )
    })?;
    let day = when.format("%Y-%m-%d");
    match job.status.as_deref() {
        Some("COMPLETED") => {}
        Some(s @ ("FAILED" | "ABORTED")) => {
            return Ok(Verdict::fail(format!(
                "its newest restore job `{}` ({day}) {}: {}",
                job.id,
                s.to_ascii_lowercase(),
                job.status_message.as_deref().unwrap_or("no reason given")
            )))
        }
        Some("PENDING" | "RUNNING") => {
            return Ok(Verdict::fail(format!(
                "its only restore job of the last 400 days, `{}` (started {day}), has not finished: no restore has been shown to work yet",
                job.id
            )))
        }
        other => {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                OP_JOBS,
                format!(
                    "restore job `{}` has the unknown status `{}`",
                    job.id,
                    other.unwrap_or("")
                ),
            ))
        }
    }
    if let Some(v @ ("FAILED" | "TIMED_OUT")) = job.validation.as_deref() {
        return Ok(Verdict::fail(format!(
            "its newest restore job `{}` ({day}) restored the data, but validation {}: {}",
            job.id,
            if v == "FAILED" { "failed" } else { "timed out" },
            job.validation_message.as_deref().unwrap_or("no reason given")
        )));
    }
    let expr = p.schedule.as_deref().ok_or_else(|| {
        Unknown::new(
            UnknownReason::ParseError,
            "backup:ListRestoreTestingPlans",
            format!("restore testing plan `{}` has no schedule expression", p.name),
        )
    })?;
    let gap = max_gap_minutes(expr).map_err(|why| {
        Unknown::new(
            UnknownReason::ParseError,
            "backup:ListRestoreTestingPlans",
            format!("cannot tell how often `{}` runs from `{expr}`: {why}", p.name),
        )
    })?;
    if gap == NEVER {
        return Ok(Verdict::fail(format!(
            "its schedule `{expr}` runs only in the years it names, so restores stop being tested"
        )));
    }
    // A job can take a day to start and finish: allow twice the schedule's gap, at least 2 days.
    let allowed = gap.saturating_mul(2).max(2 * crate::aws::schedule::DAY);
    let age = u64::try_from((ctx.now - when).num_minutes()).unwrap_or(0);
    if age > allowed {
        return Ok(Verdict::fail(format!(
            "its newest restore test `{}` finished on {day}, {} ago, though its schedule `{expr}` runs at least every {}",
            job.id,
            describe_gap(age - age % crate::aws::schedule::DAY),
            describe_gap(gap)
        )));
    }
    Ok(Verdict::pass(restored(job, &day.to_string(), expr)))
}

fn restored(job: &RestoreJob, day: &str, expr: &str) -> String {
    let what = job
        .resource_type
        .as_deref()
        .map(|t| format!("a recovery point of type {t}"))
        .unwrap_or_else(|| "a recovery point".into());
    let validation = match job.validation.as_deref() {
        Some("SUCCESSFUL") => ", and validation succeeded",
        Some("VALIDATING") => "; validation is still running",
        _ => "",
    };
    format!(
        "restore job `{}` restored {what} on {day} on the schedule `{expr}`{validation}",
        job.id
    )
}
