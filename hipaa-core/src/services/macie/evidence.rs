//! Amazon Macie evidence: the account's Macie session, per region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's Macie session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MacieRegion {
    /// The session (`GetMacieSession`); `None` when Macie answered that it is not enabled.
    pub session: Fact<Option<MacieSession>>,
}

/// An enabled (or paused) Macie account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacieSession {
    /// `ENABLED` or `PAUSED`.
    pub status: String,
}

impl crate::evidence::RegionSection for MacieRegion {}
