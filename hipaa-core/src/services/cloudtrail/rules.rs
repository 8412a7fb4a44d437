//! AWS CloudTrail rules: a trail logs management events in every region, with integrity
//! validation, KMS encryption and CloudWatch Logs delivery; PHI buckets' object-level events are
//! recorded; the trails' log buckets are secure.
//!
//! A multi-region or organization trail shows up in every region's `DescribeTrails` answer, so
//! trails are de-duplicated by ARN before they are judged.

use super::evidence::{CloudTrailRegion, Trail};
use crate::aws::arn;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Fact, RegionEvidence, Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::s3::evidence::{Bucket, S3Evidence};
use crate::services::s3::rules::{bucket_resource, each_phi_bucket, s3};
use std::collections::BTreeMap;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "cloudtrail.enabled",
            f: enabled,
        },
        RuleFn {
            id: "cloudtrail.log_validation",
            f: log_validation,
        },
        RuleFn {
            id: "cloudtrail.kms_encryption",
            f: kms_encryption,
        },
        RuleFn {
            id: "cloudtrail.cloudwatch_delivery",
            f: cloudwatch_delivery,
        },
        RuleFn {
            id: "cloudtrail.s3_data_events",
            f: s3_data_events,
        },
        RuleFn {
            id: "cloudtrail.bucket_secure",
            f: bucket_secure,
        },
    ]
}

/// The CloudTrail section's regions, or the outcomes that stand for its absence.
pub(crate) fn regions<'a>(
    ctx: &Context<'a>,
) -> Result<Vec<RegionEvidence<'a, CloudTrailRegion>>, Vec<Outcome>> {
    ctx.regions(&ctx.snapshot.services.cloudtrail, "CloudTrail", "logging")
}

fn trail_resource(ctx: &Context<'_>, t: &Trail) -> Resource {
    Resource {
        arn: t.arn.clone(),
        id: t.name.clone(),
        kind: "AwsCloudTrailTrail".into(),
        account: arn::account(&t.arn)
            .map(str::to_string)
            .unwrap_or_else(|| ctx.account_id()),
        region: Some(t.home_region.clone()),
        name: None,
        phi: None,
    }
}

/// The owning account when a trail belongs to another account (an organization trail seen
/// from a member account); `None` when it is ours or either account is unknown.
pub(crate) fn owned_elsewhere<'t>(ctx: &Context<'_>, t: &'t Trail) -> Option<&'t str> {
    let ours = ctx.snapshot.account.known()?;
    arn::account(&t.arn).filter(|owner| *owner != ours.as_str())
}

/// Whether a trail records events of every region of this account.
pub(crate) fn covers_all_regions(t: &Trail) -> bool {
    t.multi_region || t.organization
}

pub(crate) fn describe_trail(t: &Trail) -> String {
    let kind = match (t.organization, t.multi_region) {
        (true, _) => "organization trail",
        (false, true) => "multi-region trail",
        (false, false) => "single-region trail",
    };
    format!("{kind} `{}`", t.name)
}

/// The trails of every region, each once (by ARN), and the regions whose listing failed.
///
/// Of several copies of one trail, the one with the most known facts is kept, preferring the
/// copy listed in the trail's home region.
pub(crate) fn all_trails<'a>(
    regions: &[RegionEvidence<'a, CloudTrailRegion>],
) -> (Vec<&'a Trail>, Vec<(&'a str, Unknown)>) {
    let mut trails: Vec<(&'a Trail, u8)> = Vec::new();
    let mut index: BTreeMap<&'a str, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    for r in regions {
        let list = match r.get(|l| &l.trails) {
            Ok(l) => l,
            Err(u) => {
                unknown.push((r.name, u));
                continue;
            }
        };
        for t in list {
            let score = 2 * u8::from(!t.is_logging.is_unknown())
                + 2 * u8::from(!t.selectors.is_unknown())
                + u8::from(t.home_region == r.name);
            match index.get(t.arn.as_str()) {
                Some(&i) => {
                    if let Some(slot) = trails.get_mut(i) {
                        if score > slot.1 {
                            *slot = (t, score);
                        }
                    }
                }
                None => {
                    index.insert(t.arn.as_str(), trails.len());
                    trails.push((t, score));
                }
            }
        }
    }
    (trails.into_iter().map(|(t, _)| t).collect(), unknown)
}

/// Why a trail is not recording this account's management events now (`None`: it is).
pub(crate) fn not_recording(t: &Trail) -> Result<Option<String>, Unknown> {
    match (t.is_logging.get(), t.selectors.get()) {
        (Ok(false), _) => Ok(Some(format!("{} is stopped", describe_trail(t)))),
        (_, Ok(s)) if !s.management_events => Ok(Some(format!(
            "{} does not record read and write management events",
            describe_trail(t)
        ))),
        (Err(u), _) | (_, Err(u)) => Err(u),
        (Ok(true), Ok(_)) => Ok(None),
    }
}

/// Apply `judge` to every trail once; a trail owned by another account is judged there.
fn each_trail(
    ctx: &Context<'_>,
    judge: impl Fn(&Trail) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    {
        let (trails, unknown) = all_trails(&regions);
        if trails.is_empty() && unknown.is_empty() {
            return none_found(ctx, "CloudTrail trails");
        }
        let mut out: Vec<Outcome> = trails
            .into_iter()
            .map(|t| {
                let v = match owned_elsewhere(ctx, t) {
                    Some(owner) => Ok(Verdict::not_applicable(format!(
                        "the {} belongs to account {owner}; it is judged when that account is scanned",
                        describe_trail(t)
                    ))),
                    None => judge(t),
                };
                Outcome::from_result(trail_resource(ctx, t), PhiMark::Account, v)
            })
            .collect();
        out.extend(
            unknown
                .into_iter()
                .map(|(r, u)| Outcome::error(ctx.region_resource(r), PhiMark::Account, u)),
        );
        out
    }
}

fn enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let (trails, unknown) = all_trails(&regions);
    vec![Outcome::account(
        ctx,
        account_trail_verdict(&trails, unknown),
    )]
}

fn account_trail_verdict(
    trails: &[&Trail],
    listing_unknown: Vec<(&str, Unknown)>,
) -> Result<Verdict, Unknown> {
    let mut first_unknown = listing_unknown.into_iter().map(|(_, u)| u).next();
    let mut problems = Vec::new();
    for t in trails.iter().filter(|t| covers_all_regions(t)) {
        match not_recording(t) {
            Ok(None) => {
                return Ok(Verdict::pass(format!(
                    "{} is logging management events in every region",
                    describe_trail(t)
                )))
            }
            Ok(Some(p)) => problems.push(p),
            Err(u) => {
                first_unknown.get_or_insert(u);
            }
        }
    }
    if let Some(u) = first_unknown {
        return Err(u);
    }
    Ok(Verdict::fail(if !problems.is_empty() {
        problems.join("; ")
    } else if trails.is_empty() {
        "no CloudTrail trail exists".to_string()
    } else {
        let names: Vec<String> = trails.iter().map(|t| format!("`{}`", t.name)).collect();
        format!(
            "no trail records every region: only single-region trails exist ({})",
            names.join(", ")
        )
    }))
}

fn log_validation(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(if t.log_file_validation {
            Verdict::pass("log-file integrity validation is on")
        } else {
            Verdict::fail("log-file integrity validation is off: altered or deleted log files would go unnoticed")
        })
    })
}

fn kms_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(match &t.kms_key_id {
            Some(k) => Verdict::pass(format!("log files are encrypted with KMS key `{k}`")),
            None => Verdict::fail("log files are encrypted with SSE-S3 only, not with a KMS key"),
        })
    })
}

fn cloudwatch_delivery(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(match &t.cloudwatch_log_group_arn {
            Some(g) => Verdict::pass(format!("events are delivered to CloudWatch Logs group `{g}`")),
            None => Verdict::fail("events are not delivered to CloudWatch Logs, so no metric filter or alarm can watch them"),
        })
    })
}

fn s3_data_events(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let (trails, unknown) = all_trails(&regions);
    each_phi_bucket(ctx, |b| data_events_verdict(b, &trails, &unknown))
}

/// Whether a logging trail that records the bucket's region records its object-level events.
fn data_events_verdict(
    b: &Bucket,
    trails: &[&Trail],
    listing_unknown: &[(&str, Unknown)],
) -> Result<Verdict, Unknown> {
    let mut first_unknown = listing_unknown.first().map(|(_, u)| u.clone());
    let mut stopped = Vec::new();
    for t in trails {
        if !covers_all_regions(t) {
            match b.region.get() {
                Ok(r) if *r == t.home_region => {}
                Ok(_) => continue,
                Err(u) => {
                    first_unknown.get_or_insert(u);
                    continue;
                }
            }
        }
        match (t.selectors.get(), t.is_logging.get()) {
            (Ok(s), _) if !s.covers_bucket(&b.name) => {}
            (Ok(_), Ok(true)) => {
                return Ok(Verdict::pass(format!(
                    "object-level (data) events are recorded by {}",
                    describe_trail(t)
                )))
            }
            (Ok(_), Ok(false)) => stopped.push(format!("`{}`", t.name)),
            (Err(u), _) | (_, Err(u)) => {
                first_unknown.get_or_insert(u);
            }
        }
    }
    if let Some(u) = first_unknown {
        return Err(u);
    }
    Ok(Verdict::fail(if stopped.is_empty() {
        "no trail records object-level (data) events for this PHI bucket, so reads and writes of its objects leave no audit record".to_string()
    } else {
        format!(
            "only stopped trails ({}) select this bucket's object-level events",
            stopped.join(", ")
        )
    }))
}

fn bucket_secure(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let s3 = section!(s3(ctx));
    {
        let (trails, unknown) = all_trails(&regions);
        let mut by_bucket: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for t in &trails {
            if let Some(b) = &t.s3_bucket {
                by_bucket
                    .entry(b.as_str())
                    .or_default()
                    .push(format!("`{}`", t.name));
            }
        }
        if by_bucket.is_empty() && unknown.is_empty() {
            return none_found(ctx, "CloudTrail log buckets");
        }
        let mut out = Vec::new();
        for (name, trail_names) in by_bucket {
            let trail_names = trail_names.join(", ");
            match s3.buckets.get() {
                Err(u) => out.push(Outcome::error(
                    foreign_bucket_resource(ctx, name),
                    PhiMark::Account,
                    u,
                )),
                Ok(list) => match list.iter().find(|b| b.name == name) {
                    None => out.push(Outcome::from_result(
                        foreign_bucket_resource(ctx, name),
                        PhiMark::Account,
                        Ok(Verdict::not_applicable(format!(
                            "bucket `{name}` (log files of trail {trail_names}) is not one of this account's buckets; it is judged in the account that owns it, such as a central log archive"
                        ))),
                    )),
                    Some(b) => out.push(Outcome::from_result(
                        bucket_resource(ctx, b).0,
                        PhiMark::Account,
                        log_bucket_verdict(s3, b, &trail_names),
                    )),
                },
            }
        }
        out.extend(
            unknown
                .into_iter()
                .map(|(r, u)| Outcome::error(ctx.region_resource(r), PhiMark::Account, u)),
        );
        out
    }
}

/// A trail's log bucket that is not (or cannot be shown to be) among this account's buckets.
fn foreign_bucket_resource(ctx: &Context<'_>, name: &str) -> Resource {
    Resource {
        arn: format!("arn:{}:s3:::{name}", ctx.snapshot.partition),
        id: name.to_string(),
        kind: "AwsS3Bucket".into(),
        account: ctx.account_id(),
        region: None,
        name: None,
        phi: None,
    }
}

/// Not public, Block Public Access fully on (on the bucket or the account), access logging on.
/// A definite problem is reported even when another fact could not be read.
fn log_bucket_verdict(s3: &S3Evidence, b: &Bucket, trails: &str) -> Result<Verdict, Unknown> {
    let mut problems: Vec<String> = Vec::new();
    let mut first_unknown: Option<Unknown> = None;
    match b.policy.get() {
        Ok(Some(text)) => match PolicyDocument::parse(text) {
            Ok(doc) if doc.allows_public_access() => {
                problems.push("its bucket policy grants access to anyone".into())
            }
            Ok(_) => {}
            Err(e) => {
                first_unknown.get_or_insert(Unknown::new(
                    UnknownReason::ParseError,
                    "s3:GetBucketPolicy",
                    e.to_string(),
                ));
            }
        },
        Ok(None) => {}
        Err(u) => {
            first_unknown.get_or_insert(u);
        }
    }
    let account = &s3.account_public_access_block;
    let account_all_on = matches!(account, Fact::Known(Some(p)) if p.all_on());
    if !account_all_on {
        match (b.public_access_block.get(), account.get()) {
            (Ok(Some(p)), _) if p.all_on() => {}
            (Ok(bucket), Ok(_)) => problems.push(match bucket {
                None => "Block Public Access is not configured on the bucket or the account".into(),
                Some(p) => format!("Block Public Access is off for {}", p.missing().join(", ")),
            }),
            (Err(u), _) | (_, Err(u)) => {
                first_unknown.get_or_insert(u);
            }
        }
    }
    match b.logging.get() {
        Ok(Some(_)) => {}
        Ok(None) => problems.push("server access logging is off".into()),
        Err(u) => {
            first_unknown.get_or_insert(u);
        }
    }
    if !problems.is_empty() {
        return Ok(Verdict::fail(format!(
            "the log bucket of trail {trails}: {}",
            problems.join("; ")
        )));
    }
    if let Some(u) = first_unknown {
        return Err(u);
    }
    Ok(Verdict::pass(format!(
        "the log bucket of trail {trails} is not public, has Block Public Access fully on and records server access logs"
    )))
}

