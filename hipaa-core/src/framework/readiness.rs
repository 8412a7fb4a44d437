//! What a revised rule would change for this account, requirement by requirement, computed
//! from the same findings: which failures an addressable reading covers today and a required
//! one would not, what is new, and what only an attestation can show.
//!
//! The computation is deliberately narrow. A finding counts towards "would fail" only when its
//! control gives evidence for a baseline (2013) specification that is addressable today, that
//! the requirement takes over (`previously`), and the finding is FAIL or WAIVED today: under the
//! addressable reading a documented alternative (or the waiver) may cover it; under a required
//! specification it would not. Nothing PASS today is ever counted as failing.

use super::Framework;
use crate::registry::Requirement;
use crate::report::{CitationSummary, Finding};
use crate::vocabulary::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One requirement of a revised rule and what it would change here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementChange {
    /// The proposed citation.
    pub citation: String,
    /// Its title.
    pub title: String,
    /// What the framework file says changed from the baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<String>,
    /// The baseline citations it takes over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previously: Vec<String>,
    /// Those of them that are addressable today and would be required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub now_required: Vec<String>,
    /// Its status in this report (worst finding, or MANUAL when only an attestation answers).
    pub status: Option<Status>,
    /// Resources that FAIL one of its controls today.
    pub failing: usize,
    /// Resources that FAIL or are WAIVED today on a control for an addressable baseline
    /// specification this requirement makes required.
    pub would_fail: usize,
    /// Of `would_fail`, those WAIVED today.
    pub waived: usize,
    /// Resources whose evidence could not be read (ERROR).
    pub unknown: usize,
    /// Only an attestation can answer it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attestation_only: bool,
    /// Evidence beyond findings it asks for (the report's network map, the asset inventory).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<super::Artifact>,
    /// One sentence with the facts.
    pub summary: String,
}

fn resources<'a>(list: impl Iterator<Item = &'a &'a Finding>) -> usize {
    list.map(|f| f.resource.arn.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Every requirement of `framework` with what it would change, given the report's findings
/// (grouped by `framework`) and its `by_citation`; `baseline` is the rule in force.
pub fn changes(
    framework: &Framework,
    baseline: &Framework,
    findings: &[Finding],
    by_citation: &[CitationSummary],
) -> Vec<RequirementChange> {
    framework
        .requirements()
        .iter()
        .map(|req| {
            let mine: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.citations.contains(&req.citation))
                .collect();
            let now_required: Vec<String> = if req.requirement == Requirement::Required {
                req.previously
                    .iter()
                    .filter(|p| {
                        baseline
                            .registry()
                            .get(p)
                            .is_some_and(|s| s.requirement == Requirement::Addressable)
                    })
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            let covered_today = |f: &&&Finding| {
                matches!(f.status, Status::Fail | Status::Waived)
                    && baseline
                        .mapped_citations(&f.control_id)
                        .iter()
                        .any(|c| now_required.contains(c))
            };
            let failing = resources(mine.iter().filter(|f| f.status == Status::Fail));
            let would_fail = resources(mine.iter().filter(covered_today));
            let waived = resources(
                mine.iter()
                    .filter(covered_today)
                    .filter(|f| f.status == Status::Waived),
            );
            let unknown = resources(mine.iter().filter(|f| f.status == Status::Error));
            let status = by_citation
                .iter()
                .find(|c| c.citation == req.citation)
                .and_then(|c| c.status);
            let summary = sentence(
                req,
                &now_required,
                status,
                Counted {
                    failing,
                    would_fail,
                    waived,
                    unknown,
                },
                mine.is_empty(),
            );
            RequirementChange {
                citation: req.citation.clone(),
                title: req.title.clone(),
                changes: req.changes.clone(),
                previously: req.previously.clone(),
                now_required,
                status,
                failing,
                would_fail,
                waived,
                unknown,
                attestation_only: req.attestation_only,
                artifacts: req.artifacts.clone(),
                summary,
            }
        })
        .collect()
}

fn count(n: usize) -> String {
    match n {
        0 => "no resource fails".into(),
        1 => "1 resource fails".into(),
        n => format!("{n} resources fail"),
    }
}

fn sentence(
    req: &crate::registry::Spec,
    now_required: &[String],
    status: Option<Status>,
    n: Counted,
    no_findings: bool,
) -> String {
    let lead = if !now_required.is_empty() {
        format!(
            "now required (addressable today: {})",
            now_required.join(", ")
        )
    } else if req.previously.is_empty() {
        "new requirement".to_string()
    } else {
        format!("carried over from {}", req.previously.join(", "))
    };
    if req.attestation_only || no_findings {
        let why = req
            .manual_reason
            .clone()
            .unwrap_or_else(|| "no control gives AWS evidence for it".into());
        return format!("{lead}; needs an attestation: {why}");
    }
    let mut o = format!("{lead}; {} its controls today", count(n.failing));
    if n.would_fail > 0 {
        let waived = if n.waived > 0 {
            format!(" ({} waived today)", n.waived)
        } else {
            String::new()
        };
        o.push_str(&format!(
            "; {} failing or waived under the addressable reading today would fail without the option of a documented alternative{waived}",
            plural(n.would_fail, "resource", "resources")
        ));
    } else if n.failing == 0 && status == Some(Status::Manual) && req.manual_reason.is_none() {
        o.push_str("; no AWS evidence decides it, so it needs an attestation as today");
    }
    if let Some(why) = &req.manual_reason {
        o.push_str(&format!(
            "; besides its controls it needs an attestation: {why}"
        ));
    }
    if n.unknown > 0 {
        o.push_str(&format!(
            "; {} could not be read, so this is incomplete",
            plural(n.unknown, "resource", "resources")
        ));
    }
    o
}

/// Resource counts behind one requirement's sentence.
#[derive(Clone, Copy)]
struct Counted {
    failing: usize,
    would_fail: usize,
    waived: usize,
    unknown: usize,
}
