//! Progress between scans: what changed from one report to the next, and pass rates over time.

use crate::report::{Finding, Report, WaiverState};
use crate::vocabulary::{Safeguard, Status};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One finding's change between two reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Control id.
    pub control_id: String,
    /// Resource name or id.
    pub resource: String,
    /// Resource ARN.
    pub arn: String,
    /// Status in the old report (`None` when the finding is new).
    pub before: Option<Status>,
    /// Status in the new report (`None` when the resource is gone).
    pub after: Option<Status>,
    /// The new report's message (or the old one's when gone).
    pub message: String,
}

/// What changed between two reports of the same estate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// When the old report was evaluated.
    pub old_generated_at: DateTime<Utc>,
    /// When the new report was evaluated.
    pub new_generated_at: DateTime<Utc>,
    /// FAIL now, not FAIL before.
    pub new_failures: Vec<Change>,
    /// FAIL before, PASS (or WAIVED, or gone) now.
    pub fixed: Vec<Change>,
    /// FAIL in both.
    pub still_failing: Vec<Change>,
    /// ERROR now, not ERROR before: evidence that used to be readable no longer is.
    pub newly_unknown: Vec<Change>,
    /// Waivers of the new report expiring within 30 days of its evaluation (or already expired).
    pub waivers_expiring: Vec<WaiverState>,
}

fn key(f: &Finding) -> (String, String) {
    (f.control_id.clone(), f.resource.arn.clone())
}

fn change(old: Option<&Finding>, new: Option<&Finding>) -> Change {
    let f = new.or(old);
    Change {
        control_id: f.map(|f| f.control_id.clone()).unwrap_or_default(),
        resource: f
            .map(|f| {
                f.resource
                    .name
                    .clone()
                    .unwrap_or_else(|| f.resource.id.clone())
            })
            .unwrap_or_default(),
        arn: f.map(|f| f.resource.arn.clone()).unwrap_or_default(),
        before: old.map(|f| f.status),
        after: new.map(|f| f.status),
        message: f.map(|f| f.message.clone()).unwrap_or_default(),
    }
}

/// Compare two reports.
pub fn diff(old: &Report, new: &Report) -> Diff {
    let olds: BTreeMap<_, &Finding> = old.findings.iter().map(|f| (key(f), f)).collect();
    let news: BTreeMap<_, &Finding> = new.findings.iter().map(|f| (key(f), f)).collect();
    let mut d = Diff {
        old_generated_at: old.generated_at,
        new_generated_at: new.generated_at,
        new_failures: vec![],
        fixed: vec![],
        still_failing: vec![],
        newly_unknown: vec![],
        waivers_expiring: vec![],
    };
    for (k, n) in &news {
        let o = olds.get(k).copied();
        let before = o.map(|f| f.status);
        match (before, n.status) {
            (Some(Status::Fail), Status::Fail) => d.still_failing.push(change(o, Some(n))),
            (_, Status::Fail) => d.new_failures.push(change(o, Some(n))),
            (Some(Status::Fail), Status::Pass | Status::Waived | Status::NotApplicable) => {
                d.fixed.push(change(o, Some(n)))
            }
            (b, Status::Error) if b != Some(Status::Error) => {
                d.newly_unknown.push(change(o, Some(n)))
            }
            _ => {}
        }
    }
    for (k, o) in &olds {
        if o.status == Status::Fail && !news.contains_key(k) {
            d.fixed.push(change(Some(o), None));
        }
    }
    let horizon: NaiveDate = new.generated_at.date_naive() + chrono::Duration::days(30);
    d.waivers_expiring = new
        .waivers
        .iter()
        .filter(|w| w.waiver.expires <= horizon)
        .cloned()
        .collect();
    d
}

impl Diff {
    /// A plain-text summary for terminals and CI logs.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Changes from {} to {}",
            self.old_generated_at.format("%Y-%m-%d %H:%M"),
            self.new_generated_at.format("%Y-%m-%d %H:%M")
        );
        for (title, list) in [
            ("New failures", &self.new_failures),
            ("Fixed", &self.fixed),
            ("Still failing", &self.still_failing),
            ("Newly unknown (ERROR)", &self.newly_unknown),
        ] {
            let _ = writeln!(o, "\n{title}: {}", list.len());
            for c in list {
                let before = c.before.map(|s| s.label()).unwrap_or("-");
                let after = c.after.map(|s| s.label()).unwrap_or("gone");
                let _ = writeln!(
                    o,
                    "  {:<34} {:<28} {before} -> {after}  {}",
                    c.control_id, c.resource, c.message
                );
            }
        }
        let _ = writeln!(
            o,
            "\nWaivers expiring within 30 days: {}",
            self.waivers_expiring.len()
        );
        for w in &self.waivers_expiring {
            let _ = writeln!(
                o,
                "  {} on {} expires {} (owner {})",
                w.waiver.control, w.waiver.resource, w.waiver.expires, w.waiver.owner
            );
        }
        o
    }
}

/// Pass rate per safeguard of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// When the report was evaluated.
    pub generated_at: DateTime<Utc>,
    /// Account evaluated.
    pub account: Option<String>,
    /// PASS / (PASS + FAIL + ERROR) per safeguard; `None` where nothing was decided.
    pub pass_rate: BTreeMap<String, Option<f64>>,
    /// FAIL findings in all.
    pub failures: usize,
}

/// Pass rate per safeguard for each report, oldest first.
pub fn trend(reports: &[Report]) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = reports
        .iter()
        .map(|r| TrendPoint {
            generated_at: r.generated_at,
            account: r.account.clone(),
            pass_rate: [
                Safeguard::Administrative,
                Safeguard::Physical,
                Safeguard::Technical,
                Safeguard::Organizational,
                Safeguard::Documentation,
            ]
            .iter()
            .map(|s| {
                (
                    s.name().to_string(),
                    r.summary
                        .by_safeguard
                        .get(s.name())
                        .and_then(|c| c.pass_rate()),
                )
            })
            .collect(),
            failures: r.summary.totals.fail,
        })
        .collect();
    points.sort_by_key(|p| p.generated_at);
    points
}

/// The trend as a plain-text table.
pub fn trend_table(points: &[TrendPoint]) -> String {
    let mut o = String::new();
    let names = [
        "administrative",
        "physical",
        "technical",
        "organizational",
        "documentation",
    ];
    let _ = write!(o, "{:<17} {:<13}", "EVALUATED", "ACCOUNT");
    for n in names {
        let _ = write!(o, " {:>14}", n.to_uppercase());
    }
    let _ = writeln!(o, " {:>8}", "FAILURES");
    for p in points {
        let _ = write!(
            o,
            "{:<17} {:<13}",
            p.generated_at.format("%Y-%m-%d %H:%M"),
            p.account.as_deref().unwrap_or("?")
        );
        for n in names {
            let cell = match p.pass_rate.get(n).copied().flatten() {
                Some(r) => format!("{:.0}%", r * 100.0),
                None => "-".into(),
            };
            let _ = write!(o, " {cell:>14}");
        }
        let _ = writeln!(o, " {:>8}", p.failures);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use crate::{Engine, Scope};

    #[test]
    fn diff_of_a_fix() {
        let mut broken = bucket("phi-a");
        broken.encryption =
            crate::evidence::Fact::Known(crate::services::s3::evidence::BucketEncryption::None);
        let mut gone_read = bucket("phi-a");
        gone_read.versioning = denied("s3:GetBucketVersioning");
        let e = Engine::bundled().unwrap();
        let before = e
            .evaluate_at(
                &snapshot_with(vec![broken.clone()]),
                &Scope::default(),
                now(),
            )
            .unwrap();
        let after = e
            .evaluate_at(
                &snapshot_with(vec![gone_read]),
                &Scope::default(),
                now() + chrono::Duration::days(7),
            )
            .unwrap();
        let d = diff(&before, &after);
        assert!(d
            .fixed
            .iter()
            .any(|c| c.control_id == "s3.default_encryption" && c.after == Some(Status::Pass)));
        assert!(d
            .newly_unknown
            .iter()
            .any(|c| c.control_id == "s3.versioning"));
        assert!(d.new_failures.is_empty());
        let back = diff(&after, &before);
        assert!(back
            .new_failures
            .iter()
            .any(|c| c.control_id == "s3.default_encryption"));
        assert!(d.to_text().contains("Fixed: "));
        let t = trend(&[after.clone(), before.clone()]);
        assert!(t[0].generated_at < t[1].generated_at);
        assert!(trend_table(&t).contains("TECHNICAL"));
    }
}
