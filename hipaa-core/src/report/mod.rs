//! The report: findings plus summaries per citation, safeguard, owner and category, in stable JSON.

mod accounts;
mod formats;
mod html;
mod markdown;
pub(crate) mod shared_text;
mod summary;
mod table;

pub(crate) use formats::csv::field as csv_field;
pub use formats::Format;

pub use summary::{CitationSummary, Completeness, Counts, Summary};
pub use table::TableOptions;

use crate::catalog::{Catalog, Remediation};
use crate::error::{Error, Result};
use crate::evidence::{Snapshot, UnknownReason};
use crate::framework::{Framework, FrameworkInfo};
use crate::rules::Resource;
use crate::scope::{Scope, ScopeMode, Waiver};
use crate::vocabulary::{Category, Owner, Severity, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Version of the report JSON; other tools parse it, so fields are only ever added within a major.
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

/// One control judged on one resource, with everything needed to act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Control id.
    pub control_id: String,
    /// Control title (shared by the control's findings).
    pub title: std::sync::Arc<str>,
    /// Theme.
    pub category: Category,
    /// HIPAA citations (shared by the control's findings).
    pub citations: std::sync::Arc<[String]>,
    /// Who must act.
    pub owner: Owner,
    /// Severity of a failure.
    pub severity: Severity,
    /// Result.
    pub status: Status,
    /// The resource.
    pub resource: Resource,
    /// Why, with the facts.
    pub message: String,
    /// How to fix it (shared by the control's findings).
    pub remediation: std::sync::Arc<Remediation>,
    /// For ERROR: the class of the failed read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<UnknownReason>,
    /// For WAIVED: index into the report's `waivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<usize>,
    /// For an attested MANUAL control: the attestation (active, or expired when the status is MANUAL again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<crate::attest::Attestation>,
    /// In an organization report: the account whose scan produced it (or, for an organization
    /// control, the account it is about); absent in an account report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// For infrastructure code: where the resource is defined (file, line, column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::evidence::Location>,
}

impl Finding {
    /// The resource as reports show it: for infrastructure code its logical id or address (what
    /// the author wrote), else its readable name when the id is opaque (a KMS alias, a Name tag).
    pub fn resource_label(&self) -> &str {
        match (&self.location, &self.resource.name) {
            (None, Some(name)) => name,
            _ => &self.resource.id,
        }
    }
}

/// A waiver from the scope and whether it is still in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaiverState {
    /// The waiver as written.
    #[serde(flatten)]
    pub waiver: Waiver,
    /// Not yet expired.
    pub active: bool,
    /// Findings it turned into WAIVED.
    pub findings_waived: usize,
}

/// The tool and data versions that produced a report, for reproducibility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    /// Tool name.
    pub name: String,
    /// Tool version.
    pub version: String,
    /// Version of the HIPAA registry text.
    pub registry_version: String,
    /// Number of controls in force.
    pub controls_in_force: usize,
}

/// Where the evidence came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// When the evidence was collected.
    pub taken_at: DateTime<Utc>,
    /// What collected it.
    pub source: String,
    /// Regions scanned.
    pub regions: Vec<String>,
}

/// The parts of the scope a reader of the report needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeInfo {
    /// `all` or `phi-only`.
    pub mode: ScopeMode,
    /// The PHI tag key.
    pub phi_tag_key: String,
    /// The PHI tag values.
    pub phi_tag_values: Vec<String>,
    /// Exclusion patterns.
    pub exclude: Vec<String>,
}

/// A complete, versioned evaluation result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub schema_version: String,
    /// When the evaluation ran.
    pub generated_at: DateTime<Utc>,
    /// Tool and data versions.
    pub tool: ToolInfo,
    /// The framework findings are grouped by (`by_citation`, each finding's `citations`).
    /// Reports written before frameworks existed were grouped by the Security Rule in force.
    #[serde(default)]
    pub framework: FrameworkInfo,
    /// Account evaluated, when known.
    pub account: Option<String>,
    /// Evidence provenance.
    pub snapshot: SnapshotInfo,
    /// Scope applied.
    pub scope: ScopeInfo,
    /// Every finding, failures first.
    pub findings: Vec<Finding>,
    /// Roll-ups.
    pub summary: Summary,
    /// Waivers and whether they are in force.
    pub waivers: Vec<WaiverState>,
    /// In an organization report: the organization, every account and what became of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<crate::organization::OrganizationSection>,
    /// For a revised (proposed) rule: what each of its requirements would change here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Vec<crate::framework::readiness::RequirementChange>>,
    /// The network map of the VPCs that hold ePHI, when the framework asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_map: Option<crate::network_map::NetworkMap>,
}

/// What a framework with a baseline (a revision of the rule in force) would change here.
pub(crate) fn readiness_for(
    framework: &Framework,
    findings: &[Finding],
    summary: &Summary,
) -> Option<Vec<crate::framework::readiness::RequirementChange>> {
    let id = framework.baseline.as_deref()?;
    let baseline = Framework::bundled(id).ok()?;
    Some(crate::framework::readiness::changes(
        framework,
        &baseline,
        findings,
        &summary.by_citation,
    ))
}

/// The order findings are listed in, so reports read the same way: status (in
/// [`Status::ALL`]'s order), most severe first, then control and resource.
pub(crate) fn report_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let order = |s: Status| {
        Status::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(usize::MAX)
    };
    order(a.status)
        .cmp(&order(b.status))
        .then(b.severity.cmp(&a.severity))
        .then(a.control_id.cmp(&b.control_id))
        .then(a.resource.arn.cmp(&b.resource.arn))
}

/// A pipeline's answer: may the deploy go ahead, and why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    /// True when the exit code is 0.
    pub ok: bool,
    /// 0 clean, 3 failures at or above the threshold, 4 incomplete.
    pub exit_code: i32,
    /// Whether every read succeeded.
    pub complete: bool,
    /// The failures that closed the gate.
    pub failures: Vec<Finding>,
}

/// Exit code: no failure at or above the threshold and nothing unknown.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: at least one failure at or above the threshold, and every read succeeded.
pub const EXIT_FAILURES: i32 = 3;
/// Exit code: some reads failed, so the result is incomplete (it wins over failures).
pub const EXIT_INCOMPLETE: i32 = 4;

impl Report {
    pub(crate) fn build(
        framework: &Framework,
        catalog: &Catalog,
        snapshot: &Snapshot,
        scope: &Scope,
        mut findings: Vec<Finding>,
        waivers: Vec<WaiverState>,
        now: DateTime<Utc>,
    ) -> Report {
        findings.sort_by(report_order);
        let summary = Summary::build(framework, &findings, &snapshot.reads);
        let readiness = readiness_for(framework, &findings, &summary);
        let network_map = framework
            .wants(crate::framework::Artifact::NetworkMap)
            .then(|| crate::network_map::NetworkMap::from_snapshot(snapshot, scope));
        Report {
            schema_version: REPORT_SCHEMA_VERSION.into(),
            generated_at: now,
            tool: ToolInfo {
                name: "hipaa-aws".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                registry_version: framework.registry().version.clone(),
                controls_in_force: catalog.enabled_for_account().count(),
            },
            framework: framework.info().clone(),
            account: snapshot.account.known().cloned(),
            snapshot: SnapshotInfo {
                taken_at: snapshot.taken_at,
                source: snapshot.provenance.label(),
                regions: snapshot.regions.clone(),
            },
            scope: ScopeInfo {
                mode: scope.mode,
                phi_tag_key: scope.phi.tag_key.clone(),
                phi_tag_values: scope.phi.tag_values.clone(),
                exclude: scope.exclude.clone(),
            },
            findings,
            summary,
            waivers,
            readiness,
            network_map,
            organization: None,
        }
    }

    /// What the report is about, for headings: `account 1234…`, or `organization o-… (N accounts)`.
    pub fn subject(&self) -> String {
        match &self.organization {
            Some(org) => {
                let id = org
                    .view
                    .organization
                    .known()
                    .and_then(|o| o.as_ref())
                    .map(|o| format!("organization {}", o.id))
                    .unwrap_or_else(|| "named accounts".into());
                format!("{id} ({} accounts)", org.accounts.len())
            }
            None => format!("account {}", self.account.as_deref().unwrap_or("unknown")),
        }
    }

    /// [`Report::subject`] with a capital, as headings start.
    pub(crate) fn heading(&self) -> String {
        let s = self.subject();
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => s,
        }
    }

    /// The same findings grouped by another framework: each finding's `citations`, the summary's
    /// `by_citation` and `by_safeguard`, and the readiness view change; statuses never do.
    /// A control the framework does not map keeps no citation, except under a framework whose
    /// catalog entries cite it, where the bundled catalog's citations apply.
    pub fn regroup(&self, framework: &Framework) -> Report {
        let mut r = self.clone();
        let bundled = if framework.catalog_citations {
            crate::registry::Registry::bundled()
                .and_then(Catalog::bundled)
                .ok()
        } else {
            None
        };
        let same = self.framework.id == framework.id();
        for f in &mut r.findings {
            let from_catalog = bundled.as_ref().and_then(|c| c.get(&f.control_id));
            f.citations = match from_catalog {
                Some(c) => framework.citations_for(c).into(),
                None if same => f.citations.clone(),
                None => framework.mapped_citations(&f.control_id).into(),
            };
        }
        r.summary.regroup(framework, &r.findings);
        r.readiness = readiness_for(framework, &r.findings, &r.summary);
        r.framework = framework.info().clone();
        r.tool.registry_version = framework.registry().version.clone();
        r
    }

    /// Findings with this status.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.status == status)
    }

    /// FAIL findings at or above a severity.
    pub fn failures(&self, at_least: Severity) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.status == Status::Fail && f.severity >= at_least)
    }

    /// Every read succeeded and no finding is ERROR.
    pub fn is_complete(&self) -> bool {
        self.summary.completeness.complete
    }

    /// The pipeline verdict: 4 when incomplete (whatever else it found: a verdict built on failed
    /// reads is not final), else 3 on failures at or above `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: Severity) -> i32 {
        if !self.is_complete() {
            EXIT_INCOMPLETE
        } else if self.failures(fail_on).next().is_some() {
            EXIT_FAILURES
        } else {
            EXIT_CLEAN
        }
    }

    /// The CI/CD verdict: failures at or above `fail_on`, and the exit code the CLI would give.
    /// With `allow_incomplete`, an incomplete scan without such failures still passes (code 0).
    pub fn gate(&self, fail_on: Severity, allow_incomplete: bool) -> Gate {
        let failures: Vec<Finding> = self.failures(fail_on).cloned().collect();
        let mut exit_code = self.exit_code(fail_on);
        if allow_incomplete && exit_code == EXIT_INCOMPLETE {
            // Allowing an incomplete scan never hides a failure it did find.
            exit_code = if failures.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_FAILURES
            };
        }
        Gate {
            ok: exit_code == EXIT_CLEAN,
            exit_code,
            complete: self.is_complete(),
            failures,
        }
    }

    /// Pretty JSON in the stable schema.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Read a report written by [`Report::to_json`]; `path` names the source in errors.
    pub fn from_json(text: &str, path: &str) -> Result<Report> {
        /// Only the version, read first (every other field skipped unparsed), so a report of
        /// another major version is named as such rather than as a field it lacks.
        #[derive(Deserialize)]
        struct Version {
            #[serde(default)]
            schema_version: serde_json::Value,
        }
        let bad = |e: serde_json::Error| Error::Report {
            path: path.into(),
            message: format!("line {}: {e}", e.line()),
        };
        let probe = serde_json::from_str::<Version>(text).map_err(bad)?;
        let version = probe.schema_version.as_str().unwrap_or("");
        if version.split('.').next() != REPORT_SCHEMA_VERSION.split('.').next() {
            return Err(Error::Report {
                path: path.into(),
                message: format!(
                    "unsupported schema_version `{version}` (expected {REPORT_SCHEMA_VERSION})"
                ),
            });
        }
        // Straight into the report: a large organization report never exists as a JSON tree.
        let mut report: Report = serde_json::from_str(text).map_err(bad)?;
        report.rename_controls();
        let mut pool = shared_text::TextPool::default();
        for f in &mut report.findings {
            pool.share(f);
        }
        Ok(report)
    }

    /// Give findings and waivers of a report saved before a control was renamed the current id,
    /// so diffs and trends line up with new reports (noted once per id).
    fn rename_controls(&mut self) {
        let rename = |id: &mut String| {
            if let Some(new) = crate::catalog::Catalog::bundled_rename(id) {
                crate::notice::renamed(id, new);
                *id = new.to_string();
            }
        };
        for f in &mut self.findings {
            rename(&mut f.control_id);
        }
        for w in &mut self.waivers {
            rename(&mut w.waiver.control);
        }
    }

    /// A Markdown document for tickets and wikis.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// The self-contained HTML report, with the risk register and trend when given.
    pub fn to_html(
        &self,
        risks: Option<&crate::risk::RiskRegister>,
        trend: Option<&[crate::progress::TrendPoint]>,
    ) -> String {
        html::render(self, risks, trend)
    }

    /// A fixed-width terminal table.
    pub fn to_table(&self, opts: &TableOptions) -> String {
        table::render(self, opts)
    }
}
