//! Plain, typed JavaScript objects mirroring the core's report, catalog and registry types.
//!
//! Field names are those of the report JSON (schema 1.x, snake_case), so `report.toJSON()` *is* the
//! document `hipaa scan --format json` prints and `JSON.stringify(report)` writes a valid report
//! file. Each conversion destructures the core type completely: a field added to the core fails
//! to compile here until the mirror carries it too.

use crate::vocabulary::{
    Category, CheckKind, Owner, Requirement, Safeguard, ScopeMode, Severity, SpecKind, Status,
    UnknownReason,
};
use hipaa_core::report as rep;
use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;
use std::collections::BTreeMap;

pub(crate) fn nullable<T>(v: Option<T>) -> Either<T, Null> {
    match v {
        Some(v) => Either::A(v),
        None => Either::B(Null),
    }
}

/// A timestamp exactly as the report JSON writes it (RFC 3339, UTC).
pub(crate) fn timestamp(t: &chrono::DateTime<chrono::Utc>) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => t.to_rfc3339(),
    }
}

/// The resource a finding is about.
#[napi(object)]
pub struct Resource {
    /// ARN (for account-level findings, the account root ARN).
    pub arn: String,
    /// Short id (bucket name, key id, user name, account id).
    pub id: String,
    /// `AwsS3Bucket`, `AwsKmsKey`, `AwsIamUser`, `AwsIamRole`, `AwsIamGroup`, `AwsIamPolicy`, `AwsAccount`.
    pub kind: String,
    /// Account id.
    pub account: String,
    /// Region, for regional resources.
    pub region: Either<String, Null>,
    /// A readable name when the id is opaque (KMS alias).
    pub name: Option<String>,
    /// Whether it carries the PHI tag (`null` for account-level or when tags are unknown).
    pub phi: Either<bool, Null>,
}

impl From<&hipaa_core::Resource> for Resource {
    fn from(r: &hipaa_core::Resource) -> Self {
        let hipaa_core::Resource {
            arn,
            id,
            kind,
            account,
            region,
            name,
            phi,
        } = r;
        Resource {
            arn: arn.clone(),
            id: id.clone(),
            kind: kind.clone(),
            account: account.clone(),
            region: nullable(region.clone()),
            name: name.clone(),
            phi: nullable(*phi),
        }
    }
}

/// How to fix a failing control.
#[napi(object)]
pub struct Remediation {
    /// Console steps.
    pub console: String,
    /// An AWS CLI snippet.
    pub cli: Option<String>,
    /// A Terraform snippet.
    pub terraform: Option<String>,
}

impl From<&hipaa_core::Remediation> for Remediation {
    fn from(r: &hipaa_core::Remediation) -> Self {
        let hipaa_core::Remediation {
            console,
            cli,
            terraform,
        } = r;
        Remediation {
            console: console.clone(),
            cli: cli.clone(),
            terraform: terraform.clone(),
        }
    }
}

/// One control judged on one resource.
#[napi(object)]
pub struct Finding {
    /// Control id, e.g. `s3.default_encryption`.
    #[napi(js_name = "control_id")]
    pub control_id: String,
    /// Control title.
    pub title: String,
    /// Theme.
    pub category: Category,
    /// HIPAA citations, e.g. `164.312(a)(2)(iv)`.
    pub citations: Vec<String>,
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
    /// How to fix it.
    pub remediation: Remediation,
    /// For ERROR: the class of the failed read.
    pub reason: Option<UnknownReason>,
    /// For WAIVED: index into the report's `waivers`.
    pub waiver: Option<u32>,
    /// For an attested MANUAL control: the attestation (active, or expired when MANUAL again).
    pub attestation: Option<Attestation>,
    /// In an organization report: the account the finding came from.
    pub account: Option<String>,
    /// For infrastructure code: where the resource is defined.
    pub location: Option<Location>,
}

/// Where a resource is defined in infrastructure code.
#[napi(object)]
pub struct Location {
    /// The file, as given (a template, a `.tf` file or a plan).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl From<&hipaa_core::Location> for Location {
    fn from(l: &hipaa_core::Location) -> Self {
        Location {
            file: l.file.clone(),
            line: l.line,
            column: l.column,
        }
    }
}

impl From<&hipaa_core::Finding> for Finding {
    fn from(f: &hipaa_core::Finding) -> Self {
        let hipaa_core::Finding {
            control_id,
            title,
            category,
            citations,
            owner,
            severity,
            status,
            resource,
            message,
            remediation,
            reason,
            waiver,
            attestation,
            location,
            account,
        } = f;
        Finding {
            control_id: control_id.clone(),
            title: title.to_string(),
            category: (*category).into(),
            citations: citations.to_vec(),
            owner: (*owner).into(),
            severity: (*severity).into(),
            status: (*status).into(),
            resource: resource.into(),
            message: message.clone(),
            remediation: (&**remediation).into(),
            reason: reason.map(Into::into),
            waiver: waiver.map(count),
            attestation: attestation.as_ref().map(Into::into),
            location: location.as_ref().map(Into::into),
            account: account.clone(),
        }
    }
}

/// A person's signed statement for what no API can show; an active one passes a MANUAL control.
#[napi(object)]
pub struct Attestation {
    /// The MANUAL control it answers.
    pub control: String,
    /// Who attests (name and role).
    pub by: String,
    /// When the attested work was done or confirmed (`YYYY-MM-DD`).
    pub date: String,
    /// Where the evidence is (document, ticket, URL).
    pub evidence: String,
    /// Last day the attestation counts (`YYYY-MM-DD`).
    pub expires: String,
    /// Anything an auditor should know.
    pub note: Option<String>,
}

impl From<&hipaa_core::attest::Attestation> for Attestation {
    fn from(a: &hipaa_core::attest::Attestation) -> Self {
        let hipaa_core::attest::Attestation {
            control,
            by,
            date,
            evidence,
            expires,
            note,
        } = a;
        Attestation {
            control: control.clone(),
            by: by.clone(),
            date: day(date),
            evidence: evidence.clone(),
            expires: day(expires),
            note: note.clone(),
        }
    }
}

/// A date as the report JSON writes it.
pub(crate) fn day(d: &chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A count as a JavaScript number (reports never come near 2^32 findings).
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How many findings have each status.
#[napi(object)]
pub struct Counts {
    /// PASS findings.
    #[napi(js_name = "PASS")]
    pub pass: u32,
    /// FAIL findings.
    #[napi(js_name = "FAIL")]
    pub fail: u32,
    /// ERROR findings.
    #[napi(js_name = "ERROR")]
    pub error: u32,
    /// NOT_APPLICABLE findings.
    #[napi(js_name = "NOT_APPLICABLE")]
    pub not_applicable: u32,
    /// MANUAL findings.
    #[napi(js_name = "MANUAL")]
    pub manual: u32,
    /// INHERITED findings.
    #[napi(js_name = "INHERITED")]
    pub inherited: u32,
    /// WAIVED findings.
    #[napi(js_name = "WAIVED")]
    pub waived: u32,
    /// All findings.
    pub total: u32,
}

impl From<&rep::Counts> for Counts {
    fn from(c: &rep::Counts) -> Self {
        let rep::Counts {
            pass,
            fail,
            error,
            not_applicable,
            manual,
            inherited,
            waived,
            total,
        } = *c;
        Counts {
            pass: count(pass),
            fail: count(fail),
            error: count(error),
            not_applicable: count(not_applicable),
            manual: count(manual),
            inherited: count(inherited),
            waived: count(waived),
            total: count(total),
        }
    }
}

/// One Security Rule spec and how the findings citing it came out.
#[napi(object)]
pub struct CitationSummary {
    /// Citation.
    pub citation: String,
    /// Title.
    pub title: String,
    /// Safeguard family.
    pub safeguard: Safeguard,
    /// Shared-responsibility owner.
    pub owner: Owner,
    /// Worst status among its findings; `null` when no control answers it; MANUAL when only
    /// an attestation can (see `note`).
    pub status: Either<Status, Null>,
    /// Counts of its findings.
    pub counts: Counts,
    /// Why it is MANUAL without a finding.
    pub note: Option<String>,
}

impl From<&rep::CitationSummary> for CitationSummary {
    fn from(c: &rep::CitationSummary) -> Self {
        let rep::CitationSummary {
            citation,
            title,
            safeguard,
            owner,
            status,
            counts,
            note,
        } = c;
        CitationSummary {
            citation: citation.clone(),
            title: title.clone(),
            safeguard: (*safeguard).into(),
            owner: (*owner).into(),
            status: nullable(status.map(Into::into)),
            counts: counts.into(),
            note: note.clone(),
        }
    }
}

/// One failed read.
#[napi(object)]
pub struct ReadFailure {
    /// `service:Operation`.
    pub operation: String,
    /// The resource it was about, empty for account-wide reads.
    pub resource: String,
    /// Failure class.
    pub reason: UnknownReason,
    /// The service's error code and message.
    pub detail: String,
    /// In an organization report: the account the read was made in.
    pub account: Option<String>,
}

impl From<&hipaa_core::evidence::ReadFailure> for ReadFailure {
    fn from(r: &hipaa_core::evidence::ReadFailure) -> Self {
        let hipaa_core::evidence::ReadFailure {
            operation,
            resource,
            reason,
            detail,
            account,
        } = r;
        ReadFailure {
            operation: operation.clone(),
            resource: resource.clone(),
            reason: (*reason).into(),
            detail: detail.clone(),
            account: account.clone(),
        }
    }
}

/// How much of the evidence could actually be read.
#[napi(object)]
pub struct Completeness {
    /// API reads attempted.
    #[napi(js_name = "reads_attempted")]
    pub reads_attempted: f64,
    /// API reads that failed.
    #[napi(js_name = "reads_failed")]
    pub reads_failed: f64,
    /// Share of reads that succeeded (1 when none were made).
    #[napi(js_name = "read_success_ratio")]
    pub read_success_ratio: f64,
    /// Findings that are ERROR.
    #[napi(js_name = "error_findings")]
    pub error_findings: u32,
    /// True when no read failed and no finding is ERROR.
    pub complete: bool,
    /// The failed reads.
    #[napi(js_name = "failed_reads")]
    pub failed_reads: Vec<ReadFailure>,
}

impl From<&rep::Completeness> for Completeness {
    fn from(c: &rep::Completeness) -> Self {
        let rep::Completeness {
            reads_attempted,
            reads_failed,
            read_success_ratio,
            error_findings,
            complete,
            failed_reads,
        } = c;
        Completeness {
            reads_attempted: *reads_attempted as f64,
            reads_failed: *reads_failed as f64,
            read_success_ratio: *read_success_ratio,
            error_findings: count(*error_findings),
            complete: *complete,
            failed_reads: failed_reads.iter().map(Into::into).collect(),
        }
    }
}

/// Every roll-up of a report.
#[napi(object)]
pub struct Summary {
    /// All findings.
    pub totals: Counts,
    /// Distinct controls by their worst status.
    pub controls: Counts,
    /// By severity.
    #[napi(js_name = "by_severity")]
    pub by_severity: BTreeMap<String, Counts>,
    /// By safeguard family.
    #[napi(js_name = "by_safeguard")]
    pub by_safeguard: BTreeMap<String, Counts>,
    /// By shared-responsibility owner.
    #[napi(js_name = "by_owner")]
    pub by_owner: BTreeMap<String, Counts>,
    /// By category.
    #[napi(js_name = "by_category")]
    pub by_category: BTreeMap<String, Counts>,
    /// By citation, for every spec in the registry (regulation order).
    #[napi(js_name = "by_citation")]
    pub by_citation: Vec<CitationSummary>,
    /// Read failures and ERROR findings.
    pub completeness: Completeness,
    /// In an organization report: each account's totals, completeness and BAA state.
    #[napi(js_name = "by_account")]
    pub by_account: Option<Vec<AccountSummary>>,
    /// In an organization report: each root and OU with the accounts beneath it.
    #[napi(js_name = "by_ou")]
    pub by_ou: Option<Vec<OuSummary>>,
}

/// One account of an organization report, summed up.
#[napi(object)]
pub struct AccountSummary {
    /// Account id.
    pub account: String,
    /// Its name in AWS Organizations.
    pub name: Option<String>,
    /// The root or OU it sits in.
    pub ou: Option<String>,
    /// Its status in AWS Organizations.
    pub status: Option<String>,
    /// `scanned`, `unreachable`, `inactive`, `excluded`, `outside_ous` or `other_shard`.
    pub state: String,
    /// Its findings by status.
    pub totals: Counts,
    /// Scanned, no read failed and no finding is ERROR.
    pub complete: bool,
    /// API reads attempted in it.
    #[napi(js_name = "reads_attempted")]
    pub reads_attempted: f64,
    /// API reads that failed in it.
    #[napi(js_name = "reads_failed")]
    pub reads_failed: f64,
    /// Whether a BAA covers it.
    #[napi(ts_type = "'covered' | 'not_covered' | 'unknown' | 'not_applicable'")]
    pub baa: String,
    /// Whether PHI-tagged resources were found in it (`null`: unknown).
    #[napi(js_name = "holds_phi")]
    pub holds_phi: Either<bool, Null>,
}

impl From<&hipaa_core::organization::AccountSummary> for AccountSummary {
    fn from(a: &hipaa_core::organization::AccountSummary) -> Self {
        let baa = serde_json::to_value(a.baa)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        AccountSummary {
            account: a.account.clone(),
            name: a.name.clone(),
            ou: a.ou.clone(),
            status: a.status.clone(),
            state: a.state.clone(),
            totals: (&a.totals).into(),
            complete: a.complete,
            reads_attempted: a.reads_attempted as f64,
            reads_failed: a.reads_failed as f64,
            baa,
            holds_phi: nullable(a.holds_phi),
        }
    }
}

/// One root or OU of an organization report with the accounts beneath it.
#[napi(object)]
pub struct OuSummary {
    /// `r-…` or `ou-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The unit it sits in (none for a root).
    pub parent: Option<String>,
    /// How deep it is (a root is 0).
    pub depth: u32,
    /// The accounts beneath it, at any depth.
    pub accounts: Vec<String>,
    /// Their findings by status.
    pub totals: Counts,
    /// Every account beneath it is complete.
    pub complete: bool,
}

impl From<&hipaa_core::organization::OuSummary> for OuSummary {
    fn from(u: &hipaa_core::organization::OuSummary) -> Self {
        OuSummary {
            id: u.id.clone(),
            name: u.name.clone(),
            parent: u.parent.clone(),
            depth: count(u.depth),
            accounts: u.accounts.clone(),
            totals: (&u.totals).into(),
            complete: u.complete,
        }
    }
}

fn counts_map(m: &BTreeMap<String, rep::Counts>) -> BTreeMap<String, Counts> {
    m.iter().map(|(k, v)| (k.clone(), v.into())).collect()
}

impl From<&rep::Summary> for Summary {
    fn from(s: &rep::Summary) -> Self {
        let rep::Summary {
            totals,
            controls,
            by_severity,
            by_safeguard,
            by_owner,
            by_category,
            by_citation,
            completeness,
            by_account,
            by_ou,
        } = s;
        Summary {
            totals: totals.into(),
            controls: controls.into(),
            by_severity: counts_map(by_severity),
            by_safeguard: counts_map(by_safeguard),
            by_owner: counts_map(by_owner),
            by_category: counts_map(by_category),
            by_citation: by_citation.iter().map(Into::into).collect(),
            completeness: completeness.into(),
            by_account: (!by_account.is_empty())
                .then(|| by_account.iter().map(Into::into).collect()),
            by_ou: (!by_ou.is_empty()).then(|| by_ou.iter().map(Into::into).collect()),
        }
    }
}

/// A waiver from the scope and whether it is still in force.
#[napi(object)]
pub struct WaiverState {
    /// The control id.
    pub control: String,
    /// ARN or id pattern (`*` wildcard).
    pub resource: String,
    /// Why the risk is accepted.
    pub justification: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver applies (`YYYY-MM-DD`).
    pub expires: String,
    /// Not yet expired.
    pub active: bool,
    /// Findings it turned into WAIVED.
    #[napi(js_name = "findings_waived")]
    pub findings_waived: u32,
}

impl From<&rep::WaiverState> for WaiverState {
    fn from(w: &rep::WaiverState) -> Self {
        let rep::WaiverState {
            waiver,
            active,
            findings_waived,
        } = w;
        let hipaa_core::scope::Waiver {
            control,
            resource,
            justification,
            owner,
            expires,
        } = waiver;
        WaiverState {
            control: control.clone(),
            resource: resource.clone(),
            justification: justification.clone(),
            owner: owner.clone(),
            expires: day(expires),
            active: *active,
            findings_waived: count(*findings_waived),
        }
    }
}

/// The tool and data versions that produced a report.
#[napi(object)]
pub struct ToolInfo {
    /// Tool name.
    pub name: String,
    /// Tool version.
    pub version: String,
    /// Version of the HIPAA registry text.
    #[napi(js_name = "registry_version")]
    pub registry_version: String,
    /// Number of controls in force.
    #[napi(js_name = "controls_in_force")]
    pub controls_in_force: u32,
}

impl From<&rep::ToolInfo> for ToolInfo {
    fn from(t: &rep::ToolInfo) -> Self {
        let rep::ToolInfo {
            name,
            version,
            registry_version,
            controls_in_force,
        } = t;
        ToolInfo {
            name: name.clone(),
            version: version.clone(),
            registry_version: registry_version.clone(),
            controls_in_force: count(*controls_in_force),
        }
    }
}

/// Where the evidence came from.
#[napi(object)]
pub struct SnapshotInfo {
    /// When the evidence was collected (RFC 3339).
    #[napi(js_name = "taken_at")]
    pub taken_at: String,
    /// What collected it.
    pub source: String,
    /// Regions scanned.
    pub regions: Vec<String>,
}

impl From<&rep::SnapshotInfo> for SnapshotInfo {
    fn from(s: &rep::SnapshotInfo) -> Self {
        let rep::SnapshotInfo {
            taken_at,
            source,
            regions,
        } = s;
        SnapshotInfo {
            taken_at: timestamp(taken_at),
            source: source.clone(),
            regions: regions.clone(),
        }
    }
}

/// The parts of the scope a reader of the report needs.
#[napi(object)]
pub struct ScopeInfo {
    /// `all` or `phi-only`.
    pub mode: ScopeMode,
    /// The PHI tag key.
    #[napi(js_name = "phi_tag_key")]
    pub phi_tag_key: String,
    /// The PHI tag values.
    #[napi(js_name = "phi_tag_values")]
    pub phi_tag_values: Vec<String>,
    /// Exclusion patterns.
    pub exclude: Vec<String>,
}

impl From<&rep::ScopeInfo> for ScopeInfo {
    fn from(s: &rep::ScopeInfo) -> Self {
        let rep::ScopeInfo {
            mode,
            phi_tag_key,
            phi_tag_values,
            exclude,
        } = s;
        ScopeInfo {
            mode: (*mode).into(),
            phi_tag_key: phi_tag_key.clone(),
            phi_tag_values: phi_tag_values.clone(),
            exclude: exclude.clone(),
        }
    }
}

/// A whole report as plain data: the report JSON (schema 1.x) as an object.
#[napi(object)]
pub struct ReportData {
    /// Report format version.
    #[napi(js_name = "schema_version")]
    pub schema_version: String,
    /// When the evaluation ran (RFC 3339).
    #[napi(js_name = "generated_at")]
    pub generated_at: String,
    /// Tool and data versions.
    pub tool: ToolInfo,
    /// The framework findings are grouped by.
    pub framework: FrameworkInfo,
    /// Account evaluated, when known.
    pub account: Either<String, Null>,
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
    /// For a proposed rule: what each of its requirements would change here (the report JSON's
    /// `readiness` entries, as the core writes them).
    #[napi(ts_type = "Array<Record<string, unknown>>")]
    pub readiness: Option<serde_json::Value>,
    /// The network map of the VPCs that hold ePHI, when the framework asks for one (as
    /// `hipaa network-map` writes it).
    #[napi(js_name = "network_map", ts_type = "Record<string, unknown>")]
    pub network_map: Option<serde_json::Value>,
    /// In an organization report: the organization, its view and every account with what became
    /// of it (the report JSON's `organization` object).
    #[napi(ts_type = "Record<string, unknown>")]
    pub organization: Option<serde_json::Value>,
}

impl From<&hipaa_core::Report> for ReportData {
    fn from(r: &hipaa_core::Report) -> Self {
        let hipaa_core::Report {
            schema_version,
            generated_at,
            tool,
            framework,
            account,
            snapshot,
            scope,
            findings,
            summary,
            waivers,
            readiness,
            network_map,
            organization,
        } = r;
        ReportData {
            schema_version: schema_version.clone(),
            generated_at: timestamp(generated_at),
            tool: tool.into(),
            framework: framework.into(),
            account: nullable(account.clone()),
            snapshot: snapshot.into(),
            scope: scope.into(),
            findings: findings.iter().map(Into::into).collect(),
            summary: summary.into(),
            waivers: waivers.iter().map(Into::into).collect(),
            organization: organization
                .as_ref()
                .and_then(|o| serde_json::to_value(o).ok()),
            readiness: readiness
                .as_ref()
                .and_then(|r| serde_json::to_value(r).ok()),
            network_map: network_map
                .as_ref()
                .and_then(|m| serde_json::to_value(m).ok()),
        }
    }
}

/// The framework a report's findings are grouped by.
#[napi(object)]
pub struct FrameworkInfo {
    /// Stable id (`hipaa-2013`, `hipaa-nprm-2025`).
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Version of the text encoded (a date).
    pub version: String,
    /// `final`, or `proposed`: a readiness view, never compliance.
    #[napi(ts_type = "'final' | 'proposed'")]
    pub status: String,
    /// What other tools' formats prefix citations with (`45 CFR`).
    #[napi(js_name = "citation_prefix")]
    pub citation_prefix: String,
    /// For a proposed rule: the notice every output carries.
    pub banner: Option<String>,
}

impl From<&hipaa_core::FrameworkInfo> for FrameworkInfo {
    fn from(f: &hipaa_core::FrameworkInfo) -> Self {
        let hipaa_core::FrameworkInfo {
            id,
            name,
            version,
            status,
            citation_prefix,
            banner,
        } = f;
        FrameworkInfo {
            id: id.clone(),
            name: name.clone(),
            version: version.clone(),
            status: match status {
                hipaa_core::FrameworkStatus::Final => "final".into(),
                hipaa_core::FrameworkStatus::Proposed => "proposed".into(),
            },
            citation_prefix: citation_prefix.clone(),
            banner: banner.clone(),
        }
    }
}

/// One control of the catalog: everything about it except the code that decides it.
#[napi(object)]
pub struct Control {
    /// Stable id, `service.what_it_checks`.
    pub id: String,
    /// One-line title phrased as the good state.
    pub title: String,
    /// Theme.
    pub category: Category,
    /// HIPAA citations it answers.
    pub citations: Vec<String>,
    /// Who must act.
    pub owner: Owner,
    /// Severity of a failure.
    pub severity: Severity,
    /// The kind of resource findings are about (`AwsS3Bucket`, `AwsAccount`, …).
    #[napi(js_name = "resource_kind")]
    pub resource_kind: String,
    /// How it is decided.
    pub check: CheckKind,
    /// Why it matters for ePHI.
    pub rationale: String,
    /// How to fix it.
    pub remediation: Remediation,
    /// Earlier ids of this control, still accepted in scope files, waivers and saved reports.
    #[napi(js_name = "renamed_from")]
    pub renamed_from: Vec<String>,
}

impl From<&hipaa_core::Control> for Control {
    fn from(c: &hipaa_core::Control) -> Self {
        let hipaa_core::Control {
            id,
            title,
            category,
            citations,
            owner,
            severity,
            resource_kind,
            check,
            rationale,
            remediation,
            renamed_from,
        } = c;
        Control {
            id: id.clone(),
            title: title.clone(),
            category: (*category).into(),
            citations: citations.clone(),
            owner: (*owner).into(),
            severity: (*severity).into(),
            resource_kind: resource_kind.clone(),
            check: (*check).into(),
            rationale: rationale.clone(),
            remediation: remediation.into(),
            renamed_from: renamed_from.clone(),
        }
    }
}

/// One Security Rule spec with the controls that answer it.
#[napi(object)]
pub struct CitationEntry {
    /// Citation such as `164.312(a)(2)(iv)`.
    pub citation: String,
    /// Short title.
    pub title: String,
    /// Safeguard family.
    pub safeguard: Safeguard,
    /// Standard or implementation specification.
    pub kind: SpecKind,
    /// The standard this belongs to (itself for a standard).
    pub standard: String,
    /// Required or addressable.
    pub requirement: Requirement,
    /// Who meets it under the shared-responsibility model.
    pub owner: Owner,
    /// Why that owner.
    #[napi(js_name = "owner_reason")]
    pub owner_reason: String,
    /// For a revised rule: what changed from the rule in force.
    pub changes: Option<String>,
    /// The page of the published text it is on.
    pub page: Option<u32>,
    /// The citations of the rule in force it takes over.
    pub previously: Option<Vec<String>>,
    /// Only an attestation can answer it.
    #[napi(js_name = "attestation_only")]
    pub attestation_only: Option<bool>,
    /// Why it is MANUAL when no control's finding answers it.
    #[napi(js_name = "manual_reason")]
    pub manual_reason: Option<String>,
    /// Evidence beyond findings it asks for (`network-map`, `asset-inventory`).
    pub artifacts: Option<Vec<String>>,
    /// Ids of the catalog controls citing it.
    pub controls: Vec<String>,
}

impl From<&hipaa_core::CitationEntry> for CitationEntry {
    fn from(e: &hipaa_core::CitationEntry) -> Self {
        let hipaa_core::CitationEntry { spec, controls } = e;
        let hipaa_core::Spec {
            citation,
            title,
            safeguard,
            kind,
            standard,
            requirement,
            owner,
            owner_reason,
            changes,
            page,
            previously,
            attestation_only,
            manual_reason,
            artifacts,
        } = spec;
        // Absent, not empty, where the JSON leaves them out, so the object equals the CLI's.
        CitationEntry {
            citation: citation.clone(),
            title: title.clone(),
            safeguard: (*safeguard).into(),
            kind: (*kind).into(),
            standard: standard.clone(),
            requirement: (*requirement).into(),
            owner: (*owner).into(),
            owner_reason: owner_reason.clone(),
            changes: changes.clone(),
            page: *page,
            previously: (!previously.is_empty()).then(|| previously.clone()),
            attestation_only: attestation_only.then_some(true),
            manual_reason: manual_reason.clone(),
            artifacts: (!artifacts.is_empty())
                .then(|| artifacts.iter().map(|a| a.name().to_string()).collect()),
            controls: controls.clone(),
        }
    }
}

/// The API ledger of a snapshot.
#[napi(object)]
pub struct ReadLog {
    /// Calls made, keyed by `service:Operation`.
    pub calls: BTreeMap<String, f64>,
    /// The reads that failed and why.
    pub failures: Vec<ReadFailure>,
}

impl From<&hipaa_core::evidence::ReadLog> for ReadLog {
    fn from(r: &hipaa_core::evidence::ReadLog) -> Self {
        let hipaa_core::evidence::ReadLog { calls, failures } = r;
        ReadLog {
            calls: calls.iter().map(|(k, v)| (k.clone(), *v as f64)).collect(),
            failures: failures.iter().map(Into::into).collect(),
        }
    }
}

/// A pipeline's answer: may the deploy go ahead, and why not.
#[napi(object)]
pub struct GateResult {
    /// True when `exitCode` is 0.
    pub ok: bool,
    /// 0 clean, 3 failures at or above `failOn`, 4 incomplete (some reads failed; wins over 3): the CLI's codes.
    pub exit_code: i32,
    /// Whether every read succeeded and no finding is ERROR.
    pub complete: bool,
    /// The failures that closed the gate.
    pub failures: Vec<Finding>,
}

impl From<&hipaa_core::Gate> for GateResult {
    fn from(g: &hipaa_core::Gate) -> Self {
        let hipaa_core::Gate {
            ok,
            exit_code,
            complete,
            failures,
        } = g;
        GateResult {
            ok: *ok,
            exit_code: *exit_code,
            complete: *complete,
            failures: failures.iter().map(Into::into).collect(),
        }
    }
}
