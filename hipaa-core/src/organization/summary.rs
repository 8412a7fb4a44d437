//! The organization report's roll-ups: one line per account and one per root or OU.

use super::{AccountEntry, AccountScan, OrganizationSection};
use crate::evidence::Fact;
use crate::report::{Counts, Finding};
use crate::vocabulary::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One account's line in an organization report's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// Account id.
    pub account: String,
    /// Its name in AWS Organizations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The root or OU it sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
    /// Its status in AWS Organizations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `scanned`, `unreachable`, `inactive`, `excluded`, `outside_ous` or `other_shard`.
    pub state: String,
    /// Its findings by status.
    pub totals: Counts,
    /// Scanned, no read failed and no finding is ERROR.
    pub complete: bool,
    /// API reads attempted in it.
    pub reads_attempted: u64,
    /// API reads that failed in it.
    pub reads_failed: u64,
    /// Whether a BAA covers it.
    pub baa: BaaState,
    /// Whether PHI-tagged resources were found in it (unknown: `null`).
    #[serde(default)]
    pub holds_phi: Option<bool>,
}

/// Whether a signed BAA covers an account, as the report could establish it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaaState {
    /// An active account or organization BAA, or one the scope file records.
    Covered,
    /// None, and the account may hold ePHI.
    NotCovered,
    /// It could not be read.
    Unknown,
    /// The account holds no ePHI, so none is needed.
    NotApplicable,
}

/// One root or OU with the accounts beneath it (at any depth).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OuSummary {
    /// `r-…` or `ou-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The unit it sits in (none for a root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How deep it is (a root is 0).
    pub depth: usize,
    /// The accounts beneath it, at any depth.
    pub accounts: Vec<String>,
    /// Their findings by status.
    pub totals: Counts,
    /// Every account beneath it is complete.
    pub complete: bool,
}

fn state(e: &AccountEntry) -> &'static str {
    match &e.scan {
        AccountScan::Scanned { .. } => "scanned",
        AccountScan::Unreachable { .. } => "unreachable",
        AccountScan::NotScanned { why } => match why {
            super::NotScanned::Inactive => "inactive",
            super::NotScanned::Excluded => "excluded",
            super::NotScanned::OutsideOus => "outside_ous",
            super::NotScanned::OtherShard => "other_shard",
        },
    }
}

/// The per-account and per-OU lines of an organization report.
pub(crate) fn build(
    org: &OrganizationSection,
    findings: &[Finding],
) -> (Vec<AccountSummary>, Vec<OuSummary>) {
    let mut totals: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut baa: BTreeMap<&str, Status> = BTreeMap::new();
    for f in findings {
        let Some(a) = f.account.as_deref() else {
            continue;
        };
        if f.control_id == "org.baa_covers_phi_accounts" && f.resource.id == a {
            baa.insert(a, f.status);
        }
        // Organization-wide findings are about the organization, not the account they name.
        if f.resource.kind == "AwsOrganization" || f.resource.kind == "AwsOrganizationalUnit" {
            continue;
        }
        totals.entry(a).or_default().add(f.status);
    }
    let accounts: Vec<AccountSummary> = org
        .accounts
        .iter()
        .map(|e| {
            let t = totals.get(e.id.as_str()).copied().unwrap_or_default();
            let failed = e.failed_reads().len() as u64;
            let posture = e.posture();
            let baa_state = match baa.get(e.id.as_str()) {
                Some(Status::Pass) | Some(Status::Waived) => BaaState::Covered,
                Some(Status::Fail) => BaaState::NotCovered,
                Some(Status::Error) => BaaState::Unknown,
                Some(_) => BaaState::NotApplicable,
                // No organization finding: the account holds no ePHI (or the control is off);
                // its own BAA judgement stands.
                None => match posture.baa.status {
                    Status::Pass | Status::Waived => BaaState::Covered,
                    Status::Fail => BaaState::NotCovered,
                    Status::NotApplicable => BaaState::NotApplicable,
                    _ => BaaState::Unknown,
                },
            };
            AccountSummary {
                account: e.id.clone(),
                name: e.name.clone(),
                ou: e.parents.first().cloned(),
                status: e.status.clone(),
                state: state(e).into(),
                totals: t,
                complete: matches!(e.scan, AccountScan::Scanned { .. })
                    && failed == 0
                    && t.error == 0,
                reads_attempted: e.reads_attempted(),
                reads_failed: failed,
                baa: baa_state,
                holds_phi: match &posture.holds_phi {
                    Fact::Known(b) => Some(*b),
                    Fact::Unknown(_) => None,
                },
            }
        })
        .collect();
    let mut ous = Vec::new();
    if let Some(units) = org.view.units.known() {
        let mut children: BTreeMap<Option<&str>, Vec<&crate::services::org::evidence::OrgUnit>> =
            BTreeMap::new();
        for u in units {
            children.entry(u.parent.as_deref()).or_default().push(u);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        }
        // Depth first from the roots; a unit whose parent is not in the tree starts its own.
        let ids: std::collections::BTreeSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
        let mut stack: Vec<(&crate::services::org::evidence::OrgUnit, usize)> = units
            .iter()
            .filter(|u| u.parent.as_deref().is_none_or(|p| !ids.contains(p)))
            .map(|u| (u, 0))
            .collect();
        stack.sort_by(|a, b| (&b.0.name, &b.0.id).cmp(&(&a.0.name, &a.0.id)));
        let mut seen = std::collections::BTreeSet::new();
        while let Some((u, depth)) = stack.pop() {
            if !seen.insert(u.id.as_str()) {
                continue;
            }
            let beneath: Vec<&AccountSummary> = accounts
                .iter()
                .zip(&org.accounts)
                .filter(|(_, e)| e.parents.iter().any(|p| p == &u.id))
                .map(|(s, _)| s)
                .collect();
            let mut t = Counts::default();
            for s in &beneath {
                t.absorb(&s.totals);
            }
            ous.push(OuSummary {
                id: u.id.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
                depth,
                accounts: beneath.iter().map(|s| s.account.clone()).collect(),
                totals: t,
                complete: beneath.iter().all(|s| s.complete),
            });
            if let Some(kids) = children.get(&Some(u.id.as_str())) {
                for k in kids.iter().rev() {
                    stack.push((k, depth + 1));
                }
            }
        }
    }
    (accounts, ous)
}
