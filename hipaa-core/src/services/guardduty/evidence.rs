//! Amazon GuardDuty evidence: detectors per region.

use crate::evidence::{Fact, Unknown, UnknownReason};
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
    /// The protection plans (`GetDetector` `Features`), as the detector reports them.
    #[serde(default = "features_not_recorded")]
    pub features: Fact<Vec<DetectorFeature>>,
}

/// One protection plan of a detector, such as `S3_DATA_EVENTS` or `RUNTIME_MONITORING`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorFeature {
    /// The feature name as GuardDuty spells it.
    pub name: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
}

/// Snapshots written before protection plans were read hold no answer: unknown, never "off".
fn features_not_recorded() -> Fact<Vec<DetectorFeature>> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before GuardDuty protection plans were collected",
    ))
}

impl crate::evidence::RegionSection for GuardDutyRegion {}
