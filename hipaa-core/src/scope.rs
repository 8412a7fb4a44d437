//! What is in scope: accounts and their BAA, regions, the PHI tag, exclusions, waivers, thresholds.

use crate::error::{toml_message, Error, Result};
use crate::evidence::Tags;
use crate::vocabulary::Severity;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The user's statement of what holds ePHI and how strictly to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Regions to scan; empty means every region the account has enabled.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Judge every resource, or only PHI-tagged ones.
    #[serde(default)]
    pub mode: ScopeMode,
    /// ARN or id patterns (`*` wildcard) never judged.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The AWS accounts and their BAA status.
    #[serde(default)]
    pub accounts: Vec<AccountScope>,
    /// How a resource is recognised as holding PHI.
    #[serde(default)]
    pub phi: PhiRule,
    /// Numeric limits used by the rules.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Catalog adjustments.
    #[serde(default)]
    pub controls: ControlSettings,
    /// Accepted, time-bound exceptions.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// Attestations for MANUAL controls (also loadable from a separate file).
    #[serde(default, rename = "attestation")]
    pub attestations: Vec<crate::attest::Attestation>,
    /// Days allowed to fix a failure, by severity (the risk register's due dates).
    #[serde(default)]
    pub remediation_days: RemediationDays,
    /// Signed BAAs recorded by hand, for when AWS Artifact cannot be read (or for a negotiated BAA).
    #[serde(default)]
    pub baa: Vec<BaaAttestation>,
    /// How an organization scan chooses and reaches member accounts (`[organization]`).
    #[serde(default, skip_serializing_if = "OrganizationScope::is_default")]
    pub organization: OrganizationScope,
}

/// Which member accounts an organization scan reads and how it reaches them: one role in every
/// member, assumed from the management (or delegated administrator) account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationScope {
    /// Only these accounts (12-digit ids); empty: every account of the organization.
    #[serde(default)]
    pub include: Vec<String>,
    /// Never these accounts, even when included.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Only accounts under these OUs (`ou-…`, or the root `r-…`) and their children; empty: all.
    #[serde(default)]
    pub ous: Vec<String>,
    /// The role assumed in each member account.
    #[serde(default = "default_role_name")]
    pub role_name: String,
    /// The external id the role's trust policy asks for, if any.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The session name the member accounts' CloudTrail records for the scan.
    #[serde(default = "default_session_name")]
    pub session_name: String,
}

/// The role AWS Organizations creates in every account it creates.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

fn default_role_name() -> String {
    DEFAULT_ROLE_NAME.into()
}

fn default_session_name() -> String {
    "hipaa-aws-scan".into()
}

impl Default for OrganizationScope {
    fn default() -> Self {
        OrganizationScope {
            include: Vec::new(),
            exclude: Vec::new(),
            ous: Vec::new(),
            role_name: default_role_name(),
            external_id: None,
            session_name: default_session_name(),
        }
    }
}

impl OrganizationScope {
    fn is_default(&self) -> bool {
        *self == OrganizationScope::default()
    }

    /// Whether the include/exclude lists let this account be scanned.
    pub fn admits(&self, account: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|a| a == account))
            && !self.exclude.iter().any(|a| a == account)
    }

    fn check(&self) -> std::result::Result<(), String> {
        for (list, ids) in [("include", &self.include), ("exclude", &self.exclude)] {
            if let Some(bad) = ids.iter().find(|a| !is_account_id(a)) {
                return Err(format!(
                    "[organization] {list}: account id `{bad}` is not 12 digits"
                ));
            }
        }
        if let Some(bad) = self.ous.iter().find(|o| !is_parent_id(o)) {
            return Err(format!(
                "[organization] ous: `{bad}` is not an OU id (`ou-…`) or a root id (`r-…`)"
            ));
        }
        let iam_name = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        };
        if self.role_name.is_empty() || self.role_name.len() > 64 || !iam_name(&self.role_name) {
            return Err(format!(
                "[organization] role_name `{}` is not an IAM role name (1-64 letters, digits or +=,.@_-)",
                self.role_name
            ));
        }
        if !(2..=64).contains(&self.session_name.len()) || !iam_name(&self.session_name) {
            return Err(format!(
                "[organization] session_name `{}` must be 2-64 letters, digits or +=,.@_-",
                self.session_name
            ));
        }
        if let Some(x) = &self.external_id {
            let ok = (2..=1224).contains(&x.len())
                && x.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@:/_-".contains(c));
            if !ok {
                return Err(
                    "[organization] external_id must be 2-1224 letters, digits or +=,.@:/_-".into(),
                );
            }
        }
        Ok(())
    }
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

/// An OU (`ou-…`) or root (`r-…`) id as AWS Organizations writes them.
pub fn is_parent_id(s: &str) -> bool {
    let rest = s.strip_prefix("ou-").or_else(|| s.strip_prefix("r-"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

/// A signed Business Associate Addendum, as the user records it when the Artifact API cannot show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaaAttestation {
    /// Account-level, organization-level or a custom (negotiated) agreement.
    pub kind: BaaKind,
    /// The day it took effect.
    #[serde(deserialize_with = "date_from_toml")]
    pub effective: NaiveDate,
    /// The 12-digit accounts it covers.
    pub accounts: Vec<String>,
    /// Where the signed copy is archived (document system, path, ticket).
    pub archived_at: String,
    /// Who recorded it.
    #[serde(default)]
    pub recorded_by: Option<String>,
}

/// Which kind of BAA an attestation records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaaKind {
    /// Accepted for one account in AWS Artifact.
    Account,
    /// Accepted for the whole organization in AWS Artifact.
    Organization,
    /// Negotiated and signed outside Artifact.
    Custom,
}

impl BaaKind {
    /// A readable label.
    pub fn label(self) -> &'static str {
        match self {
            BaaKind::Account => "account BAA",
            BaaKind::Organization => "organization BAA",
            BaaKind::Custom => "custom BAA",
        }
    }
}

/// How long a failure of each severity may stay open before it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RemediationDays {
    /// Critical failures.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
    /// Low.
    pub low: u32,
    /// Informational.
    pub informational: u32,
}

impl Default for RemediationDays {
    fn default() -> Self {
        RemediationDays {
            critical: 7,
            high: 30,
            medium: 90,
            low: 180,
            informational: 365,
        }
    }
}

impl RemediationDays {
    /// Days allowed for a severity.
    pub fn for_severity(&self, s: Severity) -> u32 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Informational => self.informational,
        }
    }
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            regions: Vec::new(),
            mode: ScopeMode::All,
            exclude: Vec::new(),
            accounts: Vec::new(),
            phi: PhiRule::default(),
            thresholds: Thresholds::default(),
            controls: ControlSettings::default(),
            waivers: Vec::new(),
            attestations: Vec::new(),
            remediation_days: RemediationDays::default(),
            baa: Vec::new(),
            organization: OrganizationScope::default(),
        }
    }
}

/// Which resources the resource-level controls judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeMode {
    /// Every resource (the safe default: untagged ePHI is still judged).
    #[default]
    All,
    /// Only resources carrying the PHI tag; others are NOT_APPLICABLE.
    PhiOnly,
}

/// One account and whether a signed BAA covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountScope {
    /// 12-digit account id.
    pub id: String,
    /// A readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// BAA status.
    pub baa: BaaStatus,
    /// Whether the account may hold ePHI.
    #[serde(default = "yes")]
    pub holds_phi: bool,
    /// Where the signed agreement is archived, for auditors.
    #[serde(default)]
    pub baa_reference: Option<String>,
}

fn yes() -> bool {
    true
}

/// Whether a signed AWS BAA covers an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaaStatus {
    /// Accepted in AWS Artifact (account or organization agreement).
    Signed,
    /// Known not to be covered.
    NotSigned,
    /// Not yet established.
    Unknown,
}

/// The tag that marks a resource as holding PHI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhiRule {
    /// Tag key, `DataClass` by default.
    #[serde(default = "default_tag_key")]
    pub tag_key: String,
    /// Values meaning PHI (case-insensitive), `PHI` by default.
    #[serde(default = "default_tag_values")]
    pub tag_values: Vec<String>,
}

fn default_tag_key() -> String {
    "DataClass".into()
}

fn default_tag_values() -> Vec<String> {
    vec!["PHI".into()]
}

impl Default for PhiRule {
    fn default() -> Self {
        PhiRule {
            tag_key: default_tag_key(),
            tag_values: default_tag_values(),
        }
    }
}

impl PhiRule {
    /// Whether these tags mark a resource as holding PHI.
    pub fn matches(&self, tags: &Tags) -> bool {
        tags.get(&self.tag_key).is_some_and(|v| {
            self.tag_values
                .iter()
                .any(|w| w.eq_ignore_ascii_case(v.trim()))
        })
    }
}

/// Limits the rules use; defaults follow common HIPAA practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Active access keys older than this fail `iam.access_key_rotation`.
    pub access_key_max_age_days: u32,
    /// Active keys unused for this long fail `iam.access_key_unused`.
    pub access_key_unused_days: u32,
    /// Console passwords unused for this long fail `iam.unused_console_access`.
    pub console_unused_days: u32,
    /// Minimum console password length.
    pub password_min_length: u32,
    /// Longest allowed password age.
    pub password_max_age_days: u32,
    /// Minimum number of remembered passwords.
    pub password_reuse_prevention: u32,
    /// CloudWatch Logs groups must keep events at least this long (never-expire is flagged too).
    pub log_retention_min_days: u32,
    /// AWS Backup rules must keep recovery points at least this long.
    pub backup_retention_min_days: u32,
    /// AWS Backup rules must run at least this often.
    pub backup_max_interval_hours: u32,
    /// RDS automated backups must be kept at least this long (1-35 days).
    pub rds_backup_retention_min_days: u32,
    /// ACM certificates in use must stay valid at least this many more days
    /// (`acm.cert_not_expiring`); ACM renews the certificates it issued 60 days ahead, so one
    /// inside the window has a renewal that is not happening (default 30).
    pub cert_expiry_min_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            access_key_max_age_days: 90,
            access_key_unused_days: 90,
            console_unused_days: 90,
            password_min_length: 14,
            password_max_age_days: 90,
            password_reuse_prevention: 24,
            log_retention_min_days: 365,
            backup_retention_min_days: 35,
            backup_max_interval_hours: 24,
            rds_backup_retention_min_days: 7,
            cert_expiry_min_days: 30,
        }
    }
}

/// Local adjustments to the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ControlSettings {
    /// Control ids to turn off.
    pub disable: Vec<String>,
    /// Severity overrides by control id.
    pub severity: BTreeMap<String, Severity>,
    /// Extra catalog files, relative to the scope file.
    pub extra_catalogs: Vec<String>,
}

/// An accepted exception: a failing control on matching resources reports WAIVED until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The control id.
    pub control: String,
    /// ARN or id pattern (`*` wildcard).
    pub resource: String,
    /// Why the risk is accepted.
    pub justification: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver applies.
    #[serde(deserialize_with = "date_from_toml")]
    pub expires: NaiveDate,
}

impl Waiver {
    /// Whether the waiver still applies on `today`.
    pub fn is_active(&self, today: NaiveDate) -> bool {
        today <= self.expires
    }

    /// Whether it covers this control and resource.
    pub fn covers(&self, control_id: &str, arn: &str, id: &str) -> bool {
        self.control == control_id
            && (crate::aws::glob::wildcard(&self.resource, arn)
                || crate::aws::glob::wildcard(&self.resource, id))
    }
}

pub(crate) fn date_from_toml<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<NaiveDate, D::Error> {
    let v = toml::Value::deserialize(d)?;
    let text = match v {
        toml::Value::String(s) => s,
        toml::Value::Datetime(dt) => dt.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a date like 2027-06-30, found {}",
                other.type_str()
            )))
        }
    };
    NaiveDate::parse_from_str(text.get(..10).unwrap_or(&text), "%Y-%m-%d").map_err(|_| {
        serde::de::Error::custom(format!("expected a date like 2027-06-30, found `{text}`"))
    })
}

impl Scope {
    /// Parse a scope TOML text; `path` names the file in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<Scope> {
        let scope: Scope = toml::from_str(text).map_err(|e| Error::Scope {
            path: path.into(),
            message: toml_message(&e, text),
        })?;
        scope.validate(path)?;
        Ok(scope)
    }

    /// Load a scope file.
    pub fn load(path: &Path) -> Result<Scope> {
        let text = crate::audit::read_text(path)?;
        Scope::from_toml(&text, &path.display().to_string())
    }

    /// Check what the types alone cannot (12-digit account ids, non-empty waiver fields, dated
    /// attestations), so a scope built in code or by a binding is judged exactly like a file;
    /// `source` names it in the error.
    pub fn validate(&self, source: &str) -> Result<()> {
        self.check().map_err(|message| Error::Scope {
            path: source.into(),
            message,
        })
    }

    fn check(&self) -> std::result::Result<(), String> {
        for a in &self.accounts {
            if a.id.len() != 12 || !a.id.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!("account id `{}` is not 12 digits", a.id));
            }
        }
        if self.phi.tag_key.trim().is_empty() || self.phi.tag_values.is_empty() {
            return Err("`phi.tag_key` and `phi.tag_values` must not be empty".into());
        }
        for a in &self.attestations {
            a.validate()?;
        }
        for b in &self.baa {
            if b.accounts.is_empty() {
                return Err("a [[baa]] entry must list the `accounts` it covers".into());
            }
            if let Some(bad) = b
                .accounts
                .iter()
                .find(|a| a.len() != 12 || !a.chars().all(|c| c.is_ascii_digit()))
            {
                return Err(format!("[[baa]] account id `{bad}` is not 12 digits"));
            }
            if b.archived_at.trim().is_empty() {
                return Err(
                    "a [[baa]] entry needs `archived_at`: where the signed copy is kept".into(),
                );
            }
        }
        self.organization.check()?;
        for w in &self.waivers {
            for (field, v) in [
                ("control", &w.control),
                ("resource", &w.resource),
                ("justification", &w.justification),
                ("owner", &w.owner),
            ] {
                if v.trim().is_empty() {
                    return Err(format!("waiver for `{}`: `{field}` is empty", w.control));
                }
            }
        }
        Ok(())
    }

    /// Whether a resource matches an exclusion pattern.
    pub fn is_excluded(&self, arn: &str, id: &str) -> bool {
        self.exclude
            .iter()
            .any(|p| crate::aws::glob::wildcard(p, arn) || crate::aws::glob::wildcard(p, id))
    }

    /// The scope entry for an account.
    pub fn account(&self, id: &str) -> Option<&AccountScope> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The scope one account of an organization scan is judged under: its own `[[accounts]]`
    /// entry only, so each account's findings are about itself (the organization controls judge
    /// the BAA of every account once).
    pub fn for_member(&self, id: &str) -> Scope {
        let mut s = self.clone();
        s.accounts.retain(|a| a.id == id);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
regions = ["us-east-1"]
mode = "phi-only"
exclude = ["arn:aws:s3:::sandbox-*"]

[[accounts]]
id = "123456789012"
name = "prod"
baa = "signed"

[phi]
tag_key = "Classification"
tag_values = ["phi", "ephi"]

[thresholds]
access_key_max_age_days = 30

[controls]
disable = ["s3.object_lock"]
severity = { "s3.replication" = "high" }

[[waivers]]
control = "s3.access_logging"
resource = "arn:aws:s3:::logs-*"
justification = "log buckets do not log themselves"
owner = "sec@example.com"
expires = 2027-06-30
"#;

    #[test]
    fn full_scope_parses() {
        let s = Scope::from_toml(FULL, "scope.toml").unwrap();
        assert_eq!(s.mode, ScopeMode::PhiOnly);
        assert_eq!(s.accounts[0].baa, BaaStatus::Signed);
        assert!(s.accounts[0].holds_phi);
        assert_eq!(s.thresholds.access_key_max_age_days, 30);
        assert_eq!(s.thresholds.password_min_length, 14);
        assert_eq!(s.controls.severity["s3.replication"], Severity::High);
        let w = &s.waivers[0];
        assert!(w.covers("s3.access_logging", "arn:aws:s3:::logs-a", "logs-a"));
        assert!(w.is_active(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()));
        assert!(!w.is_active(NaiveDate::from_ymd_opt(2027, 7, 1).unwrap()));
        assert!(s.is_excluded("arn:aws:s3:::sandbox-1", "sandbox-1"));
        let mut tags = Tags::new();
        tags.insert("Classification".into(), "ePHI".into());
        assert!(s.phi.matches(&tags));
    }

    #[test]
    fn empty_scope_has_safe_defaults() {
        let s = Scope::from_toml("", "s.toml").unwrap();
        assert_eq!(s, Scope::default());
        assert_eq!(s.mode, ScopeMode::All);
        assert_eq!(s.phi.tag_key, "DataClass");
    }

    #[test]
    fn malformed_scope_names_file_and_line() {
        let e = Scope::from_toml(
            "regions = [\"us-east-1\"]\nmode = \"sometimes\"\n",
            "my-scope.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("my-scope.toml") && e.contains("line 2"), "{e}");
        let e = Scope::from_toml("[[accounts]]\nid = \"12\"\nbaa = \"signed\"\n", "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not 12 digits"), "{e}");
        let e = Scope::from_toml("[[waivers]]\ncontrol = \"a.b\"\nresource = \"*\"\njustification = \"j\"\nowner = \"o\"\nexpires = \"soon\"\n", "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("2027-06-30") && e.contains("line"), "{e}");
        let e = Scope::from_toml("colour = \"blue\"\n", "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn organization_section_has_defaults_and_is_checked() {
        let s = Scope::from_toml("", "s.toml").unwrap();
        assert_eq!(s.organization.role_name, "OrganizationAccountAccessRole");
        assert!(s.organization.admits("111122223333"));
        let text = "[organization]\ninclude = [\"111122223333\", \"444455556666\"]\nexclude = [\"444455556666\"]\nous = [\"ou-ab12-cd34ef56\"]\nrole_name = \"HipaaAudit\"\nexternal_id = \"scan-2026\"\nsession_name = \"audit\"\n";
        let s = Scope::from_toml(text, "s.toml").unwrap();
        assert!(s.organization.admits("111122223333"));
        assert!(!s.organization.admits("444455556666"));
        assert!(!s.organization.admits("777788889999"));
        assert_eq!(s.organization.external_id.as_deref(), Some("scan-2026"));
        for (bad, want) in [
            ("[organization]\ninclude = [\"12\"]\n", "not 12 digits"),
            ("[organization]\nous = [\"sandbox\"]\n", "not an OU id"),
            (
                "[organization]\nrole_name = \"my role\"\n",
                "not an IAM role name",
            ),
            ("[organization]\nsession_name = \"x\"\n", "session_name"),
            ("[organization]\nexternal_id = \"a b\"\n", "external_id"),
            ("[organization]\nrole = \"x\"\n", "role"),
        ] {
            let e = Scope::from_toml(bad, "org.toml").unwrap_err().to_string();
            assert!(e.contains("org.toml") && e.contains(want), "{e}");
        }
        // The section round-trips, and a scope without it writes none.
        let back: Scope = toml::from_str(&toml::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        assert!(!toml::to_string(&Scope::default())
            .unwrap()
            .contains("organization"));
        let member = s.for_member("111122223333");
        assert!(member.accounts.is_empty());
    }

    #[test]
    fn inline_attestations_are_checked_like_an_attestations_file() {
        let bad = "[[attestation]]\ncontrol = \"admin.risk_analysis\"\nby = \"\"\ndate = 2026-01-01\nevidence = \"e\"\nexpires = 2027-01-01\n";
        let e = Scope::from_toml(bad, "s.toml").unwrap_err().to_string();
        assert!(e.contains("needs `by`"), "{e}");
        let bad = "[[attestation]]\ncontrol = \"admin.risk_analysis\"\nby = \"J\"\ndate = 2026-01-01\nevidence = \"e\"\nexpires = 2025-01-01\n";
        assert!(Scope::from_toml(bad, "s.toml")
            .unwrap_err()
            .to_string()
            .contains("expires before"));
    }
}
