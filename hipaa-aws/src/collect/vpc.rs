//! Amazon VPC: VPCs and flow logs of every resource type, subnets, interfaces, endpoints, and the
//! gateways, peering connections and route tables the network map draws, per region (EC2 API).
//! No traffic or log record is read. Without the `ec2` feature nothing is read and the section is absent,
//! so its controls are ERROR, never PASS.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::vpc::evidence::VpcRegion;

#[cfg(not(feature = "ec2"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<VpcRegion>> {
    None
}

#[cfg(feature = "ec2")]
pub(crate) use with_ec2::collect;

#[cfg(feature = "ec2")]
mod with_ec2 {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::vpc::evidence::{
        FlowLog, InternetGateway, NatGateway, NetworkInterface, PeerVpc, PeeringConnection, Route,
        RouteTable, Subnet, Vpc, VpcEndpoint,
    };

    const STAGE: &str = "vpc";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<VpcRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(9, STAGE);
                let client = client_in!(aws_sdk_ec2, &scan.config, region);
                let r = region.as_str();
                let (vpcs, flow_logs, endpoints, subnets, interfaces) = tokio::join!(
                    l.ticked(STAGE, vpcs(l, &client, r)),
                    l.ticked(STAGE, flow_logs(l, &client, r)),
                    l.ticked(STAGE, endpoints(l, &client, r)),
                    l.ticked(STAGE, subnets(l, &client, r)),
                    l.ticked(STAGE, interfaces(l, &client, r)),
                );
                let (igws, nats, peerings, tables) = tokio::join!(
                    l.ticked(STAGE, internet_gateways(l, &client, r)),
                    l.ticked(STAGE, nat_gateways(l, &client, r)),
                    l.ticked(STAGE, peering_connections(l, &client, r)),
                    l.ticked(STAGE, route_tables(l, &client, r)),
                );
                VpcRegion {
                    vpcs: vpcs.into(),
                    flow_logs: flow_logs.into(),
                    endpoints: endpoints.into(),
                    subnets: subnets.into(),
                    network_interfaces: interfaces.into(),
                    internet_gateways: igws.into(),
                    nat_gateways: nats.into(),
                    peering_connections: peerings.into(),
                    route_tables: tables.into(),
                }
            })
            .await,
        )
    }

    fn tags(list: &[aws_sdk_ec2::types::Tag]) -> Tags {
        list.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect()
    }

    async fn vpcs(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Vpc>, Unknown> {
        const OP: &str = "ec2:DescribeVpcs";
        let mut pages = client.describe_vpcs().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for v in page.vpcs() {
                let Some(id) = v.vpc_id() else {
                    return Err(l.parse_error(OP, region, "a VPC without an id"));
                };
                out.push(Vpc {
                    id: id.to_string(),
                    owner: v.owner_id().map(str::to_string),
                    is_default: v.is_default().unwrap_or(false),
                    cidr: v.cidr_block().map(str::to_string),
                    tags: tags(v.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn flow_logs(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<FlowLog>, Unknown> {
        const OP: &str = "ec2:DescribeFlowLogs";
        let mut pages = client.describe_flow_logs().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for f in page.flow_logs() {
                let (Some(id), Some(resource)) = (f.flow_log_id(), f.resource_id()) else {
                    return Err(l.parse_error(OP, region, "a flow log without an id or resource"));
                };
                out.push(FlowLog {
                    id: id.to_string(),
                    resource_id: resource.to_string(),
                    status: f.flow_log_status().map(str::to_string),
                    traffic_type: f.traffic_type().map(|t| t.as_str().to_string()),
                    deliver_status: f.deliver_logs_status().map(str::to_string),
                    deliver_error: f.deliver_logs_error_message().map(str::to_string),
                    destination_type: f.log_destination_type().map(|t| t.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn endpoints(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<VpcEndpoint>, Unknown> {
        const OP: &str = "ec2:DescribeVpcEndpoints";
        let mut pages = client.describe_vpc_endpoints().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for e in page.vpc_endpoints() {
                let (Some(id), Some(service)) = (e.vpc_endpoint_id(), e.service_name()) else {
                    return Err(l.parse_error(OP, region, "an endpoint without an id or service"));
                };
                out.push(VpcEndpoint {
                    id: id.to_string(),
                    vpc_id: e.vpc_id().map(str::to_string),
                    service_name: service.to_string(),
                    endpoint_type: e.vpc_endpoint_type().map(|t| t.as_str().to_string()),
                    state: e.state().map(|t| t.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn subnets(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Subnet>, Unknown> {
        const OP: &str = "ec2:DescribeSubnets";
        let mut pages = client.describe_subnets().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for n in page.subnets() {
                let Some(id) = n.subnet_id() else {
                    return Err(l.parse_error(OP, region, "a subnet without an id"));
                };
                out.push(Subnet {
                    id: id.to_string(),
                    vpc_id: n.vpc_id().map(str::to_string),
                    cidr: n.cidr_block().map(str::to_string),
                    availability_zone: n.availability_zone().map(str::to_string),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn interfaces(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<NetworkInterface>, Unknown> {
        const OP: &str = "ec2:DescribeNetworkInterfaces";
        let mut pages = client.describe_network_interfaces().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for n in page.network_interfaces() {
                let Some(id) = n.network_interface_id() else {
                    return Err(l.parse_error(OP, region, "a network interface without an id"));
                };
                out.push(NetworkInterface {
                    id: id.to_string(),
                    vpc_id: n.vpc_id().map(str::to_string),
                    subnet_id: n.subnet_id().map(str::to_string),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn internet_gateways(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<InternetGateway>, Unknown> {
        const OP: &str = "ec2:DescribeInternetGateways";
        let mut pages = client.describe_internet_gateways().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for g in page.internet_gateways() {
                let Some(id) = g.internet_gateway_id() else {
                    return Err(l.parse_error(OP, region, "an internet gateway without an id"));
                };
                let mut vpc_ids: Vec<String> = g
                    .attachments()
                    .iter()
                    .filter_map(|a| a.vpc_id().map(str::to_string))
                    .collect();
                vpc_ids.sort();
                out.push(InternetGateway {
                    id: id.to_string(),
                    vpc_ids,
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn nat_gateways(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<NatGateway>, Unknown> {
        const OP: &str = "ec2:DescribeNatGateways";
        let mut pages = client.describe_nat_gateways().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for n in page.nat_gateways() {
                let Some(id) = n.nat_gateway_id() else {
                    return Err(l.parse_error(OP, region, "a NAT gateway without an id"));
                };
                out.push(NatGateway {
                    id: id.to_string(),
                    vpc_id: n.vpc_id().map(str::to_string),
                    subnet_id: n.subnet_id().map(str::to_string),
                    state: n.state().map(|s| s.as_str().to_string()),
                    connectivity: n.connectivity_type().map(|c| c.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    fn peer(v: Option<&aws_sdk_ec2::types::VpcPeeringConnectionVpcInfo>) -> PeerVpc {
        PeerVpc {
            vpc_id: v.and_then(|v| v.vpc_id()).map(str::to_string),
            owner: v.and_then(|v| v.owner_id()).map(str::to_string),
            region: v.and_then(|v| v.region()).map(str::to_string),
            cidr: v.and_then(|v| v.cidr_block()).map(str::to_string),
        }
    }

    async fn peering_connections(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<PeeringConnection>, Unknown> {
        const OP: &str = "ec2:DescribeVpcPeeringConnections";
        let mut pages = client
            .describe_vpc_peering_connections()
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for p in page.vpc_peering_connections() {
                let Some(id) = p.vpc_peering_connection_id() else {
                    return Err(l.parse_error(OP, region, "a peering connection without an id"));
                };
                out.push(PeeringConnection {
                    id: id.to_string(),
                    requester: peer(p.requester_vpc_info()),
                    accepter: peer(p.accepter_vpc_info()),
                    status: p
                        .status()
                        .and_then(|s| s.code())
                        .map(|c| c.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Where a route sends traffic: the first target the answer names.
    fn target(r: &aws_sdk_ec2::types::Route) -> Option<String> {
        [
            r.gateway_id(),
            r.nat_gateway_id(),
            r.vpc_peering_connection_id(),
            r.transit_gateway_id(),
            r.egress_only_internet_gateway_id(),
            r.network_interface_id(),
            r.instance_id(),
            r.local_gateway_id(),
            r.carrier_gateway_id(),
            r.core_network_arn(),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(str::to_string)
    }

    async fn route_tables(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<RouteTable>, Unknown> {
        const OP: &str = "ec2:DescribeRouteTables";
        let mut pages = client.describe_route_tables().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for t in page.route_tables() {
                let Some(id) = t.route_table_id() else {
                    return Err(l.parse_error(OP, region, "a route table without an id"));
                };
                let mut subnet_ids: Vec<String> = t
                    .associations()
                    .iter()
                    .filter_map(|a| a.subnet_id().map(str::to_string))
                    .collect();
                subnet_ids.sort();
                out.push(RouteTable {
                    id: id.to_string(),
                    vpc_id: t.vpc_id().map(str::to_string),
                    main: t.associations().iter().any(|a| a.main() == Some(true)),
                    subnet_ids,
                    routes: t
                        .routes()
                        .iter()
                        .map(|r| Route {
                            destination: r
                                .destination_cidr_block()
                                .or(r.destination_ipv6_cidr_block())
                                .or(r.destination_prefix_list_id())
                                .map(str::to_string),
                            target: target(r),
                            state: r.state().map(|s| s.as_str().to_string()),
                        })
                        .collect(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: an unparsable flow log, a denied flow-log listing.
        use super::*;
        use crate::collect::mocks::{ec2_error, mocked};
        use aws_sdk_ec2::operation::describe_flow_logs::DescribeFlowLogsOutput;
        use aws_sdk_ec2::types::FlowLog as Ec2FlowLog;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn a_flow_log_without_its_resource_is_a_parse_error() {
            let rule = mock!(aws_sdk_ec2::Client::describe_flow_logs).then_output(|| {
                DescribeFlowLogsOutput::builder()
                    .flow_logs(Ec2FlowLog::builder().flow_log_id("fl-1").build())
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let u = flow_logs(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);

            let rule = mock!(aws_sdk_ec2::Client::describe_flow_logs)
                .then_http_response(|| ec2_error("UnauthorizedOperation", "denied"));
            let l = Ledger::new(4, &NoProgress);
            let u = flow_logs(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
        }

        #[tokio::test]
        async fn route_tables_name_their_subnets_main_flag_and_targets() {
            use aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput;
            use aws_sdk_ec2::types::{
                Route as Ec2Route, RouteState, RouteTable as Ec2Table, RouteTableAssociation,
            };
            let rule = mock!(aws_sdk_ec2::Client::describe_route_tables).then_output(|| {
                DescribeRouteTablesOutput::builder()
                    .route_tables(
                        Ec2Table::builder()
                            .route_table_id("rtb-1")
                            .vpc_id("vpc-1")
                            .associations(RouteTableAssociation::builder().main(true).build())
                            .associations(
                                RouteTableAssociation::builder()
                                    .subnet_id("subnet-b")
                                    .build(),
                            )
                            .routes(
                                Ec2Route::builder()
                                    .destination_cidr_block("10.0.0.0/16")
                                    .gateway_id("local")
                                    .state(RouteState::Active)
                                    .build(),
                            )
                            .routes(
                                Ec2Route::builder()
                                    .destination_cidr_block("0.0.0.0/0")
                                    .nat_gateway_id("nat-1")
                                    .state(RouteState::Blackhole)
                                    .build(),
                            )
                            .build(),
                    )
                    .route_tables(Ec2Table::builder().vpc_id("vpc-1").build())
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let u = route_tables(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError, "a table without an id");

            let rule = mock!(aws_sdk_ec2::Client::describe_route_tables).then_output(|| {
                DescribeRouteTablesOutput::builder()
                    .route_tables(
                        Ec2Table::builder()
                            .route_table_id("rtb-1")
                            .vpc_id("vpc-1")
                            .associations(RouteTableAssociation::builder().main(true).build())
                            .associations(
                                RouteTableAssociation::builder()
                                    .subnet_id("subnet-b")
                                    .build(),
                            )
                            .routes(
                                Ec2Route::builder()
                                    .destination_cidr_block("0.0.0.0/0")
                                    .nat_gateway_id("nat-1")
                                    .state(RouteState::Blackhole)
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            });
            let got = route_tables(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap();
            assert_eq!(got.len(), 1);
            assert!(got[0].main);
            assert_eq!(got[0].subnet_ids, ["subnet-b"]);
            assert_eq!(got[0].routes[0].target.as_deref(), Some("nat-1"));
            assert_eq!(got[0].routes[0].state.as_deref(), Some("blackhole"));

            let rule = mock!(aws_sdk_ec2::Client::describe_nat_gateways)
                .then_http_response(|| ec2_error("UnauthorizedOperation", "denied"));
            let u = nat_gateways(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
        }
    }
}
