//! Organization scans, the pure part: each account's results kept small once its snapshot is
//! evaluated (its findings, read counts and [`Posture`]), the organization-wide controls judged
//! once over every account, one report for the organization, reports of disjoint account sets
//! merged, and the account list split into shards.
//!
//! The AWS side (discovering the accounts, assuming the role in each, streaming the scans) is
//! `hipaa_aws::scan_organization`; everything it decides is decided here.

mod assemble;
mod merge;
mod posture;
mod shard;
mod summary;
#[cfg(test)]
mod tests;

pub(crate) use assemble::organization_resource;
pub use merge::{framework_of, merge, merge_owned, Prefer};
pub use posture::{Judgement, Posture};
pub use shard::Shard;
pub use summary::{AccountSummary, BaaState, OuSummary};

use crate::evidence::{ReadFailure, ReadLog, Unknown, UnknownReason};
use crate::report::Finding;
use crate::scope::Scope;
use crate::services::org::evidence::OrganizationView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an organization report says about the organization and about every account in it,
/// enough to judge the organization controls again when reports are merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSection {
    /// How the accounts were found.
    pub discovery: Discovery,
    /// AWS partition.
    pub partition: String,
    /// The account whose credentials ran the scan (management or delegated administrator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// The role assumed in every other account.
    pub role_name: String,
    /// The organization as the caller sees it (unknown when accounts were named instead).
    pub view: OrganizationView,
    /// When the view was read.
    pub view_taken_at: DateTime<Utc>,
    /// The reads the view took (AWS Organizations).
    pub view_reads: ReadLog,
    /// Every account of the organization (or every named account), in id order.
    pub accounts: Vec<AccountEntry>,
    /// The shards (`I/N`) this report covers; empty for a whole scan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<String>,
}

/// How an organization scan found its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discovery {
    /// AWS Organizations `ListAccounts` and the OU tree (`--organization`).
    Organization,
    /// Accounts named by the caller (`--accounts`), without AWS Organizations.
    Named,
}

/// One account of the organization and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountEntry {
    /// Account id.
    pub id: String,
    /// Its name in AWS Organizations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its status in AWS Organizations (`ACTIVE`, `SUSPENDED`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The OUs above it, nearest first, ending with the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<String>,
    /// Scanned, unreachable, or not scanned and why.
    pub scan: AccountScan,
}

/// What happened to one account in an organization scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccountScan {
    /// Read and evaluated: its findings are in the report.
    Scanned {
        /// When its evidence was collected.
        taken_at: DateTime<Utc>,
        /// `caller credentials`, or the ARN of the role assumed.
        via: String,
        /// Regions asked for.
        regions: Vec<String>,
        /// API reads attempted.
        reads_attempted: u64,
        /// The reads that failed.
        failed_reads: Vec<ReadFailure>,
        /// What the organization controls need to know about it.
        posture: Box<Posture>,
        /// Its network map, when the framework asks for one (the snapshot is gone by merge time).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        network_map: Option<Box<crate::network_map::NetworkMap>>,
    },
    /// The role could not be assumed, so nothing could be read: its findings are ERROR.
    Unreachable {
        /// When it was tried.
        taken_at: DateTime<Utc>,
        /// The role's ARN.
        role_arn: String,
        /// Why the role could not be assumed.
        reason: UnknownReason,
        /// STS's own words.
        detail: String,
    },
    /// Not scanned.
    NotScanned {
        /// Why.
        why: NotScanned,
    },
}

/// Why an account was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotScanned {
    /// Suspended or closed (only ACTIVE accounts can be scanned).
    Inactive,
    /// Left out by the scope file's `[organization]` include/exclude lists.
    Excluded,
    /// Not under the OUs the scan was limited to.
    OutsideOus,
    /// Another shard's (`--shard`): its results come from that shard's report.
    OtherShard,
}

impl NotScanned {
    /// A phrase for reports.
    pub fn describe(self) -> &'static str {
        match self {
            NotScanned::Inactive => "not scanned: the account is not ACTIVE",
            NotScanned::Excluded => "not scanned: excluded by the scope file",
            NotScanned::OutsideOus => "not scanned: outside the OUs the scan was limited to",
            NotScanned::OtherShard => "not scanned here: another shard's account",
        }
    }

    /// Whether the organization controls judge the account all the same (its state unknown).
    /// Excluded accounts are out of scope; inactive ones run nothing.
    pub fn in_scope(self) -> bool {
        matches!(self, NotScanned::OtherShard)
    }
}

impl AccountEntry {
    /// A phrase naming the account: `name (id)` or the id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.is_empty() => format!("{n} ({})", self.id),
            _ => self.id.clone(),
        }
    }

    /// Whether this report holds the account's results (scanned, or tried and unreachable).
    pub fn attempted(&self) -> bool {
        matches!(
            self.scan,
            AccountScan::Scanned { .. } | AccountScan::Unreachable { .. }
        )
    }

    /// Whether the organization controls judge this account.
    pub fn in_scope(&self) -> bool {
        match &self.scan {
            AccountScan::NotScanned { why } => why.in_scope(),
            _ => true,
        }
    }

    /// The posture the organization controls read: the account's own, or every fact unknown
    /// with the reason it could not be read.
    pub fn posture(&self) -> std::borrow::Cow<'_, Posture> {
        match &self.scan {
            AccountScan::Scanned { posture, .. } => std::borrow::Cow::Borrowed(&**posture),
            AccountScan::Unreachable {
                role_arn,
                reason,
                detail,
                ..
            } => std::borrow::Cow::Owned(Posture::unreadable(&Unknown::new(
                *reason,
                "sts:AssumeRole",
                format!("role `{role_arn}` could not be assumed: {detail}"),
            ))),
            AccountScan::NotScanned { why } => {
                std::borrow::Cow::Owned(Posture::unreadable(&Unknown::new(
                    UnknownReason::NotCollected,
                    "organization scan",
                    why.describe(),
                )))
            }
        }
    }

    /// API reads attempted for this account.
    pub fn reads_attempted(&self) -> u64 {
        match &self.scan {
            AccountScan::Scanned {
                reads_attempted, ..
            } => *reads_attempted,
            AccountScan::Unreachable { .. } => 1,
            AccountScan::NotScanned { .. } => 0,
        }
    }

    /// The reads that failed for this account, each naming it.
    pub fn failed_reads(&self) -> Vec<ReadFailure> {
        match &self.scan {
            AccountScan::Scanned { failed_reads, .. } => failed_reads.clone(),
            AccountScan::Unreachable {
                role_arn,
                reason,
                detail,
                ..
            } => vec![ReadFailure {
                operation: "sts:AssumeRole".into(),
                resource: role_arn.clone(),
                reason: *reason,
                detail: detail.clone(),
                account: Some(self.id.clone()),
            }],
            AccountScan::NotScanned { .. } => Vec::new(),
        }
    }

    /// When its evidence was read, for accounts this report scanned or tried.
    pub fn taken_at(&self) -> Option<DateTime<Utc>> {
        match &self.scan {
            AccountScan::Scanned { taken_at, .. } | AccountScan::Unreachable { taken_at, .. } => {
                Some(*taken_at)
            }
            AccountScan::NotScanned { .. } => None,
        }
    }
}

/// One account's part of an organization report: its entry and its findings, kept once its
/// snapshot has been evaluated and dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountResult {
    /// The account and what became of it.
    pub entry: AccountEntry,
    /// Its findings (automated controls; each carries the account).
    pub findings: Vec<Finding>,
}

/// Who an account is in the organization, as the scan found it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Member {
    /// Account id.
    pub id: String,
    /// Its name, when AWS Organizations gave one.
    pub name: Option<String>,
    /// Its status, when AWS Organizations gave one.
    pub status: Option<String>,
    /// The OUs above it, nearest first.
    pub parents: Vec<String>,
}

impl Member {
    /// The entry for this account with a scan state.
    pub fn entry(&self, scan: AccountScan) -> AccountEntry {
        AccountEntry {
            id: self.id.clone(),
            name: self.name.clone(),
            status: self.status.clone(),
            parents: self.parents.clone(),
            scan,
        }
    }
}

/// What the organization controls read: the organization, every account's entry, the scope.
pub struct OrgContext<'a> {
    /// The organization section being built.
    pub org: &'a OrganizationSection,
    /// The scope.
    pub scope: &'a Scope,
    /// "Now", fixed for the whole evaluation.
    pub now: DateTime<Utc>,
}

/// Which accounts an organization scan reads, and how, decided from the view, the scope and the
/// options, before any account is touched.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Accounts to scan, in id order.
    pub scan: Vec<Member>,
    /// Every account with the reason it is not scanned.
    pub skipped: Vec<(Member, NotScanned)>,
}

impl Plan {
    /// Choose the accounts: every ACTIVE account the scope admits, under `ous` (scope and
    /// options together) when given, in this shard when sharded; the rest are listed with why.
    pub fn organization(
        view: &OrganizationView,
        scope: &Scope,
        ous: &[String],
        shard: Option<Shard>,
    ) -> Plan {
        let mut limit: Vec<&String> = scope.organization.ous.iter().chain(ous).collect();
        limit.sort();
        limit.dedup();
        let mut accounts: Vec<Member> = view
            .accounts
            .known()
            .map(|list| {
                list.iter()
                    .map(|a| Member {
                        id: a.id.clone(),
                        name: Some(a.name.clone()),
                        status: Some(a.status.clone()),
                        parents: view.parents(&a.id),
                    })
                    .collect()
            })
            .unwrap_or_default();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts.dedup_by(|a, b| a.id == b.id);
        let mut plan = Plan {
            scan: Vec::new(),
            skipped: Vec::new(),
        };
        for m in accounts {
            let active = m
                .status
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"));
            let why = if !active {
                Some(NotScanned::Inactive)
            } else if !scope.organization.admits(&m.id) {
                Some(NotScanned::Excluded)
            } else if !limit.is_empty() && !m.parents.iter().any(|p| limit.contains(&p)) {
                Some(NotScanned::OutsideOus)
            } else if shard.is_some_and(|s| !s.holds(&m.id)) {
                Some(NotScanned::OtherShard)
            } else {
                None
            };
            match why {
                Some(w) => plan.skipped.push((m, w)),
                None => plan.scan.push(m),
            }
        }
        plan
    }

    /// Named accounts (`--accounts`), without AWS Organizations: the scope's include/exclude
    /// lists and the shard still apply.
    pub fn named(ids: &[String], scope: &Scope, shard: Option<Shard>) -> Plan {
        let mut ids: Vec<&String> = ids.iter().collect();
        ids.sort();
        ids.dedup();
        let mut plan = Plan {
            scan: Vec::new(),
            skipped: Vec::new(),
        };
        for id in ids {
            let m = Member {
                id: id.clone(),
                name: scope.account(id).and_then(|a| a.name.clone()),
                ..Member::default()
            };
            if !scope.organization.admits(id) {
                plan.skipped.push((m, NotScanned::Excluded));
            } else if shard.is_some_and(|s| !s.holds(id)) {
                plan.skipped.push((m, NotScanned::OtherShard));
            } else {
                plan.scan.push(m);
            }
        }
        plan
    }
}

/// Everything about the scan itself an organization report needs besides its accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanFacts {
    /// How the accounts were found.
    pub discovery: Discovery,
    /// AWS partition.
    pub partition: String,
    /// The caller's account.
    pub caller: Option<String>,
    /// The role assumed in the other accounts.
    pub role_name: String,
    /// The view (unknown with `--accounts`).
    pub view: OrganizationView,
    /// When the view was read.
    pub view_taken_at: DateTime<Utc>,
    /// The reads the view took.
    pub view_reads: ReadLog,
    /// The shard, when sharded.
    pub shard: Option<Shard>,
    /// What collected the evidence (`aws`, `aws endpoint URL`).
    pub source: String,
}
