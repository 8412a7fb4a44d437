//! Amazon EC2 evidence: instances per region (placement and tags only).

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's EC2 workloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ec2Region {
    /// EC2 instances and where they run (`DescribeInstances`).
    pub instances: Fact<Vec<Instance>>,
}

/// An EC2 instance's placement and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Instance id.
    pub id: String,
    /// The VPC it runs in (none for EC2-Classic leftovers).
    pub vpc_id: Option<String>,
    /// `running`, `stopped`, …
    pub state: Option<String>,
    /// Instance tags.
    pub tags: Tags,
}

impl crate::evidence::RegionSection for Ec2Region {}
