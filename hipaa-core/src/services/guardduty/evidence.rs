//! Amazon GuardDuty evidence: detectors per region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's GuardDuty detectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardDutyRegion {
    /// The detectors (`ListDetectors` + `GetDetector`).
    pub detectors: Fact<Vec<Detector>>,
}

/// A GuardDuty detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    /// Detector id.
    pub id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: Fact<String>,
}

impl crate::evidence::RegionSection for GuardDutyRegion {}
