//! The TypeScript shape of a scope given as an object: the scope file's fields, as documented in
//! the README. These types only describe; the object itself is parsed and checked by `hipaa-core`
//! exactly like a TOML scope file (see `options::scope_from_object`), so Rust never builds them.
#![allow(dead_code)]

use crate::data::Attestation;
use crate::vocabulary::{BaaStatus, ScopeMode, Severity};
use napi_derive::napi;
use std::collections::BTreeMap;

/// What is in scope: accounts and their BAA, regions, the PHI tag, exclusions, waivers, thresholds.
#[napi(object, object_to_js = false)]
pub struct ScopeFile {
    /// Regions to scan; empty means every region the account has enabled.
    pub regions: Option<Vec<String>>,
    /// Judge every resource, or only PHI-tagged ones (default `all`).
    pub mode: Option<ScopeMode>,
    /// ARN or id patterns (`*` wildcard) never judged.
    pub exclude: Option<Vec<String>>,
    /// The AWS accounts and their BAA status.
    pub accounts: Option<Vec<AccountScope>>,
    /// How a resource is recognised as holding PHI.
    pub phi: Option<PhiRule>,
    /// Numeric limits used by the rules.
    pub thresholds: Option<Thresholds>,
    /// Catalog adjustments.
    pub controls: Option<ControlSettings>,
    /// Accepted, time-bound exceptions.
    pub waivers: Option<Vec<Waiver>>,
    /// Attestations for MANUAL controls (`[[attestation]]` in the file).
    pub attestation: Option<Vec<Attestation>>,
    /// Days allowed to fix a failure, by severity (the risk register's due dates).
    #[napi(js_name = "remediation_days")]
    pub remediation_days: Option<RemediationDays>,
    /// Signed BAAs recorded by hand, for when AWS Artifact cannot show them (`[[baa]]` in the file).
    pub baa: Option<Vec<BaaRecord>>,
}

/// A signed Business Associate Addendum recorded in the scope.
#[napi(object, object_to_js = false)]
pub struct BaaRecord {
    /// `account`, `organization` or `custom` (negotiated outside AWS Artifact).
    pub kind: String,
    /// The day it took effect, `YYYY-MM-DD`.
    pub effective: String,
    /// The 12-digit accounts it covers.
    pub accounts: Vec<String>,
    /// Where the signed copy is archived.
    #[napi(js_name = "archived_at")]
    pub archived_at: String,
    /// Who recorded it.
    #[napi(js_name = "recorded_by")]
    pub recorded_by: Option<String>,
}

/// One account and whether a signed BAA covers it.
#[napi(object, object_to_js = false)]
pub struct AccountScope {
    /// 12-digit account id.
    pub id: String,
    /// A readable name.
    pub name: Option<String>,
    /// BAA status.
    pub baa: BaaStatus,
    /// Whether the account may hold ePHI (default true).
    #[napi(js_name = "holds_phi")]
    pub holds_phi: Option<bool>,
    /// Where the signed agreement is archived, for auditors.
    #[napi(js_name = "baa_reference")]
    pub baa_reference: Option<String>,
}

/// The tag that marks a resource as holding PHI.
#[napi(object, object_to_js = false)]
pub struct PhiRule {
    /// Tag key (default `DataClass`).
    #[napi(js_name = "tag_key")]
    pub tag_key: Option<String>,
    /// Values meaning PHI, case-insensitive (default `["PHI"]`).
    #[napi(js_name = "tag_values")]
    pub tag_values: Option<Vec<String>>,
}

/// Limits the rules use.
#[napi(object, object_to_js = false)]
pub struct Thresholds {
    /// Active access keys older than this fail `iam.access_key_rotation` (default 90).
    #[napi(js_name = "access_key_max_age_days")]
    pub access_key_max_age_days: Option<u32>,
    /// Active keys unused for this long fail `iam.access_key_unused` (default 90).
    #[napi(js_name = "access_key_unused_days")]
    pub access_key_unused_days: Option<u32>,
    /// Console passwords unused for this long fail `iam.unused_console_access` (default 90).
    #[napi(js_name = "console_unused_days")]
    pub console_unused_days: Option<u32>,
    /// Minimum console password length (default 14).
    #[napi(js_name = "password_min_length")]
    pub password_min_length: Option<u32>,
    /// Longest allowed password age (default 90).
    #[napi(js_name = "password_max_age_days")]
    pub password_max_age_days: Option<u32>,
    /// Minimum number of remembered passwords (default 24).
    #[napi(js_name = "password_reuse_prevention")]
    pub password_reuse_prevention: Option<u32>,
    /// CloudWatch Logs groups must keep events at least this long (default 365).
    #[napi(js_name = "log_retention_min_days")]
    pub log_retention_min_days: Option<u32>,
    /// AWS Backup rules must keep recovery points at least this long (default 35).
    #[napi(js_name = "backup_retention_min_days")]
    pub backup_retention_min_days: Option<u32>,
    /// AWS Backup rules must run at least this often, in hours (default 24).
    #[napi(js_name = "backup_max_interval_hours")]
    pub backup_max_interval_hours: Option<u32>,
    /// RDS automated backups must be kept at least this long (default 7).
    #[napi(js_name = "rds_backup_retention_min_days")]
    pub rds_backup_retention_min_days: Option<u32>,
    /// ACM certificates in use must stay valid at least this many more days (default 30).
    #[napi(js_name = "cert_expiry_min_days")]
    pub cert_expiry_min_days: Option<u32>,
}

/// Local adjustments to the catalog.
#[napi(object, object_to_js = false)]
pub struct ControlSettings {
    /// Control ids to turn off.
    pub disable: Option<Vec<String>>,
    /// Severity overrides by control id.
    pub severity: Option<BTreeMap<String, Severity>>,
    /// Extra catalog files (relative to the scope file; to the working directory for an object).
    #[napi(js_name = "extra_catalogs")]
    pub extra_catalogs: Option<Vec<String>>,
}

/// An accepted exception: a failing control on matching resources reports WAIVED until it expires.
#[napi(object, object_to_js = false)]
pub struct Waiver {
    /// The control id.
    pub control: String,
    /// ARN or id pattern (`*` wildcard).
    pub resource: String,
    /// Why the risk is accepted.
    pub justification: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver applies, `YYYY-MM-DD`.
    pub expires: String,
}

/// How long a failure of each severity may stay open before it is overdue.
#[napi(object, object_to_js = false)]
pub struct RemediationDays {
    /// Critical failures (default 7).
    pub critical: Option<u32>,
    /// High (default 30).
    pub high: Option<u32>,
    /// Medium (default 90).
    pub medium: Option<u32>,
    /// Low (default 180).
    pub low: Option<u32>,
    /// Informational (default 365).
    pub informational: Option<u32>,
}
