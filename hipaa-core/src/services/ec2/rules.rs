//! Amazon EC2 rules: security groups that open administrative, database or all ports to the
//! internet, default security groups that allow traffic, EBS encryption (by default and per
//! volume), IMDSv2 on instances, network ACLs that let SSH or RDP in from the internet, public
//! or unencrypted EBS snapshots, public AMIs and PHI instances with public addresses. The ports are
//! data (`ports.toml` beside this file).

use super::evidence::{AclEntry, Ec2Region, EbsSnapshot, Image, Instance, IpRule, NetworkAcl, SecurityGroup, Volume};
use crate::evidence::{Fact, RegionEvidence, Unknown, UnknownReason};
use crate::rules::{
    each_listed, each_region, none_found, section, Context, Outcome, PhiMark, Resource, RuleFn,
    Verdict,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "ec2.sg_no_ssh_from_internet",
            f: sg_no_ssh_from_internet,
        },
        RuleFn {
            id: "ec2.sg_no_rdp_from_internet",
            f: sg_no_rdp_from_internet,
        },
        RuleFn {
            id: "ec2.sg_no_db_ports_from_internet",
            f: sg_no_db_ports_from_internet,
        },
        RuleFn {
            id: "ec2.sg_no_all_traffic_from_internet",
            f: sg_no_all_traffic_from_internet,
        },
        RuleFn {
            id: "ec2.default_sg_closed",
            f: default_sg_closed,
        },
        RuleFn {
            id: "ec2.ebs_encryption_by_default",
            f: ebs_encryption_by_default,
        },
        RuleFn {
            id: "ec2.ebs_volume_encrypted",
            f: ebs_volume_encrypted,
        },
        RuleFn {
            id: "ec2.instance_imdsv2",
            f: instance_imdsv2,
        },
        RuleFn {
            id: "ec2.nacl_no_ssh_from_internet",
            f: nacl_no_ssh_from_internet,
        },
        RuleFn {
            id: "ec2.nacl_no_rdp_from_internet",
            f: nacl_no_rdp_from_internet,
        },
        RuleFn {
            id: "ec2.ebs_snapshot_encrypted",
            f: ebs_snapshot_encrypted,
        },
        RuleFn {
            id: "ec2.ebs_snapshot_not_public",
            f: ebs_snapshot_not_public,
        },
        RuleFn {
            id: "ec2.ami_not_public",
            f: ami_not_public,
        },
        RuleFn {
            id: "ec2.phi_instance_no_public_ip",
            f: phi_instance_no_public_ip,
        },
    ]
}

/// `ports.toml`: the administrative and database ports the rules look for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ports {
    admin: Vec<AdminPort>,
    database: Vec<DbPort>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminPort {
    control: String,
    port: i32,
    protocols: Vec<String>,
    service: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DbPort {
    port: i32,
    service: String,
}

fn ports() -> Result<&'static Ports, Unknown> {
    static PORTS: OnceLock<Result<Ports, String>> = OnceLock::new();
    PORTS
        .get_or_init(|| toml::from_str(include_str!("ports.toml")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "services/ec2/ports.toml",
                format!("the bundled port list does not parse: {e}"),
            )
        })
}

/// One (protocol, port, service) to look for.
pub(super) type Target = (String, i32, String);

pub(super) fn admin_targets(control: &str) -> Result<Vec<Target>, Unknown> {
    let p = ports()?;
    let targets: Vec<Target> = p
        .admin
        .iter()
        .filter(|a| a.control == control)
        .flat_map(|a| {
            a.protocols
                .iter()
                .map(|proto| (proto.clone(), a.port, a.service.clone()))
        })
        .collect();
    // A port list with nothing for this control would pass every group: refuse it instead.
    if targets.is_empty() {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            "services/ec2/ports.toml",
            format!("the bundled port list has no port for `{control}`"),
        ));
    }
    Ok(targets)
}

fn regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a, Ec2Region>>, Vec<Outcome>> {
    ctx.regions(&ctx.snapshot.services.ec2, "EC2", "EC2")
}

/// The protocol's name: `tcp`, `udp`, `all` or as given.
fn protocol(r: &IpRule) -> &str {
    match r.protocol.as_str() {
        "-1" | "all" => "all",
        "6" | "tcp" => "tcp",
        "17" | "udp" => "udp",
        other => other,
    }
}

/// The entries of the managed prefix lists of one region, by id.
type PrefixLists = BTreeMap<String, Fact<Vec<String>>>;

/// Whether a CIDR range is the whole internet.
fn everywhere(cidr: &str) -> bool {
    matches!(cidr, "0.0.0.0/0" | "::/0")
}

/// The internet-wide sources of a rule: 0.0.0.0/0, ::/0, and the managed prefix lists that hold
/// either. A prefix list the rule names whose entries could not be read is returned beside them.
fn internet(r: &IpRule, lists: &PrefixLists) -> (Vec<String>, Option<Unknown>) {
    let mut out: Vec<String> = r
        .ipv4
        .iter()
        .chain(r.ipv6.iter())
        .filter(|c| everywhere(c))
        .cloned()
        .collect();
    let mut unknown = None;
    for id in &r.prefix_lists {
        match lists.get(id) {
            Some(Fact::Known(cidrs)) => {
                if let Some(c) = cidrs.iter().find(|c| everywhere(c)) {
                    out.push(format!("the prefix list `{id}` (which holds {c})"));
                }
            }
            Some(Fact::Unknown(u)) => {
                unknown.get_or_insert_with(|| u.clone());
            }
            None => {
                unknown.get_or_insert_with(|| {
                    Unknown::new(
                        UnknownReason::NotCollected,
                        "ec2:GetManagedPrefixListEntries",
                        format!("the entries of the prefix list `{id}` were not read"),
                    )
                });
            }
        }
    }
    (out, unknown)
}

/// Whether a rule lets this protocol and port through (a range that includes the port counts).
fn opens(r: &IpRule, proto: &str, port: i32) -> bool {
    match protocol(r) {
        "all" => true,
        p if p == proto => r.from_port.unwrap_or(0) <= port && port <= r.to_port.unwrap_or(65535),
        _ => false,
    }
}

/// Whether a rule lets every port of every protocol (or of TCP or UDP) through.
fn opens_everything(r: &IpRule) -> bool {
    match protocol(r) {
        "all" => true,
        "tcp" | "udp" => r.from_port.unwrap_or(0) <= 0 && r.to_port.unwrap_or(65535) >= 65535,
        _ => false,
    }
}

/// `tcp 20-25`, `udp 3389` or `all traffic`.
fn describe(r: &IpRule) -> String {
    match (protocol(r), r.from_port, r.to_port) {
        ("all", _, _) => "all traffic".into(),
        (p, Some(a), Some(b)) if a == b => format!("{p} {a}"),
        (p, Some(a), Some(b)) => format!("{p} {a}-{b}"),
        (p, _, _) => format!("{p} (every port)"),
    }
}

fn sg_resource(ctx: &Context<'_>, region: &str, sg: &SecurityGroup, phi: &PhiMark) -> Resource {
    let account = ctx.account_id();
    Resource {
        arn: sg.arn(&ctx.snapshot.partition, region, &account),
        id: sg.id.clone(),
        kind: "AwsEc2SecurityGroup".into(),
        account: sg.owner.clone().unwrap_or(account),
        region: Some(region.to_string()),
        name: Some(sg.tags.get("Name").cloned().unwrap_or_else(|| sg.name.clone())),
        phi: phi.flag(),
    }
}

/// Judge every security group of every scanned region, with its region's prefix lists.
fn each_sg(
    ctx: &Context<'_>,
    judge: impl Fn(&SecurityGroup, &PrefixLists) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    static NONE: PrefixLists = BTreeMap::new();
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "security groups",
        |r| &r.security_groups,
        |region, sg| {
            let lists = ctx
                .snapshot
                .services
                .ec2
                .as_ref()
                .and_then(|s| s.get(region))
                .map_or(&NONE, |r| &r.prefix_lists);
            let phi = PhiMark::of_known(&ctx.scope.phi, &sg.tags);
            Outcome::from_result(sg_resource(ctx, region, sg, &phi), phi, judge(sg, lists))
        },
    )
}

/// PASS when no inbound rule opens one of the targets to the internet; FAIL naming each port,
/// source and rule otherwise; ERROR when only an unreadable prefix list could open one.
fn judge_targets(
    sg: &SecurityGroup,
    lists: &PrefixLists,
    targets: &[Target],
    what: &str,
) -> Result<Verdict, Unknown> {
    let mut hits: Vec<String> = Vec::new();
    let mut unknown = None;
    for (proto, port, service) in targets {
        for r in &sg.ingress {
            if !opens(r, proto, *port) {
                continue;
            }
            let (sources, unread) = internet(r, lists);
            if let Some(u) = unread {
                unknown.get_or_insert(u);
            }
            for src in sources {
                let hit = format!(
                    "{proto} port {port} ({service}) is open to {src} by the inbound rule `{}`",
                    describe(r)
                );
                if !hits.contains(&hit) {
                    hits.push(hit);
                }
            }
        }
    }
    match (hits.is_empty(), unknown) {
        (false, _) => Ok(Verdict::fail(hits.join("; "))),
        (true, Some(u)) => Err(u),
        (true, None) => Ok(Verdict::pass(format!(
            "no inbound rule opens {what} to the internet"
        ))),
    }
}

fn sg_no_ssh_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    let targets = admin_targets("ec2.sg_no_ssh_from_internet");
    each_sg(ctx, |sg, lists| {
        judge_targets(sg, lists, targets.as_ref().map_err(Clone::clone)?, "SSH")
    })
}

fn sg_no_rdp_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    let targets = admin_targets("ec2.sg_no_rdp_from_internet");
    each_sg(ctx, |sg, lists| {
        judge_targets(sg, lists, targets.as_ref().map_err(Clone::clone)?, "RDP")
    })
}

fn sg_no_db_ports_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    let targets: Result<Vec<Target>, Unknown> = ports().map(|p| {
        p.database
            .iter()
            .map(|d| ("tcp".to_string(), d.port, d.service.clone()))
            .collect()
    });
    each_sg(ctx, |sg, lists| {
        let t = targets.as_ref().map_err(Clone::clone)?;
        judge_targets(sg, lists, t, "a database or cache port")
    })
}

fn sg_no_all_traffic_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    each_sg(ctx, |sg, lists| {
        let mut hits: Vec<String> = Vec::new();
        let mut unknown = None;
        for r in sg.ingress.iter().filter(|r| opens_everything(r)) {
            let (sources, unread) = internet(r, lists);
            if let Some(u) = unread {
                unknown.get_or_insert(u);
            }
            for src in sources {
                hits.push(format!("the inbound rule `{}` admits {src}", describe(r)));
            }
        }
        match (hits.is_empty(), unknown) {
            (false, _) => Ok(Verdict::fail(hits.join("; "))),
            (true, Some(u)) => Err(u),
            (true, None) => Ok(Verdict::pass(
                "no inbound rule admits all traffic from the internet",
            )),
        }
    })
}

fn default_sg_closed(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        match region.get(|r| &r.security_groups) {
            Ok(groups) => {
                for sg in groups.iter().filter(|g| g.name == "default") {
                    let phi = PhiMark::of_known(&ctx.scope.phi, &sg.tags);
                    let verdict = if sg.ingress.is_empty() && sg.egress.is_empty() {
                        Verdict::pass("the default security group has no rules: nothing that lands in it by default can talk")
                    } else {
                        Verdict::fail(format!(
                            "the default security group of {} has {} inbound and {} outbound rule(s); resources launched without a group get them",
                            sg.vpc_id.as_deref().unwrap_or("its VPC"),
                            sg.ingress.len(),
                            sg.egress.len()
                        ))
                    };
                    out.push(Outcome::from_result(
                        sg_resource(ctx, region.name, sg, &phi),
                        phi,
                        Ok(verdict),
                    ));
                }
            }
            Err(u) => out.push(Outcome::error(
                ctx.region_resource(region.name),
                PhiMark::Account,
                u,
            )),
        }
    }
    if out.is_empty() {
        return none_found(ctx, "default security groups");
    }
    out
}

fn ebs_encryption_by_default(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_region(ctx, regions, |r| {
        let on = r.get(|e| &e.ebs_encryption_by_default)?;
        Ok(if *on {
            Verdict::pass(format!("new EBS volumes in {} are encrypted by default", r.name))
        } else {
            Verdict::fail(format!(
                "EBS encryption by default is off in {}: a volume or snapshot copy created without asking for encryption is stored in clear",
                r.name
            ))
        })
    })
}

fn volume_resource(ctx: &Context<'_>, region: &str, v: &Volume, phi: &PhiMark) -> Resource {
    let arn = format!(
        "arn:{}:ec2:{region}:{}:volume/{}",
        ctx.snapshot.partition,
        ctx.account_id(),
        v.id
    );
    let mut r = Resource::regional(ctx, &arn, &v.id, "AwsEc2Volume", region, phi);
    r.name = v.tags.get("Name").cloned();
    r
}

fn ebs_volume_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "EBS volumes",
        |r| &r.volumes,
        |region, v| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &v.tags);
            let verdict = if v.encrypted {
                Verdict::pass(match &v.kms_key_id {
                    Some(k) => format!("encrypted at rest with `{k}`"),
                    None => "encrypted at rest".to_string(),
                })
            } else {
                Verdict::fail(match v.attached_to.as_slice() {
                    [] => "not encrypted at rest".to_string(),
                    ids => format!("not encrypted at rest (attached to {})", ids.join(", ")),
                })
            };
            Outcome::from_result(volume_resource(ctx, region, v, &phi), phi, Ok(verdict))
        },
    )
}

fn instance_resource(ctx: &Context<'_>, region: &str, i: &Instance, phi: &PhiMark) -> Resource {
    let arn = format!(
        "arn:{}:ec2:{region}:{}:instance/{}",
        ctx.snapshot.partition,
        ctx.account_id(),
        i.id
    );
    let mut r = Resource::regional(ctx, &arn, &i.id, "AwsEc2Instance", region, phi);
    r.name = i.tags.get("Name").cloned();
    r
}

fn instance_imdsv2(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        match region.get(|r| &r.instances) {
            Ok(list) => {
                // Terminated instances are gone: nothing can reach their metadata service.
                for i in list
                    .iter()
                    .filter(|i| !matches!(i.state.as_deref(), Some("terminated" | "shutting-down")))
                {
                    let phi = PhiMark::of_known(&ctx.scope.phi, &i.tags);
                    let verdict = match i.http_tokens.as_deref() {
                        Some("required") => Ok(Verdict::pass(
                            "the metadata service requires session tokens (IMDSv2 only)",
                        )),
                        Some(other) => Ok(Verdict::fail(format!(
                            "the metadata service accepts IMDSv1 requests (HttpTokens `{other}`): a server-side request forgery can read the instance role's credentials"
                        ))),
                        None => Err(Unknown::new(
                            UnknownReason::NotCollected,
                            "ec2:DescribeInstances",
                            "the answer did not give the instance's metadata options",
                        )),
                    };
                    out.push(Outcome::from_result(
                        instance_resource(ctx, region.name, i, &phi),
                        phi,
                        verdict,
                    ));
                }
            }
            Err(u) => out.push(Outcome::error(
                ctx.region_resource(region.name),
                PhiMark::Account,
                u,
            )),
        }
    }
    if out.is_empty() {
        return none_found(ctx, "EC2 instances");
    }
    out
}

/// Whether an ACL entry matches this protocol and port (protocol numbers as the API gives them).
fn acl_matches(e: &AclEntry, proto: &str, port: i32) -> bool {
    let p = match e.protocol.as_str() {
        "-1" | "all" => return true,
        "6" | "tcp" => "tcp",
        "17" | "udp" => "udp",
        other => other,
    };
    p == proto && e.from_port.unwrap_or(0) <= port && port <= e.to_port.unwrap_or(65535)
}

/// What the ACL decides for traffic from anywhere on the internet to this port, per address
/// family: the lowest-numbered inbound entry whose range is the whole internet and that matches
/// wins (an earlier deny beats a later allow); no match is the implicit deny.
fn acl_verdicts(acl: &NetworkAcl, proto: &str, port: i32) -> Vec<String> {
    let mut inbound: Vec<&AclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
    inbound.sort_by_key(|e| e.rule_number);
    let mut open = Vec::new();
    for (family, any) in [("IPv4", "0.0.0.0/0"), ("IPv6", "::/0")] {
        let first = inbound.iter().find(|e| {
            let range = if family == "IPv4" { &e.cidr } else { &e.ipv6_cidr };
            range.as_deref() == Some(any) && acl_matches(e, proto, port)
        });
        if let Some(e) = first.filter(|e| e.allow) {
            open.push(format!("inbound rule {} allows {proto} {port} from {any}", e.rule_number));
        }
    }
    open
}

fn each_acl(ctx: &Context<'_>, targets: Result<Vec<Target>, Unknown>, what: &str) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "network ACLs",
        |r| &r.network_acls,
        |region, acl| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &acl.tags);
            let arn = format!(
                "arn:{}:ec2:{region}:{}:network-acl/{}",
                ctx.snapshot.partition,
                ctx.account_id(),
                acl.id
            );
            let mut res = Resource::regional(ctx, &arn, &acl.id, "AwsEc2NetworkAcl", region, &phi);
            res.name = acl.tags.get("Name").cloned();
            let verdict = targets.as_ref().map_err(Clone::clone).map(|targets| {
                let open: Vec<String> = targets
                    .iter()
                    .flat_map(|(proto, port, _)| acl_verdicts(acl, proto, *port))
                    .collect();
                if open.is_empty() {
                    Verdict::pass(format!("the ACL lets no {what} in from the internet"))
                } else {
                    Verdict::fail(format!(
                        "{}{}",
                        open.join("; "),
                        if acl.is_default { " (the VPC's default ACL)" } else { "" }
                    ))
                }
            });
            Outcome::from_result(res, phi, verdict)
        },
    )
}

fn nacl_no_ssh_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    // The same ports as the security-group control: one list.
    each_acl(ctx, admin_targets("ec2.sg_no_ssh_from_internet"), "SSH")
}

fn nacl_no_rdp_from_internet(ctx: &Context<'_>) -> Vec<Outcome> {
    each_acl(ctx, admin_targets("ec2.sg_no_rdp_from_internet"), "RDP")
}

fn each_snapshot(
    ctx: &Context<'_>,
    judge: impl Fn(&EbsSnapshot) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "EBS snapshots",
        |r| &r.snapshots,
        |region, snap| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &snap.tags);
            let arn = format!("arn:{}:ec2:{region}::snapshot/{}", ctx.snapshot.partition, snap.id);
            let mut res = Resource::regional(ctx, &arn, &snap.id, "AwsEc2Snapshot", region, &phi);
            res.name = snap.tags.get("Name").cloned();
            Outcome::from_result(res, phi, judge(snap))
        },
    )
}

fn ebs_snapshot_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_snapshot(ctx, |snap| {
        Ok(if snap.encrypted {
            Verdict::pass("the snapshot is encrypted")
        } else {
            Verdict::fail(format!(
                "the snapshot{} is not encrypted: anyone it is shared with, or who copies it, reads its blocks in clear",
                snap.volume_id.as_deref().map(|v| format!(" of {v}")).unwrap_or_default()
            ))
        })
    })
}

fn ebs_snapshot_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_snapshot(ctx, |snap| {
        Ok(if *snap.public.get()? {
            Verdict::fail("any AWS account may create a volume from this snapshot (createVolumePermission: all)")
        } else {
            Verdict::pass("the snapshot is not shared with everyone")
        })
    })
}

fn ami_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "AMIs",
        |r| &r.images,
        |region, img: &Image| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &img.tags);
            let arn = format!("arn:{}:ec2:{region}::image/{}", ctx.snapshot.partition, img.id);
            let mut res = Resource::regional(ctx, &arn, &img.id, "AwsEc2Image", region, &phi);
            res.name = img.name.clone();
            let verdict = if img.public {
                Verdict::fail("the AMI is public: any AWS account can launch it and read what its volumes hold")
            } else {
                Verdict::pass("the AMI is private")
            };
            Outcome::from_result(res, phi, Ok(verdict))
        },
    )
}

/// PHI instances: PHI-tagged, or running in a PHI-tagged VPC.
fn phi_instance_no_public_ip(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        let list = match region.get(|r| &r.instances) {
            Ok(l) => l,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        // The VPCs tagged as holding ePHI; unknown when the VPC listing failed.
        let phi_vpcs: Result<Vec<&str>, Unknown> = ctx
            .snapshot
            .services
            .vpc
            .as_ref()
            .and_then(|v| v.get(region.name))
            .ok_or_else(|| ctx.snapshot.missing_region(region.name, "VPC"))
            .and_then(|v| v.vpcs.get().map(|l| {
                l.iter()
                    .filter(|v| ctx.scope.phi.matches(&v.tags))
                    .map(|v| v.id.as_str())
                    .collect()
            }));
        for i in list
            .iter()
            .filter(|i| !matches!(i.state.as_deref(), Some("terminated" | "shutting-down")))
        {
            let tagged = ctx.scope.phi.matches(&i.tags);
            let in_phi_vpc = match (&phi_vpcs, i.vpc_id.as_deref()) {
                (Ok(ids), Some(v)) => Ok(ids.contains(&v)),
                (Ok(_), None) => Ok(false),
                (Err(u), _) => Err(u.clone()),
            };
            let (phi, why) = match (tagged, in_phi_vpc) {
                (true, _) => (PhiMark::Tagged, "PHI-tagged"),
                (false, Ok(true)) => (PhiMark::Tagged, "in a PHI-tagged VPC"),
                (false, Ok(false)) => continue,
                (false, Err(u)) => (PhiMark::Unknown(u), "in a VPC whose tags are unknown"),
            };
            let verdict = match &i.public_ip {
                Some(ip) => Verdict::fail(format!(
                    "the instance ({why}) has the public address {ip}: it is one security-group rule away from the internet"
                )),
                None => Verdict::pass(format!("the instance ({why}) has no public address")),
            };
            out.push(Outcome::from_result(
                instance_resource(ctx, region.name, i, &phi),
                phi,
                Ok(verdict),
            ));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "instances that hold ePHI");
    }
    out
}
