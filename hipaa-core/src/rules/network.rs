//! Region and network rules: the regions a scan covers, and flow logs on VPCs with ePHI workloads.

use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::evidence::network::{region_in_partition, FlowLog, NetworkRegion, Vpc};
use crate::evidence::{Fact, Unknown, UnknownReason};
use std::collections::BTreeMap;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "scope.regions_scanned",
            f: regions_scanned,
        },
        RuleFn {
            id: "network.vpc_flow_logs",
            f: vpc_flow_logs,
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

fn regions_scanned(ctx: &Context<'_>) -> Vec<Outcome> {
    let requested = &ctx.snapshot.regions;
    let listed = match ctx.snapshot.account_regions.get() {
        Ok(l) => l,
        Err(u) => {
            let mut u = u.clone();
            u.detail = format!(
                "{} (the account's regions are unknown; scanned only {})",
                u.detail,
                listing(&requested.iter().map(String::as_str).collect::<Vec<_>>())
            );
            return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)];
        }
    };
    let ours: Vec<_> = listed
        .iter()
        .filter(|r| region_in_partition(&r.name, &ctx.snapshot.partition))
        .collect();
    let mut out = Vec::new();
    for name in requested {
        match ours.iter().find(|r| &r.name == name) {
            Some(r) if r.opt_in.enabled() => {}
            Some(_) => out.push(Outcome::error(
                ctx.region_resource(name),
                PhiMark::Account,
                ctx.snapshot.missing_region(name, "any"),
            )),
            None => out.push(Outcome::error(
                ctx.region_resource(name),
                PhiMark::Account,
                Unknown::new(
                    UnknownReason::RegionDisabled,
                    "ec2:DescribeRegions",
                    format!(
                        "region `{name}` is not one of this account's regions in partition `{}` (misspelt, or not yet available)",
                        ctx.snapshot.partition
                    ),
                ),
            )),
        }
    }
    if !out.is_empty() {
        return out;
    }
    let enabled: Vec<&str> = ours
        .iter()
        .filter(|r| r.opt_in.enabled())
        .map(|r| r.name.as_str())
        .collect();
    let disabled: Vec<&str> = ours
        .iter()
        .filter(|r| !r.opt_in.enabled())
        .map(|r| r.name.as_str())
        .collect();
    let skipped: Vec<&str> = enabled
        .iter()
        .copied()
        .filter(|e| !requested.iter().any(|r| r == e))
        .collect();
    let disabled_note = format!(
        "not enabled (cannot hold resources, not scanned): {}",
        listing(&disabled)
    );
    if skipped.is_empty() {
        return vec![Outcome::account(
            ctx,
            Ok(Verdict::pass(format!(
                "all {} enabled regions were scanned; {disabled_note}",
                enabled.len()
            ))),
        )];
    }
    let scanned = enabled.len() - skipped.len();
    let verdict = region_locks(ctx, &skipped).map(|(locked, unlocked)| {
        if unlocked.is_empty() {
            Verdict::pass(format!(
                "{scanned} of {} enabled regions were scanned; the other {} are locked by a service control policy ({}); {disabled_note}",
                enabled.len(),
                skipped.len(),
                locked.join("; ")
            ))
        } else {
            Verdict::fail(format!(
                "{} enabled regions were neither scanned nor locked by a service control policy, so ePHI there would go unjudged: {} ({scanned} of {} enabled regions scanned); {disabled_note}",
                unlocked.len(),
                listing(&unlocked),
                enabled.len()
            ))
        }
    });
    vec![Outcome::account(ctx, verdict)]
}

/// Which of `regions` an attached SCP denies (as `region: SCP name (statement) on level`), and
/// which no SCP denies. Outside an organization nothing is locked.
fn region_locks<'r>(
    ctx: &Context<'_>,
    regions: &[&'r str],
) -> Result<(Vec<String>, Vec<&'r str>), Unknown> {
    let orgs = &ctx.snapshot.organizations;
    let account = ctx.snapshot.account.get()?;
    let scps_apply = matches!(
        orgs.organization.get()?,
        Some(o) if &o.management_account != account && o.feature_set.eq_ignore_ascii_case("ALL")
    );
    if !scps_apply {
        // Outside an organization, in its management account or without SCPs: nothing is locked.
        return Ok((Vec::new(), regions.to_vec()));
    }
    let attached = super::governance::attached_scps(ctx, account)?;
    let mut locked = Vec::new();
    let mut unlocked = Vec::new();
    for &region in regions {
        let lock = attached.by_level.iter().find_map(|(level, docs)| {
            docs.iter().find_map(|(scp, doc)| {
                crate::scp::denies_region(doc, region)
                    .map(|stmt| format!("{region}: `{}` ({stmt}) on {level}", scp.name))
            })
        });
        match lock {
            Some(l) => locked.push(l),
            None => unlocked.push(region),
        }
    }
    // A policy that could not be read may be the lock: the leftover regions are unknown.
    if let (false, Some(u)) = (unlocked.is_empty(), attached.unknown) {
        return Err(u);
    }
    Ok((locked, unlocked))
}

/// A region's network evidence, or why it is missing.
type RegionEvidence<'a> = (&'a str, Result<&'a NetworkRegion, Unknown>);

/// Every region with network evidence, then every requested region without (its facts unknown).
fn network_regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a>>, Unknown> {
    let list = ctx.snapshot.network.get()?;
    let mut out: Vec<_> = list.iter().map(|r| (r.region.as_str(), Ok(r))).collect();
    for name in &ctx.snapshot.regions {
        if !list.iter().any(|r| &r.region == name) {
            out.push((
                name.as_str(),
                Err(ctx.snapshot.missing_region(name, "network")),
            ));
        }
    }
    Ok(out)
}

/// What runs in each VPC of a region and carries the PHI tag (instance ids, database ids), or
/// why that cannot be known.
fn phi_workloads(
    ctx: &Context<'_>,
    region: &NetworkRegion,
) -> Result<BTreeMap<String, Vec<String>>, Unknown> {
    let rule = &ctx.scope.phi;
    let mut by_vpc: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in region.instances.get()? {
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
    let backup = ctx.snapshot.backup.get()?;
    let Some(b) = backup.iter().find(|b| b.region == region.region) else {
        return Err(ctx.snapshot.missing_region(&region.region, "RDS"));
    };
    for db in b.rds_instances.get()? {
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

fn vpc_flow_logs(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = match network_regions(ctx) {
        Ok(r) => r,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    let mut out = Vec::new();
    for (name, data) in regions {
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
        let workloads = phi_workloads(ctx, region);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::network::{AccountRegion, Instance, RegionOptIn};
    use crate::rules::testkit::*;
    use crate::scope::Scope;
    use crate::vocabulary::Status::{self, *};
    use crate::Snapshot;

    const REGIONS: &str = "scope.regions_scanned";
    const FLOW: &str = "network.vpc_flow_logs";

    fn base() -> Snapshot {
        snapshot_with(vec![])
    }

    fn messages(s: &Snapshot, id: &str) -> Vec<(Status, String)> {
        outcomes_in(s, id, &Scope::default())
            .into_iter()
            .map(|o| (o.status, o.message))
            .collect()
    }

    fn phi_marks(s: &Snapshot) -> Vec<Option<bool>> {
        outcomes_in(s, FLOW, &Scope::default())
            .into_iter()
            .map(|o| o.resource.phi)
            .collect()
    }

    fn network(s: &mut Snapshot) -> &mut NetworkRegion {
        match &mut s.network {
            Fact::Known(list) => &mut list[0],
            Fact::Unknown(_) => unreachable!("the test snapshot has network evidence"),
        }
    }

    fn flow_log(s: &mut Snapshot) -> &mut FlowLog {
        match &mut network(s).flow_logs {
            Fact::Known(list) => &mut list[0],
            Fact::Unknown(_) => unreachable!("the test snapshot has flow logs"),
        }
    }

    #[test]
    fn every_enabled_region_scanned_passes_and_lists_the_disabled_ones() {
        let m = messages(&base(), REGIONS);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, Pass);
        assert!(m[0].1.starts_with("all 1 enabled regions"), "{}", m[0].1);
        assert!(m[0].1.contains("not scanned): ap-east-1"), "{}", m[0].1);
    }

    #[test]
    fn an_enabled_region_left_out_fails_unless_an_scp_locks_it() {
        // us-west-2 is enabled but not scanned, and no SCP denies it.
        let base = || {
            let mut s = base();
            if let Fact::Known(list) = &mut s.account_regions {
                list.push(AccountRegion {
                    name: "us-west-2".into(),
                    opt_in: RegionOptIn::OptedIn,
                });
            }
            s
        };
        let m = messages(&base(), REGIONS);
        assert_eq!(m[0].0, Fail);
        assert!(m[0].1.contains("unjudged: us-west-2"), "{}", m[0].1);

        const LOCK: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"OnlyUsEast1","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#;
        let lock = |s: &mut Snapshot, readable: bool| {
            if let Fact::Known(scps) = &mut s.organizations.scps {
                let mut p = scp("p-region-lock", LOCK, &["ou-phi"]);
                if !readable {
                    p.content = denied("organizations:DescribePolicy");
                }
                scps.push(p);
            }
        };
        let mut s = base();
        lock(&mut s, true);
        let m = messages(&s, REGIONS);
        assert_eq!(m[0].0, Pass, "{}", m[0].1);
        assert!(
            m[0].1.contains("`p-region-lock` (OnlyUsEast1) on ou-phi"),
            "{}",
            m[0].1
        );

        // The lock may be the policy that could not be read.
        let mut s = base();
        lock(&mut s, false);
        assert_eq!(statuses(&s, REGIONS), vec![Error]);
        // Outside an organization nothing can lock it.
        let mut s = base();
        s.organizations.organization = Fact::Known(None);
        assert_eq!(statuses(&s, REGIONS), vec![Fail]);
    }

    #[test]
    fn a_named_disabled_region_is_error_and_so_are_its_regional_controls() {
        let mut s = base();
        s.regions = vec!["us-east-1".into(), "ap-east-1".into()];
        let m = messages(&s, REGIONS);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, Error);
        assert!(m[0].1.contains("not-opted-in"), "{}", m[0].1);
        // ap-east-1 has no evidence anywhere: the regional controls say why.
        let flow = messages(&s, FLOW);
        assert!(flow
            .iter()
            .any(|(st, msg)| *st == Error && msg.contains("`ap-east-1` is not enabled")));
        let trail = messages(&s, "monitoring.guardduty_enabled");
        assert!(trail
            .iter()
            .any(|(st, msg)| *st == Error && msg.contains("`ap-east-1` is not enabled")));
    }

    #[test]
    fn every_regional_control_is_error_in_a_named_disabled_region() {
        let mut with_disabled = base();
        with_disabled.regions.push("ap-east-1".into());
        let scope = Scope::default();
        for rule in crate::rules::builtin() {
            let regional = outcomes_in(&base(), rule.id, &scope)
                .iter()
                .any(|o| o.resource.region.as_deref() == Some("us-east-1"));
            if !regional {
                continue;
            }
            let flagged = outcomes_in(&with_disabled, rule.id, &scope)
                .iter()
                .any(|o| o.status == Error && o.message.contains("`ap-east-1` is not enabled"));
            assert!(
                flagged,
                "{} says nothing about the disabled region",
                rule.id
            );
        }
    }

    #[test]
    fn an_unknown_region_name_or_region_list_is_error() {
        let mut s = base();
        s.regions = vec!["us-east-1".into(), "mars-north-1".into()];
        assert_eq!(statuses(&s, REGIONS), vec![Error]);
        let mut s = base();
        s.account_regions = denied("ec2:DescribeRegions");
        let m = messages(&s, REGIONS);
        assert_eq!(m[0].0, Error);
        assert!(m[0].1.contains("scanned only us-east-1"), "{}", m[0].1);
    }

    #[test]
    fn regions_of_other_partitions_are_ignored() {
        let mut s = base();
        if let Fact::Known(list) = &mut s.account_regions {
            list.push(AccountRegion {
                name: "cn-north-1".into(),
                opt_in: RegionOptIn::NotRequired,
            });
        }
        let m = messages(&s, REGIONS);
        assert!(!m[0].1.contains("cn-north-1"), "{}", m[0].1);
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
        network(&mut s).flow_logs = denied("ec2:DescribeFlowLogs");
        assert_eq!(statuses(&s, FLOW), vec![Error]);
        let mut s = base();
        network(&mut s).vpcs = denied("ec2:DescribeVpcs");
        assert_eq!(statuses(&s, FLOW), vec![Error]);
        let mut s = base();
        s.network = denied("ec2:DescribeVpcs");
        assert_eq!(statuses(&s, FLOW), vec![Error]);
    }

    #[test]
    fn phi_workloads_put_an_untagged_vpc_in_scope() {
        let mut s = base();
        let n = network(&mut s);
        if let Fact::Known(vpcs) = &mut n.vpcs {
            vpcs[0].tags.clear();
            vpcs[0].id = "vpc-app".into();
        }
        // Not tagged and nothing PHI runs in it: judged only when every resource is.
        assert_eq!(phi_marks(&s), vec![Some(false)]);
        assert_eq!(statuses(&s, FLOW), vec![Fail]);
        // A PHI-tagged instance runs in it: it holds ePHI.
        network(&mut s).instances = Fact::Known(vec![Instance {
            id: "i-1".into(),
            vpc_id: Some("vpc-app".into()),
            state: Some("running".into()),
            tags: phi_tags(),
        }]);
        assert_eq!(phi_marks(&s), vec![Some(true)]);
        assert!(messages(&s, FLOW)[0].1.contains("instance i-1"));
        // Instances unknown: whether it holds ePHI is unknown, so phi-only mode still judges it.
        network(&mut s).instances = denied("ec2:DescribeInstances");
        let o = outcomes_in(&s, FLOW, &Scope::default());
        assert!(matches!(o[0].phi, PhiMark::Unknown(_)));
        assert_eq!(o[0].status, Fail);
    }

    #[test]
    fn an_rds_database_puts_its_vpc_in_scope() {
        let mut s = base();
        if let Fact::Known(vpcs) = &mut network(&mut s).vpcs {
            vpcs[0].tags.clear();
        }
        let m = messages(&s, FLOW);
        assert!(m[0].1.contains("database ehr"), "{}", m[0].1);
    }

    #[test]
    fn no_vpcs_is_not_applicable() {
        let mut s = base();
        network(&mut s).vpcs = Fact::Known(vec![]);
        assert_eq!(statuses(&s, FLOW), vec![NotApplicable]);
    }
}
