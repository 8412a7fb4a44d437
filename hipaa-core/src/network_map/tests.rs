use super::*;
use crate::evidence::Fact;
use crate::services::vpc::evidence::*;
use crate::testkit::*;

fn region(s: &mut Snapshot) -> &mut VpcRegion {
    at(&mut s.services.vpc, "us-east-1")
}

fn route(dest: &str, target: &str) -> Route {
    Route {
        destination: Some(dest.into()),
        target: Some(target.into()),
        state: Some("active".into()),
    }
}

fn peer(vpc: &str, owner: &str) -> PeerVpc {
    PeerVpc {
        vpc_id: Some(vpc.into()),
        owner: Some(owner.into()),
        region: Some("us-east-1".into()),
        cidr: None,
    }
}

/// The fixture's PHI VPC with a public and a private subnet, an internet gateway, a NAT gateway,
/// a peering connection to another account, and a second VPC that holds no ePHI.
fn network() -> Snapshot {
    let mut s = base();
    let r = region(&mut s);
    if let Fact::Known(v) = &mut r.vpcs {
        let mut other = v[0].clone();
        other.id = "vpc-dev".into();
        other.tags.clear();
        v.push(other);
    }
    r.subnets = Fact::Known(vec![
        Subnet {
            id: "subnet-pub".into(),
            vpc_id: Some("vpc-phi".into()),
            cidr: Some("10.0.0.0/24".into()),
            availability_zone: Some("us-east-1a".into()),
        },
        Subnet {
            id: "subnet-app".into(),
            vpc_id: Some("vpc-phi".into()),
            cidr: Some("10.0.1.0/24".into()),
            availability_zone: Some("us-east-1b".into()),
        },
        Subnet {
            id: "subnet-dev".into(),
            vpc_id: Some("vpc-dev".into()),
            cidr: None,
            availability_zone: None,
        },
    ]);
    r.internet_gateways = Fact::Known(vec![InternetGateway {
        id: "igw-1".into(),
        vpc_ids: vec!["vpc-phi".into()],
    }]);
    r.nat_gateways = Fact::Known(vec![NatGateway {
        id: "nat-1".into(),
        vpc_id: Some("vpc-phi".into()),
        subnet_id: Some("subnet-pub".into()),
        state: Some("available".into()),
        connectivity: Some("public".into()),
    }]);
    r.peering_connections = Fact::Known(vec![
        PeeringConnection {
            id: "pcx-partner".into(),
            requester: peer("vpc-phi", ACCOUNT),
            accepter: peer("vpc-partner", "444455556666"),
            status: Some("active".into()),
        },
        PeeringConnection {
            id: "pcx-unrelated".into(),
            requester: peer("vpc-dev", ACCOUNT),
            accepter: peer("vpc-x", ACCOUNT),
            status: Some("active".into()),
        },
    ]);
    r.route_tables = Fact::Known(vec![
        RouteTable {
            id: "rtb-main".into(),
            vpc_id: Some("vpc-phi".into()),
            main: true,
            subnet_ids: vec![],
            routes: vec![
                route("10.0.0.0/16", "local"),
                route("0.0.0.0/0", "nat-1"),
                route("10.9.0.0/16", "pcx-partner"),
            ],
        },
        RouteTable {
            id: "rtb-pub".into(),
            vpc_id: Some("vpc-phi".into()),
            main: false,
            subnet_ids: vec!["subnet-pub".into()],
            routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1")],
        },
    ]);
    s
}

#[test]
fn the_map_holds_phi_vpcs_their_subnets_gateways_and_peers() {
    let s = network();
    let map = NetworkMap::from_snapshot(&s, &crate::Scope::default());
    assert!(map.is_complete(), "{:?}", map.gaps);
    let ids: Vec<&str> = map.vpcs.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["vpc-phi"], "a VPC known to hold no ePHI is left off");
    let v = &map.vpcs[0];
    assert_eq!(v.phi, Some(true));
    assert_eq!(v.internet_gateways, ["igw-1"]);
    assert_eq!(v.nat_gateways.len(), 1);
    assert_eq!(v.endpoints.len(), 1);
    let public = v.subnets.iter().find(|x| x.id == "subnet-pub").unwrap();
    assert_eq!(public.public, Some(true));
    assert_eq!(public.route_table.as_deref(), Some("rtb-pub"));
    let private = v.subnets.iter().find(|x| x.id == "subnet-app").unwrap();
    assert_eq!(
        private.public,
        Some(false),
        "the main table routes to a NAT, not the internet"
    );
    assert_eq!(private.routes_to, ["nat-1", "pcx-partner"]);
    let peers: Vec<&str> = map
        .peering_connections
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(peers, ["pcx-partner"]);
    let json: serde_json::Value = serde_json::from_str(&map.to_json()).unwrap();
    assert_eq!(json["vpcs"][0]["subnets"].as_array().map(Vec::len), Some(2));

    let svg = svg::render(&map);
    assert!(svg.starts_with("<svg id=\"network-map\""));
    assert!(svg.contains("data-id=\"subnet-pub\" data-public=\"true\""));
    assert!(svg.contains("data-id=\"subnet-app\" data-public=\"false\""));
    assert!(svg.contains("internet gateway igw-1") && svg.contains("NAT nat-1"));
    assert!(svg.contains("class=\"peer-vpc\" data-vpc=\"vpc-partner\""));
    assert!(svg.contains("pcx-partner") && !svg.contains("pcx-unrelated"));
    assert!(
        !svg.contains("http://") || !svg.contains("href"),
        "no external reference"
    );
}

#[test]
fn what_could_not_be_read_is_named_and_never_drawn_as_private() {
    let mut s = network();
    region(&mut s).route_tables = denied("ec2:DescribeRouteTables");
    let map = NetworkMap::from_snapshot(&s, &crate::Scope::default());
    assert!(!map.is_complete());
    assert!(map
        .gaps
        .iter()
        .any(|g| g.contains("route tables") && g.contains("DescribeRouteTables")));
    assert!(map.vpcs[0].subnets.iter().all(|x| x.public.is_none()));
    assert!(svg::render(&map).contains("incomplete"));

    // When PHI workloads cannot be listed, an untagged VPC may hold ePHI: it is on the map, marked.
    let mut s = network();
    at(&mut s.services.ec2, "us-east-1").instances = denied("ec2:DescribeInstances");
    let map = NetworkMap::from_snapshot(&s, &crate::Scope::default());
    let dev = map.vpcs.iter().find(|v| v.id == "vpc-dev").unwrap();
    assert_eq!(dev.phi, None);
    assert!(dev.because.contains("DescribeInstances"), "{}", dev.because);

    let mut s = network();
    s.services.vpc = None;
    let map = NetworkMap::from_snapshot(&s, &crate::Scope::default());
    assert!(map.vpcs.is_empty() && !map.gaps.is_empty());
    assert!(svg::render(&map).contains("No VPC"));
}

#[test]
fn labels_are_escaped() {
    let mut s = network();
    if let Fact::Known(v) = &mut region(&mut s).vpcs {
        v[0].tags.insert("Name".into(), "<script>&\"".into());
    }
    let svg = svg::render(&NetworkMap::from_snapshot(&s, &crate::Scope::default()));
    assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;&amp;&quot;"));
}
