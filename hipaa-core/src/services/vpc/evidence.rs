//! Amazon VPC evidence: VPCs, flow logs, subnets, interfaces, endpoints, and the gateways,
//! peering connections and route tables the network map draws, per region.

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
    /// Internet gateways (`DescribeInternetGateways`), for the network map.
    #[serde(default = "not_in_snapshot")]
    pub internet_gateways: Fact<Vec<InternetGateway>>,
    /// NAT gateways (`DescribeNatGateways`), for the network map.
    #[serde(default = "not_in_snapshot")]
    pub nat_gateways: Fact<Vec<NatGateway>>,
    /// VPC peering connections (`DescribeVpcPeeringConnections`), for the network map.
    #[serde(default = "not_in_snapshot")]
    pub peering_connections: Fact<Vec<PeeringConnection>>,
    /// Route tables (`DescribeRouteTables`): which subnets reach which gateway.
    #[serde(default = "not_in_snapshot")]
    pub route_tables: Fact<Vec<RouteTable>>,
}

/// A subnet and the VPC it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    /// Subnet id.
    pub id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// Its IPv4 CIDR block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// Its Availability Zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// An internet gateway and the VPCs it is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternetGateway {
    /// Gateway id (`igw-…`).
    pub id: String,
    /// VPCs it is attached to.
    pub vpc_ids: Vec<String>,
}

/// A NAT gateway: outbound paths from private subnets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatGateway {
    /// Gateway id (`nat-…`).
    pub id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// The subnet it sits in.
    pub subnet_id: Option<String>,
    /// `available`, `pending`, `deleted`, …
    pub state: Option<String>,
    /// `public` (to the internet) or `private`.
    pub connectivity: Option<String>,
}

/// One side of a VPC peering connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerVpc {
    /// The VPC.
    pub vpc_id: Option<String>,
    /// Its account.
    pub owner: Option<String>,
    /// Its region.
    pub region: Option<String>,
    /// Its IPv4 CIDR block.
    pub cidr: Option<String>,
}

/// A VPC peering connection between two VPCs, possibly in other accounts or regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeeringConnection {
    /// Connection id (`pcx-…`).
    pub id: String,
    /// The VPC that asked.
    pub requester: PeerVpc,
    /// The VPC that accepted.
    pub accepter: PeerVpc,
    /// `active`, `pending-acceptance`, `deleted`, …
    pub status: Option<String>,
}

/// A route table: its routes and the subnets that use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteTable {
    /// Route table id (`rtb-…`).
    pub id: String,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// Whether it is the VPC's main table (used by subnets with no explicit association).
    pub main: bool,
    /// Subnets explicitly associated with it.
    pub subnet_ids: Vec<String>,
    /// Its routes.
    pub routes: Vec<Route>,
}

/// One route: where traffic for a destination goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// IPv4 or IPv6 CIDR, or prefix list id.
    pub destination: Option<String>,
    /// Gateway, NAT gateway, peering connection, transit gateway, endpoint, interface or
    /// instance id; `local` for the VPC itself.
    pub target: Option<String>,
    /// `active` or `blackhole`.
    pub state: Option<String>,
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
            internet_gateways: not_in_snapshot(),
            nat_gateways: not_in_snapshot(),
            peering_connections: not_in_snapshot(),
            route_tables: not_in_snapshot(),
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
