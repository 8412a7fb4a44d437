//! AWS Config evidence: configuration recorders per region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's configuration recorders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRegion {
    /// The recorders (`DescribeConfigurationRecorders`).
    pub recorders: Fact<Vec<ConfigRecorder>>,
}

/// An AWS Config configuration recorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    /// Recorder name.
    pub name: String,
    /// Records every supported resource type.
    pub all_supported: bool,
    /// Includes global resource types (IAM).
    pub include_global: bool,
    /// Whether it is recording now (`DescribeConfigurationRecorderStatus`).
    pub recording: Fact<bool>,
}

impl crate::evidence::RegionSection for ConfigRegion {}
