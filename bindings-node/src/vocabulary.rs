//! The core's closed vocabularies as TypeScript string-literal unions, spelled as in the report JSON.

use napi_derive::napi;

/// Outcome of one control on one resource.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every read the control needs succeeded and the resource meets it.
    #[napi(value = "PASS")]
    Pass,
    /// The evidence shows the resource does not meet the control.
    #[napi(value = "FAIL")]
    Fail,
    /// Insufficient data: a read the control needs failed.
    #[napi(value = "ERROR")]
    Error,
    /// Out of scope, or nothing of this kind exists.
    #[napi(value = "NOT_APPLICABLE")]
    NotApplicable,
    /// No API can show it: needs an attestation.
    #[napi(value = "MANUAL")]
    Manual,
    /// AWS's side of the shared-responsibility model.
    #[napi(value = "INHERITED")]
    Inherited,
    /// A FAIL covered by a current waiver.
    #[napi(value = "WAIVED")]
    Waived,
}

impl From<hipaa_core::Status> for Status {
    fn from(s: hipaa_core::Status) -> Self {
        use hipaa_core::Status as S;
        match s {
            S::Pass => Status::Pass,
            S::Fail => Status::Fail,
            S::Error => Status::Error,
            S::NotApplicable => Status::NotApplicable,
            S::Manual => Status::Manual,
            S::Inherited => Status::Inherited,
            S::Waived => Status::Waived,
        }
    }
}

/// How bad a failure is.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Worth knowing; no direct exposure.
    Informational,
    /// Hardening gap with limited impact.
    Low,
    /// Weakens a safeguard.
    Medium,
    /// Likely path to ePHI exposure.
    High,
    /// ePHI exposed or the account's root at risk.
    Critical,
}

impl From<hipaa_core::Severity> for Severity {
    fn from(s: hipaa_core::Severity) -> Self {
        use hipaa_core::Severity as S;
        match s {
            S::Informational => Severity::Informational,
            S::Low => Severity::Low,
            S::Medium => Severity::Medium,
            S::High => Severity::High,
            S::Critical => Severity::Critical,
        }
    }
}

/// Who must act under the AWS shared-responsibility model.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// AWS operates it; the customer inherits it.
    Aws,
    /// The customer configures and operates it.
    Customer,
    /// AWS provides the mechanism, the customer must use it correctly.
    Shared,
}

impl From<hipaa_core::Owner> for Owner {
    fn from(o: hipaa_core::Owner) -> Self {
        use hipaa_core::Owner as O;
        match o {
            O::Aws => Owner::Aws,
            O::Customer => Owner::Customer,
            O::Shared => Owner::Shared,
        }
    }
}

/// Which family of safeguard a Security Rule spec belongs to.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl From<hipaa_core::Safeguard> for Safeguard {
    fn from(s: hipaa_core::Safeguard) -> Self {
        use hipaa_core::Safeguard as S;
        match s {
            S::Administrative => Safeguard::Administrative,
            S::Physical => Safeguard::Physical,
            S::Technical => Safeguard::Technical,
            S::Organizational => Safeguard::Organizational,
            S::Documentation => Safeguard::Documentation,
        }
    }
}

/// The theme a control belongs to.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl From<hipaa_core::Category> for Category {
    fn from(c: hipaa_core::Category) -> Self {
        use hipaa_core::Category as C;
        match c {
            C::EncryptionAtRest => Category::EncryptionAtRest,
            C::EncryptionInTransit => Category::EncryptionInTransit,
            C::KeyManagement => Category::KeyManagement,
            C::PublicExposure => Category::PublicExposure,
            C::IdentityMfa => Category::IdentityMfa,
            C::LeastPrivilege => Category::LeastPrivilege,
            C::CredentialHygiene => Category::CredentialHygiene,
            C::Logging => Category::Logging,
            C::Monitoring => Category::Monitoring,
            C::BackupRecovery => Category::BackupRecovery,
            C::Network => Category::Network,
            C::BaaScope => Category::BaaScope,
            C::Governance => Category::Governance,
        }
    }
}

/// Why a read failed (the class of an ERROR finding).
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownReason {
    /// The caller lacks permission.
    AccessDenied,
    /// Throttling outlived the retries.
    Throttled,
    /// The region is disabled or not opted in.
    RegionDisabled,
    /// The answer could not be parsed.
    ParseError,
    /// The endpoint could not be reached or timed out.
    Unreachable,
    /// The service answered with an unclassified error.
    ServiceError,
    /// The read was never attempted.
    NotCollected,
    /// Infrastructure code leaves the value open until it is deployed.
    UnknownUntilApply,
}

impl From<hipaa_core::UnknownReason> for UnknownReason {
    fn from(r: hipaa_core::UnknownReason) -> Self {
        use hipaa_core::UnknownReason as R;
        match r {
            R::AccessDenied => UnknownReason::AccessDenied,
            R::Throttled => UnknownReason::Throttled,
            R::RegionDisabled => UnknownReason::RegionDisabled,
            R::ParseError => UnknownReason::ParseError,
            R::Unreachable => UnknownReason::Unreachable,
            R::ServiceError => UnknownReason::ServiceError,
            R::NotCollected => UnknownReason::NotCollected,
            R::UnknownUntilApply => UnknownReason::UnknownUntilApply,
        }
    }
}

/// Judge every resource, or only PHI-tagged ones.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeMode {
    /// Every resource.
    All,
    /// Only resources carrying the PHI tag.
    PhiOnly,
}

impl From<hipaa_core::scope::ScopeMode> for ScopeMode {
    fn from(m: hipaa_core::scope::ScopeMode) -> Self {
        use hipaa_core::scope::ScopeMode as M;
        match m {
            M::All => ScopeMode::All,
            M::PhiOnly => ScopeMode::PhiOnly,
        }
    }
}

/// Whether a signed AWS BAA covers an account.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaaStatus {
    /// Accepted in AWS Artifact.
    Signed,
    /// Known not to be covered.
    NotSigned,
    /// Not yet established.
    Unknown,
}

/// How a control is decided.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// A rule over collected evidence decides it.
    Automated,
    /// Only a human attestation can show it.
    Manual,
    /// AWS meets it; the customer inherits it.
    Inherited,
    /// A rule over every account of an organization decides it, once.
    Organization,
}

impl From<hipaa_core::CheckKind> for CheckKind {
    fn from(k: hipaa_core::CheckKind) -> Self {
        use hipaa_core::CheckKind as K;
        match k {
            K::Automated => CheckKind::Automated,
            K::Manual => CheckKind::Manual,
            K::Inherited => CheckKind::Inherited,
            K::Organization => CheckKind::Organization,
        }
    }
}

/// A standard or one of its implementation specifications.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecKind {
    /// A standard.
    Standard,
    /// An implementation specification under a standard.
    Implementation,
}

impl From<hipaa_core::registry::SpecKind> for SpecKind {
    fn from(k: hipaa_core::registry::SpecKind) -> Self {
        use hipaa_core::registry::SpecKind as K;
        match k {
            K::Standard => SpecKind::Standard,
            K::Implementation => SpecKind::Implementation,
        }
    }
}

/// Required specs must be met; addressable ones met or documented as not reasonable.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Must be implemented.
    Required,
    /// Implement, or document why an alternative is reasonable.
    Addressable,
}

impl From<hipaa_core::registry::Requirement> for Requirement {
    fn from(r: hipaa_core::registry::Requirement) -> Self {
        use hipaa_core::registry::Requirement as R;
        match r {
            R::Required => Requirement::Required,
            R::Addressable => Requirement::Addressable,
        }
    }
}

/// The output formats of `Report.format`: every format the core renders.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The stable report JSON (schema 1.x), as `hipaa scan --format json` prints it.
    Json,
    /// A Markdown document for tickets and wikis.
    Markdown,
    /// The CLI's aligned terminal table, without colours.
    Table,
    /// One row per finding, spreadsheet-ready.
    Csv,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// OCSF Compliance Finding events, one JSON object per line.
    Ocsf,
    /// AWS Security Finding Format, for Security Hub `BatchImportFindings`.
    Asff,
    /// JUnit XML for CI test reports.
    Junit,
    /// A self-contained HTML report for auditors.
    Html,
}

/// Keeps the union in step with the core: a new core format fails to compile here.
impl From<hipaa_core::report::Format> for ReportFormat {
    fn from(f: hipaa_core::report::Format) -> Self {
        use hipaa_core::report::Format as F;
        match f {
            F::Json => ReportFormat::Json,
            F::Markdown => ReportFormat::Markdown,
            F::Table => ReportFormat::Table,
            F::Csv => ReportFormat::Csv,
            F::Sarif => ReportFormat::Sarif,
            F::Ocsf => ReportFormat::Ocsf,
            F::Asff => ReportFormat::Asff,
            F::Junit => ReportFormat::Junit,
            F::Html => ReportFormat::Html,
        }
    }
}
