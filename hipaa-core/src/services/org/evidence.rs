//! AWS Organizations evidence: the organization, its accounts, the scanned account's parents
//! and the service control policies.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// What AWS Organizations says about the scanned account's organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationsEvidence {
    /// The organization; `None` when the account is not in one.
    pub organization: Fact<Option<Organization>>,
    /// Member accounts (readable from the management account or a delegated administrator).
    pub accounts: Fact<Vec<OrgAccount>>,
    /// The scanned account's parents, nearest first, ending with the root (`ou-…`, `r-…`).
    pub parents: Fact<Vec<String>>,
    /// Service control policies with their content and targets.
    pub scps: Fact<Vec<Scp>>,
}

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// Organization ARN.
    pub arn: String,
    /// The management account's id.
    pub management_account: String,
    /// `ALL` or `CONSOLIDATED_BILLING` (SCPs need `ALL`).
    pub feature_set: String,
}

/// A member account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAccount {
    /// Account id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, …
    pub status: String,
}

/// A service control policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scp {
    /// `p-…`.
    pub id: String,
    /// Policy name.
    pub name: String,
    /// Policy ARN.
    pub arn: String,
    /// Whether AWS manages it (`FullAWSAccess`).
    pub aws_managed: bool,
    /// The policy document.
    pub content: Fact<String>,
    /// Account, OU and root ids it is attached to.
    pub targets: Fact<Vec<String>>,
}

impl OrganizationsEvidence {
    /// Nothing read: what an account scan without an Organizations section stands on.
    pub fn not_collected() -> Self {
        OrganizationsEvidence {
            organization: crate::evidence::not_collected("AWS Organizations"),
            accounts: crate::evidence::not_collected("AWS Organizations"),
            parents: crate::evidence::not_collected("AWS Organizations"),
            scps: crate::evidence::not_collected("AWS Organizations"),
        }
    }
}

impl crate::evidence::Section for OrganizationsEvidence {}
