//! AWS Security Hub evidence: the subscription and its enabled standards, per region.

use crate::evidence::{Fact, Unknown, UnknownReason};
use serde::{Deserialize, Serialize};

/// One region's Security Hub subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityHubRegion {
    /// The hub; `None` when the account is not subscribed in this region.
    pub hub: Fact<Option<SecurityHub>>,
    /// The standards subscriptions (`GetEnabledStandards`), read only where the hub is enabled
    /// (elsewhere unknown: the rules decide from `hub` first).
    #[serde(default = "standards_not_recorded")]
    pub standards: Fact<Vec<EnabledStandard>>,
}

/// One standard the hub checks against, such as AWS Foundational Security Best Practices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnabledStandard {
    /// The standard's ARN (`arn:aws:securityhub:REGION::standards/aws-foundational-security-best-practices/v/1.0.0`).
    pub arn: String,
    /// `READY`, `PENDING`, `INCOMPLETE`, `DELETING` or `FAILED`.
    pub status: String,
}

impl EnabledStandard {
    /// The standard's short name, from its ARN (`aws-foundational-security-best-practices/v/1.0.0`).
    pub fn name(&self) -> &str {
        self.arn
            .split_once(":standards/")
            .or_else(|| self.arn.split_once(":ruleset/"))
            .map_or(self.arn.as_str(), |(_, n)| n)
    }
}

/// Why the standards are unknown: not read (the hub is not enabled, or an older snapshot).
pub fn standards_not_recorded() -> Fact<Vec<EnabledStandard>> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "securityhub:GetEnabledStandards",
        "the enabled standards were not read (Security Hub not enabled, or an older snapshot)",
    ))
}

/// A Security Hub subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityHub {
    /// Hub ARN.
    pub arn: String,
    /// When it was enabled.
    pub subscribed_at: Option<String>,
}

impl crate::evidence::RegionSection for SecurityHubRegion {}
