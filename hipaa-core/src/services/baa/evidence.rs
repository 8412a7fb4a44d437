//! AWS Artifact evidence: the agreements the account (or its organization) accepted, the BAA
//! among them.

use crate::evidence::Fact;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What AWS Artifact says about the account's agreements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    /// Agreements in force or terminated (`ListCustomerAgreements`).
    pub agreements: Fact<Vec<Agreement>>,
}

/// One agreement accepted in AWS Artifact, as `ListCustomerAgreements` returns it.
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

impl Artifact {
    /// Nothing read: what an account scan without an Artifact section stands on.
    pub fn not_collected() -> Self {
        Artifact {
            agreements: crate::evidence::not_collected("AWS Artifact"),
        }
    }
}

impl crate::evidence::Section for Artifact {}
