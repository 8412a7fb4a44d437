//! Resource Groups Tagging API evidence: every tagged resource of every service, per region,
//! which is what decides scope (what holds ePHI, which services are in use).

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's tagged resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggingRegion {
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

impl crate::evidence::RegionSection for TaggingRegion {}
