//! EC2 rule tests, and the compliant EC2 evidence other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const SSH: &str = "ec2.sg_no_ssh_from_internet";
const RDP: &str = "ec2.sg_no_rdp_from_internet";
const DB: &str = "ec2.sg_no_db_ports_from_internet";
const ALL: &str = "ec2.sg_no_all_traffic_from_internet";
const DEFAULT: &str = "ec2.default_sg_closed";
const EBS_DEFAULT: &str = "ec2.ebs_encryption_by_default";
const VOLUME: &str = "ec2.ebs_volume_encrypted";
const IMDS: &str = "ec2.instance_imdsv2";

fn region(s: &mut Snapshot) -> &mut Ec2Region {
    at(&mut s.services.ec2, "us-east-1")
}

/// The non-default group of the fixture.
fn app(s: &mut Snapshot) -> &mut SecurityGroup {
    &mut known(&mut region(s).security_groups)[1]
}

fn rule(protocol: &str, ports: Option<(i32, i32)>, v4: &[&str], v6: &[&str]) -> IpRule {
    IpRule {
        protocol: protocol.into(),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
        ipv4: v4.iter().map(|c| c.to_string()).collect(),
        ipv6: v6.iter().map(|c| c.to_string()).collect(),
        prefix_lists: vec![],
        groups: vec![],
    }
}

fn instance(id: &str, tokens: Option<&str>, state: &str) -> Instance {
    Instance {
        id: id.into(),
        vpc_id: Some("vpc-1".into()),
        state: Some(state.into()),
        tags: Tags::new(),
        http_tokens: tokens.map(str::to_string),
        public_ip: None,
    }
}

#[test]
fn the_compliant_fixture_passes_every_network_control() {
    let s = snapshot_with(vec![]);
    for id in [SSH, RDP, DB, ALL] {
        assert_eq!(statuses(&s, id), vec![Pass, Pass], "{id}");
    }
    assert_eq!(statuses(&s, DEFAULT), vec![Pass]);
    let o = &outcomes(&s, SSH)[1];
    assert_eq!(o.resource.kind, "AwsEc2SecurityGroup");
    assert_eq!(o.resource.name.as_deref(), Some("app"));
    assert!(o.resource.arn.ends_with(":security-group/sg-app"), "{}", o.resource.arn);
}

#[test]
fn prefix_lists_that_hold_the_internet_count_and_unreadable_ones_are_errors() {
    let mut s = snapshot_with(vec![]);
    let mut r = rule("tcp", Some((22, 22)), &[], &[]);
    r.prefix_lists = vec!["pl-open".into()];
    app(&mut s).ingress.push(r);
    // Never read (a snapshot from before these reads): ERROR where the rule could open the port.
    assert_eq!(statuses(&s, SSH), vec![Pass, Error]);
    assert_eq!(statuses(&s, RDP), vec![Pass, Pass]);
    let lists = &mut region(&mut s).prefix_lists;
    lists.insert("pl-open".into(), Fact::Known(vec!["10.0.0.0/8".into(), "::/0".into()]));
    let m = &messages(&s, SSH)[1];
    assert_eq!(m.0, Fail);
    assert!(m.1.contains("open to the prefix list `pl-open` (which holds ::/0) by the inbound rule `tcp 22`"), "{}", m.1);
    region(&mut s).prefix_lists.insert("pl-open".into(), Fact::Known(vec!["10.0.0.0/8".into()]));
    assert_eq!(statuses(&s, SSH), vec![Pass, Pass]);
    region(&mut s).prefix_lists.insert("pl-open".into(), denied("ec2:GetManagedPrefixListEntries"));
    let o = &outcomes(&s, SSH)[1];
    assert_eq!(o.status, Error);
    assert!(o.message.contains("ec2:GetManagedPrefixListEntries"), "{}", o.message);
    // A source known to be the internet decides, whatever the unreadable list holds.
    app(&mut s).ingress.push(rule("tcp", Some((22, 22)), &["0.0.0.0/0"], &[]));
    assert_eq!(statuses(&s, SSH), vec![Pass, Fail]);
    // Every protocol from an unreadable list: ERROR for all traffic (and for every port).
    let mut s = snapshot_with(vec![]);
    let mut all = rule("-1", None, &[], &[]);
    all.prefix_lists = vec!["pl-x".into()];
    app(&mut s).ingress.push(all);
    region(&mut s).prefix_lists.insert("pl-x".into(), denied("ec2:GetManagedPrefixListEntries"));
    assert_eq!(statuses(&s, ALL), vec![Pass, Error]);
    assert_eq!(statuses(&s, DB), vec![Pass, Error]);
    region(&mut s).prefix_lists.insert("pl-x".into(), Fact::Known(vec!["0.0.0.0/0".into()]));
    assert_eq!(statuses(&s, ALL), vec![Pass, Fail]);
}

#[test]
fn ssh_open_to_the_internet_fails_naming_port_source_and_rule() {
    let mut s = snapshot_with(vec![]);
    // A range that includes 22, from anywhere over IPv6.
    app(&mut s).ingress.push(rule("tcp", Some((20, 25)), &[], &["::/0"]));
    let m = &messages(&s, SSH)[1];
    assert_eq!(m.0, Fail);
    assert!(m.1.contains("tcp port 22 (SSH) is open to ::/0 by the inbound rule `tcp 20-25`"), "{}", m.1);
    // The same range from a private network is fine.
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("tcp", Some((20, 25)), &["10.0.0.0/8"], &[]));
    assert_eq!(statuses(&s, SSH), vec![Pass, Pass]);
    // UDP 22 is not SSH.
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("udp", Some((22, 22)), &["0.0.0.0/0"], &[]));
    assert_eq!(statuses(&s, SSH), vec![Pass, Pass]);
}

#[test]
fn rdp_counts_tcp_and_udp_and_every_protocol() {
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("udp", Some((3389, 3389)), &["0.0.0.0/0"], &[]));
    assert!(messages(&s, RDP)[1].1.contains("udp port 3389 (RDP)"));
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("-1", None, &["0.0.0.0/0"], &[]));
    let m = &messages(&s, RDP)[1];
    assert_eq!(m.0, Fail);
    assert!(m.1.contains("`all traffic`"), "{}", m.1);
}

#[test]
fn database_ports_come_from_the_data_file() {
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("6", Some((5432, 5432)), &["0.0.0.0/0"], &[]));
    app(&mut s).ingress.push(rule("tcp", Some((6379, 6380)), &["0.0.0.0/0"], &[]));
    let m = &messages(&s, DB)[1];
    assert_eq!(m.0, Fail);
    assert!(m.1.contains("port 5432 (PostgreSQL"), "{}", m.1);
    assert!(m.1.contains("port 6379 (Redis"), "{}", m.1);
    // HTTPS from anywhere is not a database port.
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("tcp", Some((443, 443)), &["0.0.0.0/0"], &[]));
    assert_eq!(statuses(&s, DB), vec![Pass, Pass]);
    assert_eq!(statuses(&s, ALL), vec![Pass, Pass]);
}

#[test]
fn all_traffic_from_the_internet() {
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("tcp", Some((0, 65535)), &["0.0.0.0/0"], &[]));
    assert!(messages(&s, ALL)[1].1.contains("`tcp 0-65535` admits 0.0.0.0/0"));
    // Every port of one protocol, but only from the VPC: fine.
    let mut s = snapshot_with(vec![]);
    app(&mut s).ingress.push(rule("-1", None, &["10.1.0.0/16"], &[]));
    assert_eq!(statuses(&s, ALL), vec![Pass, Pass]);
}

#[test]
fn default_group_with_rules_fails() {
    let mut s = snapshot_with(vec![]);
    known(&mut region(&mut s).security_groups)[0]
        .egress
        .push(rule("-1", None, &["0.0.0.0/0"], &[]));
    let m = &messages(&s, DEFAULT)[0];
    assert_eq!(m.0, Fail);
    assert!(m.1.contains("vpc-1 has 0 inbound and 1 outbound"), "{}", m.1);
}

#[test]
fn unreadable_security_groups_are_errors_for_the_region() {
    let mut s = snapshot_with(vec![]);
    region(&mut s).security_groups = denied("ec2:DescribeSecurityGroups");
    for id in [SSH, RDP, DB, ALL, DEFAULT] {
        let o = only(&s, id, Error);
        assert_eq!(o.resource.kind, "AwsAccountRegion", "{id}");
    }
    // Known and empty: nothing to judge.
    let mut s = snapshot_with(vec![]);
    region(&mut s).security_groups = Fact::Known(vec![]);
    only(&s, SSH, NotApplicable);
    only(&s, DEFAULT, NotApplicable);
}

#[test]
fn ebs_encryption_by_default_per_region() {
    let s = snapshot_with(vec![]);
    only(&s, EBS_DEFAULT, Pass);
    let mut s = snapshot_with(vec![]);
    region(&mut s).ebs_encryption_by_default = Fact::Known(false);
    assert!(only(&s, EBS_DEFAULT, Fail).message.contains("off in us-east-1"));
    region(&mut s).ebs_encryption_by_default = denied("ec2:GetEbsEncryptionByDefault");
    only(&s, EBS_DEFAULT, Error);
}

#[test]
fn ebs_volumes() {
    let s = snapshot_with(vec![]);
    let o = only(&s, VOLUME, Pass);
    assert_eq!(o.resource.kind, "AwsEc2Volume");
    let mut s = snapshot_with(vec![]);
    let v = &mut known(&mut region(&mut s).volumes)[0];
    v.encrypted = false;
    v.attached_to = vec!["i-1".into()];
    assert!(only(&s, VOLUME, Fail).message.contains("attached to i-1"));
    region(&mut s).volumes = denied("ec2:DescribeVolumes");
    only(&s, VOLUME, Error);
    region(&mut s).volumes = Fact::Known(vec![]);
    only(&s, VOLUME, NotApplicable);
}

#[test]
fn imdsv2_on_live_instances() {
    let s = snapshot_with(vec![]);
    only(&s, IMDS, NotApplicable);
    let mut s = snapshot_with(vec![]);
    region(&mut s).instances = Fact::Known(vec![
        instance("i-v2", Some("required"), "running"),
        instance("i-v1", Some("optional"), "stopped"),
        instance("i-gone", Some("optional"), "terminated"),
        instance("i-silent", None, "running"),
    ]);
    assert_eq!(
        by_id(&s, IMDS),
        vec![
            ("i-v2".to_string(), Pass),
            ("i-v1".to_string(), Fail),
            ("i-silent".to_string(), Error),
        ]
    );
    region(&mut s).instances = denied("ec2:DescribeInstances");
    only(&s, IMDS, Error);
}

#[test]
fn a_snapshot_from_before_these_reads_gives_errors_not_passes() {
    let mut s = snapshot_with(vec![]);
    *region(&mut s) = Ec2Region::from_instances(Fact::Known(vec![]));
    for id in [SSH, DEFAULT, EBS_DEFAULT, VOLUME, NACL_SSH, "ec2.ebs_snapshot_encrypted", "ec2.ami_not_public"] {
        only(&s, id, Error);
    }
    // And a schema-2 file without the fields reads the same way.
    let text = r#"{"instances": {"known": []}}"#;
    let r: Ec2Region = serde_json::from_str(text).unwrap();
    assert!(r.security_groups.known().is_none() && r.volumes.known().is_none());
}

#[test]
fn the_port_list_parses_and_names_every_admin_control() {
    let s = snapshot_with(vec![]);
    assert!(outcomes(&s, DB).iter().all(|o| o.unknown.is_none()));
    for id in [SSH, RDP] {
        assert!(!super::rules::admin_targets(id).unwrap().is_empty(), "{id}");
    }
    assert!(super::rules::admin_targets("ec2.no_such_control").is_err());
}

fn acl_entry(n: i32, protocol: &str, allow: bool, cidr: &str, ports: Option<(i32, i32)>) -> AclEntry {
    let v6 = cidr.contains(':');
    AclEntry {
        rule_number: n,
        egress: false,
        protocol: protocol.into(),
        allow,
        cidr: (!v6).then(|| cidr.to_string()),
        ipv6_cidr: v6.then(|| cidr.to_string()),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
    }
}

const NACL_SSH: &str = "ec2.nacl_no_ssh_from_internet";
const NACL_RDP: &str = "ec2.nacl_no_rdp_from_internet";

fn acl(s: &mut Snapshot) -> &mut NetworkAcl {
    &mut known(&mut region(s).network_acls)[0]
}

#[test]
fn nacl_first_match_decides() {
    let s = snapshot_with(vec![]);
    only(&s, NACL_SSH, Pass);
    only(&s, NACL_RDP, Pass);
    // An allow-all entry (AWS's default ACL) opens both.
    let mut s = snapshot_with(vec![]);
    acl(&mut s).entries.push(acl_entry(200, "-1", true, "0.0.0.0/0", None));
    let o = only(&s, NACL_SSH, Fail);
    assert!(o.message.contains("inbound rule 200 allows tcp 22 from 0.0.0.0/0"), "{}", o.message);
    assert!(o.message.contains("default ACL"));
    assert_eq!(o.resource.kind, "AwsEc2NetworkAcl");
    only(&s, NACL_RDP, Fail);
    // An earlier deny for SSH wins; RDP is still open.
    acl(&mut s).entries.push(acl_entry(90, "6", false, "0.0.0.0/0", Some((22, 22))));
    only(&s, NACL_SSH, Pass);
    only(&s, NACL_RDP, Fail);
    // A later deny does not help, and IPv6 is judged on its own.
    let mut s = snapshot_with(vec![]);
    acl(&mut s).entries.push(acl_entry(110, "6", true, "::/0", Some((0, 1024))));
    acl(&mut s).entries.push(acl_entry(120, "6", false, "::/0", Some((22, 22))));
    assert!(only(&s, NACL_SSH, Fail).message.contains("from ::/0"));
    // A narrower source is not "the internet".
    let mut s = snapshot_with(vec![]);
    acl(&mut s).entries.push(acl_entry(100, "6", true, "203.0.113.0/24", Some((22, 22))));
    only(&s, NACL_SSH, Pass);
    // Unreadable: ERROR for the region.
    region(&mut s).network_acls = denied("ec2:DescribeNetworkAcls");
    only(&s, NACL_SSH, Error);
    only(&s, NACL_RDP, Error);
}

#[test]
fn ebs_snapshots() {
    let s = snapshot_with(vec![]);
    only(&s, "ec2.ebs_snapshot_encrypted", Pass);
    only(&s, "ec2.ebs_snapshot_not_public", Pass);
    let mut s = snapshot_with(vec![]);
    let snap = &mut known(&mut region(&mut s).snapshots)[0];
    snap.encrypted = false;
    snap.public = Fact::Known(true);
    assert!(only(&s, "ec2.ebs_snapshot_encrypted", Fail).message.contains("of vol-1"));
    assert!(only(&s, "ec2.ebs_snapshot_not_public", Fail).message.contains("all"));
    // The share list could not be read: the snapshot's exposure is unknown.
    known(&mut region(&mut s).snapshots)[0].public = denied("ec2:DescribeSnapshotAttribute");
    only(&s, "ec2.ebs_snapshot_not_public", Error);
    only(&s, "ec2.ebs_snapshot_encrypted", Fail);
    region(&mut s).snapshots = denied("ec2:DescribeSnapshots");
    only(&s, "ec2.ebs_snapshot_encrypted", Error);
    region(&mut s).snapshots = Fact::Known(vec![]);
    only(&s, "ec2.ebs_snapshot_encrypted", NotApplicable);
}

#[test]
fn public_amis() {
    let s = snapshot_with(vec![]);
    assert_eq!(only(&s, "ec2.ami_not_public", Pass).resource.name.as_deref(), Some("golden"));
    let mut s = snapshot_with(vec![]);
    known(&mut region(&mut s).images)[0].public = true;
    only(&s, "ec2.ami_not_public", Fail);
    region(&mut s).images = denied("ec2:DescribeImages");
    only(&s, "ec2.ami_not_public", Error);
}

#[test]
fn phi_instances_with_public_addresses() {
    const ID: &str = "ec2.phi_instance_no_public_ip";
    let s = snapshot_with(vec![]);
    only(&s, ID, NotApplicable);
    let mut s = snapshot_with(vec![]);
    let mut tagged = instance("i-tagged", Some("required"), "running");
    tagged.tags = crate::testkit::phi_tags();
    tagged.public_ip = Some("198.51.100.7".into());
    let mut in_phi_vpc = instance("i-vpc", Some("required"), "running");
    in_phi_vpc.vpc_id = Some("vpc-phi".into());
    let plain = instance("i-plain", Some("required"), "running");
    region(&mut s).instances = Fact::Known(vec![tagged, in_phi_vpc, plain]);
    let got = by_id(&s, ID);
    assert_eq!(got, vec![("i-tagged".to_string(), Fail), ("i-vpc".to_string(), Pass)]);
    assert!(messages(&s, ID)[0].1.contains("198.51.100.7"));
    assert!(messages(&s, ID)[1].1.contains("PHI-tagged VPC"));
    // VPC tags unknown: an untagged instance may still hold ePHI, so it is judged.
    at(&mut s.services.vpc, "us-east-1").vpcs = denied("ec2:DescribeVpcs");
    assert_eq!(statuses(&s, ID).len(), 3);
    // Instances unreadable: ERROR for the region.
    region(&mut s).instances = denied("ec2:DescribeInstances");
    only(&s, ID, Error);
}

/// The compliant section: in us-east-1 a closed default group, an app group admitting HTTPS
/// from the VPC only, encryption by default on, one encrypted volume, and no instances.
pub fn fixture() -> crate::evidence::Regional<Ec2Region> {
    let group = |id: &str, name: &str, ingress: Vec<IpRule>| SecurityGroup {
        id: id.into(),
        name: name.into(),
        vpc_id: Some("vpc-1".into()),
        owner: None,
        tags: Tags::new(),
        ingress,
        egress: vec![],
    };
    [(
        "us-east-1".to_string(),
        Ec2Region {
            instances: Fact::Known(vec![]),
            security_groups: Fact::Known(vec![
                group("sg-default", "default", vec![]),
                group(
                    "sg-app",
                    "app",
                    vec![rule("tcp", Some((443, 443)), &["10.1.0.0/16"], &[])],
                ),
            ]),
            ebs_encryption_by_default: Fact::Known(true),
            volumes: Fact::Known(vec![Volume {
                id: "vol-1".into(),
                encrypted: true,
                kms_key_id: Some("alias/ebs".into()),
                state: Some("in-use".into()),
                attached_to: vec![],
                tags: Tags::new(),
            }]),
            network_acls: Fact::Known(vec![NetworkAcl {
                id: "acl-1".into(),
                vpc_id: Some("vpc-1".into()),
                is_default: true,
                tags: Tags::new(),
                entries: vec![
                    acl_entry(100, "6", true, "0.0.0.0/0", Some((443, 443))),
                    acl_entry(32767, "-1", false, "0.0.0.0/0", None),
                ],
            }]),
            snapshots: Fact::Known(vec![EbsSnapshot {
                id: "snap-1".into(),
                volume_id: Some("vol-1".into()),
                encrypted: true,
                tags: Tags::new(),
                public: Fact::Known(false),
            }]),
            images: Fact::Known(vec![Image {
                id: "ami-1".into(),
                name: Some("golden".into()),
                public: false,
                tags: Tags::new(),
            }]),
            prefix_lists: Default::default(),
        },
    )]
    .into_iter()
    .collect()
}
