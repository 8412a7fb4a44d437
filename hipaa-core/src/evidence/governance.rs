//! Governance evidence: AWS Artifact agreements, AWS Organizations (accounts, OUs, SCPs) and the
//! Resource Groups Tagging API inventory of tagged resources.

use super::{Fact, Tags};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Agreements accepted in AWS Artifact, as `ListCustomerAgreements` returns them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Customer-agreement id.
    pub id: String,
    /// Agreement name, e.g. `AWS Business Associate Addendum`.
    pub name: String,
    /// Customer-agreement ARN.
    pub arn: String,
    /// `ACTIVE`, `CUSTOMER_TERMINATED` or `AWS_TERMINATED`.
    pub state: String,
    /// `DEFAULT`, `CUSTOM` or `MODIFIED`.
    pub kind: String,
    /// The account that accepted it (account-level agreements).
    pub account: Option<String>,
    /// The organization that accepted it (organization-level agreements cover every member).
    pub organization_arn: Option<String>,
    /// When it took effect.
    pub effective_start: Option<DateTime<Utc>>,
    /// When it was terminated.
    pub effective_end: Option<DateTime<Utc>>,
}

impl Agreement {
    /// Whether this is a Business Associate Addendum (account or organization).
    pub fn is_baa(&self) -> bool {
        self.name
            .to_ascii_lowercase()
            .contains("business associate")
    }

    /// Whether it is in force.
    pub fn is_active(&self) -> bool {
        self.state.eq_ignore_ascii_case("ACTIVE")
    }
}

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

/// Resources the Resource Groups Tagging API knows in one region (those with tags).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedInventory {
    /// Region name.
    pub region: String,
    /// Every tagged resource of every service; unknown when `GetResources` failed.
    pub resources: Fact<Vec<TaggedResource>>,
}

/// One tagged resource: its ARN and tags, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaggedResource {
    /// Resource ARN.
    pub arn: String,
    /// Its tags.
    pub tags: Tags,
}

/// The service namespace of an ARN (`arn:aws:s3:::b` → `s3`).
pub fn arn_service(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_), Some(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// The account field of an ARN, when it has one (`arn:aws:kms:us-east-1:111122223333:key/k` →
/// `111122223333`).
pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The region field of an ARN, when it has one.
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}
