//! What every rule test shares: a fully compliant snapshot (each service's `tests::fixture()`),
//! fixed time, failed-read builders and ways to run one rule.
//!
//! Builders for one service's evidence live in that service's `tests.rs`.

use crate::evidence::account::{AccountRegion, RegionOptIn};
use crate::evidence::{Fact, Provenance, ReadLog, Regional, Snapshot, Unknown, UnknownReason};
use crate::rules::{builtin, Context, Outcome};
use crate::scope::Scope;
use crate::services::s3::evidence::Bucket;
use crate::vocabulary::Status;
use chrono::{TimeZone, Utc};

pub use crate::services::s3::tests::bucket;

pub const ACCOUNT: &str = "111122223333";
pub const MANAGEMENT: &str = "999988887777";

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn days_ago(d: i64) -> Option<chrono::DateTime<Utc>> {
    Some(now() - chrono::Duration::days(d))
}

pub fn denied<T>(op: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::AccessDenied,
        op,
        "AccessDenied: not authorized",
    ))
}

/// The value of a known fact, for tests that change part of it.
pub fn known<T>(f: &mut Fact<T>) -> &mut T {
    match f {
        Fact::Known(v) => v,
        Fact::Unknown(u) => panic!("unknown in the test snapshot: {u}"),
    }
}

/// One region's entry of a regional section (us-east-1 in the fixture).
pub fn at<'a, T>(section: &'a mut Option<Regional<T>>, region: &str) -> &'a mut T {
    match section.as_mut().and_then(|s| s.get_mut(region)) {
        Some(v) => v,
        None => panic!("the test snapshot has no evidence for `{region}`"),
    }
}

/// A section, for tests that change it.
pub fn sect<T>(section: &mut Option<T>) -> &mut T {
    match section.as_mut() {
        Some(v) => v,
        None => panic!("the test snapshot lacks this section"),
    }
}

pub fn phi_tags() -> crate::evidence::Tags {
    let mut t = crate::evidence::Tags::new();
    t.insert("DataClass".into(), "PHI".into());
    t
}

/// The compliant snapshot of one account in us-east-1, with these buckets.
pub fn snapshot_with(buckets: Vec<Bucket>) -> Snapshot {
    let mut services = crate::services::fixture();
    if let Some(s3) = services.s3.as_mut() {
        s3.buckets = Fact::Known(buckets);
    }
    Snapshot {
        schema_version: crate::evidence::SNAPSHOT_SCHEMA_VERSION,
        taken_at: now(),
        provenance: Provenance::Synthetic {
            label: "test".into(),
        },
        partition: "aws".into(),
        account: Fact::Known(ACCOUNT.into()),
        regions: vec!["us-east-1".into()],
        account_regions: Fact::Known(account_regions()),
        services,
        reads: ReadLog::default(),
    }
}

/// A regional section with one region's entry.
pub fn one_region<T>(region: &str, v: T) -> Option<Regional<T>> {
    Some([(region.to_string(), v)].into_iter().collect())
}

/// us-east-1 enabled (and scanned), ap-east-1 not opted in.
pub fn account_regions() -> Vec<AccountRegion> {
    [
        ("us-east-1", RegionOptIn::NotRequired),
        ("ap-east-1", RegionOptIn::NotOptedIn),
    ]
    .into_iter()
    .map(|(name, opt_in)| AccountRegion {
        name: name.into(),
        opt_in,
    })
    .collect()
}

/// Statuses a rule gives on a snapshot, with the default scope.
pub fn statuses(s: &Snapshot, id: &str) -> Vec<Status> {
    statuses_in(s, id, &Scope::default())
}

pub fn statuses_in(s: &Snapshot, id: &str, scope: &Scope) -> Vec<Status> {
    outcomes_in(s, id, scope)
        .into_iter()
        .map(|o| o.status)
        .collect()
}

/// A rule's outcomes with the default scope.
pub fn outcomes(s: &Snapshot, id: &str) -> Vec<Outcome> {
    outcomes_in(s, id, &Scope::default())
}

/// A rule's outcomes (status, message, PHI mark) before the engine applies the scope.
pub fn outcomes_in(s: &Snapshot, id: &str, scope: &Scope) -> Vec<Outcome> {
    let rules = builtin();
    let Some(rule) = rules.iter().find(|r| r.id == id) else {
        panic!("no rule `{id}`")
    };
    let ctx = Context {
        snapshot: s,
        scope,
        now: now(),
    };
    (rule.f)(&ctx)
}

/// The compliant environment with no buckets, which a test breaks one fact of.
pub fn base() -> Snapshot {
    snapshot_with(vec![])
}

/// Every outcome of `id` under the default scope, as status and message.
pub fn messages(s: &Snapshot, id: &str) -> Vec<(Status, String)> {
    outcomes_in(s, id, &Scope::default())
        .into_iter()
        .map(|o| (o.status, o.message))
        .collect()
}

/// The single outcome of a rule, checked to have `status`.
pub fn only(s: &Snapshot, id: &str, status: Status) -> Outcome {
    let mut v = outcomes(s, id);
    assert_eq!(v.len(), 1, "{id}: {v:?}");
    let o = v.remove(0);
    assert_eq!(o.status, status, "{id}: {}", o.message);
    o
}

/// The single status and message of a rule.
pub fn only_message(s: &Snapshot, id: &str) -> (Status, String) {
    let o = outcomes(s, id);
    assert_eq!(o.len(), 1, "{id}: {o:?}");
    (o[0].status, o[0].message.clone())
}

/// Statuses by resource id, for rules that judge several resources.
pub fn by_id(s: &Snapshot, id: &str) -> Vec<(String, Status)> {
    outcomes(s, id)
        .into_iter()
        .map(|o| (o.resource.id, o.status))
        .collect()
}
