use super::Finding;
use crate::evidence::{ReadFailure, ReadLog};
use crate::framework::Framework;
use crate::vocabulary::{Owner, Safeguard, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How many findings have each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// PASS findings.
    #[serde(rename = "PASS")]
    pub pass: usize,
    /// FAIL findings.
    #[serde(rename = "FAIL")]
    pub fail: usize,
    /// ERROR findings.
    #[serde(rename = "ERROR")]
    pub error: usize,
    /// NOT_APPLICABLE findings.
    #[serde(rename = "NOT_APPLICABLE")]
    pub not_applicable: usize,
    /// MANUAL findings.
    #[serde(rename = "MANUAL")]
    pub manual: usize,
    /// INHERITED findings.
    #[serde(rename = "INHERITED")]
    pub inherited: usize,
    /// WAIVED findings.
    #[serde(rename = "WAIVED")]
    pub waived: usize,
    /// All findings.
    pub total: usize,
}

impl Counts {
    /// Count one finding of this status.
    pub fn add(&mut self, s: Status) {
        *self.slot(s) += 1;
        self.total += 1;
    }

    /// Add another set of counts to this one.
    pub fn absorb(&mut self, other: &Counts) {
        for s in Status::ALL {
            *self.slot(s) += other.get(s);
        }
        self.total += other.total;
    }

    /// The count for one status.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Error => self.error,
            Status::NotApplicable => self.not_applicable,
            Status::Manual => self.manual,
            Status::Inherited => self.inherited,
            Status::Waived => self.waived,
        }
    }

    fn slot(&mut self, s: Status) -> &mut usize {
        match s {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Error => &mut self.error,
            Status::NotApplicable => &mut self.not_applicable,
            Status::Manual => &mut self.manual,
            Status::Inherited => &mut self.inherited,
            Status::Waived => &mut self.waived,
        }
    }

    /// The worst status present (FAIL > ERROR > MANUAL > WAIVED > PASS > INHERITED > NOT_APPLICABLE).
    pub fn worst(&self) -> Option<Status> {
        Status::ALL.into_iter().find(|s| self.get(*s) > 0)
    }

    /// Share of decided automated findings that pass: PASS / (PASS + FAIL + ERROR).
    pub fn pass_rate(&self) -> Option<f64> {
        let denom = self.pass + self.fail + self.error;
        (denom > 0).then(|| self.pass as f64 / denom as f64)
    }
}

/// One Security Rule spec and how the findings citing it came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitationSummary {
    /// Citation.
    pub citation: String,
    /// Title.
    pub title: String,
    /// Safeguard family.
    pub safeguard: Safeguard,
    /// Shared-responsibility owner.
    pub owner: Owner,
    /// Worst status among its findings; `None` when no control answers it. A requirement no
    /// finding answers but the framework marks as needing an attestation is MANUAL.
    pub status: Option<Status>,
    /// Counts of its findings.
    pub counts: Counts,
    /// Why it needs an attestation besides (or instead of) its controls (the framework's
    /// `manual_reason`); its status is then never better than MANUAL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How much of the evidence could actually be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// API reads attempted.
    pub reads_attempted: u64,
    /// API reads that failed.
    pub reads_failed: u64,
    /// Share of reads that succeeded (1.0 when none were made).
    pub read_success_ratio: f64,
    /// Findings that are ERROR.
    pub error_findings: usize,
    /// True when no read failed and no finding is ERROR.
    pub complete: bool,
    /// The failed reads.
    pub failed_reads: Vec<ReadFailure>,
}

/// Every roll-up of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// All findings.
    pub totals: Counts,
    /// Distinct controls by their worst status.
    pub controls: Counts,
    /// By severity.
    pub by_severity: BTreeMap<String, Counts>,
    /// By safeguard family.
    pub by_safeguard: BTreeMap<String, Counts>,
    /// By shared-responsibility owner.
    pub by_owner: BTreeMap<String, Counts>,
    /// By category.
    pub by_category: BTreeMap<String, Counts>,
    /// By citation, for every requirement of the report's framework (its order).
    pub by_citation: Vec<CitationSummary>,
    /// Read failures and ERROR findings.
    pub completeness: Completeness,
    /// In an organization report: each account's totals, completeness and BAA state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_account: Vec<crate::organization::AccountSummary>,
    /// In an organization report: each root and OU with the accounts beneath it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_ou: Vec<crate::organization::OuSummary>,
}

/// The worse of two statuses (FAIL > ERROR > MANUAL > WAIVED > PASS > INHERITED > N/A).
fn worse(a: Status, b: Status) -> Status {
    let rank = |s: Status| {
        Status::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(usize::MAX)
    };
    if rank(a) <= rank(b) {
        a
    } else {
        b
    }
}

/// The framework-dependent roll-ups: by safeguard and by citation.
fn grouped(
    framework: &Framework,
    findings: &[Finding],
) -> (BTreeMap<String, Counts>, Vec<CitationSummary>) {
    let registry = framework.registry();
    let mut by_safeguard: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_cit: BTreeMap<&str, Counts> = BTreeMap::new();
    for f in findings {
        let mut safeguards = BTreeSet::new();
        for c in f.citations.iter() {
            by_cit.entry(c).or_default().add(f.status);
            if let Some(spec) = registry.get(c) {
                safeguards.insert(spec.safeguard);
            }
        }
        for s in safeguards {
            by_safeguard
                .entry(s.name().into())
                .or_default()
                .add(f.status);
        }
    }
    let by_citation = registry
        .specs()
        .iter()
        .map(|s| {
            let counts = by_cit.get(s.citation.as_str()).copied().unwrap_or_default();
            // A requirement that needs an attestation besides (or instead of) its controls is
            // never better than MANUAL: a PASS of its controls shows only part of it.
            let (status, note) = match (counts.worst(), &s.manual_reason) {
                (w, Some(why)) => (
                    Some(w.map_or(Status::Manual, |w| worse(w, Status::Manual))),
                    Some(why.clone()),
                ),
                (w, None) => (w, None),
            };
            CitationSummary {
                citation: s.citation.clone(),
                title: s.title.clone(),
                safeguard: s.safeguard,
                owner: s.owner,
                status,
                counts,
                note,
            }
        })
        .collect();
    (by_safeguard, by_citation)
}

impl Summary {
    /// Group the same findings by another framework: only `by_safeguard` and `by_citation` change.
    pub(crate) fn regroup(&mut self, framework: &Framework, findings: &[Finding]) {
        let (by_safeguard, by_citation) = grouped(framework, findings);
        self.by_safeguard = by_safeguard;
        self.by_citation = by_citation;
    }

    pub(crate) fn build(framework: &Framework, findings: &[Finding], reads: &ReadLog) -> Summary {
        Summary::build_from(
            framework,
            findings,
            reads.attempted(),
            reads.failures.clone(),
        )
    }

    /// The roll-ups of `findings`, with `attempted` reads of which `failures` failed.
    pub(crate) fn build_from(
        framework: &Framework,
        findings: &[Finding],
        attempted: u64,
        failures: Vec<ReadFailure>,
    ) -> Summary {
        let mut totals = Counts::default();
        let mut by_severity: BTreeMap<String, Counts> = BTreeMap::new();
        let mut by_owner: BTreeMap<String, Counts> = BTreeMap::new();
        let mut by_category: BTreeMap<String, Counts> = BTreeMap::new();
        let mut per_control: BTreeMap<&str, Counts> = BTreeMap::new();
        for f in findings {
            totals.add(f.status);
            by_severity
                .entry(f.severity.name().into())
                .or_default()
                .add(f.status);
            by_owner
                .entry(f.owner.name().into())
                .or_default()
                .add(f.status);
            by_category
                .entry(f.category.name().into())
                .or_default()
                .add(f.status);
            per_control.entry(&f.control_id).or_default().add(f.status);
        }
        let mut controls = Counts::default();
        for c in per_control.values() {
            if let Some(w) = c.worst() {
                controls.add(w);
            }
        }
        let (by_safeguard, by_citation) = grouped(framework, findings);
        let failed = failures.len() as u64;
        let ratio = if attempted == 0 {
            1.0
        } else {
            (attempted.saturating_sub(failed)) as f64 / attempted as f64
        };
        Summary {
            totals,
            controls,
            by_severity,
            by_safeguard,
            by_owner,
            by_category,
            by_citation,
            completeness: Completeness {
                reads_attempted: attempted,
                reads_failed: failed,
                read_success_ratio: ratio,
                error_findings: totals.error,
                complete: failed == 0 && totals.error == 0,
                failed_reads: failures,
            },
            by_account: Vec::new(),
            by_ou: Vec::new(),
        }
    }
}
