//! The risk register: assets ranked by impact, each failing or unknown control turned into a
//! risk with likelihood, impact, the citations it threatens and a due date.

use crate::report::{Finding, Report};
use crate::scope::RemediationDays;
use crate::vocabulary::{Category, Severity, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One resource and why it matters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Resource ARN.
    pub arn: String,
    /// Readable name.
    pub name: String,
    /// Resource kind.
    pub kind: String,
    /// Carries the PHI tag.
    pub phi: bool,
    /// A public-exposure control fails on it.
    pub public: bool,
    /// An encryption-at-rest control fails on it.
    pub unencrypted: bool,
    /// Failing findings on it.
    pub failures: usize,
    /// Findings that could not be decided.
    pub unknown: usize,
    /// Impact score 1–5 used to rank the inventory.
    pub impact: u8,
}

/// One risk: a failing or undecidable control on a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// Stable id (`control@resource`).
    pub id: String,
    /// Control id.
    pub control_id: String,
    /// Control title.
    pub title: String,
    /// Resource name.
    pub resource: String,
    /// Resource ARN.
    pub arn: String,
    /// HIPAA citations the risk threatens.
    pub citations: Vec<String>,
    /// FAIL, or ERROR (a risk because nobody can tell).
    pub status: Status,
    /// Control severity.
    pub severity: Severity,
    /// 1–5.
    pub likelihood: u8,
    /// 1–5.
    pub impact: u8,
    /// likelihood × impact (1–25).
    pub score: u8,
    /// Who must act.
    pub owner: String,
    /// Fix by this date.
    pub due: NaiveDate,
    /// What to do.
    pub remediation: String,
}

/// The whole register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskRegister {
    /// The day due dates count from (the report's evaluation date).
    pub as_of: NaiveDate,
    /// Assets, highest impact first.
    pub assets: Vec<Asset>,
    /// Risks, highest score first.
    pub risks: Vec<Risk>,
}

fn impact_of(a: &Asset) -> u8 {
    let mut i: u8 = 2;
    if a.phi {
        i += 2;
    }
    if a.public {
        i += 1;
    }
    if a.unencrypted {
        i += 1;
    }
    if a.kind == "AwsAccount" {
        i = i.max(4);
    }
    i.min(5)
}

fn likelihood_of(f: &Finding) -> u8 {
    if f.status == Status::Error {
        return 3;
    }
    let base: u8 = match f.category {
        Category::PublicExposure => 5,
        Category::IdentityMfa | Category::CredentialHygiene => 4,
        Category::LeastPrivilege | Category::EncryptionInTransit | Category::Network => 3,
        _ => 2,
    };
    match f.severity {
        Severity::Critical => base.max(4),
        Severity::Informational => base.min(2),
        _ => base,
    }
}

impl RiskRegister {
    /// Build the register from a report, with due dates from `days` counted from the evaluation date.
    pub fn from_report(r: &Report, days: &RemediationDays) -> RiskRegister {
        let as_of = r.generated_at.date_naive();
        let mut assets: BTreeMap<&str, Asset> = BTreeMap::new();
        for f in &r.findings {
            let a = assets.entry(&f.resource.arn).or_insert_with(|| Asset {
                arn: f.resource.arn.clone(),
                name: f
                    .resource
                    .name
                    .clone()
                    .unwrap_or_else(|| f.resource.id.clone()),
                kind: f.resource.kind.clone(),
                phi: false,
                public: false,
                unencrypted: false,
                failures: 0,
                unknown: 0,
                impact: 1,
            });
            a.phi |= f.resource.phi == Some(true);
            match f.status {
                Status::Fail => {
                    a.failures += 1;
                    a.public |= f.category == Category::PublicExposure;
                    a.unencrypted |= f.category == Category::EncryptionAtRest;
                }
                Status::Error => a.unknown += 1,
                _ => {}
            }
        }
        let mut assets: Vec<Asset> = assets
            .into_values()
            .map(|mut a| {
                a.impact = impact_of(&a);
                a
            })
            .collect();
        assets.sort_by(|a, b| {
            b.impact
                .cmp(&a.impact)
                .then(b.failures.cmp(&a.failures))
                .then(a.arn.cmp(&b.arn))
        });
        let impact: BTreeMap<&str, u8> =
            assets.iter().map(|a| (a.arn.as_str(), a.impact)).collect();
        let mut risks: Vec<Risk> = r
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Error))
            .map(|f| {
                let likelihood = likelihood_of(f);
                let imp = impact.get(f.resource.arn.as_str()).copied().unwrap_or(3);
                let name = f
                    .resource
                    .name
                    .clone()
                    .unwrap_or_else(|| f.resource.id.clone());
                Risk {
                    id: format!("{}@{}", f.control_id, name),
                    control_id: f.control_id.clone(),
                    title: f.title.to_string(),
                    resource: name,
                    arn: f.resource.arn.clone(),
                    citations: f.citations.to_vec(),
                    status: f.status,
                    severity: f.severity,
                    likelihood,
                    impact: imp,
                    score: likelihood * imp,
                    owner: f.owner.name().to_string(),
                    due: as_of + chrono::Duration::days(i64::from(days.for_severity(f.severity))),
                    remediation: f.remediation.console.clone(),
                }
            })
            .collect();
        risks.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(b.severity.cmp(&a.severity))
                .then(a.id.cmp(&b.id))
        });
        RiskRegister {
            as_of,
            assets,
            risks,
        }
    }

    /// The risks as CSV (one row per risk, the remediation plan).
    pub fn risks_csv(&self) -> String {
        let mut o = String::from("id,control_id,resource,status,severity,likelihood,impact,score,owner,due,citations,title,remediation\r\n");
        for r in &self.risks {
            let cells = [
                r.id.clone(),
                r.control_id.clone(),
                r.resource.clone(),
                r.status.label().into(),
                r.severity.name().into(),
                r.likelihood.to_string(),
                r.impact.to_string(),
                r.score.to_string(),
                r.owner.clone(),
                r.due.to_string(),
                r.citations.join("; "),
                r.title.clone(),
                r.remediation.clone(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| crate::report::csv_field(c)).collect();
            o.push_str(&cells.join(","));
            o.push_str("\r\n");
        }
        o
    }

    /// The asset inventory as CSV, highest impact first.
    pub fn assets_csv(&self) -> String {
        let mut o =
            String::from("arn,name,kind,impact,phi,public,unencrypted,failures,unknown\r\n");
        for a in &self.assets {
            let cells = [
                a.arn.clone(),
                a.name.clone(),
                a.kind.clone(),
                a.impact.to_string(),
                a.phi.to_string(),
                a.public.to_string(),
                a.unencrypted.to_string(),
                a.failures.to_string(),
                a.unknown.to_string(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| crate::report::csv_field(c)).collect();
            o.push_str(&cells.join(","));
            o.push_str("\r\n");
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_register_ranks_phi_and_public_first_with_due_dates() {
        let r = crate::demo::report().unwrap();
        let reg = RiskRegister::from_report(&r, &RemediationDays::default());
        assert_eq!(
            reg.risks.len(),
            r.summary.totals.fail + r.summary.totals.error
        );
        assert!(reg.risks.windows(2).all(|w| w[0].score >= w[1].score));
        let top = &reg.assets[0];
        assert!(top.impact >= 4, "{top:?}");
        let public = reg
            .assets
            .iter()
            .find(|a| a.name == "public-website")
            .unwrap();
        assert!(public.public && public.unencrypted);
        let crit = reg
            .risks
            .iter()
            .find(|x| x.severity == Severity::Critical)
            .unwrap();
        assert_eq!(crit.due, reg.as_of + chrono::Duration::days(7));
        let csv = reg.risks_csv();
        assert_eq!(csv.lines().count(), reg.risks.len() + 1);
        assert!(reg.assets_csv().starts_with("arn,name,kind,impact"));
    }
}
