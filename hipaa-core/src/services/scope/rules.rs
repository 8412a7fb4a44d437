//! Scope rules: the regions a scan covers, HIPAA-eligible services, the SCP guardrail and tagging
//! discipline, from the Resource Groups Tagging API and AWS Organizations.

use crate::aws::arn;
use crate::aws::policy::PolicyDocument;
use crate::eligible::EligibleServices;
use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use crate::rules::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::scp::{allow_only_eligible, deny_outside_eligible};
use crate::services::org::evidence::{OrganizationsEvidence, Scp};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "scope.regions_scanned",
            f: regions_scanned,
        },
        RuleFn {
            id: "scope.phi_service_eligible",
            f: phi_service_eligible,
        },
        RuleFn {
            id: "scope.services_in_use",
            f: services_in_use,
        },
        RuleFn {
            id: "scope.scp_eligible_services",
            f: scp_eligible_services,
        },
        RuleFn {
            id: "scope.resources_classified",
            f: resources_classified,
        },
    ]
}

/// ARN namespaces of services that store data, whose resources must carry the classification tag.
const DATA_SERVICES: &[&str] = &[
    "s3",
    "dynamodb",
    "rds",
    "elasticfilesystem",
    "fsx",
    "redshift",
    "es",
    "elasticache",
    "docdb-elastic",
    "kinesis",
    "firehose",
    "sqs",
    "sns",
    "glacier",
    "backup",
    "secretsmanager",
    "logs",
];

/// The organization as the account sees it; absent from a live snapshot, every fact of it is
/// unknown (never "not in an organization").
pub(crate) fn orgs<'a>(ctx: &Context<'a>) -> Cow<'a, OrganizationsEvidence> {
    match &ctx.snapshot.services.org {
        Some(o) => Cow::Borrowed(o),
        None => Cow::Owned(OrganizationsEvidence::not_collected()),
    }
}

/// Whether the scope says the scanned account may hold ePHI (an unlisted account is assumed to).
fn account_holds_phi(ctx: &Context<'_>) -> bool {
    ctx.snapshot
        .account
        .known()
        .and_then(|id| ctx.scope.account(id))
        .is_none_or(|a| a.holds_phi)
}

fn list() -> Result<&'static EligibleServices, Unknown> {
    EligibleServices::bundled().map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            "eligible-services list",
            e.to_string(),
        )
    })
}


fn resource_for(ctx: &Context<'_>, arn: &str, phi: Option<bool>, tags: Option<&Tags>) -> Resource {
    Resource {
        arn: arn.to_string(),
        id: arn::short_id(arn),
        kind: arn::resource_kind(arn).into(),
        account: ctx.account_id(),
        region: arn::region(arn).map(str::to_string),
        // Opaque ids read better by their KMS alias or their Name tag.
        name: key_alias(ctx, arn).or_else(|| tags.and_then(|t| t.get("Name")).cloned()),
        phi,
    }
}

/// The display name of a KMS key the scan listed (its first alias).
fn key_alias(ctx: &Context<'_>, arn: &str) -> Option<String> {
    ctx.snapshot
        .services
        .kms
        .as_ref()?
        .iter()
        .filter_map(|(_, r)| r.keys.known())
        .flatten()
        .find(|k| k.arn == arn)
        .map(|k| k.display_name())
}

/// Every tagged resource the scan saw, by ARN, with the regions whose listing failed.
struct Tagged {
    resources: BTreeMap<String, Tags>,
    failed: Vec<(String, Unknown)>,
}

fn tagged(ctx: &Context<'_>) -> Result<Tagged, Unknown> {
    let mut t = Tagged {
        resources: BTreeMap::new(),
        failed: Vec::new(),
    };
    let Some(inventory) = &ctx.snapshot.services.scope else {
        return Err(Unknown::new(
            UnknownReason::NotCollected,
            "snapshot",
            "this snapshot has no tagged-resource inventory",
        ));
    };
    // A requested region with no inventory (not enabled, or never collected) hides its resources.
    for region in ctx.snapshot.walk(inventory, "tagged inventory") {
        match region.get(|r| &r.resources) {
            Ok(list) => {
                for r in list {
                    t.resources.insert(r.arn.clone(), r.tags.clone());
                }
            }
            Err(u) => t.failed.push((region.name.to_string(), u)),
        }
    }
    // Buckets are listed globally by S3 itself; add those the tagging API may not show.
    if let Some(Fact::Known(buckets)) = ctx.snapshot.services.s3.as_ref().map(|s| &s.buckets) {
        for b in buckets {
            if let Fact::Known(tags) = &b.tags {
                t.resources
                    .entry(b.arn.clone())
                    .or_insert_with(|| tags.clone());
            }
        }
    }
    Ok(t)
}

fn phi_service_eligible(ctx: &Context<'_>) -> Vec<Outcome> {
    let (list, inv) = match list().and_then(|l| Ok((l, tagged(ctx)?))) {
        Ok(v) => v,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    let mut out: Vec<Outcome> = inv
        .failed
        .iter()
        .map(|(region, u)| Outcome::error(ctx.region_resource(region), PhiMark::Account, u.clone()))
        .collect();
    for (arn, tags) in &inv.resources {
        if !ctx.scope.phi.matches(tags) {
            continue;
        }
        let r = match arn::service(arn) {
            None => Err(Unknown::new(
                UnknownReason::ParseError,
                "tag:GetResources",
                format!("`{arn}` is not an ARN"),
            )),
            Some(svc) => Ok(match list.service_for_arn(svc) {
                Some(s) => Verdict::pass(format!("{} is HIPAA eligible ({})", s.name, list.label())),
                None => Verdict::fail(format!(
                    "this resource is tagged as holding PHI but its service `{svc}` is not on the {}",
                    list.label()
                )),
            }),
        };
        out.push(Outcome::from_result(
            resource_for(ctx, arn, Some(true), Some(tags)),
            PhiMark::Tagged,
            r,
        ));
    }
    if out.is_empty() {
        return none_found(ctx, "PHI-tagged resources");
    }
    out
}

fn services_in_use(ctx: &Context<'_>) -> Vec<Outcome> {
    if !account_holds_phi(ctx) {
        return vec![Outcome::account(
            ctx,
            Ok(Verdict::not_applicable(
                "the scope file says this account holds no ePHI",
            )),
        )];
    }
    let (list, inv) = match list().and_then(|l| Ok((l, tagged(ctx)?))) {
        Ok(v) => v,
        Err(u) => return vec![Outcome::account(ctx, Err(u))],
    };
    let mut out: Vec<Outcome> = inv
        .failed
        .iter()
        .map(|(region, u)| Outcome::error(ctx.region_resource(region), PhiMark::Account, u.clone()))
        .collect();
    // service -> (resources, PHI-tagged resources)
    let mut services: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (arn, tags) in &inv.resources {
        if let Some(svc) = arn::service(arn) {
            let e = services.entry(svc).or_default();
            e.0 += 1;
            if ctx.scope.phi.matches(tags) {
                e.1 += 1;
            }
        }
    }
    for (svc, (n, phi)) in services {
        let mut res = ctx.account_resource();
        res.id = format!("{}/{svc}", res.id);
        res.arn = format!(
            "arn:{}:{svc}::{}:",
            ctx.snapshot.partition,
            ctx.account_id()
        );
        res.kind = "AwsService".into();
        res.name = list.service_for_arn(svc).map(|s| s.name.clone());
        let v = match (list.service_for_arn(svc), phi) {
            (Some(s), _) => Verdict::pass(format!(
                "{} is in use ({n} tagged resources, {phi} PHI-tagged) and HIPAA eligible",
                s.name
            )),
            (None, 0) => Verdict::not_applicable(format!(
                "`{svc}` is in use ({n} tagged resources) but not HIPAA eligible; none is tagged as \
                 PHI, so keep ePHI out of it"
            )),
            (None, _) => Verdict::fail(format!(
                "`{svc}` is not on the {} yet {phi} of its {n} resources are tagged as PHI",
                list.label()
            )),
        };
        out.push(Outcome::account(ctx, Ok(v)).with_resource(res));
    }
    if out.is_empty() {
        return none_found(ctx, "tagged resources");
    }
    out
}

/// The service control policies that apply to an account, by the level they are attached to
/// (the account, then its OUs up to the root), parsed.
pub(crate) struct AttachedScps<'a> {
    /// The account id, then its parents from nearest to the root.
    pub levels: Vec<String>,
    /// Attached policies per level.
    pub by_level: BTreeMap<String, Vec<(&'a Scp, PolicyDocument)>>,
    /// The first policy whose targets or content could not be read or parsed.
    pub unknown: Option<Unknown>,
}

fn not_collected_orgs() -> Unknown {
    Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        "this snapshot has no AWS Organizations evidence",
    )
}

/// Collect [`AttachedScps`] for `account` (the organization itself must already be known).
pub(crate) fn attached_scps<'a>(
    ctx: &Context<'a>,
    account: &str,
) -> Result<AttachedScps<'a>, Unknown> {
    let orgs = match &ctx.snapshot.services.org {
        Some(o) => o,
        None => return Err(not_collected_orgs()),
    };
    let mut levels = vec![account.to_string()];
    levels.extend(orgs.parents.get()?.iter().cloned());
    let mut unknown: Option<Unknown> = None;
    let mut by_level: BTreeMap<String, Vec<(&Scp, PolicyDocument)>> = BTreeMap::new();
    for scp in orgs.scps.get()? {
        let (targets, doc) = match scp.targets_and_document() {
            Ok(x) => x,
            Err(u) => {
                unknown.get_or_insert(u);
                continue;
            }
        };
        for level in levels.iter().filter(|l| targets.contains(l)) {
            by_level
                .entry(level.clone())
                .or_default()
                .push((scp, doc.clone()));
        }
    }
    Ok(AttachedScps {
        levels,
        by_level,
        unknown,
    })
}

fn scp_eligible_services(ctx: &Context<'_>) -> Vec<Outcome> {
    let r = (|| {
        let account = ctx.snapshot.account.get()?;
        if !account_holds_phi(ctx) {
            return Ok(Verdict::not_applicable(
                "the scope file says this account holds no ePHI",
            ));
        }
        let list = list()?;
        let orgs = orgs(ctx);
        let Some(org) = orgs.organization.get()? else {
            return Ok(Verdict::fail(
                "the account is not in an AWS Organization, so no service control policy can keep it to HIPAA-eligible services",
            ));
        };
        if &org.management_account == account {
            return Ok(Verdict::fail(
                "this is the organization's management account: service control policies never apply to it, so keep ePHI in member accounts",
            ));
        }
        if !org.feature_set.eq_ignore_ascii_case("ALL") {
            return Ok(Verdict::fail(format!(
                "the organization runs with feature set {}, which has no service control policies",
                org.feature_set
            )));
        }
        let AttachedScps {
            levels,
            by_level,
            unknown,
        } = attached_scps(ctx, account)?;
        for (level, docs) in &by_level {
            for (scp, doc) in docs {
                if let Some(stmt) = deny_outside_eligible(doc, list) {
                    return Ok(Verdict::pass(format!(
                        "SCP `{}` (statement {stmt}), attached to {level}, denies every service outside the {}",
                        scp.name,
                        list.label()
                    )));
                }
            }
            let parsed: Vec<PolicyDocument> = docs.iter().map(|(_, d)| d.clone()).collect();
            if allow_only_eligible(&parsed, list) {
                let names: BTreeSet<&str> = docs.iter().map(|(s, _)| s.name.as_str()).collect();
                return Ok(Verdict::pass(format!(
                    "the SCPs attached to {level} ({}) allow only services on the {}",
                    names.into_iter().collect::<Vec<_>>().join(", "),
                    list.label()
                )));
            }
        }
        match unknown {
            Some(u) => Err(u),
            None => Ok(Verdict::fail(format!(
                "no service control policy on the account or its parents ({}) denies services outside the {}; generate one with `hipaa scp`",
                levels.join(", "),
                list.label()
            ))),
        }
    })();
    vec![Outcome::account(ctx, r)]
}

fn resources_classified(ctx: &Context<'_>) -> Vec<Outcome> {
    if !account_holds_phi(ctx) {
        return vec![Outcome::account(
            ctx,
            Ok(Verdict::not_applicable(
                "the scope file says this account holds no ePHI",
            )),
        )];
    }
    let key = &ctx.scope.phi.tag_key;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut judge = |arn: &str, tags: &Fact<Tags>, out: &mut Vec<Outcome>| {
        if !seen.insert(arn.to_string()) {
            return;
        }
        let mark = PhiMark::of(&ctx.scope.phi, tags);
        let phi = mark.flag();
        let r = tags.get().map(|t| match t.get(key) {
            Some(v) => Verdict::pass(format!("classified: {key}={v}")),
            None => Verdict::fail(format!(
                "no `{key}` tag: this data store cannot be told apart from ePHI storage, so scope can shrink silently"
            )),
        });
        out.push(Outcome::from_result(
            resource_for(ctx, arn, phi, tags.known()),
            mark,
            r,
        ));
    };
    // Every data store a service section lists (buckets, tables, databases, file systems, …);
    // a listing that failed, or a scanned region without evidence, is ERROR for its region.
    for (_, listing) in ctx.snapshot.services.stores(ctx.snapshot) {
        match listing.stores {
            Ok(stores) => {
                for s in stores {
                    judge(&s.arn, &s.tags, &mut out);
                }
            }
            Err(u) => out.push(match &listing.region {
                Some(r) => Outcome::error(ctx.region_resource(r), PhiMark::Account, u),
                None => Outcome::account(ctx, Err(u)),
            }),
        }
    }
    // Data stores of other services seen by the tagging API with tags, but not this one. A failed
    // listing is ERROR for its region: the stores it would have shown are not judged.
    match &ctx.snapshot.services.scope {
        Some(inventory) => {
            for (region, entry) in inventory.iter() {
                match &entry.resources {
                    Fact::Known(list) => {
                        for r in list {
                            if arn::service(&r.arn).is_some_and(|s| DATA_SERVICES.contains(&s)) {
                                judge(&r.arn, &Fact::Known(r.tags.clone()), &mut out);
                            }
                        }
                    }
                    Fact::Unknown(u) => out.push(Outcome::error(
                        ctx.region_resource(region),
                        PhiMark::Account,
                        u.clone(),
                    )),
                }
            }
        }
        None => out.push(Outcome::account(
            ctx,
            Err(Unknown::new(
                UnknownReason::NotCollected,
                "snapshot",
                "this snapshot has no tagged-resource inventory",
            )),
        )),
    }
    if out.is_empty() {
        return none_found(ctx, "data stores");
    }
    out
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
        .filter(|r| arn::region_in_partition(&r.name, &ctx.snapshot.partition))
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
    let orgs = orgs(ctx);
    let account = ctx.snapshot.account.get()?;
    let scps_apply = matches!(
        orgs.organization.get()?,
        Some(o) if &o.management_account != account && o.feature_set.eq_ignore_ascii_case("ALL")
    );
    if !scps_apply {
        // Outside an organization, in its management account or without SCPs: nothing is locked.
        return Ok((Vec::new(), regions.to_vec()));
    }
    let attached = attached_scps(ctx, account)?;
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

