//! What the organization controls need to know about one account, read off its snapshot before
//! the snapshot is dropped: a few judgements made by the account's own rules, and whether it
//! holds ePHI.

use crate::evidence::{Fact, Snapshot, Unknown, UnknownReason};
use crate::rules::{builtin, Context, Outcome};
use crate::scope::Scope;
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One account's standing on what the organization controls judge, kept once its snapshot is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posture {
    /// Whether PHI-tagged resources were found (tagged inventory and data stores of every
    /// scanned region); unknown when a listing failed and none was found elsewhere.
    pub holds_phi: Fact<bool>,
    /// The account's own BAA (`baa.account_covered` on this account).
    pub baa: Judgement,
    /// An active organization BAA AWS Artifact shows to this account (its name and effective
    /// date), which covers every member.
    pub organization_baa: Fact<Option<String>>,
    /// A trail records this account in every region (`cloudtrail.enabled`).
    pub cloudtrail: Judgement,
    /// The ARN of a logging organization trail this account owns (it records every member).
    pub organization_trail: Fact<Option<String>>,
    /// GuardDuty in every scanned region (`guardduty.enabled`).
    pub guardduty: Judgement,
    /// Security Hub in every scanned region (`securityhub.enabled`).
    pub securityhub: Judgement,
    /// AWS Config recording in every scanned region (`config.recorder`).
    pub config: Judgement,
}

/// An account rule's result over all its findings: FAIL if any failed, else ERROR if any read
/// failed, else PASS; NOT_APPLICABLE when the rule found nothing to judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgement {
    /// The deciding status.
    pub status: Status,
    /// The messages behind it, region by region.
    pub message: String,
    /// For ERROR: the class of the failed read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<UnknownReason>,
    /// For ERROR: the read that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

impl Judgement {
    /// The judgement of an account that could not be read at all.
    pub fn unknown(u: &Unknown) -> Judgement {
        Judgement {
            status: Status::Error,
            message: u.detail.clone(),
            reason: Some(u.reason),
            operation: Some(u.operation.clone()),
        }
    }

    /// The failed read behind an ERROR judgement.
    pub fn failed_read(&self) -> Unknown {
        Unknown::new(
            self.reason.unwrap_or(UnknownReason::NotCollected),
            self.operation
                .clone()
                .unwrap_or_else(|| "organization scan".into()),
            self.message.clone(),
        )
    }

    /// Fold a rule's outcomes into one judgement.
    pub fn of(outcomes: &[Outcome]) -> Judgement {
        let deciding = [Status::Fail, Status::Error, Status::Pass]
            .into_iter()
            .find(|s| outcomes.iter().any(|o| o.status == *s))
            .unwrap_or(Status::NotApplicable);
        let mut messages: Vec<String> = Vec::new();
        for o in outcomes.iter().filter(|o| o.status == deciding) {
            let m = match &o.resource.region {
                Some(r) => format!("{r}: {}", o.message),
                None => o.message.clone(),
            };
            if !messages.contains(&m) {
                messages.push(m);
            }
        }
        if messages.is_empty() {
            messages.push("nothing to judge".into());
        }
        let failed = outcomes
            .iter()
            .find(|o| o.status == Status::Error)
            .and_then(|o| o.unknown.as_ref())
            .filter(|_| deciding == Status::Error);
        Judgement {
            status: deciding,
            message: messages.join("; "),
            reason: failed.map(|u| u.reason),
            operation: failed.map(|u| u.operation.clone()),
        }
    }
}

impl Posture {
    /// Read the posture off an account's snapshot, judging with the account's own rules (before
    /// any waiver or disabled control: the organization controls need the facts).
    pub fn of(snapshot: &Snapshot, scope: &Scope, now: DateTime<Utc>) -> Posture {
        let ctx = Context {
            snapshot,
            scope,
            now,
        };
        let rules = builtin();
        let run = |id: &str| -> Vec<Outcome> {
            rules
                .iter()
                .find(|r| r.id == id)
                .map(|r| (r.f)(&ctx))
                .unwrap_or_default()
        };
        let own = ctx.account_id();
        let baa: Vec<Outcome> = run("baa.account_covered")
            .into_iter()
            .filter(|o| o.resource.id == own)
            .collect();
        Posture {
            holds_phi: holds_phi(snapshot, scope),
            baa: Judgement::of(&baa),
            organization_baa: organization_baa(snapshot),
            cloudtrail: Judgement::of(&run("cloudtrail.enabled")),
            organization_trail: organization_trail(snapshot),
            guardduty: Judgement::of(&run("guardduty.enabled")),
            securityhub: Judgement::of(&run("securityhub.enabled")),
            config: Judgement::of(&run("config.recorder")),
        }
    }

    /// The posture of an account nothing could be read from.
    pub fn unreadable(u: &Unknown) -> Posture {
        Posture {
            holds_phi: Fact::Unknown(u.clone()),
            baa: Judgement::unknown(u),
            organization_baa: Fact::Unknown(u.clone()),
            cloudtrail: Judgement::unknown(u),
            organization_trail: Fact::Unknown(u.clone()),
            guardduty: Judgement::unknown(u),
            securityhub: Judgement::unknown(u),
            config: Judgement::unknown(u),
        }
    }
}

/// PHI-tagged resources in the tagged inventory or among the data stores any section lists.
fn holds_phi(snapshot: &Snapshot, scope: &Scope) -> Fact<bool> {
    let mut unknown: Option<Unknown> = None;
    match &snapshot.services.scope {
        None => {
            unknown = Some(Unknown::new(
                UnknownReason::NotCollected,
                "snapshot",
                "this snapshot has no tagged-resource inventory",
            ))
        }
        Some(inventory) => {
            for region in snapshot.walk(inventory, "tagged inventory") {
                match region.get(|r| &r.resources) {
                    Ok(list) if list.iter().any(|r| scope.phi.matches(&r.tags)) => {
                        return Fact::Known(true)
                    }
                    Ok(_) => {}
                    Err(u) => {
                        unknown.get_or_insert(u);
                    }
                }
            }
        }
    }
    for (_, listing) in snapshot.services.stores(snapshot) {
        match listing.stores {
            Ok(stores) => {
                for s in stores {
                    match &s.tags {
                        Fact::Known(t) if scope.phi.matches(t) => return Fact::Known(true),
                        Fact::Known(_) => {}
                        Fact::Unknown(u) => {
                            unknown.get_or_insert(u.clone());
                        }
                    }
                }
            }
            Err(u) => {
                unknown.get_or_insert(u);
            }
        }
    }
    match unknown {
        Some(u) => Fact::Unknown(u),
        None => Fact::Known(false),
    }
}

/// An active organization-level BAA in this account's AWS Artifact.
fn organization_baa(snapshot: &Snapshot) -> Fact<Option<String>> {
    let Some(artifact) = &snapshot.services.baa else {
        return crate::evidence::not_collected("AWS Artifact");
    };
    match artifact.agreements.get() {
        Err(u) => Fact::Unknown(u.clone()),
        Ok(list) => Fact::Known(
            list.iter()
                .find(|a| a.is_baa() && a.is_active() && a.organization_arn.is_some())
                .map(|a| {
                    let since = a
                        .effective_start
                        .map(|d| format!(", effective {}", d.date_naive()))
                        .unwrap_or_default();
                    format!(
                        "{} of {}{since}",
                        a.name,
                        a.organization_arn.as_deref().unwrap_or_default()
                    )
                }),
        ),
    }
}

/// An organization trail this account owns that records management events now, from any
/// region's trail list.
fn organization_trail(snapshot: &Snapshot) -> Fact<Option<String>> {
    let Some(section) = &snapshot.services.cloudtrail else {
        return crate::evidence::not_collected("AWS CloudTrail");
    };
    let own = snapshot.account.known();
    let mut unknown: Option<Unknown> = None;
    for region in snapshot.walk(section, "trail") {
        let trails = match region.get(|r| &r.trails) {
            Ok(t) => t,
            Err(u) => {
                unknown.get_or_insert(u);
                continue;
            }
        };
        for t in trails.iter().filter(|t| t.organization) {
            let owned = match (crate::aws::arn::account(&t.arn), own) {
                (Some(a), Some(o)) => a == o,
                _ => true,
            };
            if !owned {
                continue;
            }
            match crate::services::cloudtrail::rules::not_recording(t) {
                Ok(None) => return Fact::Known(Some(t.arn.clone())),
                Ok(Some(_)) => {}
                Err(u) => {
                    unknown.get_or_insert(u);
                }
            }
        }
    }
    match unknown {
        Some(u) => Fact::Unknown(u),
        None => Fact::Known(None),
    }
}
