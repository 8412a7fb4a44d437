//! IAM Access Analyzer evidence: the analyzers of each region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's analyzers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessAnalyzerRegion {
    /// Every analyzer (`ListAnalyzers`), of every type.
    pub analyzers: Fact<Vec<Analyzer>>,
}

/// An analyzer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analyzer {
    /// Analyzer name.
    pub name: String,
    /// Analyzer ARN.
    pub arn: String,
    /// `ACCOUNT`, `ORGANIZATION` (external access), `ACCOUNT_UNUSED_ACCESS`,
    /// `ORGANIZATION_UNUSED_ACCESS`, …
    pub kind: String,
    /// `ACTIVE`, `CREATING`, `DISABLED` or `FAILED`.
    pub status: String,
}

impl Analyzer {
    /// An external-access analyzer (account or organization zone of trust).
    pub fn finds_external_access(&self) -> bool {
        self.kind.eq_ignore_ascii_case("ACCOUNT") || self.kind.eq_ignore_ascii_case("ORGANIZATION")
    }
}

impl crate::evidence::RegionSection for AccessAnalyzerRegion {}
