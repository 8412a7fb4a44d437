//! Amazon VPC rules: flow logs on VPCs that hold ePHI workloads.

use super::evidence::{FlowLog, Vpc};
use crate::evidence::{Fact, RegionEvidence, Unknown};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use std::collections::BTreeMap;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "vpc.flow_logs",
        f: flow_logs,
    }]
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
fn phi_workloads(
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

/// Whether one of the VPC's own flow logs is active, records all traffic and is delivered.
fn judge_flow_logs(v: &Vpc, logs: &[FlowLog]) -> Verdict {
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

fn flow_logs(ctx: &Context<'_>) -> Vec<Outcome> {
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
            let resource = vpc_resource(ctx, name, v, &phi);
            let verdict = match &region.flow_logs {
                Fact::Known(logs) => Ok(judge_flow_logs(v, logs)),
                Fact::Unknown(u) => Err(u.clone()),
            }
            .map(|mut verdict| {
                if !why.is_empty() {
                    verdict.message = format!("{} (the VPC {why})", verdict.message);
                }
                verdict
            });
            out.push(Outcome::from_result(resource, phi, verdict));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "VPCs");
    }
    out
}
