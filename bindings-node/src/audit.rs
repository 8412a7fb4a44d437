//! Plain, typed mirrors of the core's audit types: progress between reports (`progress::Diff`,
//! `progress::TrendPoint`), the risk register (`risk::RiskRegister`) and the evidence bundle
//! (`bundle::Manifest`, `bundle::Verification`).
//!
//! As in `data.rs`, field names are the core's JSON names and each conversion destructures the
//! core type completely, so a field added to the core fails to compile here until it is mirrored.

use crate::data::{count, day, nullable, timestamp, WaiverState};
use crate::vocabulary::{Severity, Status};
use hipaa_core::{bundle, progress, risk};
use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;
use std::collections::BTreeMap;

/// One finding's change between two reports.
#[napi(object)]
pub struct Change {
    /// Control id.
    #[napi(js_name = "control_id")]
    pub control_id: String,
    /// Resource name or id.
    pub resource: String,
    /// Resource ARN.
    pub arn: String,
    /// Status in the old report (`null` when the finding is new).
    pub before: Either<Status, Null>,
    /// Status in the new report (`null` when the resource is gone).
    pub after: Either<Status, Null>,
    /// The new report's message (or the old one's when gone).
    pub message: String,
}

impl From<&progress::Change> for Change {
    fn from(c: &progress::Change) -> Self {
        let progress::Change {
            control_id,
            resource,
            arn,
            before,
            after,
            message,
        } = c;
        Change {
            control_id: control_id.clone(),
            resource: resource.clone(),
            arn: arn.clone(),
            before: nullable(before.map(Into::into)),
            after: nullable(after.map(Into::into)),
            message: message.clone(),
        }
    }
}

/// What changed between two reports of the same estate.
#[napi(object)]
pub struct Diff {
    /// When the old report was evaluated (RFC 3339).
    #[napi(js_name = "old_generated_at")]
    pub old_generated_at: String,
    /// When the new report was evaluated (RFC 3339).
    #[napi(js_name = "new_generated_at")]
    pub new_generated_at: String,
    /// FAIL now, not FAIL before.
    #[napi(js_name = "new_failures")]
    pub new_failures: Vec<Change>,
    /// FAIL before, PASS (or WAIVED, or gone) now.
    pub fixed: Vec<Change>,
    /// FAIL in both.
    #[napi(js_name = "still_failing")]
    pub still_failing: Vec<Change>,
    /// ERROR now, not ERROR before: evidence that used to be readable no longer is.
    #[napi(js_name = "newly_unknown")]
    pub newly_unknown: Vec<Change>,
    /// Waivers of the new report expiring within 30 days of its evaluation (or already expired).
    #[napi(js_name = "waivers_expiring")]
    pub waivers_expiring: Vec<WaiverState>,
}

fn changes(list: &[progress::Change]) -> Vec<Change> {
    list.iter().map(Into::into).collect()
}

impl From<&progress::Diff> for Diff {
    fn from(d: &progress::Diff) -> Self {
        let progress::Diff {
            old_generated_at,
            new_generated_at,
            new_failures,
            fixed,
            still_failing,
            newly_unknown,
            waivers_expiring,
        } = d;
        Diff {
            old_generated_at: timestamp(old_generated_at),
            new_generated_at: timestamp(new_generated_at),
            new_failures: changes(new_failures),
            fixed: changes(fixed),
            still_failing: changes(still_failing),
            newly_unknown: changes(newly_unknown),
            waivers_expiring: waivers_expiring.iter().map(Into::into).collect(),
        }
    }
}

/// Pass rate per safeguard of one report.
#[napi(object)]
pub struct TrendPoint {
    /// When the report was evaluated (RFC 3339).
    #[napi(js_name = "generated_at")]
    pub generated_at: String,
    /// Account evaluated, when known.
    pub account: Either<String, Null>,
    /// PASS / (PASS + FAIL + ERROR) per safeguard; `null` where nothing was decided.
    #[napi(js_name = "pass_rate", ts_type = "Record<string, number | null>")]
    pub pass_rate: BTreeMap<String, Either<f64, Null>>,
    /// FAIL findings in all.
    pub failures: u32,
}

impl From<&progress::TrendPoint> for TrendPoint {
    fn from(p: &progress::TrendPoint) -> Self {
        let progress::TrendPoint {
            generated_at,
            account,
            pass_rate,
            failures,
        } = p;
        TrendPoint {
            generated_at: timestamp(generated_at),
            account: nullable(account.clone()),
            pass_rate: pass_rate
                .iter()
                .map(|(k, v)| (k.clone(), nullable(*v)))
                .collect(),
            failures: count(*failures),
        }
    }
}

/// One resource of the risk register and why it matters.
#[napi(object)]
pub struct Asset {
    /// Resource ARN.
    pub arn: String,
    /// Readable name.
    pub name: String,
    /// Resource kind (`AwsS3Bucket`, `AwsAccount`, …).
    pub kind: String,
    /// Carries the PHI tag.
    pub phi: bool,
    /// A public-exposure control fails on it.
    pub public: bool,
    /// An encryption-at-rest control fails on it.
    pub unencrypted: bool,
    /// Failing findings on it.
    pub failures: u32,
    /// Findings that could not be decided.
    pub unknown: u32,
    /// Impact score 1–5 used to rank the inventory.
    pub impact: u32,
}

impl From<&risk::Asset> for Asset {
    fn from(a: &risk::Asset) -> Self {
        let risk::Asset {
            arn,
            name,
            kind,
            phi,
            public,
            unencrypted,
            failures,
            unknown,
            impact,
        } = a;
        Asset {
            arn: arn.clone(),
            name: name.clone(),
            kind: kind.clone(),
            phi: *phi,
            public: *public,
            unencrypted: *unencrypted,
            failures: count(*failures),
            unknown: count(*unknown),
            impact: u32::from(*impact),
        }
    }
}

/// One risk: a failing or undecidable control on a resource.
#[napi(object)]
pub struct Risk {
    /// Stable id (`control@resource`).
    pub id: String,
    /// Control id.
    #[napi(js_name = "control_id")]
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
    pub likelihood: u32,
    /// 1–5.
    pub impact: u32,
    /// likelihood × impact (1–25).
    pub score: u32,
    /// Who must act.
    pub owner: String,
    /// Fix by this date (`YYYY-MM-DD`).
    pub due: String,
    /// What to do.
    pub remediation: String,
}

impl From<&risk::Risk> for Risk {
    fn from(r: &risk::Risk) -> Self {
        let risk::Risk {
            id,
            control_id,
            title,
            resource,
            arn,
            citations,
            status,
            severity,
            likelihood,
            impact,
            score,
            owner,
            due,
            remediation,
        } = r;
        Risk {
            id: id.clone(),
            control_id: control_id.clone(),
            title: title.clone(),
            resource: resource.clone(),
            arn: arn.clone(),
            citations: citations.clone(),
            status: (*status).into(),
            severity: (*severity).into(),
            likelihood: u32::from(*likelihood),
            impact: u32::from(*impact),
            score: u32::from(*score),
            owner: owner.clone(),
            due: day(due),
            remediation: remediation.clone(),
        }
    }
}

/// The risk register: assets ranked by impact, and every FAIL or ERROR finding as a risk.
#[napi(object)]
pub struct RiskRegister {
    /// The day due dates count from (the report's evaluation date, `YYYY-MM-DD`).
    #[napi(js_name = "as_of")]
    pub as_of: String,
    /// Assets, highest impact first.
    pub assets: Vec<Asset>,
    /// Risks, highest score first.
    pub risks: Vec<Risk>,
}

impl From<&risk::RiskRegister> for RiskRegister {
    fn from(r: &risk::RiskRegister) -> Self {
        let risk::RiskRegister {
            as_of,
            assets,
            risks,
        } = r;
        RiskRegister {
            as_of: day(as_of),
            assets: assets.iter().map(Into::into).collect(),
            risks: risks.iter().map(Into::into).collect(),
        }
    }
}

/// One file of an evidence bundle and its digest.
#[napi(object)]
pub struct ManifestEntry {
    /// Path inside the zip.
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: f64,
}

impl From<&bundle::ManifestEntry> for ManifestEntry {
    fn from(e: &bundle::ManifestEntry) -> Self {
        let bundle::ManifestEntry {
            path,
            sha256,
            bytes,
        } = e;
        ManifestEntry {
            path: path.clone(),
            sha256: sha256.clone(),
            bytes: *bytes as f64,
        }
    }
}

/// An evidence bundle's table of contents (`manifest.json` in the zip).
#[napi(object)]
pub struct BundleManifest {
    /// Bundle format name (`hipaa-evidence-bundle/1`).
    pub format: String,
    /// When the bundle was written (RFC 3339).
    #[napi(js_name = "created_at")]
    pub created_at: String,
    /// Tool name and version.
    pub tool: String,
    /// HIPAA registry version.
    #[napi(js_name = "registry_version")]
    pub registry_version: String,
    /// Controls in force.
    #[napi(js_name = "controls_in_force")]
    pub controls_in_force: u32,
    /// Account evaluated, when known.
    pub account: Either<String, Null>,
    /// Every file but the manifest and its digest.
    pub files: Vec<ManifestEntry>,
}

impl From<&bundle::Manifest> for BundleManifest {
    fn from(m: &bundle::Manifest) -> Self {
        let bundle::Manifest {
            format,
            created_at,
            tool,
            registry_version,
            controls_in_force,
            account,
            files,
        } = m;
        BundleManifest {
            format: format.clone(),
            created_at: timestamp(created_at),
            tool: tool.clone(),
            registry_version: registry_version.clone(),
            controls_in_force: count(*controls_in_force),
            account: nullable(account.clone()),
            files: files.iter().map(Into::into).collect(),
        }
    }
}

/// The result of checking an evidence bundle against its manifest.
#[napi(object)]
pub struct BundleVerification {
    /// True when nothing changed.
    pub ok: bool,
    /// Whether `manifest.json` still matches `manifest.sha256`.
    #[napi(js_name = "manifest_intact")]
    pub manifest_intact: bool,
    /// Files whose content differs from the manifest (or cannot be read).
    pub changed: Vec<String>,
    /// Files listed in the manifest but absent.
    pub missing: Vec<String>,
    /// Files present but not in the manifest.
    pub unexpected: Vec<String>,
}

impl From<&bundle::Verification> for BundleVerification {
    fn from(v: &bundle::Verification) -> Self {
        let bundle::Verification {
            ok,
            manifest_intact,
            changed,
            missing,
            unexpected,
        } = v;
        BundleVerification {
            ok: *ok,
            manifest_intact: *manifest_intact,
            changed: changed.clone(),
            missing: missing.clone(),
            unexpected: unexpected.clone(),
        }
    }
}
