//! The small closed vocabularies every other module speaks: status, severity, owner, category.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Outcome of one control on one resource, so a report can tell "checked and fine" from "could not check".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Every read the control needs succeeded and the resource meets it.
    Pass,
    /// The evidence shows the resource does not meet the control.
    Fail,
    /// Insufficient data: a read the control needs failed (the message says which and why).
    Error,
    /// The control does not apply (out of scope, or nothing of this kind exists).
    NotApplicable,
    /// No API can show this; it needs a human attestation.
    Manual,
    /// AWS's side of the shared responsibility model, inherited through its attestations.
    Inherited,
    /// A failure covered by a current, justified waiver.
    Waived,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 7] = [
        Status::Fail,
        Status::Error,
        Status::Manual,
        Status::Waived,
        Status::Pass,
        Status::Inherited,
        Status::NotApplicable,
    ];

    /// The upper-case label used in JSON and tables.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::NotApplicable => "NOT_APPLICABLE",
            Status::Manual => "MANUAL",
            Status::Inherited => "INHERITED",
            Status::Waived => "WAIVED",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// How bad a failure is, so a pipeline can gate on a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; no direct exposure.
    Informational,
    /// Hardening gap with limited impact.
    Low,
    /// Weakens a safeguard; fix in the normal cycle.
    Medium,
    /// Likely path to ePHI exposure; fix soon.
    High,
    /// ePHI exposed or the account's root at risk; fix now.
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ];

    /// The lower-case name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s) || (s.eq_ignore_ascii_case("info") && *v == Severity::Informational))
            .ok_or_else(|| format!("unknown severity `{s}` (expected critical, high, medium, low or informational)"))
    }
}

/// Who must act under the AWS shared-responsibility model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    /// AWS operates it; the customer inherits it.
    Aws,
    /// The customer configures and operates it.
    Customer,
    /// AWS provides the mechanism, the customer must use it correctly.
    Shared,
}

impl Owner {
    /// The lower-case name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Owner::Aws => "aws",
            Owner::Customer => "customer",
            Owner::Shared => "shared",
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Which family of safeguard a Security Rule spec belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safeguard {
    /// 45 CFR 164.308.
    Administrative,
    /// 45 CFR 164.310.
    Physical,
    /// 45 CFR 164.312.
    Technical,
    /// 45 CFR 164.314.
    Organizational,
    /// 45 CFR 164.316.
    Documentation,
}

impl Safeguard {
    /// The lower-case name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Safeguard::Administrative => "administrative",
            Safeguard::Physical => "physical",
            Safeguard::Technical => "technical",
            Safeguard::Organizational => "organizational",
            Safeguard::Documentation => "documentation",
        }
    }
}

impl fmt::Display for Safeguard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The theme a control belongs to, for filtering and per-theme summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Stored data is encrypted.
    EncryptionAtRest,
    /// Data on the wire is encrypted.
    EncryptionInTransit,
    /// KMS keys rotate, stay usable and are tightly held.
    KeyManagement,
    /// Nothing is reachable by anyone on the internet.
    PublicExposure,
    /// People prove who they are with more than a password.
    IdentityMfa,
    /// Principals hold only the permissions they need.
    LeastPrivilege,
    /// Credentials are few, fresh and used.
    CredentialHygiene,
    /// Actions leave an audit trail.
    Logging,
    /// Someone is told when something goes wrong.
    Monitoring,
    /// Data can be restored after loss.
    BackupRecovery,
    /// Network paths are default-deny.
    Network,
    /// The BAA covers where ePHI lives.
    BaaScope,
    /// Policies, people and paperwork.
    Governance,
}

impl Category {
    /// Every category, in catalog order.
    pub const ALL: [Category; 13] = [
        Category::EncryptionAtRest,
        Category::EncryptionInTransit,
        Category::KeyManagement,
        Category::PublicExposure,
        Category::IdentityMfa,
        Category::LeastPrivilege,
        Category::CredentialHygiene,
        Category::Logging,
        Category::Monitoring,
        Category::BackupRecovery,
        Category::Network,
        Category::BaaScope,
        Category::Governance,
    ];

    /// The kebab-case name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Category::EncryptionAtRest => "encryption-at-rest",
            Category::EncryptionInTransit => "encryption-in-transit",
            Category::KeyManagement => "key-management",
            Category::PublicExposure => "public-exposure",
            Category::IdentityMfa => "identity-mfa",
            Category::LeastPrivilege => "least-privilege",
            Category::CredentialHygiene => "credential-hygiene",
            Category::Logging => "logging",
            Category::Monitoring => "monitoring",
            Category::BackupRecovery => "backup-recovery",
            Category::Network => "network",
            Category::BaaScope => "baa-scope",
            Category::Governance => "governance",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}
