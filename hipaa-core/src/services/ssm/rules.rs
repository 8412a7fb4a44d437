//! AWS Systems Manager rules: every running EC2 instance is managed, and no managed node is
//! NON_COMPLIANT for patches.

use super::evidence::{ManagedInstance, PatchState, SsmRegion};
use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use crate::rules::{
    each_listed, none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict,
};
use crate::services::ec2::evidence::Instance;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "ssm.instances_managed",
            f: instances_managed,
        },
        RuleFn {
            id: "ssm.patch_compliance",
            f: patch_compliance,
        },
    ]
}

/// An EC2 instance, named by its `Name` tag, marked by its tags.
fn instance_resource(ctx: &Context<'_>, region: &str, id: &str, tags: Option<&Tags>) -> (Resource, PhiMark) {
    let phi = tags.map_or(PhiMark::Account, |t| PhiMark::of_known(&ctx.scope.phi, t));
    let arn = format!(
        "arn:{}:ec2:{region}:{}:instance/{id}",
        ctx.snapshot.partition,
        ctx.account_id()
    );
    let mut r = Resource::regional(ctx, &arn, id, "AwsEc2Instance", region, &phi);
    r.name = tags.and_then(|t| t.get("Name").cloned());
    (r, phi)
}

/// A hybrid node (`mi-…`): not an EC2 instance, no tags read.
fn node_resource(ctx: &Context<'_>, region: &str, id: &str) -> (Resource, PhiMark) {
    let arn = format!(
        "arn:{}:ssm:{region}:{}:managed-instance/{id}",
        ctx.snapshot.partition,
        ctx.account_id()
    );
    let r = Resource::regional(ctx, &arn, id, "AwsSsmManagedInstance", region, &PhiMark::Account);
    (r, PhiMark::Account)
}

/// One region's SSM evidence, or why there is none (a scanned region never read, or a region
/// outside the scan).
fn ssm_region<'a>(ctx: &Context<'a>, region: &str) -> Result<&'a SsmRegion, Unknown> {
    let Some(section) = &ctx.snapshot.services.ssm else {
        return Err(Unknown::new(
            UnknownReason::NotCollected,
            "snapshot",
            "this snapshot has no Systems Manager evidence",
        ));
    };
    section
        .get(region)
        .ok_or_else(|| ctx.snapshot.missing_region(region, "Systems Manager"))
}

fn instances_managed(ctx: &Context<'_>) -> Vec<Outcome> {
    let ec2 = section!(ctx.regions(&ctx.snapshot.services.ec2, "EC2", "EC2"));
    // Without the SSM section nothing can be judged: one ERROR, as for any absent section.
    section!(ctx.global(&ctx.snapshot.services.ssm, "Systems Manager"));
    let mut out = Vec::new();
    for region in ec2 {
        let instances = match region.get(|r| &r.instances) {
            Ok(i) => i,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        let running: Vec<&Instance> = instances
            .iter()
            .filter(|i| i.state.as_deref() == Some("running"))
            .collect();
        if running.is_empty() {
            continue;
        }
        let managed: Result<&Vec<ManagedInstance>, Unknown> =
            ssm_region(ctx, region.name).and_then(|s| s.managed_instances.get());
        for i in running {
            let (res, phi) = instance_resource(ctx, region.name, &i.id, Some(&i.tags));
            let r = managed.clone().map(|m| match m.iter().find(|n| n.id == i.id) {
                Some(n) if n.ping_status.eq_ignore_ascii_case("Online") => {
                    Verdict::pass("a Systems Manager managed instance, agent online")
                }
                Some(n) => Verdict::fail(format!(
                    "registered with Systems Manager but the agent is {}",
                    n.ping_status
                )),
                None => Verdict::fail(
                    "not a Systems Manager managed instance: it cannot be patched or inventoried centrally",
                ),
            });
            out.push(Outcome::from_result(res, phi, r));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "running EC2 instances");
    }
    out
}

/// The tags of an EC2 instance, when the EC2 section lists it.
fn ec2_tags<'a>(ctx: &Context<'a>, region: &str, id: &str) -> Option<&'a Tags> {
    let section = ctx.snapshot.services.ec2.as_ref()?;
    let Fact::Known(list) = &section.get(region)?.instances else {
        return None;
    };
    list.iter().find(|i| i.id == id).map(|i| &i.tags)
}

fn count(n: Option<i32>) -> String {
    n.map_or_else(|| "an unreported number of".to_string(), |n| n.to_string())
}

fn judge_patches(states: &[PatchState], id: &str) -> Verdict {
    let Some(p) = states.iter().find(|p| p.instance_id == id) else {
        return Verdict::fail("no patch compliance reported: Patch Manager has never scanned it");
    };
    if !p.non_compliant() {
        return Verdict::pass("patch compliance is COMPLIANT");
    }
    let mut parts = vec![format!(
        "{} missing ({} critical, {} security)",
        p.missing,
        count(p.critical_non_compliant),
        count(p.security_non_compliant)
    )];
    if p.failed > 0 {
        parts.push(format!("{} failed", p.failed));
    }
    if let Some(n) = p.installed_pending_reboot.filter(|n| *n > 0) {
        parts.push(format!("{n} waiting for a reboot"));
    }
    if let Some(n) = p.installed_rejected.filter(|n| *n > 0) {
        parts.push(format!("{n} rejected by the baseline but installed"));
    }
    Verdict::fail(format!("NON_COMPLIANT for patches: {}", parts.join(", ")))
}

fn patch_compliance(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.ssm, "Systems Manager", "Systems Manager"));
    each_listed(
        ctx,
        regions.clone(),
        "Systems Manager managed instances",
        |r| &r.managed_instances,
        |region, node| {
            let (res, phi) = if node.id.starts_with("i-") {
                instance_resource(ctx, region, &node.id, ec2_tags(ctx, region, &node.id))
            } else {
                node_resource(ctx, region, &node.id)
            };
            let states = regions
                .iter()
                .find(|r| r.name == region)
                .map_or_else(
                    || Err(ctx.snapshot.missing_region(region, "Systems Manager")),
                    |r| r.get(|s| &s.patch_states),
                );
            Outcome::from_result(res, phi, states.map(|s| judge_patches(s, &node.id)))
        },
    )
}
