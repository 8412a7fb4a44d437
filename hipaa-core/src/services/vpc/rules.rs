//! Amazon VPC rules: flow logs on VPCs that hold ePHI workloads, and S3 endpoints in them.

use super::evidence::{FlowLog, Vpc, VpcEndpoint, VpcRegion};
use crate::evidence::{Fact, RegionEvidence, Unknown};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::vocabulary::Status;
use std::collections::BTreeMap;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "vpc.flow_logs",
            f: flow_logs,
        },
        RuleFn {
            id: "vpc.s3_endpoint",
            f: s3_endpoint,
        },
    ]
}

/// A list for a message: `a, b, c`, or `none`.
fn listing(names: &[&str]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// What runs in each VPC of a region and carries the PHI tag (instance ids, database ids), or
/// why that cannot be known.
pub(crate) fn phi_workloads(
    ctx: &Context<'_>,
    region: &str,
) -> Result<BTreeMap<String, Vec<String>>, Unknown> {
    let rule = &ctx.scope.phi;
    let mut by_vpc: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let missing = |what: &str| ctx.snapshot.missing_region(region, what);
    let ec2 = ctx
        .snapshot
        .services
        .ec2
        .as_ref()
        .and_then(|s| s.get(region))
        .ok_or_else(|| missing("EC2"))?;
    for i in ec2.instances.get()? {
        if let (Some(vpc), true) = (&i.vpc_id, rule.matches(&i.tags)) {
            by_vpc
                .entry(vpc.clone())
                .or_default()
                .push(match i.tags.get("Name") {
                    Some(n) => format!("instance {n} ({})", i.id),
                    None => format!("instance {}", i.id),
                });
        }
    }
    let rds = ctx
        .snapshot
        .services
        .rds
        .as_ref()
        .and_then(|s| s.get(region))
        .ok_or_else(|| missing("RDS"))?;
    for db in rds.instances.get()? {
        if let (Some(vpc), true) = (&db.vpc_id, rule.matches(&db.tags)) {
            by_vpc
                .entry(vpc.clone())
                .or_default()
                .push(format!("database {}", db.id));
        }
    }
    Ok(by_vpc)
}

fn vpc_resource(ctx: &Context<'_>, region: &str, v: &Vpc, phi: &PhiMark) -> Resource {
    let account = ctx.account_id();
    Resource {
        arn: v.arn(&ctx.snapshot.partition, region, &account),
        id: v.id.clone(),
        kind: "AwsEc2Vpc".into(),
        account: v.owner.clone().unwrap_or(account),
        region: Some(region.to_string()),
        name: v.tags.get("Name").cloned(),
        phi: phi.flag(),
    }
}

/// Whether a flow log on the VPC, or on every one of its subnets, or on every one of its network
/// interfaces, is active, records all traffic and is delivered. When the VPC's own logs fall
/// short and its subnets or interfaces could not be read, coverage is unknown: ERROR.
fn judge_flow_logs(region: &VpcRegion, v: &Vpc, logs: &[FlowLog]) -> Result<Verdict, Unknown> {
    let own = judge_own_logs(v, logs);
    if own.status == Status::Pass {
        return Ok(own);
    }
    let covered = |id: &str| qualifying(logs, id).is_some();
    let subnets: Vec<&str> = region
        .subnets
        .get()?
        .iter()
        .filter(|s| s.vpc_id.as_deref() == Some(v.id.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    if !subnets.is_empty() && subnets.iter().all(|s| covered(s)) {
        return Ok(Verdict::pass(format!(
            "every subnet of the VPC ({}) has a flow log recording all traffic",
            subnets.join(", ")
        )));
    }
    let enis: Vec<&super::evidence::NetworkInterface> = region
        .network_interfaces
        .get()?
        .iter()
        .filter(|e| e.vpc_id.as_deref() == Some(v.id.as_str()))
        .collect();
    let eni_covered = |e: &&super::evidence::NetworkInterface| {
        covered(&e.id) || e.subnet_id.as_deref().is_some_and(covered)
    };
    if !enis.is_empty() && enis.iter().all(eni_covered) {
        return Ok(Verdict::pass(format!(
            "every network interface of the VPC ({}) is recorded by a flow log on it or its subnet",
            enis.len()
        )));
    }
    Ok(own)
}

/// The first active, all-traffic, delivering flow log on this resource.
fn qualifying<'a>(logs: &'a [FlowLog], id: &str) -> Option<&'a FlowLog> {
    logs.iter().find(|f| {
        f.resource_id == id
            && f.status.as_deref() == Some("ACTIVE")
            && f.traffic_type.as_deref() == Some("ALL")
            && f.deliver_status.as_deref() != Some("FAILED")
    })
}

/// Whether one of the VPC's own flow logs is active, records all traffic and is delivered.
fn judge_own_logs(v: &Vpc, logs: &[FlowLog]) -> Verdict {
    let on_vpc: Vec<&FlowLog> = logs.iter().filter(|f| f.resource_id == v.id).collect();
    if on_vpc.is_empty() {
        return Verdict::fail("no flow log records this VPC's traffic");
    }
    let active: Vec<&FlowLog> = on_vpc
        .iter()
        .copied()
        .filter(|f| f.status.as_deref() == Some("ACTIVE"))
        .collect();
    let failing = |f: &FlowLog| f.deliver_status.as_deref() == Some("FAILED");
    if let Some(f) = active
        .iter()
        .find(|f| f.traffic_type.as_deref() == Some("ALL") && !failing(f))
    {
        return Verdict::pass(format!(
            "flow log `{}` records all traffic to {}",
            f.id,
            f.destination_type.as_deref().unwrap_or("its destination")
        ));
    }
    let Some(first) = active.first() else {
        let ids: Vec<&str> = on_vpc.iter().map(|f| f.id.as_str()).collect();
        return Verdict::fail(format!("flow logs {} are not active", listing(&ids)));
    };
    if let Some(f) = active
        .iter()
        .find(|f| f.traffic_type.as_deref() == Some("ALL"))
    {
        return Verdict::fail(format!(
            "flow log `{}` cannot deliver its records: {}",
            f.id,
            f.deliver_error.as_deref().unwrap_or("no reason given")
        ));
    }
    Verdict::fail(format!(
        "flow log `{}` records only {} traffic, not all of it",
        first.id,
        first
            .traffic_type
            .as_deref()
            .unwrap_or("an unstated kind of")
    ))
}

/// Judge every VPC of every scanned region, marked by whether it holds ePHI (its tag, or a
/// PHI-tagged workload in it). With `phi_only`, VPCs known to hold none get no finding.
fn each_vpc(
    ctx: &Context<'_>,
    phi_only: bool,
    judge: impl Fn(&VpcRegion, &Vpc) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.vpc, "VPC", "network"));
    let mut out = Vec::new();
    for RegionEvidence { name, data } in regions {
        let region = match data {
            Ok(r) => r,
            Err(u) => {
                out.push(Outcome::error(
                    ctx.region_resource(name),
                    PhiMark::Account,
                    u,
                ));
                continue;
            }
        };
        let vpcs = match region.vpcs.get() {
            Ok(v) => v,
            Err(u) => {
                out.push(Outcome::error(
                    ctx.region_resource(name),
                    PhiMark::Account,
                    u.clone(),
                ));
                continue;
            }
        };
        let workloads = phi_workloads(ctx, name);
        for v in vpcs {
            let (phi, why) = if ctx.scope.phi.matches(&v.tags) {
                (PhiMark::Tagged, "tagged as holding ePHI".to_string())
            } else {
                match &workloads {
                    Ok(w) => match w.get(&v.id) {
                        Some(list) => (
                            PhiMark::Tagged,
                            format!("runs PHI-tagged {}", list.join(", ")),
                        ),
                        None => (PhiMark::NotTagged, String::new()),
                    },
                    Err(u) => (PhiMark::Unknown(u.clone()), String::new()),
                }
            };
            if phi_only && matches!(phi, PhiMark::NotTagged) {
                continue;
            }
            let resource = vpc_resource(ctx, name, v, &phi);
            let verdict = judge(region, v).and_then(|verdict| match &phi {
                // A control only for VPCs that hold ePHI, on a VPC that may not: a failure is
                // not known to apply, so it is ERROR with the reason (a pass stands).
                PhiMark::Unknown(u) if phi_only && verdict.status == Status::Fail => Err(u.clone()),
                _ => Ok(verdict),
            });
            let verdict = verdict.map(|mut verdict| {
                if !why.is_empty() {
                    verdict.message = format!("{} (the VPC {why})", verdict.message);
                }
                verdict
            });
            out.push(Outcome::from_result(resource, phi, verdict));
        }
    }
    out
}

fn flow_logs(ctx: &Context<'_>) -> Vec<Outcome> {
    let out = each_vpc(ctx, false, |region, v| match &region.flow_logs {
        Fact::Known(logs) => judge_flow_logs(region, v, logs),
        Fact::Unknown(u) => Err(u.clone()),
    });
    if out.is_empty() {
        return none_found(ctx, "VPCs");
    }
    out
}

/// A VPC that holds ePHI reaches S3 through a gateway or interface endpoint, not the internet.
fn s3_endpoint(ctx: &Context<'_>) -> Vec<Outcome> {
    let out = each_vpc(ctx, true, |region, v| {
        let endpoints = region.endpoints.get()?;
        let to_s3: Vec<&VpcEndpoint> = endpoints
            .iter()
            .filter(|e| e.vpc_id.as_deref() == Some(v.id.as_str()))
            .filter(|e| e.service_name.ends_with(".s3"))
            .collect();
        let live = to_s3
            .iter()
            .find(|e| matches!(e.state.as_deref(), None | Some("available" | "Available")));
        Ok(match (live, to_s3.first()) {
            (Some(e), _) => Verdict::pass(format!(
                "S3 is reached through the {} endpoint `{}`",
                e.endpoint_type.as_deref().unwrap_or("VPC").to_lowercase(),
                e.id
            )),
            (None, Some(e)) => Verdict::fail(format!(
                "the S3 endpoint `{}` is {}, not available",
                e.id,
                e.state.as_deref().unwrap_or("in an unknown state")
            )),
            (None, None) => Verdict::fail(
                "no S3 endpoint: traffic to S3 leaves the VPC through a NAT or internet gateway",
            ),
        })
    });
    if out.is_empty() {
        return none_found(ctx, "VPCs that hold ePHI workloads");
    }
    out
}
