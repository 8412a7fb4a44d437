//! EC2 in infrastructure code: security groups with their inline rules and the separate rule
//! resources (`AWS::EC2::SecurityGroupIngress`/`Egress`, `aws_security_group_rule`,
//! `aws_vpc_security_group_ingress_rule`/`egress_rule`, `aws_default_security_group`), EBS
//! volumes and encryption by default (`aws_ebs_encryption_by_default`), network ACLs with their
//! entries, and instances (metadata options, public address).
//!
//! A template is judged as if deployed into a new account with AWS's defaults: EBS encryption
//! by default is off unless the code turns it on, a volume the code does not encrypt is not
//! encrypted, and an instance whose metadata options the code does not set accepts IMDSv1.
//! A rule part the code leaves open (a CIDR from a parameter without a default) stands as
//! the worst case, and every security-group finding of its group is ERROR with the reason.

use super::evidence::{AclEntry, Ec2Region, Instance, IpRule, NetworkAcl, SecurityGroup, Volume};
use crate::evidence::{Fact, Tags, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const GROUPS: &[&str] = &["AWS::EC2::SecurityGroup", "aws_security_group", "aws_default_security_group"];
const RULES: &[&str] = &[
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];
const VOLUMES: &[&str] = &["AWS::EC2::Volume", "aws_ebs_volume"];
const ACLS: &[&str] = &["AWS::EC2::NetworkAcl", "aws_network_acl"];
const ACL_ENTRIES: &[&str] = &["AWS::EC2::NetworkAclEntry", "aws_network_acl_rule"];
const INSTANCES: &[&str] = &["AWS::EC2::Instance", "aws_instance"];
const DEFAULT_ENCRYPTION: &[&str] = &["aws_ebs_encryption_by_default"];
const SG_CONTROLS: &[&str] = &["ec2.sg_*", "ec2.default_sg_closed"];

/// The EC2 section from every security group, volume, network ACL and instance of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    let kinds: Vec<&str> = [GROUPS, RULES, VOLUMES, ACLS, INSTANCES, DEFAULT_ENCRYPTION].concat();
    if !any_of(sources, &kinds) {
        return;
    }
    let section = by_region(
        sources,
        || Ec2Region {
            instances: Fact::Known(Vec::new()),
            security_groups: Fact::Known(Vec::new()),
            ebs_encryption_by_default: Fact::Known(false),
            volumes: Fact::Known(Vec::new()),
            network_acls: Fact::Known(Vec::new()),
            snapshots: Fact::Known(Vec::new()),
            images: Fact::Known(Vec::new()),
            prefix_lists: Default::default(),
        },
        |src, region| {
            if let Some(d) = src.of(DEFAULT_ENCRYPTION).last() {
                region.ebs_encryption_by_default = d.props.get("enabled").boolean("enabled").map(|b| b.unwrap_or(true)).into();
            }
            let default_on = region.ebs_encryption_by_default.clone();
            let groups = security_groups(src, out);
            let volumes: Vec<Volume> = src.of(VOLUMES).map(|r| volume(src, r, &default_on, out)).collect();
            let acls = network_acls(src, out);
            let instances: Vec<Instance> = src.of(INSTANCES).map(|r| instance(src, r, out)).collect();
            for (fact, items) in [(&mut region.security_groups, groups)] {
                if let Fact::Known(l) = fact {
                    l.extend(items);
                }
            }
            if let Fact::Known(l) = &mut region.volumes {
                l.extend(volumes);
            }
            if let Fact::Known(l) = &mut region.network_acls {
                l.extend(acls);
            }
            if let Fact::Known(l) = &mut region.instances {
                l.extend(instances);
            }
        },
    );
    out.services.ec2 = Some(section);
}

fn tags_of(r: &Res, arn: &str, out: &mut Converted) -> Tags {
    out.or_open(r, arn, &["*"], r.tags("Tags"), Tags::new())
}

/// A port: `-1` (every port) reads as none.
fn port(v: &Val, path: &str) -> Result<Option<i32>, Unknown> {
    Ok(v.int(path)?.filter(|p| *p >= 0).map(|p| i32::try_from(p).unwrap_or(i32::MAX)))
}

/// Text values of a list property.
fn texts(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for i in v.items(path)? {
        if let Some(t) = i.text(path)? {
            out.push(t);
        }
    }
    Ok(out)
}

/// Names of other resources (groups, prefix lists) a rule points at: their identity is enough.
fn names(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for i in v.items(path)? {
        if let Some(t) = i.name(path)? {
            out.push(t);
        }
    }
    Ok(out)
}

/// The worst rule a part left open could be: every port of every protocol from anywhere.
fn worst() -> IpRule {
    IpRule {
        protocol: "-1".into(),
        from_port: None,
        to_port: None,
        ipv4: vec!["0.0.0.0/0".into()],
        ipv6: vec!["::/0".into()],
        prefix_lists: Vec::new(),
        groups: Vec::new(),
    }
}

/// A CloudFormation rule (inline or separate); `inbound` picks the source or destination keys.
fn cfn_rule(v: &Val, inbound: bool) -> Result<IpRule, Unknown> {
    let (pl, sg) = if inbound {
        ("SourcePrefixListId", "SourceSecurityGroupId")
    } else {
        ("DestinationPrefixListId", "DestinationSecurityGroupId")
    };
    Ok(IpRule {
        protocol: v.get("IpProtocol").text("IpProtocol")?.unwrap_or_else(|| "-1".into()),
        from_port: port(v.get("FromPort"), "FromPort")?,
        to_port: port(v.get("ToPort"), "ToPort")?,
        ipv4: texts(v.get("CidrIp"), "CidrIp")?,
        ipv6: texts(v.get("CidrIpv6"), "CidrIpv6")?,
        prefix_lists: names(v.get(pl), pl)?,
        groups: names(v.get(sg), sg)?,
    })
}

/// A Terraform rule: a block of `aws_security_group`, or a separate rule resource.
fn tf_rule(v: &Val) -> Result<IpRule, Unknown> {
    // `aws_vpc_security_group_*_rule` names its fields differently and holds one range each.
    if !v.get("ip_protocol").is_null() || !v.get("cidr_ipv4").is_null() {
        return Ok(IpRule {
            protocol: v.get("ip_protocol").text("ip_protocol")?.unwrap_or_else(|| "-1".into()),
            from_port: port(v.get("from_port"), "from_port")?,
            to_port: port(v.get("to_port"), "to_port")?,
            ipv4: texts(v.get("cidr_ipv4"), "cidr_ipv4")?,
            ipv6: texts(v.get("cidr_ipv6"), "cidr_ipv6")?,
            prefix_lists: names(v.get("prefix_list_id"), "prefix_list_id")?,
            groups: names(v.get("referenced_security_group_id"), "referenced_security_group_id")?,
        });
    }
    let mut groups = names(v.get("security_groups"), "security_groups")?;
    groups.extend(names(v.get("source_security_group_id"), "source_security_group_id")?);
    let protocol = v.get("protocol").text("protocol")?.unwrap_or_else(|| "-1".into());
    let all = protocol == "-1" || protocol.eq_ignore_ascii_case("all");
    Ok(IpRule {
        from_port: if all { None } else { port(v.get("from_port"), "from_port")? },
        to_port: if all { None } else { port(v.get("to_port"), "to_port")? },
        protocol,
        ipv4: texts(v.get("cidr_blocks"), "cidr_blocks")?,
        ipv6: texts(v.get("ipv6_cidr_blocks"), "ipv6_cidr_blocks")?,
        prefix_lists: names(v.get("prefix_list_ids"), "prefix_list_ids")?,
        groups,
    })
}

/// The rules of a list property, the worst case standing in for any the code leaves open.
fn rule_list(list: &Val, path: &str, read: impl Fn(&Val) -> Result<IpRule, Unknown>, unknown: &mut Vec<Unknown>) -> Vec<IpRule> {
    match list.items(path) {
        Err(u) => {
            unknown.push(u);
            vec![worst()]
        }
        Ok(items) => items
            .into_iter()
            .map(|i| {
                read(i).unwrap_or_else(|u| {
                    unknown.push(u);
                    worst()
                })
            })
            .collect(),
    }
}

fn security_groups(src: &Source, out: &mut Converted) -> Vec<SecurityGroup> {
    let cfn = src.is_cfn();
    let mut groups = Vec::new();
    // Separate rules whose group is known only at apply may belong to any group here.
    let mut stray: Vec<Unknown> = Vec::new();
    let mut separate: Vec<(String, bool, Result<IpRule, Unknown>)> = Vec::new();
    for r in src.of(RULES) {
        let (path, inbound) = match r.kind.as_str() {
            "AWS::EC2::SecurityGroupIngress" => ("GroupId", true),
            "AWS::EC2::SecurityGroupEgress" => ("GroupId", false),
            "aws_vpc_security_group_ingress_rule" => ("security_group_id", true),
            "aws_vpc_security_group_egress_rule" => ("security_group_id", false),
            _ => ("security_group_id", r.props.get("type").text("type").ok().flatten().as_deref() != Some("egress")),
        };
        let rule = if cfn { cfn_rule(&r.props, inbound) } else { tf_rule(&r.props) };
        let path = if cfn && r.props.get("GroupId").is_null() { "GroupName" } else { path };
        match src.link(r, &[path], GROUPS, |g| match g.props.get(if cfn { "GroupName" } else { "name" }) {
            Val::Str(s) => Some(s.clone()),
            _ => None,
        }) {
            Link::To(g) => separate.push((g.id.clone(), inbound, rule)),
            Link::Open(u) => stray.push(Unknown {
                detail: format!("`{}` adds a rule to a group known only at apply ({})", r.id, u.detail),
                ..u
            }),
            Link::None | Link::Outside(_) => {}
        }
    }
    for g in src.of(GROUPS) {
        let arn = src.arn(g);
        out.add(g, &arn);
        let p = &g.props;
        let mut unknown = Vec::new();
        let (mut ingress, mut egress) = if cfn {
            let ingress = rule_list(p.get("SecurityGroupIngress"), "SecurityGroupIngress", |v| cfn_rule(v, true), &mut unknown);
            // Without inline egress, EC2 gives a new group one rule allowing all outbound traffic.
            let egress = match p.get("SecurityGroupEgress") {
                Val::Null => vec![IpRule {
                    ipv6: Vec::new(),
                    ..worst()
                }],
                e => rule_list(e, "SecurityGroupEgress", |v| cfn_rule(v, false), &mut unknown),
            };
            (ingress, egress)
        } else {
            // Terraform removes the default outbound rule; the blocks it computes from separate
            // rule resources are read from those resources instead.
            let list = |k: &str, unknown: &mut Vec<Unknown>| {
                if g.configured.contains(k) {
                    rule_list(p.get(k), k, tf_rule, unknown)
                } else {
                    Vec::new()
                }
            };
            (list("ingress", &mut unknown), list("egress", &mut unknown))
        };
        for (gid, inbound, rule) in separate.iter().filter(|(gid, _, _)| *gid == g.id) {
            let _ = gid;
            let rule = rule.clone().unwrap_or_else(|u| {
                unknown.push(u);
                worst()
            });
            if *inbound {
                ingress.push(rule);
            } else {
                egress.push(rule);
            }
        }
        for u in unknown.into_iter().chain(stray.iter().cloned()) {
            out.open(g, &arn, SG_CONTROLS, u);
        }
        let name = if g.kind == "aws_default_security_group" {
            Ok(Some("default".to_string()))
        } else if cfn {
            p.get("GroupName").name("GroupName")
        } else {
            p.get("name").name("name")
        };
        let name = out.or_open(g, &arn, SG_CONTROLS, name, None).unwrap_or_else(|| g.id.clone());
        let vpc_id = p.get(if cfn { "VpcId" } else { "vpc_id" }).name("VpcId").ok().flatten();
        let tags = tags_of(g, &arn, out);
        groups.push(SecurityGroup {
            id: g.id.clone(),
            name,
            vpc_id,
            owner: None,
            tags,
            ingress,
            egress,
        });
    }
    groups
}

fn volume(src: &Source, r: &Res, default_on: &Fact<bool>, out: &mut Converted) -> Volume {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let (en, kn, sn) = if cfn { ("Encrypted", "KmsKeyId", "SnapshotId") } else { ("encrypted", "kms_key_id", "snapshot_id") };
    let flag = match p.get(en) {
        Val::Open(_) if !cfn && !r.configured.contains("encrypted") => Ok(None),
        v => v.boolean(en),
    };
    let encrypted = match flag {
        Ok(Some(true)) => Ok(true),
        Err(u) => Err(u),
        Ok(_) => match default_on {
            Fact::Known(true) => Ok(true),
            Fact::Unknown(u) => Err(u.clone()),
            Fact::Known(false) if !p.get(sn).is_null() => Err(open(sn, "the volume is created from a snapshot, whose encryption decides")),
            Fact::Known(false) => Ok(false),
        },
    };
    let encrypted = out.or_open(r, &arn, &["ec2.ebs_volume_encrypted"], encrypted, false);
    let kms_key_id = p.get(kn).name(kn).ok().flatten();
    let tags = tags_of(r, &arn, out);
    Volume {
        id: r.id.clone(),
        encrypted,
        kms_key_id,
        state: Some("creating".into()),
        attached_to: Vec::new(),
        tags,
    }
}

fn acl_entry(v: &Val, cfn: bool, egress_default: bool) -> Result<AclEntry, Unknown> {
    if cfn {
        Ok(AclEntry {
            rule_number: v.get("RuleNumber").int("RuleNumber")?.and_then(|n| i32::try_from(n).ok()).unwrap_or(0),
            egress: v.get("Egress").boolean("Egress")?.unwrap_or(false),
            protocol: v.get("Protocol").text("Protocol")?.unwrap_or_else(|| "-1".into()),
            allow: v.get("RuleAction").text("RuleAction")?.as_deref() == Some("allow"),
            cidr: v.get("CidrBlock").text("CidrBlock")?,
            ipv6_cidr: v.get("Ipv6CidrBlock").text("Ipv6CidrBlock")?,
            from_port: port(v.at(&["PortRange", "From"]), "PortRange.From")?,
            to_port: port(v.at(&["PortRange", "To"]), "PortRange.To")?,
        })
    } else {
        let action = v.get("rule_action").text("rule_action")?.or(v.get("action").text("action")?);
        let number = v.get("rule_number").int("rule_number")?.or(v.get("rule_no").int("rule_no")?);
        let protocol = v.get("protocol").text("protocol")?.unwrap_or_else(|| "-1".into());
        let protocol = match protocol.as_str() {
            "tcp" => "6".to_string(),
            "udp" => "17".to_string(),
            "all" => "-1".to_string(),
            _ => protocol,
        };
        Ok(AclEntry {
            rule_number: number.and_then(|n| i32::try_from(n).ok()).unwrap_or(0),
            egress: v.get("egress").boolean("egress")?.unwrap_or(egress_default),
            protocol,
            allow: action.as_deref() == Some("allow"),
            cidr: v.get("cidr_block").text("cidr_block")?.filter(|c| !c.is_empty()),
            ipv6_cidr: v.get("ipv6_cidr_block").text("ipv6_cidr_block")?.filter(|c| !c.is_empty()),
            from_port: port(v.get("from_port"), "from_port")?,
            to_port: port(v.get("to_port"), "to_port")?,
        })
    }
}

/// An entry the code leaves open: allow everything from anywhere, evaluated first.
fn worst_entry(egress: bool) -> AclEntry {
    AclEntry {
        rule_number: 0,
        egress,
        protocol: "-1".into(),
        allow: true,
        cidr: Some("0.0.0.0/0".into()),
        ipv6_cidr: None,
        from_port: None,
        to_port: None,
    }
}

fn network_acls(src: &Source, out: &mut Converted) -> Vec<NetworkAcl> {
    let cfn = src.is_cfn();
    let controls = &["ec2.nacl_*"];
    let mut acls = Vec::new();
    for a in src.of(ACLS) {
        let arn = src.arn(a);
        out.add(a, &arn);
        let mut entries = Vec::new();
        let mut unknown = Vec::new();
        if !cfn {
            for (k, egress) in [("ingress", false), ("egress", true)] {
                if !a.configured.contains(k) {
                    continue;
                }
                match a.props.get(k).items(k) {
                    Ok(items) => {
                        for i in items {
                            entries.push(acl_entry(i, false, egress).unwrap_or_else(|u| {
                                unknown.push(u);
                                worst_entry(egress)
                            }));
                        }
                    }
                    Err(u) => {
                        unknown.push(u);
                        entries.push(worst_entry(egress));
                    }
                }
            }
        }
        for e in src.of(ACL_ENTRIES) {
            let path = if cfn { "NetworkAclId" } else { "network_acl_id" };
            match src.link(e, &[path], ACLS, |_| None) {
                Link::To(x) if x.id == a.id => {
                    let egress = e.props.get(if cfn { "Egress" } else { "egress" }).boolean("Egress").ok().flatten().unwrap_or(false);
                    entries.push(acl_entry(&e.props, cfn, egress).unwrap_or_else(|u| {
                        unknown.push(u);
                        worst_entry(egress)
                    }));
                }
                Link::Open(u) => unknown.push(u),
                _ => {}
            }
        }
        // Every network ACL ends with the rule EC2 adds: deny everything else.
        for egress in [false, true] {
            entries.push(AclEntry {
                rule_number: 32767,
                egress,
                protocol: "-1".into(),
                allow: false,
                cidr: Some("0.0.0.0/0".into()),
                ipv6_cidr: None,
                from_port: None,
                to_port: None,
            });
        }
        for u in unknown {
            out.open(a, &arn, controls, u);
        }
        let tags = tags_of(a, &arn, out);
        acls.push(NetworkAcl {
            id: a.id.clone(),
            vpc_id: a.props.get(if cfn { "VpcId" } else { "vpc_id" }).name("VpcId").ok().flatten(),
            is_default: false,
            tags,
            entries,
        });
    }
    acls
}

fn instance(src: &Source, r: &Res, out: &mut Converted) -> Instance {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let tokens: Result<Option<String>, Unknown> = if cfn {
        // CloudFormation sets metadata options through a launch template.
        match src.link(r, &["LaunchTemplate", "LaunchTemplateId"], &["AWS::EC2::LaunchTemplate"], |_| None) {
            Link::To(lt) => lt.props.at(&["LaunchTemplateData", "MetadataOptions", "HttpTokens"]).text("LaunchTemplateData.MetadataOptions.HttpTokens"),
            Link::Open(u) => Err(u),
            Link::Outside(n) => Err(open("LaunchTemplate", format!("its launch template `{n}` is not defined here"))),
            Link::None => match src.link(r, &["LaunchTemplate", "LaunchTemplateName"], &["AWS::EC2::LaunchTemplate"], |lt| match lt.props.get("LaunchTemplateName") {
                Val::Str(s) => Some(s.clone()),
                _ => None,
            }) {
                Link::To(lt) => lt.props.at(&["LaunchTemplateData", "MetadataOptions", "HttpTokens"]).text("LaunchTemplateData.MetadataOptions.HttpTokens"),
                Link::Open(u) => Err(u),
                Link::Outside(n) => Err(open("LaunchTemplate", format!("its launch template `{n}` is not defined here"))),
                Link::None => Ok(None),
            },
        }
    } else {
        match p.get("metadata_options") {
            _ if !r.configured.contains("metadata_options") => Ok(None),
            m => m.items("metadata_options").and_then(|items| match items.first() {
                Some(o) => o.get("http_tokens").text("metadata_options.http_tokens"),
                None => Ok(None),
            }),
        }
    };
    let tokens = out.or_open(r, &arn, &["ec2.instance_imdsv2"], tokens.map(|t| Some(t.unwrap_or_else(|| "optional".into()))), Some("optional".into()));
    let public: Result<bool, Unknown> = (|| {
        if cfn {
            for ni in p.get("NetworkInterfaces").items("NetworkInterfaces")? {
                if let Some(b) = ni.get("AssociatePublicIpAddress").boolean("NetworkInterfaces.AssociatePublicIpAddress")? {
                    return Ok(b);
                }
            }
        } else if r.configured.contains("associate_public_ip_address") {
            if let Some(b) = p.get("associate_public_ip_address").boolean("associate_public_ip_address")? {
                return Ok(b);
            }
        }
        let subnet = if cfn { "SubnetId" } else { "subnet_id" };
        match src.link(r, &[subnet], &["AWS::EC2::Subnet", "aws_subnet"], |_| None) {
            Link::To(s) => Ok(s
                .props
                .get(if cfn { "MapPublicIpOnLaunch" } else { "map_public_ip_on_launch" })
                .boolean("MapPublicIpOnLaunch")?
                .unwrap_or(false)),
            Link::Open(u) => Err(u),
            Link::Outside(n) => Err(open(subnet, format!("whether subnet `{n}` gives public addresses is not in the code"))),
            // No subnet: the default VPC's default subnets give every instance a public address.
            Link::None if cfn && p.get("NetworkInterfaces").is_null() => Ok(true),
            Link::None => Err(open(subnet, "the subnet is chosen at apply")),
        }
    })();
    let public = out.or_open(r, &arn, &["ec2.phi_instance_no_public_ip"], public, true);
    let tags = tags_of(r, &arn, out);
    Instance {
        id: r.id.clone(),
        vpc_id: None,
        state: Some("pending".into()),
        tags,
        http_tokens: tokens,
        public_ip: public.then(|| "assigned at launch".to_string()),
    }
}
