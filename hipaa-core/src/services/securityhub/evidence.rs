//! AWS Security Hub evidence: the subscription per region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's Security Hub subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityHubRegion {
    /// The hub; `None` when the account is not subscribed in this region.
    pub hub: Fact<Option<SecurityHub>>,
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
