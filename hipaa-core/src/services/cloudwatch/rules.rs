//! Amazon CloudWatch rules: CloudWatch Logs log groups are KMS-encrypted and kept long enough,
//! and metric filters with alarms watch the trail's events (root use, console sign-in failures,
//! IAM policy changes, CloudTrail changes).

use super::evidence::{CloudWatchRegion, LogGroup, MetricFilter};
use crate::aws::arn;
use crate::aws::filter_pattern::{EventField, FilterPattern};
use crate::evidence::{RegionEvidence, Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::cloudtrail;
use crate::services::cloudtrail::evidence::CloudTrailRegion;
use crate::services::cloudtrail::rules::{all_trails, covers_all_regions, describe_trail, not_recording};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "cloudwatch.log_group_kms",
            f: log_group_kms,
        },
        RuleFn {
            id: "cloudwatch.log_group_retention",
            f: log_group_retention,
        },
        RuleFn {
            id: "cloudwatch.alarm_root_use",
            f: alarm_root_use,
        },
        RuleFn {
            id: "cloudwatch.alarm_console_login_failures",
            f: alarm_console_login_failures,
        },
        RuleFn {
            id: "cloudwatch.alarm_iam_changes",
            f: alarm_iam_changes,
        },
        RuleFn {
            id: "cloudwatch.alarm_cloudtrail_changes",
            f: alarm_cloudtrail_changes,
        },
    ]
}

/// The CloudWatch section's regions, or the outcomes that stand for its absence.
fn regions<'a>(
    ctx: &Context<'a>,
) -> Result<Vec<RegionEvidence<'a, CloudWatchRegion>>, Vec<Outcome>> {
    ctx.regions(&ctx.snapshot.services.cloudwatch, "CloudWatch", "logging")
}

// ---------------------------------------------------------------------------------------------
// Log groups
// ---------------------------------------------------------------------------------------------

fn log_group_resource(ctx: &Context<'_>, region: &str, g: &LogGroup) -> Resource {
    let arn = g.arn.strip_suffix(":*").unwrap_or(&g.arn).to_string();
    Resource {
        account: arn::account(&arn)
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
    let regions = section!(regions(ctx));
    {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for r in &regions {
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
    }
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

/// A kind of security event an alarm must catch, as sample CloudTrail events.
///
/// A metric filter catches the kind when its pattern certainly matches every sample in
/// `catches` and certainly matches none in `ignores`. Fields a sample does not list are
/// unknown, so a clause about them never makes a pattern certain to match.
pub(super) struct WatchedEvent {
    what: &'static str,
    catches: Vec<Vec<EventField>>,
    ignores: Vec<Vec<EventField>>,
}

impl WatchedEvent {
    pub(super) fn caught_by(&self, pattern: &str) -> bool {
        let Some(p) = FilterPattern::parse(pattern) else {
            return false;
        };
        self.catches.iter().all(|e| p.matches(e) == Some(true))
            && self.ignores.iter().all(|e| p.matches(e) == Some(false))
    }
}

/// Root sign-in and root API calls, made directly (not by an AWS service on root's behalf).
pub(super) fn root_use() -> WatchedEvent {
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
pub(super) fn console_login_failures() -> WatchedEvent {
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
pub(super) const IAM_POLICY_CHANGES: [&str; 16] = [
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
pub(super) const TRAIL_CHANGES: [&str; 5] = [
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "StartLogging",
    "StopLogging",
];

pub(super) fn api_calls(what: &'static str, source: &'static str, names: &[&'static str]) -> WatchedEvent {
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
    let trails = section!(cloudtrail::rules::regions(ctx));
    let groups = section!(regions(ctx));
    vec![Outcome::account(
        ctx,
        alarm_verdict(ctx, &trails, &groups, watch),
    )]
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
    trail_regions: &[RegionEvidence<'_, CloudTrailRegion>],
    regions: &[RegionEvidence<'_, CloudWatchRegion>],
    watch: &WatchedEvent,
) -> Result<Verdict, Unknown> {
    let (trails, listing_unknown) = all_trails(trail_regions);
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
    regions: &[RegionEvidence<'_, CloudWatchRegion>],
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

