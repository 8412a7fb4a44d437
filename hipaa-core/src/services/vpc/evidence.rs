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
    /// VPC endpoints (`DescribeVpcEndpoints`).
    #[serde(default = "not_in_snapshot")]
    pub endpoints: Fact<Vec<VpcEndpoint>>,
    /// Subnets (`DescribeSubnets`): a VPC is also covered when every subnet has a flow log.
    #[serde(default = "not_in_snapshot")]
    pub subnets: Fact<Vec<Subnet>>,
    /// Network interfaces (`DescribeNetworkInterfaces`): or when every interface has one.
    #[serde(default = "not_in_snapshot")]
    pub network_interfaces: Fact<Vec<NetworkInterface>>,
}

/// A subnet and the VPC it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    /// Subnet id.
    pub id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
}

/// A network interface and where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkInterface {
    /// Interface id (`eni-…`).
    pub id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// Its subnet.
    pub subnet_id: Option<String>,
}

/// Snapshots written before endpoints were read hold no answer: unknown, never "none".
fn not_in_snapshot<T>() -> Fact<T> {
    Fact::Unknown(crate::evidence::Unknown::new(
        crate::evidence::UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before this VPC evidence was collected",
    ))
}

/// A VPC endpoint: a private path from the VPC to an AWS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpcEndpoint {
    /// Endpoint id (`vpce-…`).
    pub id: String,
    /// The VPC it serves.
    pub vpc_id: Option<String>,
    /// The service, e.g. `com.amazonaws.us-east-1.s3`.
    pub service_name: String,
    /// `Gateway`, `Interface` or `GatewayLoadBalancer`.
    pub endpoint_type: Option<String>,
    /// `available` when in use.
    pub state: Option<String>,
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

impl VpcRegion {
    /// A region as a schema-1 snapshot recorded it: endpoints, subnets and interfaces unknown.
    pub fn from_v1(vpcs: Fact<Vec<Vpc>>, flow_logs: Fact<Vec<FlowLog>>) -> VpcRegion {
        VpcRegion {
            vpcs,
            flow_logs,
            endpoints: not_in_snapshot(),
            subnets: not_in_snapshot(),
            network_interfaces: not_in_snapshot(),
        }
    }
}

impl Vpc {
    /// The VPC's ARN.
    pub fn arn(&self, partition: &str, region: &str, account: &str) -> String {
        let owner = self.owner.as_deref().unwrap_or(account);
        format!("arn:{partition}:ec2:{region}:{owner}:vpc/{}", self.id)
    }
}

impl crate::evidence::RegionSection for VpcRegion {}
