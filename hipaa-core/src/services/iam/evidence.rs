//! IAM evidence: account summary, password policy, credential report and authorization details.

use crate::evidence::Fact;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Everything a scan learned about IAM in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamEvidence {
    /// From `GetAccountSummary`.
    pub summary: Fact<AccountSummary>,
    /// From `GetAccountPasswordPolicy`; `None` when the account has no policy.
    pub password_policy: Fact<Option<PasswordPolicy>>,
    /// From the IAM credential report.
    pub credential_report: Fact<Vec<CredentialRow>>,
    /// From `GetAccountAuthorizationDetails`.
    pub authorization: Fact<AuthorizationDetails>,
}

/// The root-account facts of `GetAccountSummary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// Root has an MFA device.
    pub root_mfa_enabled: bool,
    /// Root has access keys.
    pub root_access_keys_present: bool,
}

/// The account password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum length.
    pub minimum_length: u32,
    /// Needs an upper-case letter.
    pub require_uppercase: bool,
    /// Needs a lower-case letter.
    pub require_lowercase: bool,
    /// Needs a digit.
    pub require_numbers: bool,
    /// Needs a symbol.
    pub require_symbols: bool,
    /// Days before a password expires; `None` when passwords never expire.
    pub max_age_days: Option<u32>,
    /// Previous passwords that cannot be reused; `None` when reuse is allowed.
    pub reuse_prevention: Option<u32>,
}

/// One row of the credential report (root's row included when AWS returns it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRow {
    /// User name (`<root_account>` for root).
    pub user: String,
    /// User ARN.
    pub arn: String,
    /// Console password set; `None` for root, where AWS reports `not_supported`.
    pub password_enabled: Option<bool>,
    /// An MFA device is active.
    pub mfa_active: bool,
    /// The two access-key slots.
    pub access_keys: Vec<AccessKeyInfo>,
    /// When the console password was last used and set; `None` in snapshots written before
    /// these columns were kept (the console-use rule is then ERROR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_dates: Option<PasswordDates>,
}

/// The credential report's sign-in dates of one user, for the unused-console-access rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordDates {
    /// `password_last_used`; `None` when never used (`N/A`) or not recorded (`no_information`).
    pub last_used: Option<DateTime<Utc>>,
    /// `password_last_changed`: when the current password was set.
    pub last_changed: Option<DateTime<Utc>>,
    /// `user_creation_time`.
    pub user_created: Option<DateTime<Utc>>,
}

/// One access-key slot of the credential report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyInfo {
    /// Slot number (1 or 2).
    pub slot: u8,
    /// Key is active.
    pub active: bool,
    /// When the key was created or last rotated.
    pub last_rotated: Option<DateTime<Utc>>,
    /// When the key was last used; `None` when never used.
    pub last_used: Option<DateTime<Utc>>,
}

/// Users, groups, roles and managed policies with their attachments and documents.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthorizationDetails {
    /// IAM users.
    pub users: Vec<Principal>,
    /// IAM groups.
    pub groups: Vec<Principal>,
    /// IAM roles.
    pub roles: Vec<Principal>,
    /// Managed policies (customer-managed, and AWS-managed ones that are attached).
    pub policies: Vec<ManagedPolicy>,
}

/// A user, group or role and the policies it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// Name.
    pub name: String,
    /// ARN.
    pub arn: String,
    /// Path (`/aws-service-role/` marks service-linked roles).
    pub path: String,
    /// Attached managed policies.
    pub attached: Vec<AttachedPolicy>,
    /// Inline policies with their documents.
    pub inline: Vec<InlinePolicy>,
    /// For users: the groups they belong to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// For roles: the trust policy (who may assume it); `None` for users and groups, and for
    /// roles in snapshots written before it was kept (the trust rule is then ERROR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_policy: Option<String>,
}

/// A managed policy attached to a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    /// Policy name.
    pub name: String,
    /// Policy ARN.
    pub arn: String,
}

impl AttachedPolicy {
    /// AWS-managed policies live under `arn:<partition>:iam::aws:policy/`.
    pub fn is_aws_managed(&self) -> bool {
        self.arn.contains(":iam::aws:policy/")
    }
}

/// An inline policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlinePolicy {
    /// Policy name.
    pub name: String,
    /// Policy document (JSON or IAM's URL-encoded JSON).
    pub document: String,
}

/// A managed policy and its default version's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Policy name.
    pub name: String,
    /// Policy ARN.
    pub arn: String,
    /// How many principals it is attached to; `None` when AWS did not say.
    pub attachment_count: Option<u32>,
    /// The default version's document; `None` when AWS did not return it.
    pub document: Option<String>,
}

impl ManagedPolicy {
    /// AWS-managed policies live under `arn:<partition>:iam::aws:policy/`.
    pub fn is_aws_managed(&self) -> bool {
        self.arn.contains(":iam::aws:policy/")
    }
}

impl crate::evidence::Section for IamEvidence {}
