//! Amazon VPC evidence: VPCs and flow logs per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcRegion {
    /// VPCs (`DescribeVpcs`).
    pub vpcs: Fact<Vec<Vpc>>,
    /// Flow logs of every resource type (`DescribeFlowLogs`).
    pub flow_logs: Fact<Vec<FlowLog>>,
}

/// A VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    /// VPC id.
    pub id: String,
    /// Owning account.
    pub owner: Option<String>,
    /// Whether it is the region's default VPC.
    pub is_default: bool,
    /// Primary IPv4 CIDR block.
    pub cidr: Option<String>,
    /// VPC tags.
    pub tags: Tags,
}

/// A flow log on a VPC, subnet or network interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowLog {
    /// Flow log id.
    pub id: String,
    /// The VPC, subnet or interface it records.
    pub resource_id: String,
    /// `ACTIVE` when it is recording.
    pub status: Option<String>,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: Option<String>,
    /// `SUCCESS` or `FAILED` delivery.
    pub deliver_status: Option<String>,
    /// Why delivery fails, when it does.
    pub deliver_error: Option<String>,
    /// `cloud-watch-logs`, `s3` or `kinesis-data-firehose`.
    pub destination_type: Option<String>,
}

impl Vpc {
    /// The VPC's ARN.
    pub fn arn(&self, partition: &str, region: &str, account: &str) -> String {
        let owner = self.owner.as_deref().unwrap_or(account);
        format!("arn:{partition}:ec2:{region}:{owner}:vpc/{}", self.id)
    }
}

impl crate::evidence::RegionSection for VpcRegion {}
