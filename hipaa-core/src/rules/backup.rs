//! Backup and recovery rules: AWS Backup plans and vaults, RDS, DynamoDB, EFS.
//!
//! Every rule reads `snapshot.backup`, one entry per region. A region whose listing failed gives
//! one ERROR for that region, a known empty listing gives nothing, and when no region has any
//! resource of the kind the control gives one NOT_APPLICABLE.

use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::evidence::backup::{
    BackupPlan, BackupRegion, BackupSelection, BackupVault, TagCondition, TagOp,
};
use crate::evidence::governance::arn_account;
use crate::evidence::governance::{arn_region, arn_service};
use crate::evidence::kms::{KeyManager, KmsKey};
use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn rules() -> Vec<RuleFn> {
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
            id: "backup.dynamodb_pitr",
            f: dynamodb_pitr,
        },
        RuleFn {
            id: "backup.rds_retention",
            f: rds_retention,
        },
        RuleFn {
            id: "backup.efs_backup_policy",
            f: efs_backup_policy,
        },
        RuleFn {
            id: "rds.storage_encrypted",
            f: rds_storage_encrypted,
        },
        RuleFn {
            id: "efs.encrypted",
            f: efs_encrypted,
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Resources and regions

/// The resource part of an ARN (`db:x`, `table/t`, `bucket`).
fn arn_resource(arn: &str) -> Option<&str> {
    arn.splitn(6, ':').nth(5).filter(|r| !r.is_empty())
}

/// The last path segment of an ARN: table name, instance id, file system id, bucket name.
fn short_id(arn: &str) -> String {
    arn_resource(arn)
        .and_then(|r| r.rsplit([':', '/']).find(|s| !s.is_empty()))
        .unwrap_or(arn)
        .to_string()
}

fn phi_of_tags(ctx: &Context<'_>, tags: &Tags) -> PhiMark {
    if ctx.scope.phi.matches(tags) {
        PhiMark::Tagged
    } else {
        PhiMark::NotTagged
    }
}

fn resource(
    ctx: &Context<'_>,
    arn: &str,
    id: &str,
    kind: &str,
    region: &str,
    phi: &PhiMark,
) -> Resource {
    Resource {
        arn: arn.to_string(),
        id: id.to_string(),
        kind: kind.to_string(),
        account: arn_account(arn).map_or_else(|| ctx.account_id(), str::to_string),
        region: Some(region.to_string()),
        name: None,
        phi: phi.flag(),
    }
}

fn plan_resource(ctx: &Context<'_>, region: &str, p: &BackupPlan) -> Resource {
    let mut r = resource(
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
    resource(
        ctx,
        &v.arn,
        &v.name,
        "AwsBackupBackupVault",
        region,
        &PhiMark::Account,
    )
}

/// A region's backup evidence, or why it is missing.
type RegionEvidence<'a> = (&'a str, Result<&'a BackupRegion, Unknown>);

/// Every region with backup evidence, plus every scanned region that has none (as unknown).
fn regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a>>, Unknown> {
    let list = ctx.snapshot.backup.get()?;
    let mut out: Vec<RegionEvidence<'a>> =
        list.iter().map(|r| (r.region.as_str(), Ok(r))).collect();
    for name in &ctx.snapshot.regions {
        if !list.iter().any(|r| &r.region == name) {
            out.push((
                name.as_str(),
                Err(ctx.snapshot.missing_region(name, "backup")),
            ));
        }
    }
    Ok(out)
}

/// Judge every item of one regional listing: an unknown listing is one ERROR for its region.
fn each_listed<'a, T: 'a>(
    ctx: &Context<'a>,
    what: &str,
    list: impl Fn(&'a BackupRegion) -> &'a Fact<Vec<T>>,
    judge: impl Fn(&'a str, &'a T) -> Outcome,
) -> Vec<Outcome> {
    let regions = match regions(ctx) {
        Ok(r) => r,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    let mut out = Vec::new();
    for (name, region) in regions {
        match region.and_then(|r| list(r).get()) {
            Ok(items) => out.extend(items.iter().map(|i| judge(name, i))),
            Err(u) => out.push(Outcome::error(
                ctx.region_resource(name),
                PhiMark::Account,
                u,
            )),
        }
    }
    if out.is_empty() {
        return none_found(ctx, what);
    }
    out
}

fn each_plan<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&str, &BackupPlan) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    each_listed(
        ctx,
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
    each_listed(
        ctx,
        "AWS Backup vaults",
        |r| &r.vaults,
        |region, v| {
            Outcome::from_result(vault_resource(ctx, region, v), PhiMark::Account, judge(v))
        },
    )
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

fn plan_exists(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = match regions(ctx) {
        Ok(r) => r,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    if regions.is_empty() {
        return none_found(ctx, "scanned regions");
    }
    regions
        .into_iter()
        .map(|(name, region)| {
            Outcome::from_result(
                ctx.region_resource(name),
                PhiMark::Account,
                region.and_then(scheduled_plan),
            )
        })
        .collect()
}

fn scheduled_plan(r: &BackupRegion) -> Result<Verdict, Unknown> {
    let plans = r.plans.get()?;
    if plans.is_empty() {
        return Ok(Verdict::fail(format!(
            "no AWS Backup plan exists in {}",
            r.region
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
            r.region
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
                match arn_region(dest) {
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
// Schedules

const DAY: u64 = 1440;
/// The gap of a schedule limited to some years: after them it never runs again.
const NEVER: u64 = u64::MAX;
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn describe_gap(minutes: u64) -> String {
    if minutes.is_multiple_of(DAY) {
        plural(minutes / DAY, "day")
    } else if minutes.is_multiple_of(60) {
        plural(minutes / 60, "hour")
    } else {
        plural(minutes, "minute")
    }
}

/// The longest time, in minutes, an AWS Backup schedule can leave between two runs.
///
/// Reads `rate(N minutes|hours|days)` and the six-field `cron(minute hour day-of-month month
/// day-of-week year)`. Where the calendar makes the exact figure awkward (month lengths, "the
/// second Tuesday") it answers with an upper bound, so a doubtful schedule fails rather than
/// passes; anything it cannot read is an error, never a guess.
fn max_gap_minutes(expr: &str) -> Result<u64, String> {
    let e = expr.trim();
    if let Some(body) = e.strip_prefix("rate(").and_then(|b| b.strip_suffix(')')) {
        return rate(body);
    }
    if let Some(body) = e.strip_prefix("cron(").and_then(|b| b.strip_suffix(')')) {
        return cron(body);
    }
    Err("expected `rate(…)` or `cron(…)`".into())
}

fn rate(body: &str) -> Result<u64, String> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [n, unit] = parts.as_slice() else {
        return Err("a rate needs a number and a unit".into());
    };
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number"))?;
    if n == 0 {
        return Err("a rate of zero never runs".into());
    }
    let per = match unit.to_ascii_lowercase().as_str() {
        "minute" | "minutes" => 1,
        "hour" | "hours" => 60,
        "day" | "days" => DAY,
        _ => return Err(format!("unknown unit `{unit}`")),
    };
    n.checked_mul(per)
        .ok_or_else(|| "the rate is too large".to_string())
}

fn cron(body: &str) -> Result<u64, String> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    let [minute, hour, dom, month, dow, year] = fields.as_slice() else {
        return Err(format!(
            "expected 6 fields (minute hour day-of-month month day-of-week year), found {}",
            fields.len()
        ));
    };
    let minutes = values(minute, 0, 59, &[])?;
    let hours = values(hour, 0, 23, &[])?;
    let months = values(month, 1, 12, &MONTHS)?;
    let mut day_gap = day_gap(dom, dow)?;
    if *year != "*" {
        values(year, 1970, 2199, &[])?;
        return Ok(NEVER);
    }
    if months.len() < 12 {
        // Some months are skipped: bound the gap by whole 31-day months plus the in-month gap.
        day_gap += circular_gap(&months, 12) * 31;
    }
    let times: Vec<u64> = hours
        .iter()
        .flat_map(|h| minutes.iter().map(move |m| h * 60 + m))
        .collect();
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return Err("the schedule names no time of day".into());
    };
    let within_day = times.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    // From the last run of one run day to the first run of the next.
    let across_days = day_gap * DAY - (last - first);
    Ok(within_day.max(across_days))
}

fn is_any(field: &str) -> bool {
    field == "*" || field == "?"
}

/// The most days between two run days.
fn day_gap(dom: &str, dow: &str) -> Result<u64, String> {
    match (is_any(dom), is_any(dow)) {
        (true, true) => Ok(1),
        (false, false) => {
            Err("day-of-month and day-of-week are both set; one of them must be `?`".into())
        }
        (true, false) => weekday_gap(dow),
        (false, true) => month_day_gap(dom),
    }
}

/// Day-of-week: plain days repeat every week; `2#1` (first Monday) and `6L` (last Friday) once a
/// month, at most 35 days apart. A mix is never worse than its plain days alone.
fn weekday_gap(dow: &str) -> Result<u64, String> {
    let mut plain = Vec::new();
    let mut monthly = false;
    for item in dow.split(',') {
        if let Some((d, n)) = item.split_once('#') {
            value(d, 1, 7, &WEEKDAYS)?;
            value(n, 1, 5, &[])?;
            monthly = true;
        } else if let Some(d) = item.strip_suffix('L') {
            value(d, 1, 7, &WEEKDAYS)?;
            monthly = true;
        } else {
            plain.push(item);
        }
    }
    if plain.is_empty() {
        return if monthly {
            Ok(35)
        } else {
            Err("empty day-of-week".into())
        };
    }
    Ok(circular_gap(&values(&plain.join(","), 1, 7, &WEEKDAYS)?, 7))
}

/// Day-of-month: plain days, allowing for months of 28 to 31 days; `L` (last day), `LW` and `15W`
/// (nearest weekday) at most 34 days apart. A mix is never worse than its plain days alone.
fn month_day_gap(dom: &str) -> Result<u64, String> {
    let mut plain = Vec::new();
    let mut monthly = false;
    for item in dom.split(',') {
        if item == "L" || item == "LW" {
            monthly = true;
        } else if let Some(d) = item.strip_suffix('W') {
            value(d, 1, 31, &[])?;
            monthly = true;
        } else {
            plain.push(item);
        }
    }
    if plain.is_empty() {
        return if monthly {
            Ok(34)
        } else {
            Err("empty day-of-month".into())
        };
    }
    let days = values(&plain.join(","), 1, 31, &[])?;
    let (Some(&first), inner) = (
        days.first(),
        days.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0),
    ) else {
        return Err("empty day-of-month".into());
    };
    let mut gap = inner;
    for len in 28..=31 {
        gap = gap.max(match days.iter().rev().find(|d| **d <= len) {
            Some(last) => len - last + first,
            // No run at all in a month this short: two months apart at worst.
            None => 62,
        });
    }
    Ok(gap)
}

/// The largest distance between consecutive values, wrapping around `period`.
fn circular_gap(sorted: &[u64], period: u64) -> u64 {
    let inner = sorted.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    match (sorted.first(), sorted.last()) {
        (Some(f), Some(l)) => inner.max(f + period - l),
        _ => period,
    }
}

/// The values a cron field selects: `*`, `a`, `a-b`, `*/n`, `a/n`, `a-b/n`, comma-separated.
fn values(field: &str, lo: u64, hi: u64, names: &[&str]) -> Result<Vec<u64>, String> {
    let mut set = BTreeSet::new();
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => {
                let step = s
                    .parse::<usize>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("`{s}` is not a valid step"))?;
                (b, Some(step))
            }
            None => (item, None),
        };
        let (from, to) = if base == "*" {
            (lo, hi)
        } else if let Some((a, b)) = base.split_once('-') {
            (value(a, lo, hi, names)?, value(b, lo, hi, names)?)
        } else {
            let v = value(base, lo, hi, names)?;
            (v, if step.is_some() { hi } else { v })
        };
        if from > to {
            return Err(format!("the range `{base}` runs backwards"));
        }
        set.extend((from..=to).step_by(step.unwrap_or(1)));
    }
    Ok(set.into_iter().collect())
}

fn value(text: &str, lo: u64, hi: u64, names: &[&str]) -> Result<u64, String> {
    let v = match text.parse::<u64>() {
        Ok(v) => v,
        Err(_) => names
            .iter()
            .zip(lo..)
            .find(|(n, _)| n.eq_ignore_ascii_case(text))
            .map(|(_, v)| v)
            .ok_or_else(|| format!("`{text}` is not a valid value"))?,
    };
    if !(lo..=hi).contains(&v) {
        return Err(format!("`{text}` is outside {lo}-{hi}"));
    }
    Ok(v)
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
        let k = find_key(ctx, key)?;
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

/// The scanned KMS key an ARN (key or alias) names, or why it cannot be judged.
fn find_key<'a>(ctx: &Context<'a>, key: &str) -> Result<&'a KmsKey, Unknown> {
    let not_scanned =
        |why: String| Unknown::new(UnknownReason::NotCollected, "kms:DescribeKey", why);
    let (Some(region), Some(res)) = (arn_region(key), arn_resource(key)) else {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            "backup:ListBackupVaults",
            format!("`{key}` is not a KMS key ARN"),
        ));
    };
    let Some(kms) = ctx.snapshot.kms.regions.iter().find(|r| r.region == region) else {
        return Err(not_scanned(format!(
            "KMS keys in {region} were not scanned, so key `{key}` cannot be checked"
        )));
    };
    let keys = kms.keys.get()?;
    let account = arn_account(key);
    let found = keys.iter().find(|k| {
        k.arn == key
            || (account.is_some()
                && account == arn_account(&k.arn)
                && (res.strip_prefix("key/") == Some(k.id.as_str())
                    || (res.starts_with("alias/")
                        && k.aliases
                            .known()
                            .is_some_and(|a| a.iter().any(|x| x == res)))))
    });
    match found {
        Some(k) => Ok(k),
        None => Err(not_scanned(match account {
            Some(a) if a != ctx.account_id() => {
                format!("key `{key}` belongs to account {a}, which this scan did not read")
            }
            _ => format!("key `{key}` is not among the scanned KMS keys of {region}"),
        })),
    }
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
/// (security groups, snapshots, parameter groups, …).
fn protectable_kind(arn: &str) -> Option<&'static str> {
    let res = arn_resource(arn)?;
    match arn_service(arn)? {
        "dynamodb" => res
            .strip_prefix("table/")
            .filter(|name| !name.contains('/'))
            .map(|_| "AwsDynamoDbTable"),
        "rds" if res.starts_with("db:") => Some("AwsRdsDbInstance"),
        "rds" if res.starts_with("cluster:") => Some("AwsRdsDbCluster"),
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

/// A PHI-tagged resource AWS Backup can protect.
struct Protectable<'a> {
    arn: &'a str,
    kind: &'static str,
    region: &'a str,
    tags: &'a Tags,
}

/// Whether `pattern` (where `*` matches any run of characters, and nothing else is special)
/// matches `text` whole.
fn arn_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for p in middle {
        match rest.split_once(p) {
            Some((_, after)) => rest = after,
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Whether a selection picks the resource: by ARN pattern or by one of its tags (OR), then only
/// if every condition holds (AND), and not excluded by a `NotResources` pattern. Tag keys and
/// values compare exactly (case-sensitive); `like` patterns know only `*`.
fn selects(sel: &BackupSelection, arn: &str, tags: &Tags) -> bool {
    let chosen = sel.resources.iter().any(|p| arn_matches(p, arn))
        || sel.tags.iter().any(|(k, v)| tags.get(k) == Some(v));
    chosen
        && sel.conditions.iter().all(|c| condition_holds(c, tags))
        && !sel.not_resources.iter().any(|p| arn_matches(p, arn))
}

fn condition_holds(c: &TagCondition, tags: &Tags) -> bool {
    let value = tags.get(&c.key);
    let like = || value.is_some_and(|v| arn_matches(&c.value, v));
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
    use crate::evidence::s3::Versioning;
    let Fact::Known(buckets) = &ctx.snapshot.s3.buckets else {
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

fn coverage(regions: &[RegionEvidence<'_>], c: &Protectable<'_>) -> Result<Verdict, Unknown> {
    let region = match regions.iter().find(|(name, _)| *name == c.region) {
        Some((_, r)) => r.clone()?,
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
    let regions = match regions(ctx) {
        Ok(r) => r,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    let mut out = Vec::new();

    // The tagged inventory: it lists every tagged resource, so a region whose inventory is known
    // hides no PHI-tagged resource even if one of the backup listings failed there.
    let mut inventory: BTreeMap<&str, (&str, &Tags)> = BTreeMap::new();
    match ctx.snapshot.inventory.get() {
        Err(u) => out.push(Outcome::error(ctx.account_resource(), PhiMark::Account, u)),
        Ok(list) => {
            for name in &ctx.snapshot.regions {
                if !list.iter().any(|r| &r.region == name) {
                    out.push(Outcome::error(
                        ctx.region_resource(name),
                        PhiMark::Account,
                        ctx.snapshot.missing_region(name, "tagged inventory"),
                    ));
                }
            }
            for inv in list {
                match inv.resources.get() {
                    Ok(resources) => {
                        for r in resources {
                            inventory
                                .entry(r.arn.as_str())
                                .or_insert((inv.region.as_str(), &r.tags));
                        }
                    }
                    Err(u) => out.push(Outcome::error(
                        ctx.region_resource(&inv.region),
                        PhiMark::Account,
                        u,
                    )),
                }
            }
        }
    }

    let mut found: BTreeMap<&str, Protectable<'_>> = BTreeMap::new();
    // Aurora, DocumentDB and Neptune instances are backed up with their cluster, not one by one.
    let mut cluster_members: BTreeSet<&str> = BTreeSet::new();
    for (name, region) in &regions {
        let name: &str = name;
        let Ok(region) = region else { continue };
        if let Fact::Known(tables) = &region.dynamodb_tables {
            for t in tables {
                let tags: &Tags = match (&t.tags, inventory.get(t.arn.as_str())) {
                    (Fact::Known(tags), _) => tags,
                    (Fact::Unknown(_), Some(&(_, tags))) => tags,
                    (Fact::Unknown(u), None) => {
                        let phi = PhiMark::Unknown(u.clone());
                        let res = resource(ctx, &t.arn, &t.name, "AwsDynamoDbTable", name, &phi);
                        out.push(Outcome::error(res, phi, u.clone()));
                        continue;
                    }
                };
                if ctx.scope.phi.matches(tags) {
                    found.entry(t.arn.as_str()).or_insert(Protectable {
                        arn: &t.arn,
                        kind: "AwsDynamoDbTable",
                        region: name,
                        tags,
                    });
                }
            }
        }
        if let Fact::Known(instances) = &region.rds_instances {
            for i in instances {
                let engine = i.engine.to_ascii_lowercase();
                if engine.starts_with("aurora") || engine == "docdb" || engine == "neptune" {
                    cluster_members.insert(i.arn.as_str());
                } else if ctx.scope.phi.matches(&i.tags) {
                    found.entry(i.arn.as_str()).or_insert(Protectable {
                        arn: &i.arn,
                        kind: "AwsRdsDbInstance",
                        region: name,
                        tags: &i.tags,
                    });
                }
            }
        }
        if let Fact::Known(file_systems) = &region.efs_file_systems {
            for f in file_systems {
                if ctx.scope.phi.matches(&f.tags) {
                    found.entry(f.arn.as_str()).or_insert(Protectable {
                        arn: &f.arn,
                        kind: "AwsEfsFileSystem",
                        region: name,
                        tags: &f.tags,
                    });
                }
            }
        }
    }
    let bucket_regions: BTreeMap<&str, &str> = match &ctx.snapshot.s3.buckets {
        Fact::Known(buckets) => buckets
            .iter()
            .filter_map(|b| b.region.known().map(|r| (b.arn.as_str(), r.as_str())))
            .collect(),
        Fact::Unknown(_) => BTreeMap::new(),
    };
    for (&arn, &(inv_region, tags)) in &inventory {
        if found.contains_key(arn) || cluster_members.contains(arn) || !ctx.scope.phi.matches(tags)
        {
            continue;
        }
        let Some(kind) = protectable_kind(arn) else {
            continue;
        };
        let region = arn_region(arn)
            .or_else(|| bucket_regions.get(arn).copied())
            .unwrap_or(inv_region);
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
        let mut res = resource(
            ctx,
            c.arn,
            &short_id(c.arn),
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
// Data stores

fn dynamodb_pitr(ctx: &Context<'_>) -> Vec<Outcome> {
    each_listed(
        ctx,
        "DynamoDB tables",
        |r| &r.dynamodb_tables,
        |region, t| {
            let phi = PhiMark::of(&ctx.scope.phi, &t.tags);
            let res = resource(ctx, &t.arn, &t.name, "AwsDynamoDbTable", region, &phi);
            let r = t.pitr.get().map(|on| {
                if *on {
                    Verdict::pass("point-in-time recovery is on")
                } else {
                    Verdict::fail(
                        "point-in-time recovery is off: the table cannot be restored to a chosen moment",
                    )
                }
            });
            Outcome::from_result(res, phi, r)
        },
    )
}

fn each_rds<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&crate::evidence::backup::RdsInstance) -> Verdict,
) -> Vec<Outcome> {
    each_listed(
        ctx,
        "RDS DB instances",
        |r| &r.rds_instances,
        |region, i| {
            let phi = phi_of_tags(ctx, &i.tags);
            let res = resource(ctx, &i.arn, &i.id, "AwsRdsDbInstance", region, &phi);
            Outcome::from_result(res, phi, Ok(judge(i)))
        },
    )
}

fn each_efs<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&crate::evidence::backup::FileSystem) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    each_listed(
        ctx,
        "EFS file systems",
        |r| &r.efs_file_systems,
        |region, f| {
            let phi = phi_of_tags(ctx, &f.tags);
            let mut res = resource(ctx, &f.arn, &f.id, "AwsEfsFileSystem", region, &phi);
            // File system ids are opaque; the Name tag is what people know them by.
            res.name = f.tags.get("Name").cloned();
            Outcome::from_result(res, phi, judge(f))
        },
    )
}

fn rds_retention(ctx: &Context<'_>) -> Vec<Outcome> {
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

fn efs_backup_policy(ctx: &Context<'_>) -> Vec<Outcome> {
    each_efs(ctx, |f| {
        Ok(if *f.backup_enabled.get()? {
            Verdict::pass("automatic backups are on")
        } else {
            Verdict::fail("automatic backups are off")
        })
    })
}

fn rds_storage_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
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

fn efs_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_efs(ctx, |f| {
        Ok(if f.encrypted {
            Verdict::pass("the file system is encrypted at rest")
        } else {
            Verdict::fail("the file system is not encrypted at rest")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{builtin, Context, Outcome};
    use super::{arn_matches, max_gap_minutes, selects, DAY, NEVER};
    use crate::evidence::backup::*;
    use crate::evidence::kms::KeyManager;
    use crate::evidence::{Fact, Snapshot, Tags, UnknownReason};
    use crate::scope::Scope;
    use crate::vocabulary::Status::{self, *};

    fn known<T>(f: &mut Fact<T>) -> &mut T {
        match f {
            Fact::Known(v) => v,
            Fact::Unknown(u) => panic!("unknown in the test snapshot: {u}"),
        }
    }

    fn region(s: &mut Snapshot) -> &mut BackupRegion {
        &mut known(&mut s.backup)[0]
    }

    fn plan(s: &mut Snapshot) -> &mut BackupPlan {
        &mut known(&mut region(s).plans)[0]
    }

    fn rule(s: &mut Snapshot) -> &mut BackupRule {
        &mut known(&mut plan(s).rules)[0]
    }

    fn selection(s: &mut Snapshot) -> &mut BackupSelection {
        &mut known(&mut plan(s).selections)[0]
    }

    fn vault(s: &mut Snapshot) -> &mut BackupVault {
        &mut known(&mut region(s).vaults)[0]
    }

    fn table(s: &mut Snapshot) -> &mut DynamoTable {
        &mut known(&mut region(s).dynamodb_tables)[0]
    }

    fn rds(s: &mut Snapshot) -> &mut RdsInstance {
        &mut known(&mut region(s).rds_instances)[0]
    }

    fn efs(s: &mut Snapshot) -> &mut FileSystem {
        &mut known(&mut region(s).efs_file_systems)[0]
    }

    fn outcomes(s: &Snapshot, id: &str) -> Vec<Outcome> {
        let scope = Scope::default();
        let rules = builtin();
        let Some(rule) = rules.iter().find(|r| r.id == id) else {
            panic!("no rule `{id}`")
        };
        (rule.f)(&Context {
            snapshot: s,
            scope: &scope,
            now: now(),
        })
    }

    /// The single outcome of a rule, checked to have `status`.
    fn only(s: &Snapshot, id: &str, status: Status) -> Outcome {
        let mut v = outcomes(s, id);
        assert_eq!(v.len(), 1, "{id}: {v:?}");
        let o = v.remove(0);
        assert_eq!(o.status, status, "{id}: {}", o.message);
        o
    }

    /// Statuses by resource id, for rules that judge several resources.
    fn by_id(s: &Snapshot, id: &str) -> Vec<(String, Status)> {
        outcomes(s, id)
            .into_iter()
            .map(|o| (o.resource.id, o.status))
            .collect()
    }

    fn arn(service: &str, resource: &str) -> String {
        format!("arn:aws:{service}:us-east-1:{ACCOUNT}:{resource}")
    }

    // --- the schedule parser ---------------------------------------------------------------

    #[test]
    fn rate_schedules() {
        for (expr, gap) in [
            ("rate(30 minutes)", 30),
            ("rate(1 hour)", 60),
            ("rate(12 hours)", 720),
            ("rate(1 day)", DAY),
            ("rate(7 days)", 7 * DAY),
            ("  rate(2 Hours)  ", 120),
        ] {
            assert_eq!(max_gap_minutes(expr), Ok(gap), "{expr}");
        }
    }

    #[test]
    fn cron_schedules() {
        for (expr, gap) in [
            ("cron(0 5 ? * * *)", DAY),
            ("cron(0 5 * * ? *)", DAY),
            ("cron(15 3 ? * 1-7 *)", DAY),
            ("cron(0 * ? * * *)", 60),
            ("cron(0 */12 ? * * *)", 720),
            ("cron(0 2/6 ? * * *)", 6 * 60),
            ("cron(0 3/12 ? * * *)", 12 * 60),
            ("cron(0 0,23 ? * * *)", 23 * 60),
            ("cron(0 1,13 ? * * *)", 720),
            ("cron(0 1,5 ? * * *)", 1200),
            ("cron(0 8-17 ? * * *)", DAY - 9 * 60),
            ("cron(0,30 5 ? * * *)", DAY - 30),
            ("cron(0 5 ? JAN-DEC * *)", DAY),
            ("cron(30 2 ? * SUN *)", 7 * DAY),
            ("cron(0 5 ? * MON-FRI *)", 3 * DAY),
            ("cron(0 5 ? * 2-6 *)", 3 * DAY),
            ("cron(0 5 ? * mon,wed,fri *)", 3 * DAY),
            ("cron(0 5 ? * 2#1 *)", 35 * DAY),
            ("cron(0 5 ? * 6L *)", 35 * DAY),
            ("cron(0 5 ? * MON,3#2 *)", 7 * DAY),
            ("cron(0 5 1 * ? *)", 31 * DAY),
            ("cron(0 5 */2 * ? *)", 2 * DAY),
            ("cron(0 5 1-31 * ? *)", DAY),
            ("cron(0 5 L * ? *)", 34 * DAY),
            ("cron(0 5 15W * ? *)", 34 * DAY),
            ("cron(0 5 31 * ? *)", 62 * DAY),
            ("cron(0 5 ? 1-6 * *)", (7 * 31 + 1) * DAY),
            ("cron(0 5 ? * * 2026)", NEVER),
        ] {
            assert_eq!(max_gap_minutes(expr), Ok(gap), "{expr}");
        }
    }

    #[test]
    fn unreadable_schedules_are_errors() {
        for expr in [
            "",
            "daily",
            "cron(0 5 ? * * *",
            "CRON(0 5 ? * * *)",
            "cron(0 5 * * *)",
            "cron(0 5 ? * * * *)",
            "cron(0 25 ? * * *)",
            "cron(60 5 ? * * *)",
            "cron(x 5 ? * * *)",
            "cron(0 ? ? * * *)",
            "cron(0 5-1 ? * * *)",
            "cron(0 */0 ? * * *)",
            "cron(0 5 1 * MON *)",
            "cron(0 5 ? * FOO *)",
            "cron(0 5 ? * 2#9 *)",
            "cron(0 5 32 * ? *)",
            "cron(0 5 ? 13 * *)",
            "cron(0 5 ? * * 1900)",
            "cron(0 5 1,,2 * ? *)",
            "rate(0 hours)",
            "rate(1 fortnight)",
            "rate(hours)",
            "rate(1 hour extra)",
            "rate(-1 hours)",
        ] {
            assert!(max_gap_minutes(expr).is_err(), "{expr}");
        }
    }

    // --- selections --------------------------------------------------------------------------

    #[test]
    fn wildcard_patterns() {
        let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
        assert!(arn_matches("*", t));
        assert!(arn_matches(t, t));
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/*", t));
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/pat*s", t));
        assert!(arn_matches("*:table/patients", t));
        assert!(!arn_matches("arn:aws:dynamodb:*:*:table/visits", t));
        assert!(!arn_matches("arn:aws:rds:*", t));
        assert!(!arn_matches(
            "arn:aws:dynamodb:us-east-1:111122223333:table/pat",
            t
        ));
        assert!(!arn_matches("", t));
        assert!(!arn_matches("*:table/patients-*", t));
        // `?` is not a wildcard in AWS Backup selections.
        assert!(!arn_matches(
            "arn:aws:dynamodb:us-east-1:111122223333:table/patient?",
            t
        ));
        assert!(!arn_matches("ab*b", "ab"));
        assert!(arn_matches("ab*b", "abb"));
    }

    #[test]
    fn selection_by_resource_tag_and_exclusion() {
        let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
        let phi = phi_tags();
        let none = Tags::new();
        let sel = |resources: &[&str], not: &[&str], tags: &[(&str, &str)]| BackupSelection {
            id: "s".into(),
            name: "s".into(),
            resources: resources.iter().map(|x| x.to_string()).collect(),
            not_resources: not.iter().map(|x| x.to_string()).collect(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            conditions: vec![],
        };
        assert!(selects(&sel(&["*"], &[], &[]), t, &none));
        assert!(selects(&sel(&[t], &[], &[]), t, &none));
        assert!(selects(&sel(&[], &[], &[("DataClass", "PHI")]), t, &phi));
        assert!(!selects(&sel(&[], &[], &[("DataClass", "PHI")]), t, &none));
        // Tag values compare exactly.
        assert!(!selects(&sel(&[], &[], &[("DataClass", "phi")]), t, &phi));
        assert!(!selects(&sel(&[], &[], &[("Class", "PHI")]), t, &phi));
        assert!(!selects(&sel(&["*"], &["*:table/pat*"], &[]), t, &none));
        assert!(!selects(&sel(&[], &[t], &[("DataClass", "PHI")]), t, &phi));
        assert!(selects(&sel(&["*"], &["*:table/visits"], &[]), t, &none));
        assert!(!selects(&sel(&[], &[], &[]), t, &phi));
    }

    #[test]
    fn every_condition_must_hold_for_a_picked_resource() {
        let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
        let mut tags = phi_tags();
        tags.insert("team".into(), "ehr-core".into());
        let cond = |op, k: &str, v: &str| TagCondition {
            op,
            key: k.into(),
            value: v.into(),
        };
        let sel = |resources: &[&str], conditions: Vec<TagCondition>| BackupSelection {
            id: "s".into(),
            name: "s".into(),
            resources: resources.iter().map(|x| x.to_string()).collect(),
            not_resources: vec![],
            tags: vec![],
            conditions,
        };
        let phi = || cond(TagOp::Equals, "DataClass", "PHI");
        assert!(selects(&sel(&["*"], vec![phi()]), t, &tags));
        // AND: both must hold.
        let both = vec![phi(), cond(TagOp::Equals, "backup", "yes")];
        assert!(!selects(&sel(&["*"], both), t, &tags));
        assert!(selects(
            &sel(&["*"], vec![phi(), cond(TagOp::Like, "team", "ehr-*")]),
            t,
            &tags
        ));
        assert!(!selects(
            &sel(&["*"], vec![cond(TagOp::NotLike, "team", "ehr-*")]),
            t,
            &tags
        ));
        // Negative operators hold when the tag is absent.
        assert!(selects(
            &sel(&["*"], vec![cond(TagOp::NotEquals, "env", "dev")]),
            t,
            &tags
        ));
        assert!(selects(
            &sel(&["*"], vec![cond(TagOp::NotLike, "env", "d*")]),
            t,
            &tags
        ));
        // Conditions narrow; they never pick a resource the resources or tags did not.
        assert!(!selects(&sel(&["arn:aws:rds:*"], vec![phi()]), t, &tags));
    }

    // --- backup.plan_exists --------------------------------------------------------------

    #[test]
    fn plan_exists() {
        let id = "backup.plan_exists";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.id, format!("{ACCOUNT}/us-east-1"));
        assert_eq!(o.resource.kind, "AwsAccountRegion");
        assert_eq!(o.resource.region.as_deref(), Some("us-east-1"));

        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = Fact::Known(vec![]);
        assert!(only(&s, id, Fail).message.contains("no AWS Backup plan"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = None;
        assert!(only(&s, id, Fail).message.contains("only on demand"));

        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = denied("backup:ListBackupPlans");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        plan(&mut s).rules = denied("backup:GetBackupPlan");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        s.backup = denied("backup:ListBackupPlans");
        only(&s, id, Error);
    }

    #[test]
    fn a_scanned_region_without_evidence_is_an_error() {
        let mut s = snapshot_with(vec![]);
        s.regions.push("eu-west-1".into());
        assert_eq!(statuses(&s, "backup.plan_exists"), vec![Pass, Error]);
        assert_eq!(statuses(&s, "backup.vault_lock"), vec![Pass, Error]);
        let e = &outcomes(&s, "backup.vault_lock")[1];
        assert_eq!(e.resource.id, format!("{ACCOUNT}/eu-west-1"));
        assert_eq!(
            e.unknown.as_ref().map(|u| u.reason),
            Some(UnknownReason::NotCollected)
        );
    }

    #[test]
    fn one_region_per_finding_and_known_empty_regions_are_silent() {
        let mut s = snapshot_with(vec![]);
        let mut west = backup_region("us-west-2");
        west.dynamodb_tables = Fact::Known(vec![]);
        known(&mut s.backup).push(west);
        s.regions.push("us-west-2".into());
        assert_eq!(statuses(&s, "backup.plan_exists"), vec![Pass, Pass]);
        assert_eq!(statuses(&s, "backup.dynamodb_pitr"), vec![Pass]);
        region(&mut s).dynamodb_tables = denied("dynamodb:ListTables");
        assert_eq!(statuses(&s, "backup.dynamodb_pitr"), vec![Error]);
    }

    // --- backup.plan_frequency_retention --------------------------------------------------

    #[test]
    fn frequency_and_retention() {
        let id = "backup.plan_frequency_retention";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.kind, "AwsBackupBackupPlan");
        assert_eq!(o.resource.name.as_deref(), Some("phi-daily"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = Some("cron(0 5 ? * SUN *)".into());
        let m = only(&s, id, Fail).message;
        assert!(m.contains("7 days between backups"), "{m}");

        let mut s = snapshot_with(vec![]);
        rule(&mut s).delete_after_days = Some(7);
        let m = only(&s, id, Fail).message;
        assert!(m.contains("after 7 days"), "{m}");

        let mut s = snapshot_with(vec![]);
        rule(&mut s).delete_after_days = None;
        only(&s, id, Pass);

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = Some("rate(12 hours)".into());
        only(&s, id, Pass);

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = Some("cron(0 5 ? * * 2026)".into());
        assert!(only(&s, id, Fail).message.contains("only in the years"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = None;
        assert!(only(&s, id, Fail).message.contains("only on demand"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = Some("every day at five".into());
        let o = only(&s, id, Error);
        assert_eq!(o.unknown.map(|u| u.reason), Some(UnknownReason::ParseError));

        let mut s = snapshot_with(vec![]);
        plan(&mut s).rules = denied("backup:GetBackupPlan");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = Fact::Known(vec![]);
        only(&s, id, NotApplicable);

        let mut s = snapshot_with(vec![]);
        let mut scope = Scope::default();
        scope.thresholds.backup_retention_min_days = 90;
        assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
        scope.thresholds.backup_retention_min_days = 35;
        scope.thresholds.backup_max_interval_hours = 12;
        assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
        rule(&mut s).schedule = Some("cron(0 */6 ? * * *)".into());
        assert_eq!(statuses_in(&s, id, &scope), vec![Pass]);
    }

    #[test]
    fn one_good_rule_is_enough_and_a_bad_extra_rule_does_not_fail_the_plan() {
        let id = "backup.plan_frequency_retention";
        let monthly = BackupRule {
            name: "monthly".into(),
            schedule: Some("cron(0 5 1 * ? *)".into()),
            vault: "phi-vault".into(),
            delete_after_days: Some(365),
            copy_to: vec![],
        };
        let mut s = snapshot_with(vec![]);
        known(&mut plan(&mut s).rules).insert(0, monthly.clone());
        only(&s, id, Pass);

        // Unreadable extra rule: the good rule still decides.
        let mut s = snapshot_with(vec![]);
        let mut odd = monthly.clone();
        odd.schedule = Some("whenever".into());
        known(&mut plan(&mut s).rules).push(odd.clone());
        only(&s, id, Pass);

        // No good rule and one unreadable: cannot tell.
        rule(&mut s).delete_after_days = Some(3);
        only(&s, id, Error);

        // Daily kept 7 days plus monthly kept a year: no single rule gives both.
        let mut s = snapshot_with(vec![]);
        rule(&mut s).delete_after_days = Some(7);
        known(&mut plan(&mut s).rules).push(monthly);
        let m = only(&s, id, Fail).message;
        assert!(m.contains("`daily`") && m.contains("`monthly`"), "{m}");
    }

    // --- backup.plan_cross_region_copy ----------------------------------------------------

    #[test]
    fn cross_region_copy() {
        let id = "backup.plan_cross_region_copy";
        assert!(only(&snapshot_with(vec![]), id, Pass)
            .message
            .contains("us-west-2"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).copy_to = vec![format!(
            "arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:second"
        )];
        assert!(only(&s, id, Fail).message.contains("only within us-east-1"));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).copy_to = vec![];
        only(&s, id, Fail);

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = None;
        only(&s, id, Fail);

        let mut s = snapshot_with(vec![]);
        rule(&mut s).copy_to = vec!["phi-vault-dr".into()];
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        plan(&mut s).rules = denied("backup:GetBackupPlan");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = denied("backup:ListBackupPlans");
        only(&s, id, Error);
    }

    // --- backup.vault_cmk -----------------------------------------------------------------

    #[test]
    fn vault_cmk() {
        let id = "backup.vault_cmk";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.kind, "AwsBackupBackupVault");
        assert_eq!(o.resource.id, "phi-vault");

        let mut s = snapshot_with(vec![]);
        if let Fact::Known(m) = &mut known(&mut s.kms.regions[0].keys)[0].metadata {
            m.manager = KeyManager::Aws;
        }
        assert!(only(&s, id, Fail).message.contains("AWS-managed"));

        let mut s = snapshot_with(vec![]);
        vault(&mut s).encryption_key_arn = None;
        only(&s, id, Fail);

        // Matched by key id and by alias, not only by the full ARN.
        let mut s = snapshot_with(vec![]);
        known(&mut s.kms.regions[0].keys)[0].arn =
            "arn:aws:kms:us-east-1:111122223333:key/k1 ".into();
        only(&s, id, Pass);
        vault(&mut s).encryption_key_arn = Some(arn("kms", "alias/k1"));
        only(&s, id, Pass);

        let mut s = snapshot_with(vec![]);
        vault(&mut s).encryption_key_arn = Some(arn("kms", "key/k9"));
        let o = only(&s, id, Error);
        assert!(o.message.contains("not among the scanned"), "{}", o.message);

        let mut s = snapshot_with(vec![]);
        vault(&mut s).encryption_key_arn = Some("arn:aws:kms:us-east-1:444455556666:key/k1".into());
        assert!(only(&s, id, Error).message.contains("444455556666"));

        let mut s = snapshot_with(vec![]);
        vault(&mut s).encryption_key_arn = Some(format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/k1"));
        assert!(only(&s, id, Error).message.contains("not scanned"));

        let mut s = snapshot_with(vec![]);
        s.kms.regions[0].keys = denied("kms:ListKeys");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        known(&mut s.kms.regions[0].keys)[0].metadata = denied("kms:DescribeKey");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        region(&mut s).vaults = denied("backup:ListBackupVaults");
        only(&s, id, Error);

        let mut s = snapshot_with(vec![]);
        region(&mut s).vaults = Fact::Known(vec![]);
        only(&s, id, NotApplicable);
    }

    // --- backup.vault_lock ----------------------------------------------------------------

    #[test]
    fn vault_lock() {
        let id = "backup.vault_lock";
        assert!(only(&snapshot_with(vec![]), id, Pass)
            .message
            .contains("35 days"));
        let mut s = snapshot_with(vec![]);
        vault(&mut s).locked = false;
        only(&s, id, Fail);
        let mut s = snapshot_with(vec![]);
        region(&mut s).vaults = denied("backup:ListBackupVaults");
        only(&s, id, Error);
    }

    // --- backup.phi_resources_covered -----------------------------------------------------

    const COVERED: &str = "backup.phi_resources_covered";

    #[test]
    fn phi_resources_are_covered_once_each() {
        let s = snapshot_with(vec![]);
        assert_eq!(
            by_id(&s, COVERED),
            vec![
                ("patients".to_string(), Pass),
                ("fs-1".to_string(), Pass),
                ("ehr".to_string(), Pass),
                ("phi-bucket".to_string(), Pass),
            ]
        );
        let kinds: Vec<String> = outcomes(&s, COVERED)
            .into_iter()
            .map(|o| o.resource.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                "AwsDynamoDbTable",
                "AwsEfsFileSystem",
                "AwsRdsDbInstance",
                "AwsS3Bucket"
            ]
        );
    }

    #[test]
    fn a_resource_type_not_opted_in_is_not_backed_up() {
        let mut s = snapshot_with(vec![]);
        if let Fact::Known(m) = &mut region(&mut s).opt_in {
            m.insert("S3".into(), false);
        }
        assert_eq!(
            by_id(&s, COVERED),
            vec![
                ("patients".to_string(), Pass),
                ("fs-1".to_string(), Pass),
                ("ehr".to_string(), Pass),
                ("phi-bucket".to_string(), Fail),
            ]
        );
        // A type the settings do not mention, or settings that could not be read: unknown.
        if let Fact::Known(m) = &mut region(&mut s).opt_in {
            m.remove("S3");
        }
        assert_eq!(by_id(&s, COVERED)[3].1, Error);
        region(&mut s).opt_in = denied("backup:DescribeRegionSettings");
        assert_eq!(statuses(&s, COVERED), vec![Error; 4]);
    }

    #[test]
    fn uncovered_phi_resources_fail() {
        let mut s = snapshot_with(vec![]);
        selection(&mut s).tags = vec![];
        assert_eq!(statuses(&s, COVERED), vec![Fail; 4]);

        selection(&mut s).resources = vec!["arn:aws:dynamodb:*:*:table/*".into()];
        assert_eq!(
            by_id(&s, COVERED),
            vec![
                ("patients".to_string(), Pass),
                ("fs-1".to_string(), Fail),
                ("ehr".to_string(), Fail),
                ("phi-bucket".to_string(), Fail),
            ]
        );

        let mut s = snapshot_with(vec![]);
        selection(&mut s).not_resources = vec![arn("rds", "db:*")];
        assert_eq!(by_id(&s, COVERED)[2], ("ehr".to_string(), Fail));

        let mut s = snapshot_with(vec![]);
        rule(&mut s).schedule = None;
        let o = &outcomes(&s, COVERED)[0];
        assert_eq!(o.status, Fail);
        assert!(o.message.contains("no scheduled rule"), "{}", o.message);

        // A plan in another region does not protect us-east-1 resources.
        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = Fact::Known(vec![]);
        let west = backup_region("us-west-2");
        let mut west = west;
        west.dynamodb_tables = Fact::Known(vec![]);
        west.rds_instances = Fact::Known(vec![]);
        west.efs_file_systems = Fact::Known(vec![]);
        known(&mut s.backup).push(west);
        assert_eq!(statuses(&s, COVERED), vec![Fail; 4]);
    }

    #[test]
    fn unknown_selections_or_plans_are_errors() {
        let mut s = snapshot_with(vec![]);
        plan(&mut s).selections = denied("backup:ListBackupSelections");
        assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

        let mut s = snapshot_with(vec![]);
        region(&mut s).plans = denied("backup:ListBackupPlans");
        assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

        let mut s = snapshot_with(vec![]);
        plan(&mut s).rules = denied("backup:GetBackupPlan");
        assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

        // A second plan that covers everything decides despite the first one's unknown.
        let mut s = snapshot_with(vec![]);
        let good = plan(&mut s).clone();
        plan(&mut s).selections = denied("backup:ListBackupSelections");
        known(&mut region(&mut s).plans).push(good);
        assert_eq!(statuses(&s, COVERED), vec![Pass; 4]);

        let mut s = snapshot_with(vec![]);
        s.backup = denied("backup:ListBackupPlans");
        assert_eq!(statuses(&s, COVERED), vec![Error]);
    }

    #[test]
    fn unknown_inventory_or_tags_are_errors() {
        let mut s = snapshot_with(vec![]);
        s.inventory = denied("tag:GetResources");
        // The bucket is only known from the inventory; the data stores still get judged.
        assert_eq!(statuses(&s, COVERED), vec![Error, Pass, Pass, Pass]);

        let mut s = snapshot_with(vec![]);
        known(&mut s.inventory)[0].resources = denied("tag:GetResources");
        let o = outcomes(&s, COVERED);
        assert_eq!(o[0].status, Error);
        assert_eq!(o[0].resource.id, format!("{ACCOUNT}/us-east-1"));
        assert_eq!(o.len(), 4);

        // Table tags unreadable, but the inventory lists the table with its tags.
        let mut s = snapshot_with(vec![]);
        table(&mut s).tags = denied("dynamodb:ListTagsOfResource");
        assert_eq!(statuses(&s, COVERED), vec![Pass; 4]);

        // ... and when the inventory does not list it, whether it holds PHI is unknown.
        known(&mut s.inventory)[0].resources = Fact::Known(vec![]);
        let o = outcomes(&s, COVERED);
        let statuses: Vec<Status> = o.iter().map(|o| o.status).collect();
        assert_eq!(statuses, vec![Error, Pass, Pass]);
        assert_eq!(o[0].resource.id, "patients");
    }

    #[test]
    fn only_backup_capable_phi_resources_count() {
        let mut s = snapshot_with(vec![]);
        known(&mut s.inventory)[0].resources = Fact::Known(vec![
            tagged(&arn("ec2", "security-group/sg-1"), "PHI"),
            tagged(&arn("rds", "pg:custom"), "PHI"),
            tagged(&arn("dynamodb", "table/patients/stream/2026"), "PHI"),
            tagged(&arn("ec2", "volume/vol-1"), "PHI"),
            tagged(&arn("fsx", "file-system/fs-9"), "PHI"),
            tagged(&arn("ec2", "volume/vol-2"), "Public"),
        ]);
        let ids: Vec<String> = by_id(&s, COVERED).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, vec!["patients", "vol-1", "fs-1", "fs-9", "ehr"]);
    }

    #[test]
    fn aurora_instances_are_left_to_their_cluster() {
        let mut s = snapshot_with(vec![]);
        rds(&mut s).engine = "aurora-postgresql".into();
        selection(&mut s).tags = vec![];
        selection(&mut s).resources = vec![arn("rds", "cluster:*")];
        known(&mut s.inventory)[0].resources = Fact::Known(vec![
            tagged(&arn("rds", "db:ehr"), "PHI"),
            tagged(&arn("rds", "cluster:ehr"), "PHI"),
        ]);
        assert_eq!(
            by_id(&s, COVERED),
            vec![
                ("patients".to_string(), Fail),
                ("fs-1".to_string(), Fail),
                ("ehr".to_string(), Pass),
            ]
        );
        let o = &outcomes(&s, COVERED)[2];
        assert_eq!(o.resource.kind, "AwsRdsDbCluster");
    }

    #[test]
    fn no_phi_resources_is_not_applicable() {
        let mut s = snapshot_with(vec![]);
        known(&mut s.inventory)[0].resources = Fact::Known(vec![]);
        table(&mut s).tags = Fact::Known(Tags::new());
        rds(&mut s).tags = Tags::new();
        efs(&mut s).tags = Tags::new();
        assert_eq!(statuses(&s, COVERED), vec![NotApplicable]);
    }

    #[test]
    fn bucket_region_comes_from_s3_evidence() {
        let mut b = bucket("phi-bucket");
        b.region = Fact::Known("us-west-2".into());
        let s = snapshot_with(vec![b]);
        // No plan in us-west-2 evidence at all: not collected, so ERROR rather than FAIL.
        let all = outcomes(&s, COVERED);
        let Some(o) = all.iter().find(|o| o.resource.id == "phi-bucket") else {
            panic!("no finding for the bucket: {all:?}")
        };
        assert_eq!(o.status, Error);
        assert_eq!(o.resource.region.as_deref(), Some("us-west-2"));
    }

    // --- data stores ----------------------------------------------------------------------

    #[test]
    fn dynamodb_pitr() {
        let id = "backup.dynamodb_pitr";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.kind, "AwsDynamoDbTable");
        assert_eq!(o.resource.phi, Some(true));
        let mut s = snapshot_with(vec![]);
        table(&mut s).pitr = Fact::Known(false);
        only(&s, id, Fail);
        let mut s = snapshot_with(vec![]);
        table(&mut s).pitr = denied("dynamodb:DescribeContinuousBackups");
        only(&s, id, Error);
        let mut s = snapshot_with(vec![]);
        region(&mut s).dynamodb_tables = denied("dynamodb:ListTables");
        only(&s, id, Error);
        let mut s = snapshot_with(vec![]);
        region(&mut s).dynamodb_tables = Fact::Known(vec![]);
        only(&s, id, NotApplicable);
    }

    #[test]
    fn rds_retention() {
        let id = "backup.rds_retention";
        assert!(only(&snapshot_with(vec![]), id, Pass)
            .message
            .contains("14 days"));
        let mut s = snapshot_with(vec![]);
        rds(&mut s).backup_retention_days = 0;
        assert!(only(&s, id, Fail).message.contains("off"));
        rds(&mut s).backup_retention_days = 3;
        assert!(only(&s, id, Fail).message.contains("fewer than 7"));
        rds(&mut s).backup_retention_days = 7;
        only(&s, id, Pass);
        let mut scope = Scope::default();
        scope.thresholds.rds_backup_retention_min_days = 30;
        assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
        let mut s = snapshot_with(vec![]);
        region(&mut s).rds_instances = denied("rds:DescribeDBInstances");
        only(&s, id, Error);
    }

    #[test]
    fn efs_backup_policy() {
        let id = "backup.efs_backup_policy";
        only(&snapshot_with(vec![]), id, Pass);
        let mut s = snapshot_with(vec![]);
        efs(&mut s).backup_enabled = Fact::Known(false);
        only(&s, id, Fail);
        let mut s = snapshot_with(vec![]);
        efs(&mut s).backup_enabled = denied("elasticfilesystem:DescribeBackupPolicy");
        only(&s, id, Error);
        let mut s = snapshot_with(vec![]);
        region(&mut s).efs_file_systems = denied("elasticfilesystem:DescribeFileSystems");
        only(&s, id, Error);
    }

    #[test]
    fn rds_storage_encrypted() {
        let id = "rds.storage_encrypted";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.kind, "AwsRdsDbInstance");
        let mut s = snapshot_with(vec![]);
        rds(&mut s).storage_encrypted = false;
        only(&s, id, Fail);
        let mut s = snapshot_with(vec![]);
        region(&mut s).rds_instances = denied("rds:DescribeDBInstances");
        only(&s, id, Error);
        let mut s = snapshot_with(vec![]);
        region(&mut s).rds_instances = Fact::Known(vec![]);
        only(&s, id, NotApplicable);
    }

    #[test]
    fn efs_encrypted() {
        let id = "efs.encrypted";
        let o = only(&snapshot_with(vec![]), id, Pass);
        assert_eq!(o.resource.kind, "AwsEfsFileSystem");
        let mut s = snapshot_with(vec![]);
        efs(&mut s).encrypted = false;
        only(&s, id, Fail);
        let mut s = snapshot_with(vec![]);
        region(&mut s).efs_file_systems = denied("elasticfilesystem:DescribeFileSystems");
        only(&s, id, Error);
    }

    #[test]
    fn phi_only_scope_leaves_untagged_stores_out() {
        let mut s = snapshot_with(vec![]);
        rds(&mut s).tags = Tags::new();
        let o = only(&s, "rds.storage_encrypted", Pass);
        assert_eq!(o.phi, super::super::PhiMark::NotTagged);
    }
}

#[cfg(test)]
mod s3_versioning_tests {
    use super::super::testkit::*;
    use crate::evidence::s3::Versioning;
    use crate::vocabulary::Status::*;
    use crate::Fact;

    #[test]
    fn a_selected_bucket_without_versioning_is_not_covered() {
        let id = "backup.phi_resources_covered";
        let status_of = |v: Fact<Versioning>| {
            let mut b = bucket("phi-bucket");
            b.versioning = v;
            let s = snapshot_with(vec![b]);
            let rules = super::super::builtin();
            let rule = rules.iter().find(|r| r.id == id).unwrap();
            let ctx = super::super::Context {
                snapshot: &s,
                scope: &crate::Scope::default(),
                now: now(),
            };
            (rule.f)(&ctx)
                .into_iter()
                .find(|o| o.resource.arn == "arn:aws:s3:::phi-bucket")
                .map(|o| o.status)
        };
        assert_eq!(status_of(Fact::Known(Versioning::Enabled)), Some(Pass));
        assert_eq!(status_of(Fact::Known(Versioning::Suspended)), Some(Fail));
        assert_eq!(status_of(denied("s3:GetBucketVersioning")), Some(Error));
    }
}
