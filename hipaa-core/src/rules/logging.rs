//! Logging and monitoring rules: CloudTrail, AWS Config, GuardDuty, Security Hub, CloudWatch.
//!
//! Evidence is per region. A multi-region or organization trail shows up in every region's
//! `DescribeTrails` answer, so trails are de-duplicated by ARN before they are judged. Per-region
//! controls (Config, GuardDuty, Security Hub) report one finding per scanned region, about an
//! `AwsAccountRegion` resource whose ARN carries the region so findings of different regions
//! never share a key.

use super::s3::{bucket_resource, each_phi_bucket};
use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::evidence::governance::arn_account;
use crate::evidence::logging::{LogGroup, LoggingRegion, MetricFilter, Trail};
use crate::evidence::s3::Bucket;
use crate::evidence::{Fact, Unknown, UnknownReason};
use crate::policy::PolicyDocument;
use crate::scope::glob_match;
use std::collections::BTreeMap;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "logging.cloudtrail_enabled",
            f: cloudtrail_enabled,
        },
        RuleFn {
            id: "logging.cloudtrail_log_validation",
            f: cloudtrail_log_validation,
        },
        RuleFn {
            id: "logging.cloudtrail_kms",
            f: cloudtrail_kms,
        },
        RuleFn {
            id: "logging.cloudtrail_cloudwatch",
            f: cloudtrail_cloudwatch,
        },
        RuleFn {
            id: "logging.cloudtrail_s3_data_events",
            f: cloudtrail_s3_data_events,
        },
        RuleFn {
            id: "logging.cloudtrail_bucket_secure",
            f: cloudtrail_bucket_secure,
        },
        RuleFn {
            id: "monitoring.config_recorder",
            f: config_recorder,
        },
        RuleFn {
            id: "monitoring.guardduty_enabled",
            f: guardduty_enabled,
        },
        RuleFn {
            id: "monitoring.securityhub_enabled",
            f: securityhub_enabled,
        },
        RuleFn {
            id: "logging.log_group_kms",
            f: log_group_kms,
        },
        RuleFn {
            id: "logging.log_group_retention",
            f: log_group_retention,
        },
        RuleFn {
            id: "monitoring.alarm_root_use",
            f: alarm_root_use,
        },
        RuleFn {
            id: "monitoring.alarm_console_login_failures",
            f: alarm_console_login_failures,
        },
        RuleFn {
            id: "monitoring.alarm_iam_changes",
            f: alarm_iam_changes,
        },
        RuleFn {
            id: "monitoring.alarm_cloudtrail_changes",
            f: alarm_cloudtrail_changes,
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Regions, resources and trails
// ---------------------------------------------------------------------------------------------

/// One scanned region's logging evidence, or why there is none.
struct RegionEvidence<'a> {
    name: &'a str,
    data: Result<&'a LoggingRegion, Unknown>,
}

impl<'a> RegionEvidence<'a> {
    /// One field of the region's evidence; a region without evidence makes every field unknown.
    fn get<T>(
        &self,
        field: impl FnOnce(&'a LoggingRegion) -> &'a Fact<T>,
    ) -> Result<&'a T, Unknown> {
        match &self.data {
            Ok(r) => field(r).get(),
            Err(u) => Err(u.clone()),
        }
    }
}

/// Every region with logging evidence, then every scanned region that has none (its facts are
/// unknown, never "nothing configured").
fn regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a>>, Unknown> {
    let list = ctx.snapshot.logging.get()?;
    let mut out: Vec<RegionEvidence<'a>> = list
        .iter()
        .map(|r| RegionEvidence {
            name: r.region.as_str(),
            data: Ok(r),
        })
        .collect();
    for r in &ctx.snapshot.regions {
        if !list.iter().any(|l| &l.region == r) {
            out.push(RegionEvidence {
                name: r.as_str(),
                data: Err(ctx.snapshot.missing_region(r, "logging")),
            });
        }
    }
    Ok(out)
}

/// Run `f` over the regions; when the whole logging section is unknown, one account-level ERROR.
fn with_regions(
    ctx: &Context<'_>,
    f: impl FnOnce(&[RegionEvidence<'_>]) -> Vec<Outcome>,
) -> Vec<Outcome> {
    match regions(ctx) {
        Ok(r) => f(&r),
        Err(u) => vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    }
}

fn trail_resource(ctx: &Context<'_>, t: &Trail) -> Resource {
    Resource {
        arn: t.arn.clone(),
        id: t.name.clone(),
        kind: "AwsCloudTrailTrail".into(),
        account: arn_account(&t.arn)
            .map(str::to_string)
            .unwrap_or_else(|| ctx.account_id()),
        region: Some(t.home_region.clone()),
        name: None,
        phi: None,
    }
}

/// The owning account when a trail belongs to another account (an organization trail seen
/// from a member account); `None` when it is ours or either account is unknown.
fn owned_elsewhere<'t>(ctx: &Context<'_>, t: &'t Trail) -> Option<&'t str> {
    let ours = ctx.snapshot.account.known()?;
    arn_account(&t.arn).filter(|owner| *owner != ours.as_str())
}

/// Whether a trail records events of every region of this account.
fn covers_all_regions(t: &Trail) -> bool {
    t.multi_region || t.organization
}

fn describe_trail(t: &Trail) -> String {
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
fn all_trails<'a>(regions: &[RegionEvidence<'a>]) -> (Vec<&'a Trail>, Vec<(&'a str, Unknown)>) {
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
fn not_recording(t: &Trail) -> Result<Option<String>, Unknown> {
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
    with_regions(ctx, |regions| {
        let (trails, unknown) = all_trails(regions);
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
    })
}

/// Apply `judge` to every scanned region.
fn each_region(
    ctx: &Context<'_>,
    judge: impl Fn(&RegionEvidence<'_>) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        if regions.is_empty() {
            return none_found(ctx, "scanned regions");
        }
        regions
            .iter()
            .map(|r| Outcome::from_result(ctx.region_resource(r.name), PhiMark::Account, judge(r)))
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

fn cloudtrail_enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        let (trails, unknown) = all_trails(regions);
        vec![Outcome::account(
            ctx,
            account_trail_verdict(&trails, unknown),
        )]
    })
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

fn cloudtrail_log_validation(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(if t.log_file_validation {
            Verdict::pass("log-file integrity validation is on")
        } else {
            Verdict::fail("log-file integrity validation is off: altered or deleted log files would go unnoticed")
        })
    })
}

fn cloudtrail_kms(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(match &t.kms_key_id {
            Some(k) => Verdict::pass(format!("log files are encrypted with KMS key `{k}`")),
            None => Verdict::fail("log files are encrypted with SSE-S3 only, not with a KMS key"),
        })
    })
}

fn cloudtrail_cloudwatch(ctx: &Context<'_>) -> Vec<Outcome> {
    each_trail(ctx, |t| {
        Ok(match &t.cloudwatch_log_group_arn {
            Some(g) => Verdict::pass(format!("events are delivered to CloudWatch Logs group `{g}`")),
            None => Verdict::fail("events are not delivered to CloudWatch Logs, so no metric filter or alarm can watch them"),
        })
    })
}

fn cloudtrail_s3_data_events(ctx: &Context<'_>) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        let (trails, unknown) = all_trails(regions);
        each_phi_bucket(ctx, |b| data_events_verdict(b, &trails, &unknown))
    })
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

fn cloudtrail_bucket_secure(ctx: &Context<'_>) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        let (trails, unknown) = all_trails(regions);
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
            match ctx.snapshot.s3.buckets.get() {
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
                        log_bucket_verdict(ctx, b, &trail_names),
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
    })
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
fn log_bucket_verdict(ctx: &Context<'_>, b: &Bucket, trails: &str) -> Result<Verdict, Unknown> {
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
    let account = &ctx.snapshot.s3.account_public_access_block;
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

// ---------------------------------------------------------------------------------------------
// AWS Config, GuardDuty, Security Hub
// ---------------------------------------------------------------------------------------------

fn config_recorder(ctx: &Context<'_>) -> Vec<Outcome> {
    each_region(ctx, |r| {
        let recorders = r.get(|l| &l.config_recorders)?;
        if recorders.is_empty() {
            return Ok(Verdict::fail(
                "no AWS Config configuration recorder exists in this region",
            ));
        }
        let mut problems = Vec::new();
        let mut first_unknown = None;
        for rec in recorders {
            let partial = if rec.all_supported {
                ""
            } else {
                " and records only selected resource types"
            };
            match rec.recording.get() {
                Ok(true) if rec.all_supported => {
                    return Ok(Verdict::pass(format!(
                        "recorder `{}` is recording every supported resource type",
                        rec.name
                    )))
                }
                Ok(true) => problems.push(format!(
                    "recorder `{}` records only selected resource types",
                    rec.name
                )),
                Ok(false) => problems.push(format!("recorder `{}` is stopped{partial}", rec.name)),
                Err(u) if rec.all_supported => {
                    first_unknown.get_or_insert(u);
                }
                Err(_) => problems.push(format!(
                    "recorder `{}` records only selected resource types",
                    rec.name
                )),
            }
        }
        if let Some(u) = first_unknown {
            return Err(u);
        }
        Ok(Verdict::fail(problems.join("; ")))
    })
}

fn guardduty_enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    each_region(ctx, |r| {
        let detectors = r.get(|l| &l.guardduty)?;
        if detectors.is_empty() {
            return Ok(Verdict::fail("GuardDuty has no detector in this region"));
        }
        let mut problems = Vec::new();
        let mut first_unknown = None;
        for d in detectors {
            match d.status.get() {
                Ok(s) if s.eq_ignore_ascii_case("ENABLED") => {
                    return Ok(Verdict::pass(format!(
                        "GuardDuty detector `{}` is enabled",
                        d.id
                    )))
                }
                Ok(s) => problems.push(format!("GuardDuty detector `{}` is {s}", d.id)),
                Err(u) => {
                    first_unknown.get_or_insert(u);
                }
            }
        }
        if let Some(u) = first_unknown {
            return Err(u);
        }
        Ok(Verdict::fail(problems.join("; ")))
    })
}

fn securityhub_enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    each_region(ctx, |r| {
        Ok(match r.get(|l| &l.security_hub)? {
            Some(h) => Verdict::pass(format!("Security Hub is enabled (`{}`)", h.arn)),
            None => Verdict::fail("Security Hub is not enabled in this region"),
        })
    })
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs log groups
// ---------------------------------------------------------------------------------------------

fn log_group_resource(ctx: &Context<'_>, region: &str, g: &LogGroup) -> Resource {
    let arn = g.arn.strip_suffix(":*").unwrap_or(&g.arn).to_string();
    Resource {
        account: arn_account(&arn)
            .map(str::to_string)
            .unwrap_or_else(|| ctx.account_id()),
        arn,
        id: g.name.clone(),
        kind: "AwsLogsLogGroup".into(),
        region: Some(region.to_string()),
        name: None,
        phi: None,
    }
}

/// Apply `judge` to every log group of every region; a failed listing is an ERROR for its region.
fn each_log_group(ctx: &Context<'_>, judge: impl Fn(&LogGroup) -> Verdict) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for r in regions {
            match r.get(|l| &l.log_groups) {
                Ok(groups) => out.extend(groups.iter().map(|g| {
                    Outcome::from_result(
                        log_group_resource(ctx, r.name, g),
                        PhiMark::Account,
                        Ok(judge(g)),
                    )
                })),
                Err(u) => errors.push(Outcome::error(
                    ctx.region_resource(r.name),
                    PhiMark::Account,
                    u,
                )),
            }
        }
        if out.is_empty() && errors.is_empty() {
            return none_found(ctx, "CloudWatch Logs log groups");
        }
        out.extend(errors);
        out
    })
}

fn log_group_kms(ctx: &Context<'_>) -> Vec<Outcome> {
    each_log_group(ctx, |g| match &g.kms_key_id {
        Some(k) => Verdict::pass(format!("log events are encrypted with KMS key `{k}`")),
        None => Verdict::fail(
            "log events are encrypted with a CloudWatch-owned key, not a KMS key you control",
        ),
    })
}

fn log_group_retention(ctx: &Context<'_>) -> Vec<Outcome> {
    let min = ctx.scope.thresholds.log_retention_min_days;
    each_log_group(ctx, |g| match g.retention_days {
        None => Verdict::fail(format!(
            "log events are kept forever; set an explicit retention of at least {min} days"
        )),
        Some(d) if i64::from(d) >= i64::from(min) => Verdict::pass(format!(
            "log events are kept for {d} days (at least {min} required)"
        )),
        Some(d) => Verdict::fail(format!(
            "log events are kept for {d} days, less than the required {min} days"
        )),
    })
}

// ---------------------------------------------------------------------------------------------
// Metric-filter alarms on the trail's log group
// ---------------------------------------------------------------------------------------------

/// A field of a sample CloudTrail event: its value, or `None` when the event lacks the field.
type EventField = (&'static str, Option<&'static str>);

/// A kind of security event an alarm must catch, as sample CloudTrail events.
///
/// A metric filter catches the kind when its pattern certainly matches every sample in
/// `catches` and certainly matches none in `ignores`. Fields a sample does not list are
/// unknown, so a clause about them never makes a pattern certain to match.
struct WatchedEvent {
    what: &'static str,
    catches: Vec<Vec<EventField>>,
    ignores: Vec<Vec<EventField>>,
}

impl WatchedEvent {
    fn caught_by(&self, pattern: &str) -> bool {
        let Some(p) = FilterPattern::parse(pattern) else {
            return false;
        };
        self.catches.iter().all(|e| p.matches(e) == Some(true))
            && self.ignores.iter().all(|e| p.matches(e) == Some(false))
    }
}

/// Root sign-in and root API calls, made directly (not by an AWS service on root's behalf).
fn root_use() -> WatchedEvent {
    let root = |event_type, source, name| {
        vec![
            ("userIdentity.type", Some("Root")),
            ("userIdentity.invokedBy", None),
            ("eventType", Some(event_type)),
            ("eventSource", Some(source)),
            ("eventName", Some(name)),
        ]
    };
    WatchedEvent {
        what: "use of the root user",
        catches: vec![
            root("AwsApiCall", "s3.amazonaws.com", "ListBuckets"),
            root("AwsConsoleSignIn", "signin.amazonaws.com", "ConsoleLogin"),
        ],
        ignores: vec![],
    }
}

/// Failed console sign-ins, and not successful ones.
fn console_login_failures() -> WatchedEvent {
    let login = |result, error| {
        vec![
            ("eventName", Some("ConsoleLogin")),
            ("eventSource", Some("signin.amazonaws.com")),
            ("eventType", Some("AwsConsoleSignIn")),
            ("userIdentity.type", Some("IAMUser")),
            ("responseElements.ConsoleLogin", Some(result)),
            ("errorMessage", error),
        ]
    };
    WatchedEvent {
        what: "failed console sign-ins",
        catches: vec![login("Failure", Some("Failed authentication"))],
        ignores: vec![login("Success", None)],
    }
}

/// The IAM calls that change what a policy allows or who holds it: inline policies of users,
/// groups and roles put or deleted, managed policies attached or detached, and managed
/// policies or their versions created or deleted. This is the core set every IAM-change
/// filter must catch; catching more is fine.
const IAM_POLICY_CHANGES: [&str; 16] = [
    "PutUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "DeleteUserPolicy",
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "AttachUserPolicy",
    "AttachGroupPolicy",
    "AttachRolePolicy",
    "DetachUserPolicy",
    "DetachGroupPolicy",
    "DetachRolePolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
];

/// The CloudTrail calls that create, change, stop or remove a trail.
const TRAIL_CHANGES: [&str; 5] = [
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "StartLogging",
    "StopLogging",
];

fn api_calls(what: &'static str, source: &'static str, names: &[&'static str]) -> WatchedEvent {
    WatchedEvent {
        what,
        catches: names
            .iter()
            .map(|&n| {
                vec![
                    ("eventSource", Some(source)),
                    ("eventName", Some(n)),
                    ("eventType", Some("AwsApiCall")),
                    ("userIdentity.type", Some("AssumedRole")),
                ]
            })
            .collect(),
        ignores: vec![],
    }
}

fn alarm_root_use(ctx: &Context<'_>) -> Vec<Outcome> {
    alarm_control(ctx, &root_use())
}

fn alarm_console_login_failures(ctx: &Context<'_>) -> Vec<Outcome> {
    alarm_control(ctx, &console_login_failures())
}

fn alarm_iam_changes(ctx: &Context<'_>) -> Vec<Outcome> {
    alarm_control(
        ctx,
        &api_calls(
            "IAM policy changes",
            "iam.amazonaws.com",
            &IAM_POLICY_CHANGES,
        ),
    )
}

fn alarm_cloudtrail_changes(ctx: &Context<'_>) -> Vec<Outcome> {
    alarm_control(
        ctx,
        &api_calls(
            "CloudTrail configuration changes",
            "cloudtrail.amazonaws.com",
            &TRAIL_CHANGES,
        ),
    )
}

fn alarm_control(ctx: &Context<'_>, watch: &WatchedEvent) -> Vec<Outcome> {
    with_regions(ctx, |regions| {
        vec![Outcome::account(ctx, alarm_verdict(ctx, regions, watch))]
    })
}

/// A CloudWatch Logs log group named by a trail's `…:log-group:NAME:*` ARN.
struct LogGroupRef<'a> {
    region: &'a str,
    account: &'a str,
    name: &'a str,
}

impl<'a> LogGroupRef<'a> {
    fn parse(arn: &'a str) -> Option<LogGroupRef<'a>> {
        let mut parts = arn.splitn(6, ':');
        let (region, account) = (parts.nth(3)?, parts.next()?);
        let name = parts.next()?.strip_prefix("log-group:")?;
        let name = name.strip_suffix(":*").unwrap_or(name);
        (!region.is_empty() && !name.is_empty()).then_some(LogGroupRef {
            region,
            account,
            name,
        })
    }
}

/// How far the best candidate trail got, for the FAIL message.
struct Shortfall {
    rank: u8,
    message: String,
}

fn alarm_verdict(
    ctx: &Context<'_>,
    regions: &[RegionEvidence<'_>],
    watch: &WatchedEvent,
) -> Result<Verdict, Unknown> {
    let (trails, listing_unknown) = all_trails(regions);
    let mut first_unknown = listing_unknown.into_iter().map(|(_, u)| u).next();
    let mut best = Shortfall {
        rank: 0,
        message: "no logging multi-region trail delivers its events to CloudWatch Logs".into(),
    };
    let mut elsewhere = None;
    for t in trails.iter().filter(|t| covers_all_regions(t)) {
        let Some(arn) = &t.cloudwatch_log_group_arn else {
            continue;
        };
        match not_recording(t) {
            Ok(None) => {}
            Ok(Some(p)) => {
                if best.rank < 1 {
                    best = Shortfall {
                        rank: 1,
                        message: format!("{p}, so its CloudWatch Logs group sees no events"),
                    };
                }
                continue;
            }
            Err(u) => {
                first_unknown.get_or_insert(u);
                continue;
            }
        }
        let Some(group) = LogGroupRef::parse(arn) else {
            first_unknown.get_or_insert(Unknown::new(
                UnknownReason::ParseError,
                "cloudtrail:DescribeTrails",
                format!("cannot read a log group name from `{arn}`"),
            ));
            continue;
        };
        if ctx
            .snapshot
            .account
            .known()
            .is_some_and(|ours| ours.as_str() != group.account)
        {
            elsewhere.get_or_insert(format!(
                "{} delivers to log group `{}` in account {}; its metric filters and alarms are judged in that account",
                describe_trail(t),
                group.name,
                group.account
            ));
            continue;
        }
        match group_alarm(regions, &group, watch) {
            Ok(Ok(m)) => {
                return Ok(Verdict::pass(format!("{m} (from {})", describe_trail(t))));
            }
            Ok(Err(s)) => {
                if s.rank > best.rank {
                    best = s;
                }
            }
            Err(u) => {
                first_unknown.get_or_insert(u);
            }
        }
    }
    // An organization trail delivering to the management account's log group is watched
    // there; nothing this account holds (or failed to read) would change that.
    if let Some(m) = elsewhere {
        return Ok(Verdict::not_applicable(m));
    }
    if let Some(u) = first_unknown {
        return Err(u);
    }
    Ok(Verdict::fail(best.message))
}

/// A metric filter on the group that catches the event, with an alarm that notifies someone.
fn group_alarm(
    regions: &[RegionEvidence<'_>],
    group: &LogGroupRef<'_>,
    watch: &WatchedEvent,
) -> Result<Result<String, Shortfall>, Unknown> {
    let region = regions
        .iter()
        .find(|r| r.name == group.region)
        .ok_or_else(|| {
            Unknown::new(
                UnknownReason::NotCollected,
                "logs:DescribeMetricFilters",
                format!(
                    "log group `{}` is in region `{}`, which was not scanned",
                    group.name, group.region
                ),
            )
        })?;
    let filters: Vec<&MetricFilter> = region
        .get(|l| &l.metric_filters)?
        .iter()
        .filter(|f| f.log_group == group.name && watch.caught_by(&f.pattern))
        .collect();
    if filters.is_empty() {
        return Ok(Err(Shortfall {
            rank: 2,
            message: format!(
                "no metric filter on log group `{}` catches {}",
                group.name, watch.what
            ),
        }));
    }
    let alarms = region.get(|l| &l.alarms)?;
    let names: Vec<String> = filters.iter().map(|f| format!("`{}`", f.name)).collect();
    let mut shortfall = Shortfall {
        rank: 3,
        message: format!(
            "metric filter {} on log group `{}` catches {} but no alarm watches its metric",
            names.join(", "),
            group.name,
            watch.what
        ),
    };
    for f in filters {
        for (ns, metric) in &f.metrics {
            for a in alarms.iter().filter(|a| {
                a.namespace.as_deref() == Some(ns.as_str())
                    && a.metric.as_deref() == Some(metric.as_str())
            }) {
                if a.actions_enabled && !a.actions.is_empty() {
                    return Ok(Ok(format!(
                        "alarm `{}` on metric {ns}/{metric} of filter `{}` (log group `{}`) notifies {}",
                        a.name,
                        f.name,
                        group.name,
                        a.actions.join(", ")
                    )));
                }
                shortfall = Shortfall {
                    rank: 4,
                    message: format!(
                        "alarm `{}` on the {} filter `{}` {}",
                        a.name,
                        watch.what,
                        f.name,
                        if a.actions_enabled {
                            "has no alarm action, so nobody is notified"
                        } else {
                            "has its actions disabled, so nobody is notified"
                        }
                    ),
                };
            }
        }
    }
    Ok(Err(shortfall))
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs JSON filter patterns
// ---------------------------------------------------------------------------------------------

/// A CloudWatch Logs JSON filter pattern (`{ $.a = "x" && ($.b = y || $.c NOT EXISTS) }`),
/// reduced to what the alarm controls need. `&&` binds tighter than `||`. Text (term)
/// patterns and anything this reader does not understand match nothing, so an unusual filter
/// can cause a FAIL but never a false PASS.
#[derive(Debug, PartialEq)]
enum FilterPattern {
    And(Box<FilterPattern>, Box<FilterPattern>),
    Or(Box<FilterPattern>, Box<FilterPattern>),
    Clause {
        field: String,
        op: Op,
        value: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Exists,
    NotExists,
    /// Numeric comparisons, `IS TRUE`/`IS FALSE`/`IS NULL`: never decided here.
    Other,
}

impl FilterPattern {
    fn parse(text: &str) -> Option<FilterPattern> {
        let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
        let mut r = PatternReader { rest: inner };
        let p = r.or()?;
        r.rest.trim().is_empty().then_some(p)
    }

    /// Whether the pattern matches a sample event: `Some(true)` certainly, `Some(false)`
    /// certainly not, `None` when it depends on fields the sample does not describe.
    fn matches(&self, event: &[EventField]) -> Option<bool> {
        match self {
            FilterPattern::And(a, b) => match (a.matches(event), b.matches(event)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            FilterPattern::Or(a, b) => match (a.matches(event), b.matches(event)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            FilterPattern::Clause { field, op, value } => {
                let (_, actual) = event.iter().find(|e| e.0 == field.as_str())?;
                let equal = match (actual, value) {
                    (Some(a), Some(v)) => Some(value_matches(v, a)?),
                    (None, _) => Some(false),
                    (Some(_), None) => None,
                };
                match op {
                    Op::Eq => equal,
                    Op::Ne => equal.map(|e| !e),
                    Op::Exists => Some(actual.is_some()),
                    Op::NotExists => Some(actual.is_none()),
                    Op::Other => None,
                }
            }
        }
    }
}

/// A pattern value against an actual string: `*` is a wildcard; `%regex%` is not decided.
fn value_matches(pattern: &str, actual: &str) -> Option<bool> {
    if pattern.len() >= 2 && pattern.starts_with('%') && pattern.ends_with('%') {
        return None;
    }
    Some(glob_match(pattern, actual))
}

struct PatternReader<'a> {
    rest: &'a str,
}

impl<'a> PatternReader<'a> {
    fn eat(&mut self, token: &str) -> bool {
        self.rest = self.rest.trim_start();
        match self.rest.strip_prefix(token) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    /// A keyword (case-insensitive) not followed by more of a word.
    fn eat_keyword(&mut self, word: &str) -> bool {
        self.rest = self.rest.trim_start();
        let Some(head) = self.rest.get(..word.len()) else {
            return false;
        };
        let after = self.rest.get(word.len()..).unwrap_or("");
        if head.eq_ignore_ascii_case(word)
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            self.rest = after;
            true
        } else {
            false
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self.rest.find(|c| !keep(c)).unwrap_or(self.rest.len());
        let (head, tail) = self.rest.split_at(end);
        self.rest = tail;
        head
    }

    fn or(&mut self) -> Option<FilterPattern> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = FilterPattern::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<FilterPattern> {
        let mut left = self.atom()?;
        while self.eat("&&") {
            left = FilterPattern::And(Box::new(left), Box::new(self.atom()?));
        }
        Some(left)
    }

    fn atom(&mut self) -> Option<FilterPattern> {
        if self.eat("(") {
            let inner = self.or()?;
            return self.eat(")").then_some(inner);
        }
        self.clause()
    }

    fn clause(&mut self) -> Option<FilterPattern> {
        if !self.eat("$.") {
            return None;
        }
        let field = self
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '[' | ']'))
            .to_string();
        if field.is_empty() {
            return None;
        }
        let (op, value) = if self.eat_keyword("NOT") {
            if !self.eat_keyword("EXISTS") {
                return None;
            }
            (Op::NotExists, None)
        } else if self.eat_keyword("EXISTS") {
            (Op::Exists, None)
        } else if self.eat_keyword("IS") {
            self.rest = self.rest.trim_start();
            if self.take_while(char::is_alphabetic).is_empty() {
                return None;
            }
            (Op::Other, None)
        } else if self.eat("!=") {
            (Op::Ne, Some(self.value()?))
        } else if self.eat("<=") || self.eat(">=") || self.eat("<") || self.eat(">") {
            (Op::Other, Some(self.value()?))
        } else if self.eat("=") {
            (Op::Eq, Some(self.value()?))
        } else {
            return None;
        };
        Some(FilterPattern::Clause { field, op, value })
    }

    /// A quoted string (with `\"` escapes), a `%regex%` or a bare word.
    fn value(&mut self) -> Option<String> {
        self.rest = self.rest.trim_start();
        if let Some(body) = self.rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = body.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.rest = body.get(i + 1..)?;
                        return Some(out);
                    }
                    '\\' => out.push(chars.next()?.1),
                    c => out.push(c),
                }
            }
            return None;
        }
        if let Some(body) = self.rest.strip_prefix('%') {
            let end = body.find('%')?;
            let regex = format!("%{}%", body.get(..end)?);
            self.rest = body.get(end + 1..)?;
            return Some(regex);
        }
        let word = self.take_while(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '&' | '|'));
        (!word.is_empty()).then(|| word.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{builtin, Context, Outcome};
    use super::*;
    use crate::evidence::logging::*;
    use crate::evidence::s3::PublicAccessBlock;
    use crate::evidence::Snapshot;
    use crate::scope::Scope;
    use crate::vocabulary::Status::{self, *};

    fn outcomes(s: &Snapshot, id: &str) -> Vec<Outcome> {
        let scope = Scope::default();
        let ctx = Context {
            snapshot: s,
            scope: &scope,
            now: now(),
        };
        let rules = builtin();
        let rule = rules.iter().find(|r| r.id == id).unwrap();
        (rule.f)(&ctx)
    }

    fn only_message(s: &Snapshot, id: &str) -> (Status, String) {
        let o = outcomes(s, id);
        assert_eq!(o.len(), 1, "{id}: {o:?}");
        (o[0].status, o[0].message.clone())
    }

    fn region(s: &mut Snapshot, i: usize) -> &mut LoggingRegion {
        match &mut s.logging {
            Fact::Known(v) => &mut v[i],
            Fact::Unknown(_) => panic!("logging unknown"),
        }
    }

    fn first_trail(s: &mut Snapshot) -> &mut Trail {
        match &mut region(s, 0).trails {
            Fact::Known(v) => &mut v[0],
            Fact::Unknown(_) => panic!("trails unknown"),
        }
    }

    fn with_trail(f: impl FnOnce(&mut Trail)) -> Snapshot {
        let mut s = snapshot_with(vec![]);
        f(first_trail(&mut s));
        s
    }

    /// The trail as a member account sees the organization trail of the management account.
    fn org_trail() -> Trail {
        let mut t = trail();
        t.arn = format!("arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org-trail");
        t.organization = true;
        t.s3_bucket = Some("org-log-archive".into());
        t.cloudwatch_log_group_arn = Some(format!(
            "arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:{TRAIL_LOG_GROUP}:*"
        ));
        t
    }

    fn two_regions() -> Snapshot {
        let mut s = snapshot_with(vec![]);
        s.regions = vec!["us-east-1".into(), "us-west-2".into()];
        s.logging = Fact::Known(vec![
            logging_region("us-east-1"),
            logging_region("us-west-2"),
        ]);
        s
    }

    const ALL: [&str; 15] = [
        "logging.cloudtrail_enabled",
        "logging.cloudtrail_log_validation",
        "logging.cloudtrail_kms",
        "logging.cloudtrail_cloudwatch",
        "logging.cloudtrail_s3_data_events",
        "logging.cloudtrail_bucket_secure",
        "monitoring.config_recorder",
        "monitoring.guardduty_enabled",
        "monitoring.securityhub_enabled",
        "logging.log_group_kms",
        "logging.log_group_retention",
        "monitoring.alarm_root_use",
        "monitoring.alarm_console_login_failures",
        "monitoring.alarm_iam_changes",
        "monitoring.alarm_cloudtrail_changes",
    ];

    #[test]
    fn compliant_snapshot_passes_every_control() {
        let s = snapshot_with(vec![bucket("b"), bucket("trail-logs")]);
        for id in ALL {
            let v = statuses(&s, id);
            assert!(
                !v.is_empty() && v.iter().all(|x| *x == Pass),
                "{id}: {:?}",
                outcomes(&s, id)
            );
        }
    }

    #[test]
    fn unknown_logging_section_is_one_account_error_per_control() {
        let mut s = snapshot_with(vec![bucket("b")]);
        s.logging = denied("cloudtrail:DescribeTrails");
        for id in ALL {
            let o = outcomes(&s, id);
            assert_eq!(o.len(), 1, "{id}");
            assert_eq!(o[0].status, Error, "{id}");
            assert_eq!(o[0].resource.kind, "AwsAccount", "{id}");
        }
    }

    #[test]
    fn a_scanned_region_without_evidence_is_error_not_absent() {
        let mut s = snapshot_with(vec![]);
        s.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        for id in [
            "monitoring.config_recorder",
            "monitoring.guardduty_enabled",
            "monitoring.securityhub_enabled",
        ] {
            assert_eq!(statuses(&s, id), vec![Pass, Error], "{id}");
        }
        assert_eq!(statuses(&s, "logging.log_group_kms"), vec![Pass, Error]);
    }

    #[test]
    fn cloudtrail_enabled() {
        let id = "logging.cloudtrail_enabled";
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);

        let (st, m) = only_message(&with_trail(|t| t.multi_region = false), id);
        assert_eq!(st, Fail);
        assert!(m.contains("only single-region trails"), "{m}");
        let (st, m) = only_message(&with_trail(|t| t.is_logging = Fact::Known(false)), id);
        assert_eq!(st, Fail);
        assert!(m.contains("stopped"), "{m}");
        let s = with_trail(|t| {
            t.selectors = Fact::Known(TrailSelectors {
                management_events: false,
                s3_data_prefixes: vec![],
            })
        });
        assert_eq!(statuses(&s, id), vec![Fail]);
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = Fact::Known(vec![]);
        assert_eq!(
            only_message(&s, id),
            (Fail, "no CloudTrail trail exists".to_string())
        );

        // Unknowns
        let s = with_trail(|t| t.is_logging = denied("cloudtrail:GetTrailStatus"));
        assert_eq!(statuses(&s, id), vec![Error]);
        let s = with_trail(|t| t.selectors = denied("cloudtrail:GetEventSelectors"));
        assert_eq!(statuses(&s, id), vec![Error]);
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error]);
        // A stopped trail in one region and an unreadable listing in another: still unknown.
        let mut s = two_regions();
        first_trail(&mut s).is_logging = Fact::Known(false);
        region(&mut s, 1).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error]);
        // ...but one qualifying trail is enough whatever other regions say.
        let mut s = two_regions();
        region(&mut s, 1).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Pass]);
    }

    #[test]
    fn organization_trail_counts_for_a_member_account() {
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = Fact::Known(vec![org_trail()]);
        let (st, m) = only_message(&s, "logging.cloudtrail_enabled");
        assert_eq!(st, Pass);
        assert!(m.contains("organization trail"), "{m}");
        // As the brief's rule has it, an organization trail counts even if not multi-region.
        let mut t = org_trail();
        t.multi_region = false;
        region(&mut s, 0).trails = Fact::Known(vec![t]);
        assert_eq!(statuses(&s, "logging.cloudtrail_enabled"), vec![Pass]);
        // Its own settings are the management account's to judge.
        for id in [
            "logging.cloudtrail_log_validation",
            "logging.cloudtrail_kms",
            "logging.cloudtrail_cloudwatch",
        ] {
            let o = outcomes(&s, id);
            assert_eq!(o.len(), 1);
            assert_eq!(o[0].status, NotApplicable, "{id}");
            assert_eq!(o[0].resource.account, MANAGEMENT);
        }
        // Its log bucket lives in the log archive account.
        let (st, m) = only_message(&s, "logging.cloudtrail_bucket_secure");
        assert_eq!(st, NotApplicable);
        assert!(m.contains("org-log-archive"), "{m}");
        // Its log group and alarms live in the management account.
        let (st, m) = only_message(&s, "monitoring.alarm_root_use");
        assert_eq!(st, NotApplicable, "{m}");
        assert!(m.contains(MANAGEMENT), "{m}");
    }

    #[test]
    fn trails_are_deduplicated_across_regions() {
        let s = two_regions();
        let o = outcomes(&s, "logging.cloudtrail_log_validation");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].resource.kind, "AwsCloudTrailTrail");
        assert_eq!(o[0].resource.region.as_deref(), Some("us-east-1"));
        // The copy with known facts is kept when another copy's status could not be read.
        let mut s = two_regions();
        first_trail(&mut s).is_logging = denied("cloudtrail:GetTrailStatus");
        assert_eq!(statuses(&s, "logging.cloudtrail_enabled"), vec![Pass]);
        // Per-region controls give one finding per region, with distinct resources.
        let o = outcomes(&s, "monitoring.guardduty_enabled");
        assert_eq!(o.len(), 2);
        assert_ne!(o[0].resource.arn, o[1].resource.arn);
        assert_eq!(o[1].resource.id, format!("{ACCOUNT}/us-west-2"));
        assert_eq!(o[1].resource.kind, "AwsAccountRegion");
    }

    #[test]
    fn log_validation() {
        let id = "logging.cloudtrail_log_validation";
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
        assert_eq!(
            statuses(&with_trail(|t| t.log_file_validation = false), id),
            vec![Fail]
        );
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
        let o = outcomes(&s, id);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].status, Error);
        assert_eq!(o[0].resource.region.as_deref(), Some("us-east-1"));
        region(&mut s, 0).trails = Fact::Known(vec![]);
        assert_eq!(statuses(&s, id), vec![NotApplicable]);
    }

    #[test]
    fn trail_kms() {
        let id = "logging.cloudtrail_kms";
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
        assert_eq!(
            statuses(&with_trail(|t| t.kms_key_id = None), id),
            vec![Fail]
        );
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    #[test]
    fn trail_cloudwatch() {
        let id = "logging.cloudtrail_cloudwatch";
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
        assert_eq!(
            statuses(&with_trail(|t| t.cloudwatch_log_group_arn = None), id),
            vec![Fail]
        );
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    fn data_selectors(prefixes: &[&str]) -> Fact<TrailSelectors> {
        Fact::Known(TrailSelectors {
            management_events: true,
            s3_data_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        })
    }

    #[test]
    fn s3_data_events() {
        let id = "logging.cloudtrail_s3_data_events";
        let phi = || snapshot_with(vec![bucket("b")]);
        assert_eq!(statuses(&phi(), id), vec![Pass]);
        // Only this bucket selected: still covered; another bucket selected: not.
        let mut s = phi();
        first_trail(&mut s).selectors = data_selectors(&["arn:aws:s3:::b/"]);
        assert_eq!(statuses(&s, id), vec![Pass]);
        first_trail(&mut s).selectors = data_selectors(&["arn:aws:s3:::other/"]);
        assert_eq!(statuses(&s, id), vec![Fail]);
        first_trail(&mut s).selectors = data_selectors(&[]);
        assert_eq!(statuses(&s, id), vec![Fail]);
        // A stopped trail records nothing.
        let mut s = phi();
        first_trail(&mut s).is_logging = Fact::Known(false);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("stopped"), "{m}");
        // Untagged buckets are out of scope.
        let mut b = bucket("b");
        b.tags = Fact::Known(Default::default());
        assert_eq!(
            statuses(&snapshot_with(vec![b.clone()]), id),
            vec![NotApplicable]
        );
        // Unknowns.
        b.tags = denied("s3:GetBucketTagging");
        assert_eq!(statuses(&snapshot_with(vec![b]), id), vec![Error]);
        let mut s = phi();
        first_trail(&mut s).selectors = denied("cloudtrail:GetEventSelectors");
        assert_eq!(statuses(&s, id), vec![Error]);
        let mut s = phi();
        region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error]);
        let mut s = phi();
        s.s3.buckets = denied("s3:ListBuckets");
        assert_eq!(statuses(&s, id), vec![Error]);
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![NotApplicable]);
    }

    #[test]
    fn single_region_trail_covers_only_its_home_region() {
        let id = "logging.cloudtrail_s3_data_events";
        let mut s = snapshot_with(vec![bucket("b")]);
        {
            let t = first_trail(&mut s);
            t.multi_region = false;
            t.home_region = "us-west-2".into();
            t.arn = format!("arn:aws:cloudtrail:us-west-2:{ACCOUNT}:trail/west");
        }
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail, "{m}");
        first_trail(&mut s).home_region = "us-east-1".into();
        assert_eq!(statuses(&s, id), vec![Pass]);
        // The bucket's region is needed to tell, and unknown.
        let mut b = bucket("b");
        b.region = denied("s3:GetBucketLocation");
        s.s3.buckets = Fact::Known(vec![b]);
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    #[test]
    fn bucket_secure() {
        let id = "logging.cloudtrail_bucket_secure";
        let with_log_bucket = |f: &dyn Fn(&mut crate::evidence::s3::Bucket)| {
            let mut b = bucket("trail-logs");
            f(&mut b);
            snapshot_with(vec![bucket("b"), b])
        };
        let s = with_log_bucket(&|_| {});
        let o = outcomes(&s, id);
        assert_eq!(o.len(), 1);
        assert_eq!(
            (o[0].status, o[0].resource.id.as_str()),
            (Pass, "trail-logs")
        );

        let s = with_log_bucket(&|b| b.logging = Fact::Known(None));
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("server access logging is off"), "{m}");
        let s = with_log_bucket(&|b| {
            b.policy = Fact::Known(Some(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::trail-logs/*"}]}"#.into(),
            ))
        });
        assert_eq!(statuses(&s, id), vec![Fail]);
        // Block Public Access: the account setting covers the bucket; without it the bucket's counts.
        let mut s = with_log_bucket(&|b| {
            b.public_access_block = Fact::Known(Some(PublicAccessBlock {
                restrict_public_buckets: false,
                ..all_on()
            }))
        });
        assert_eq!(statuses(&s, id), vec![Pass]);
        s.s3.account_public_access_block = Fact::Known(None);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("RestrictPublicBuckets"), "{m}");
        s.s3.account_public_access_block = denied("s3control:GetPublicAccessBlock");
        assert_eq!(statuses(&s, id), vec![Error]);

        // A definite problem is a FAIL even when another fact is unknown.
        let s = with_log_bucket(&|b| {
            b.logging = Fact::Known(None);
            b.policy = denied("s3:GetBucketPolicy");
        });
        assert_eq!(statuses(&s, id), vec![Fail]);
        let s = with_log_bucket(&|b| b.policy = denied("s3:GetBucketPolicy"));
        assert_eq!(statuses(&s, id), vec![Error]);
        let s = with_log_bucket(&|b| b.policy = Fact::Known(Some("{not json".into())));
        assert_eq!(statuses(&s, id), vec![Error]);

        // Not this account's bucket; bucket listing unknown.
        let (st, m) = only_message(&snapshot_with(vec![bucket("b")]), id);
        assert_eq!(st, NotApplicable);
        assert!(m.contains("central log archive"), "{m}");
        let mut s = snapshot_with(vec![]);
        s.s3.buckets = denied("s3:ListBuckets");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    fn set_recorder(s: &mut Snapshot, f: impl FnOnce(&mut ConfigRecorder)) {
        if let Fact::Known(v) = &mut region(s, 0).config_recorders {
            f(&mut v[0]);
        }
    }

    #[test]
    fn config_recorder() {
        let id = "monitoring.config_recorder";
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, id), vec![Pass]);
        set_recorder(&mut s, |r| r.recording = Fact::Known(false));
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("stopped"), "{m}");
        let mut s = snapshot_with(vec![]);
        set_recorder(&mut s, |r| r.all_supported = false);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("selected resource types"), "{m}");
        region(&mut s, 0).config_recorders = Fact::Known(vec![]);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("no AWS Config"), "{m}");
        region(&mut s, 0).config_recorders = denied("config:DescribeConfigurationRecorders");
        assert_eq!(statuses(&s, id), vec![Error]);
        let mut s = snapshot_with(vec![]);
        set_recorder(&mut s, |r| {
            r.recording = denied("config:DescribeConfigurationRecorderStatus")
        });
        assert_eq!(statuses(&s, id), vec![Error]);
        // A partial recorder fails whether or not its status could be read.
        set_recorder(&mut s, |r| r.all_supported = false);
        assert_eq!(statuses(&s, id), vec![Fail]);
    }

    #[test]
    fn guardduty() {
        let id = "monitoring.guardduty_enabled";
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, id), vec![Pass]);
        region(&mut s, 0).guardduty = Fact::Known(vec![Detector {
            id: "d1".into(),
            status: Fact::Known("DISABLED".into()),
        }]);
        assert_eq!(statuses(&s, id), vec![Fail]);
        region(&mut s, 0).guardduty = Fact::Known(vec![]);
        assert_eq!(statuses(&s, id), vec![Fail]);
        region(&mut s, 0).guardduty = Fact::Known(vec![Detector {
            id: "d1".into(),
            status: denied("guardduty:GetDetector"),
        }]);
        assert_eq!(statuses(&s, id), vec![Error]);
        region(&mut s, 0).guardduty = denied("guardduty:ListDetectors");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    #[test]
    fn securityhub() {
        let id = "monitoring.securityhub_enabled";
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, id), vec![Pass]);
        region(&mut s, 0).security_hub = Fact::Known(None);
        assert_eq!(statuses(&s, id), vec![Fail]);
        region(&mut s, 0).security_hub = denied("securityhub:DescribeHub");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    fn set_group(s: &mut Snapshot, f: impl FnOnce(&mut LogGroup)) {
        if let Fact::Known(v) = &mut region(s, 0).log_groups {
            f(&mut v[0]);
        }
    }

    #[test]
    fn log_group_kms() {
        let id = "logging.log_group_kms";
        let mut s = snapshot_with(vec![]);
        let o = outcomes(&s, id);
        assert_eq!(o[0].status, Pass);
        assert_eq!(o[0].resource.kind, "AwsLogsLogGroup");
        set_group(&mut s, |g| g.kms_key_id = None);
        assert_eq!(statuses(&s, id), vec![Fail]);
        region(&mut s, 0).log_groups = denied("logs:DescribeLogGroups");
        assert_eq!(statuses(&s, id), vec![Error]);
        region(&mut s, 0).log_groups = Fact::Known(vec![]);
        assert_eq!(statuses(&s, id), vec![NotApplicable]);
    }

    #[test]
    fn log_group_retention() {
        let id = "logging.log_group_retention";
        let mut s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, id), vec![Pass]);
        set_group(&mut s, |g| g.retention_days = Some(90));
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert!(m.contains("90") && m.contains("365"), "{m}");
        let mut scope = Scope::default();
        scope.thresholds.log_retention_min_days = 90;
        assert_eq!(statuses_in(&s, id, &scope), vec![Pass]);
        set_group(&mut s, |g| g.retention_days = None);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail);
        assert_eq!(
            m,
            "log events are kept forever; set an explicit retention of at least 365 days"
        );
        region(&mut s, 0).log_groups = denied("logs:DescribeLogGroups");
        assert_eq!(statuses(&s, id), vec![Error]);
    }

    const ALARMS: [&str; 4] = [
        "monitoring.alarm_root_use",
        "monitoring.alarm_console_login_failures",
        "monitoring.alarm_iam_changes",
        "monitoring.alarm_cloudtrail_changes",
    ];

    fn alarms_mut(s: &mut Snapshot) -> &mut Vec<MetricAlarm> {
        match &mut region(s, 0).alarms {
            Fact::Known(v) => v,
            Fact::Unknown(_) => panic!("alarms unknown"),
        }
    }

    #[test]
    fn alarms_fail_naming_what_is_missing() {
        for id in ALARMS {
            assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass], "{id}");

            let (st, m) = only_message(&with_trail(|t| t.cloudwatch_log_group_arn = None), id);
            assert_eq!(st, Fail, "{id}");
            assert!(
                m.contains("delivers its events to CloudWatch Logs"),
                "{id}: {m}"
            );

            let (st, m) = only_message(&with_trail(|t| t.multi_region = false), id);
            assert_eq!(st, Fail, "{id}: {m}");

            let (st, m) = only_message(&with_trail(|t| t.is_logging = Fact::Known(false)), id);
            assert_eq!(st, Fail, "{id}");
            assert!(m.contains("stopped"), "{id}: {m}");

            let mut s = snapshot_with(vec![]);
            region(&mut s, 0).metric_filters = Fact::Known(vec![]);
            let (st, m) = only_message(&s, id);
            assert_eq!(st, Fail, "{id}");
            assert!(m.contains("no metric filter"), "{id}: {m}");

            let mut s = snapshot_with(vec![]);
            alarms_mut(&mut s).clear();
            let (st, m) = only_message(&s, id);
            assert_eq!(st, Fail, "{id}");
            assert!(m.contains("no alarm watches"), "{id}: {m}");

            let mut s = snapshot_with(vec![]);
            alarms_mut(&mut s)
                .iter_mut()
                .for_each(|a| a.actions.clear());
            let (st, m) = only_message(&s, id);
            assert_eq!(st, Fail, "{id}");
            assert!(m.contains("no alarm action"), "{id}: {m}");

            let mut s = snapshot_with(vec![]);
            alarms_mut(&mut s)
                .iter_mut()
                .for_each(|a| a.actions_enabled = false);
            let (st, m) = only_message(&s, id);
            assert_eq!(st, Fail, "{id}");
            assert!(m.contains("actions disabled"), "{id}: {m}");
        }
    }

    #[test]
    fn alarms_error_when_a_needed_listing_is_unknown() {
        for id in ALARMS {
            let mut s = snapshot_with(vec![]);
            region(&mut s, 0).metric_filters = denied("logs:DescribeMetricFilters");
            assert_eq!(statuses(&s, id), vec![Error], "{id}");

            let mut s = snapshot_with(vec![]);
            region(&mut s, 0).alarms = denied("cloudwatch:DescribeAlarms");
            assert_eq!(statuses(&s, id), vec![Error], "{id}");

            let mut s = snapshot_with(vec![]);
            region(&mut s, 0).trails = denied("cloudtrail:DescribeTrails");
            assert_eq!(statuses(&s, id), vec![Error], "{id}");

            let s = with_trail(|t| t.is_logging = denied("cloudtrail:GetTrailStatus"));
            assert_eq!(statuses(&s, id), vec![Error], "{id}");

            // The trail's log group is in a region that was not scanned.
            let s = with_trail(|t| {
                t.cloudwatch_log_group_arn = Some(format!(
                    "arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*"
                ))
            });
            assert_eq!(statuses(&s, id), vec![Error], "{id}");
        }
        // Alarms unknown but no filter catches the event: FAIL is already certain.
        let mut s = snapshot_with(vec![]);
        region(&mut s, 0).metric_filters = Fact::Known(vec![]);
        region(&mut s, 0).alarms = denied("cloudwatch:DescribeAlarms");
        assert_eq!(statuses(&s, "monitoring.alarm_root_use"), vec![Fail]);
    }

    #[test]
    fn alarms_look_in_the_log_groups_region() {
        // The trail's log group is in us-west-2; filters and alarms there count, us-east-1's do not.
        let mut s = two_regions();
        let arn = format!("arn:aws:logs:us-west-2:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*");
        for i in 0..2 {
            if let Fact::Known(ts) = &mut region(&mut s, i).trails {
                ts[0].cloudwatch_log_group_arn = Some(arn.clone());
            }
        }
        assert_eq!(statuses(&s, "monitoring.alarm_iam_changes"), vec![Pass]);
        region(&mut s, 1).metric_filters = Fact::Known(vec![]);
        assert_eq!(statuses(&s, "monitoring.alarm_iam_changes"), vec![Fail]);
    }

    #[test]
    fn a_filter_on_another_log_group_does_not_count() {
        let mut s = snapshot_with(vec![]);
        if let Fact::Known(fs) = &mut region(&mut s, 0).metric_filters {
            fs.iter_mut().for_each(|f| f.log_group = "app/other".into());
        }
        for id in ALARMS {
            assert_eq!(statuses(&s, id), vec![Fail], "{id}");
        }
    }

    fn catches(w: &WatchedEvent, pattern: &str) -> bool {
        w.caught_by(pattern)
    }

    #[test]
    fn filter_patterns_are_read_honestly() {
        let root = root_use();
        assert!(catches(&root, ROOT_PATTERN));
        assert!(catches(&root, r#"{$.userIdentity.type="Root"}"#));
        assert!(!catches(&root, r#"{ $.userIdentity.type = "IAMUser" }"#));
        // Root console sign-ins only: misses root API calls.
        assert!(!catches(
            &root,
            r#"{ $.userIdentity.type = "Root" && $.eventName = ConsoleLogin }"#
        ));
        // Narrowed by a field we cannot judge: not certain to catch.
        assert!(!catches(
            &root,
            r#"{ $.userIdentity.type = "Root" && $.sourceIPAddress = "10.0.0.1" }"#
        ));

        let login = console_login_failures();
        assert!(catches(&login, LOGIN_FAILURE_PATTERN));
        assert!(catches(
            &login,
            r#"{ ($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Failure") }"#
        ));
        // Every sign-in, successful ones too: not a failure alarm.
        assert!(!catches(&login, "{ $.eventName = ConsoleLogin }"));
        // Only failed sign-ins carry this error message, so this narrower form is enough.
        assert!(catches(
            &login,
            r#"{ $.errorMessage = "Failed authentication" }"#
        ));
        // Failures of one user only: not certain to catch the others.
        assert!(!catches(
            &login,
            r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed authentication" && $.userIdentity.userName = "bob" }"#
        ));
        // Text patterns are not read.
        assert!(!catches(
            &login,
            r#""ConsoleLogin" "Failed authentication""#
        ));

        let iam = api_calls("IAM", "iam.amazonaws.com", &IAM_POLICY_CHANGES);
        assert!(catches(&iam, IAM_CHANGE_PATTERN));
        assert!(catches(&iam, "{ $.eventSource = iam.amazonaws.com }"));
        assert!(catches(
            &iam,
            "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = Put*Policy) || ($.eventName = Delete*Policy*) || ($.eventName = Attach*) || ($.eventName = Detach*) || ($.eventName = CreatePolicy*)) }"
        ));
        let missing_one = IAM_CHANGE_PATTERN.replace("||($.eventName=DetachGroupPolicy)", "");
        assert_ne!(missing_one, IAM_CHANGE_PATTERN);
        assert!(!catches(&iam, &missing_one));
        // `&&` between event names can never match.
        assert!(!catches(&iam, &IAM_CHANGE_PATTERN.replace("||", "&&")));

        let trail = api_calls("trail", "cloudtrail.amazonaws.com", &TRAIL_CHANGES);
        assert!(catches(&trail, TRAIL_CHANGE_PATTERN));
        assert!(!catches(
            &trail,
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }"
        ));
        assert!(!catches(&trail, "{ $.eventName = %Trail|Logging% }"));

        // Malformed patterns match nothing.
        for bad in [
            "",
            "{",
            "{ $.eventName = }",
            "{ ($.eventName = CreateTrail }",
            "{ $. = x }",
        ] {
            assert_eq!(FilterPattern::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn filter_pattern_values() {
        let p =
            FilterPattern::parse(r#"{ $.a = "x \" y" && $.b != 1 || $.c NOT EXISTS }"#).unwrap();
        let e: Vec<EventField> = vec![("a", Some("x \" y")), ("b", Some("2")), ("c", Some("z"))];
        assert_eq!(p.matches(&e), Some(true));
        let e: Vec<EventField> = vec![("a", Some("no")), ("b", Some("2")), ("c", Some("z"))];
        assert_eq!(p.matches(&e), Some(false));
        let e: Vec<EventField> = vec![("a", Some("no")), ("c", None)];
        assert_eq!(p.matches(&e), Some(true));
        let e: Vec<EventField> = vec![("a", Some("no"))];
        assert_eq!(p.matches(&e), None);
    }
}
