//! VPC rule tests, and the compliant network other tests start from.

use super::evidence::*;
use crate::evidence::Fact;
use crate::rules::PhiMark;
use crate::scope::Scope;
use crate::services::ec2::evidence::Instance;
use crate::testkit::*;
use crate::vocabulary::Status::*;
use crate::Snapshot;

const FLOW: &str = "vpc.flow_logs";

fn phi_marks(s: &Snapshot) -> Vec<Option<bool>> {
    outcomes_in(s, FLOW, &Scope::default())
        .into_iter()
        .map(|o| o.resource.phi)
        .collect()
}

fn flow_log(s: &mut Snapshot) -> &mut FlowLog {
    &mut known(&mut at(&mut s.services.vpc, "us-east-1").flow_logs)[0]
}

#[test]
fn an_active_all_traffic_flow_log_passes() {
    let m = messages(&base(), FLOW);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].0, Pass);
    assert!(m[0].1.contains("`fl-1`"), "{}", m[0].1);
    assert!(m[0].1.contains("tagged as holding ePHI"), "{}", m[0].1);
}

#[test]
fn missing_partial_stopped_or_failing_flow_logs_fail() {
    type Change = fn(&mut FlowLog);
    let cases: [(Change, &str); 4] = [
        (|f| f.resource_id = "subnet-1".into(), "no flow log"),
        (|f| f.traffic_type = Some("REJECT".into()), "only REJECT"),
        (|f| f.status = Some("INACTIVE".into()), "not active"),
        (
            |f| {
                f.deliver_status = Some("FAILED".into());
                f.deliver_error = Some("Access error".into());
            },
            "Access error",
        ),
    ];
    for (change, expect) in cases {
        let mut s = base();
        change(flow_log(&mut s));
        let m = messages(&s, FLOW);
        assert_eq!(m[0].0, Fail, "{expect}");
        assert!(m[0].1.contains(expect), "{}", m[0].1);
    }
}

#[test]
fn unreadable_flow_logs_or_vpcs_are_error() {
    let mut s = base();
    at(&mut s.services.vpc, "us-east-1").flow_logs = denied("ec2:DescribeFlowLogs");
    assert_eq!(statuses(&s, FLOW), vec![Error]);
    let mut s = base();
    at(&mut s.services.vpc, "us-east-1").vpcs = denied("ec2:DescribeVpcs");
    assert_eq!(statuses(&s, FLOW), vec![Error]);
    let mut s = base();
    s.services.vpc = None;
    assert_eq!(statuses(&s, FLOW), vec![Error]);
}

#[test]
fn phi_workloads_put_an_untagged_vpc_in_scope() {
    let mut s = base();
    let n = at(&mut s.services.vpc, "us-east-1");
    if let Fact::Known(vpcs) = &mut n.vpcs {
        vpcs[0].tags.clear();
        vpcs[0].id = "vpc-app".into();
    }
    // Not tagged and nothing PHI runs in it: judged only when every resource is.
    assert_eq!(phi_marks(&s), vec![Some(false)]);
    assert_eq!(statuses(&s, FLOW), vec![Fail]);
    // A PHI-tagged instance runs in it: it holds ePHI.
    at(&mut s.services.ec2, "us-east-1").instances = Fact::Known(vec![Instance {
        id: "i-1".into(),
        vpc_id: Some("vpc-app".into()),
        state: Some("running".into()),
        tags: phi_tags(),
        http_tokens: Some("required".into()),
        public_ip: None,
    }]);
    assert_eq!(phi_marks(&s), vec![Some(true)]);
    assert!(messages(&s, FLOW)[0].1.contains("instance i-1"));
    // Instances unknown: whether it holds ePHI is unknown, so phi-only mode still judges it.
    at(&mut s.services.ec2, "us-east-1").instances = denied("ec2:DescribeInstances");
    let o = outcomes_in(&s, FLOW, &Scope::default());
    assert!(matches!(o[0].phi, PhiMark::Unknown(_)));
    assert_eq!(o[0].status, Fail);
}

#[test]
fn an_rds_database_puts_its_vpc_in_scope() {
    let mut s = base();
    if let Fact::Known(vpcs) = &mut at(&mut s.services.vpc, "us-east-1").vpcs {
        vpcs[0].tags.clear();
    }
    let m = messages(&s, FLOW);
    assert!(m[0].1.contains("database ehr"), "{}", m[0].1);
}

#[test]
fn no_vpcs_is_not_applicable() {
    let mut s = base();
    at(&mut s.services.vpc, "us-east-1").vpcs = Fact::Known(vec![]);
    assert_eq!(statuses(&s, FLOW), vec![NotApplicable]);
}

fn region(s: &mut crate::evidence::Snapshot) -> &mut VpcRegion {
    at(&mut s.services.vpc, "us-east-1")
}

#[test]
fn flow_logs_on_every_subnet_or_interface_cover_the_vpc() {
    let log = |id: &str, on: &str| FlowLog {
        id: id.into(),
        resource_id: on.into(),
        status: Some("ACTIVE".into()),
        traffic_type: Some("ALL".into()),
        deliver_status: Some("SUCCESS".into()),
        deliver_error: None,
        destination_type: Some("s3".into()),
    };
    // No VPC-level log, but one on its only subnet: covered (once a false FAIL).
    let mut s = base();
    region(&mut s).flow_logs = Fact::Known(vec![log("fl-sub", "subnet-a")]);
    assert!(only(&s, FLOW, Pass).message.contains("every subnet"));
    // A second subnet without one: not covered.
    region(&mut s).subnets = Fact::Known(vec![
        Subnet { id: "subnet-a".into(), vpc_id: Some("vpc-phi".into()), cidr: None, availability_zone: None },
        Subnet { id: "subnet-b".into(), vpc_id: Some("vpc-phi".into()), cidr: None, availability_zone: None },
    ]);
    only(&s, FLOW, Fail);
    // ... unless every interface is recorded, on itself or through its subnet.
    region(&mut s).network_interfaces = Fact::Known(vec![
        NetworkInterface { id: "eni-1".into(), vpc_id: Some("vpc-phi".into()), subnet_id: Some("subnet-a".into()) },
        NetworkInterface { id: "eni-2".into(), vpc_id: Some("vpc-phi".into()), subnet_id: Some("subnet-b".into()) },
    ]);
    only(&s, FLOW, Fail);
    region(&mut s).flow_logs = Fact::Known(vec![log("fl-sub", "subnet-a"), log("fl-eni", "eni-2")]);
    assert!(only(&s, FLOW, Pass).message.contains("every network interface"));
    // Subnets unreadable and no VPC-level log: coverage unknown.
    region(&mut s).subnets = denied("ec2:DescribeSubnets");
    only(&s, FLOW, Error);
    // A VPC-level log decides on its own, whatever the subnets.
    region(&mut s).flow_logs = Fact::Known(vec![log("fl-vpc", "vpc-phi")]);
    only(&s, FLOW, Pass);
}

#[test]
fn s3_endpoint_in_vpcs_that_hold_ephi() {
    const ID: &str = "vpc.s3_endpoint";
    let s = base();
    assert!(only(&s, ID, Pass).message.contains("gateway endpoint `vpce-s3`"));
    let mut s = base();
    if let Fact::Known(e) = &mut at(&mut s.services.vpc, "us-east-1").endpoints {
        e[0].service_name = "com.amazonaws.us-east-1.dynamodb".into();
    }
    assert!(only(&s, ID, Fail).message.contains("no S3 endpoint"));
    let mut s = base();
    if let Fact::Known(e) = &mut at(&mut s.services.vpc, "us-east-1").endpoints {
        e[0].state = Some("pendingAcceptance".into());
    }
    assert!(only(&s, ID, Fail).message.contains("pendingAcceptance"));
    let mut s = base();
    at(&mut s.services.vpc, "us-east-1").endpoints = denied("ec2:DescribeVpcEndpoints");
    only(&s, ID, Error);
    // Whether an untagged VPC holds ePHI is unknown: no endpoint is ERROR, not FAIL.
    let mut s = base();
    if let Fact::Known(vpcs) = &mut at(&mut s.services.vpc, "us-east-1").vpcs {
        vpcs[0].tags.clear();
    }
    at(&mut s.services.vpc, "us-east-1").endpoints = Fact::Known(vec![]);
    at(&mut s.services.ec2, "us-east-1").instances = denied("ec2:DescribeInstances");
    let o = only(&s, ID, Error);
    assert_eq!(o.unknown.map(|u| u.operation), Some("ec2:DescribeInstances".to_string()));
    // A VPC known to hold no ePHI needs no endpoint: no finding, and none at all is N/A.
    let mut s = base();
    if let Fact::Known(vpcs) = &mut at(&mut s.services.vpc, "us-east-1").vpcs {
        vpcs[0].tags.clear();
    }
    if let Some(rds) = at(&mut s.services.rds, "us-east-1").instances.known().cloned() {
        let mut rds = rds;
        for db in &mut rds {
            db.tags.clear();
        }
        at(&mut s.services.rds, "us-east-1").instances = Fact::Known(rds);
    }
    only(&s, ID, NotApplicable);
}

/// The compliant section: one PHI-tagged VPC whose flow log records all traffic.
pub fn fixture() -> crate::evidence::Regional<VpcRegion> {
    [(
        "us-east-1".to_string(),
        VpcRegion {
            vpcs: Fact::Known(vec![Vpc {
                id: "vpc-phi".into(),
                owner: Some(ACCOUNT.into()),
                is_default: false,
                cidr: Some("10.0.0.0/16".into()),
                tags: phi_tags(),
            }]),
            flow_logs: Fact::Known(vec![FlowLog {
                id: "fl-1".into(),
                resource_id: "vpc-phi".into(),
                status: Some("ACTIVE".into()),
                traffic_type: Some("ALL".into()),
                deliver_status: Some("SUCCESS".into()),
                deliver_error: None,
                destination_type: Some("cloud-watch-logs".into()),
            }]),
            subnets: Fact::Known(vec![Subnet {
                id: "subnet-a".into(),
                vpc_id: Some("vpc-phi".into()),
                cidr: Some("10.0.1.0/24".into()),
                availability_zone: Some("us-east-1a".into()),
            }]),
            network_interfaces: Fact::Known(vec![]),
            internet_gateways: Fact::Known(vec![]),
            nat_gateways: Fact::Known(vec![]),
            peering_connections: Fact::Known(vec![]),
            route_tables: Fact::Known(vec![RouteTable {
                id: "rtb-main".into(),
                vpc_id: Some("vpc-phi".into()),
                main: true,
                subnet_ids: vec![],
                routes: vec![Route {
                    destination: Some("10.0.0.0/16".into()),
                    target: Some("local".into()),
                    state: Some("active".into()),
                }],
            }]),
            endpoints: Fact::Known(vec![VpcEndpoint {
                id: "vpce-s3".into(),
                vpc_id: Some("vpc-phi".into()),
                service_name: "com.amazonaws.us-east-1.s3".into(),
                endpoint_type: Some("Gateway".into()),
                state: Some("available".into()),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
