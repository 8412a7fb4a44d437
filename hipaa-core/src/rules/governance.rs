//! Governance rules: HIPAA-eligible services, the SCP guardrail and tagging discipline.

use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::eligible::EligibleServices;
use crate::evidence::governance::{arn_region, arn_service, Scp};
use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use crate::policy::PolicyDocument;
use crate::scp::{allow_only_eligible, deny_outside_eligible};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn rules() -> Vec<RuleFn> {
    vec![
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

/// The finding kind for a resource ARN.
fn kind_for(arn: &str) -> &'static str {
    let rest = arn.splitn(6, ':').nth(5).unwrap_or("");
    match arn_service(arn) {
        Some("s3") => "AwsS3Bucket",
        Some("dynamodb") => "AwsDynamoDbTable",
        Some("rds") if rest.starts_with("db:") => "AwsRdsDbInstance",
        Some("rds") if rest.starts_with("cluster:") => "AwsRdsDbCluster",
        Some("elasticfilesystem") => "AwsEfsFileSystem",
        Some("kms") => "AwsKmsKey",
        Some("logs") => "AwsLogsLogGroup",
        Some("sqs") => "AwsSqsQueue",
        Some("sns") => "AwsSnsTopic",
        _ => "AwsResource",
    }
}

fn resource_for(ctx: &Context<'_>, arn: &str, phi: Option<bool>, tags: Option<&Tags>) -> Resource {
    let id = arn
        .rsplit([':', '/'])
        .find(|s| !s.is_empty())
        .unwrap_or(arn)
        .to_string();
    Resource {
        arn: arn.to_string(),
        id,
        kind: kind_for(arn).into(),
        account: ctx.account_id(),
        region: arn_region(arn).map(str::to_string),
        // Opaque ids read better by their KMS alias or their Name tag.
        name: key_alias(ctx, arn).or_else(|| tags.and_then(|t| t.get("Name")).cloned()),
        phi,
    }
}

/// The display name of a KMS key the scan listed (its first alias).
fn key_alias(ctx: &Context<'_>, arn: &str) -> Option<String> {
    ctx.snapshot
        .kms
        .regions
        .iter()
        .filter_map(|r| r.keys.known())
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
    let inventory = ctx.snapshot.inventory.get()?;
    for region in inventory {
        match &region.resources {
            Fact::Known(list) => {
                for r in list {
                    t.resources.insert(r.arn.clone(), r.tags.clone());
                }
            }
            Fact::Unknown(u) => t.failed.push((region.region.clone(), u.clone())),
        }
    }
    // A requested region with no inventory (not enabled, or never collected) hides its resources.
    for name in &ctx.snapshot.regions {
        if !inventory.iter().any(|r| &r.region == name) {
            let u = ctx.snapshot.missing_region(name, "tagged inventory");
            t.failed.push((name.clone(), u));
        }
    }
    // Buckets are listed globally by S3 itself; add those the tagging API may not show.
    if let Fact::Known(buckets) = &ctx.snapshot.s3.buckets {
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
        let r = match arn_service(arn) {
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
        if let Some(svc) = arn_service(arn) {
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
pub(super) struct AttachedScps<'a> {
    /// The account id, then its parents from nearest to the root.
    pub levels: Vec<String>,
    /// Attached policies per level.
    pub by_level: BTreeMap<String, Vec<(&'a Scp, PolicyDocument)>>,
    /// The first policy whose targets or content could not be read or parsed.
    pub unknown: Option<Unknown>,
}

/// Collect [`AttachedScps`] for `account` (the organization itself must already be known).
pub(super) fn attached_scps<'a>(
    ctx: &Context<'a>,
    account: &str,
) -> Result<AttachedScps<'a>, Unknown> {
    let orgs = &ctx.snapshot.organizations;
    let mut levels = vec![account.to_string()];
    levels.extend(orgs.parents.get()?.iter().cloned());
    let mut unknown: Option<Unknown> = None;
    let mut by_level: BTreeMap<String, Vec<(&Scp, PolicyDocument)>> = BTreeMap::new();
    for scp in orgs.scps.get()? {
        let (targets, text) = match (&scp.targets, &scp.content) {
            (Fact::Known(t), Fact::Known(c)) => (t, c),
            (Fact::Unknown(u), _) | (_, Fact::Unknown(u)) => {
                unknown.get_or_insert(u.clone());
                continue;
            }
        };
        let doc = match PolicyDocument::parse(text) {
            Ok(d) => d,
            Err(e) => {
                unknown.get_or_insert(Unknown::new(
                    UnknownReason::ParseError,
                    "organizations:DescribePolicy",
                    format!("{}: {e}", scp.name),
                ));
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
        let orgs = &ctx.snapshot.organizations;
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
    match &ctx.snapshot.s3.buckets {
        Fact::Known(buckets) => {
            for b in buckets {
                judge(&b.arn, &b.tags, &mut out);
            }
        }
        Fact::Unknown(u) => out.push(Outcome::account(ctx, Err(u.clone()))),
    }
    match &ctx.snapshot.backup {
        Fact::Known(regions) => {
            // A requested region without evidence (not enabled, or never collected) hides its stores.
            for name in &ctx.snapshot.regions {
                if !regions.iter().any(|r| &r.region == name) {
                    let u = ctx.snapshot.missing_region(name, "data store");
                    out.push(Outcome::error(
                        ctx.region_resource(name),
                        PhiMark::Account,
                        u,
                    ));
                }
            }
            for region in regions {
                match &region.dynamodb_tables {
                    Fact::Known(tables) => {
                        for t in tables {
                            judge(&t.arn, &t.tags, &mut out);
                        }
                    }
                    Fact::Unknown(u) => out.push(Outcome::error(
                        ctx.region_resource(&region.region),
                        PhiMark::Account,
                        u.clone(),
                    )),
                }
                for (arn, tags) in region_stores(region) {
                    judge(&arn, &Fact::Known(tags), &mut out);
                }
                let unknown = [
                    region.rds_instances.get().err(),
                    region.efs_file_systems.get().err(),
                ];
                for u in unknown.into_iter().flatten() {
                    out.push(Outcome::error(
                        ctx.region_resource(&region.region),
                        PhiMark::Account,
                        u,
                    ));
                }
            }
        }
        Fact::Unknown(u) => out.push(Outcome::account(ctx, Err(u.clone()))),
    }
    // Data stores of other services seen by the tagging API with tags, but not this one. A failed
    // listing is ERROR for its region: the stores it would have shown are not judged.
    match &ctx.snapshot.inventory {
        Fact::Known(regions) => {
            for region in regions {
                match &region.resources {
                    Fact::Known(list) => {
                        for r in list {
                            if arn_service(&r.arn).is_some_and(|s| DATA_SERVICES.contains(&s)) {
                                judge(&r.arn, &Fact::Known(r.tags.clone()), &mut out);
                            }
                        }
                    }
                    Fact::Unknown(u) => out.push(Outcome::error(
                        ctx.region_resource(&region.region),
                        PhiMark::Account,
                        u.clone(),
                    )),
                }
            }
        }
        Fact::Unknown(u) => out.push(Outcome::account(ctx, Err(u.clone()))),
    }
    if out.is_empty() {
        return none_found(ctx, "data stores");
    }
    out
}

/// RDS instances and EFS file systems of a region with their tags (both come with the listing).
fn region_stores(region: &crate::evidence::backup::BackupRegion) -> Vec<(String, Tags)> {
    let mut v = Vec::new();
    if let Fact::Known(list) = &region.rds_instances {
        v.extend(list.iter().map(|i| (i.arn.clone(), i.tags.clone())));
    }
    if let Fact::Known(list) = &region.efs_file_systems {
        v.extend(list.iter().map(|f| (f.arn.clone(), f.tags.clone())));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::evidence::governance::{Organization, TaggedInventory};
    use crate::scope::{AccountScope, BaaStatus, Scope};
    use crate::vocabulary::Status::*;
    use crate::{Fact, Snapshot};

    fn with_inventory(resources: Vec<crate::evidence::governance::TaggedResource>) -> Snapshot {
        let mut s = snapshot_with(vec![]);
        s.inventory = Fact::Known(vec![TaggedInventory {
            region: "us-east-1".into(),
            resources: Fact::Known(resources),
        }]);
        s
    }

    fn no_phi_scope() -> Scope {
        Scope {
            accounts: vec![AccountScope {
                id: ACCOUNT.into(),
                name: None,
                baa: BaaStatus::Signed,
                holds_phi: false,
                baa_reference: None,
            }],
            ..Scope::default()
        }
    }

    #[test]
    fn phi_in_an_ineligible_service_fails() {
        const ID: &str = "scope.phi_service_eligible";
        assert_eq!(statuses(&snapshot_with(vec![]), ID), vec![Pass, Pass]);
        let s = with_inventory(vec![
            tagged("arn:aws:s3:::phi-bucket", "PHI"),
            tagged(
                "arn:aws:gamelift:us-east-1:111122223333:fleet/fleet-1",
                "PHI",
            ),
            tagged(
                "arn:aws:gamelift:us-east-1:111122223333:fleet/fleet-2",
                "Public",
            ),
        ]);
        assert_eq!(statuses(&s, ID), vec![Fail, Pass]);
        let mut s = snapshot_with(vec![]);
        if let Fact::Known(regions) = &mut s.inventory {
            regions.push(TaggedInventory {
                region: "us-west-2".into(),
                resources: denied("tag:GetResources"),
            });
        }
        assert_eq!(statuses(&s, ID), vec![Error, Pass, Pass]);
        let mut s = snapshot_with(vec![]);
        s.inventory = denied("tag:GetResources");
        assert_eq!(statuses(&s, ID), vec![Error]);
        assert_eq!(statuses(&with_inventory(vec![]), ID), vec![NotApplicable]);
        // A bucket S3 reports as PHI counts even if the tagging API missed it.
        let s = {
            let mut s = with_inventory(vec![]);
            s.s3.buckets = Fact::Known(vec![bucket("b")]);
            s
        };
        assert_eq!(statuses(&s, ID), vec![Pass]);
    }

    #[test]
    fn services_in_use_are_listed_with_eligibility() {
        const ID: &str = "scope.services_in_use";
        let s = with_inventory(vec![
            tagged("arn:aws:s3:::phi-bucket", "PHI"),
            tagged("arn:aws:gamelift:us-east-1:111122223333:fleet/f1", "Public"),
            tagged("arn:aws:gamelift:us-east-1:111122223333:fleet/f2", "Public"),
        ]);
        assert_eq!(statuses(&s, ID), vec![NotApplicable, Pass]);
        let s = with_inventory(vec![tagged(
            "arn:aws:gamelift:us-east-1:111122223333:fleet/f1",
            "PHI",
        )]);
        assert_eq!(statuses(&s, ID), vec![Fail]);
        let mut s = snapshot_with(vec![]);
        s.inventory = denied("tag:GetResources");
        assert_eq!(statuses(&s, ID), vec![Error]);
        assert_eq!(statuses_in(&s, ID, &no_phi_scope()), vec![NotApplicable]);
    }

    #[test]
    fn scp_guardrail() {
        const ID: &str = "scope.scp_eligible_services";
        assert_eq!(statuses(&snapshot_with(vec![]), ID), vec![Pass]);
        // An ineligible service in the NotAction list.
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = Fact::Known(vec![scp(
            "p-weak",
            &deny_outside(&["s3", "gamelift"]),
            &["ou-phi"],
        )]);
        assert_eq!(statuses(&s, ID), vec![Fail]);
        // Attached to an OU the account is not under.
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = Fact::Known(vec![scp("p-e", &deny_outside(&["s3"]), &["ou-other"])]);
        assert_eq!(statuses(&s, ID), vec![Fail]);
        // An allow list replacing FullAWSAccess on the OU.
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = Fact::Known(vec![
            scp(
                "p-FullAWSAccess",
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                &["r-root"],
            ),
            scp(
                "p-allow",
                r#"{"Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}"#,
                &["ou-phi"],
            ),
        ]);
        assert_eq!(statuses(&s, ID), vec![Pass]);
        // Not in an organization; the management account; unreadable policies.
        let mut s = snapshot_with(vec![]);
        s.organizations.organization = Fact::Known(None);
        assert_eq!(statuses(&s, ID), vec![Fail]);
        let mut s = snapshot_with(vec![]);
        s.organizations.organization = Fact::Known(Some(Organization {
            id: "o-test".into(),
            arn: "arn".into(),
            management_account: ACCOUNT.into(),
            feature_set: "ALL".into(),
        }));
        assert_eq!(statuses(&s, ID), vec![Fail]);
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = denied("organizations:ListPolicies");
        assert_eq!(statuses(&s, ID), vec![Error]);
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = Fact::Known(vec![scp("p-e", &deny_outside(&["s3"]), &["ou-phi"])]);
        if let Fact::Known(list) = &mut s.organizations.scps {
            list[0].targets = denied("organizations:ListTargetsForPolicy");
        }
        assert_eq!(statuses(&s, ID), vec![Error]);
        let mut s = snapshot_with(vec![]);
        s.organizations.scps = Fact::Known(vec![scp("p-bad", "{not json", &["ou-phi"])]);
        assert_eq!(statuses(&s, ID), vec![Error]);
        let mut s = snapshot_with(vec![]);
        s.organizations.parents = denied("organizations:ListParents");
        assert_eq!(statuses(&s, ID), vec![Error]);
        assert_eq!(
            statuses_in(&snapshot_with(vec![]), ID, &no_phi_scope()),
            vec![NotApplicable]
        );
    }

    #[test]
    fn data_stores_must_be_classified() {
        const ID: &str = "scope.resources_classified";
        // Baseline: a bucket, a table, an RDS instance, a file system and a bucket the tagging
        // API lists, all tagged.
        let s = snapshot_with(vec![bucket("b")]);
        assert_eq!(statuses(&s, ID), vec![Pass; 5]);
        let mut untagged = bucket("c");
        untagged.tags = Fact::Known(Default::default());
        let mut unknown = bucket("d");
        unknown.tags = denied("s3:GetBucketTagging");
        let s = snapshot_with(vec![untagged, unknown]);
        assert_eq!(statuses(&s, ID), vec![Fail, Error, Pass, Pass, Pass, Pass]);
        let mut s = snapshot_with(vec![]);
        s.inventory = Fact::Known(vec![TaggedInventory {
            region: "us-east-1".into(),
            resources: Fact::Known(vec![tagged_other("arn:aws:sqs:us-east-1:111122223333:q")]),
        }]);
        assert_eq!(statuses(&s, ID), vec![Pass, Pass, Pass, Fail]);
        // A failed tagging listing is ERROR, not a silent gap.
        let mut s = snapshot_with(vec![]);
        s.inventory = Fact::Known(vec![TaggedInventory {
            region: "us-west-2".into(),
            resources: denied("tag:GetResources"),
        }]);
        assert_eq!(statuses(&s, ID), vec![Pass, Pass, Pass, Error]);
        s.inventory = denied("tag:GetResources");
        assert_eq!(statuses(&s, ID), vec![Pass, Pass, Pass, Error]);
        let mut s = snapshot_with(vec![]);
        s.backup = denied("backup:ListBackupPlans");
        s.s3.buckets = Fact::Known(vec![]);
        assert_eq!(statuses(&s, ID), vec![Error, Pass, Pass]);
        assert_eq!(statuses_in(&s, ID, &no_phi_scope()), vec![NotApplicable]);
    }

    fn tagged_other(arn: &str) -> crate::evidence::governance::TaggedResource {
        let mut tags = crate::evidence::Tags::new();
        tags.insert("Team".into(), "x".into());
        crate::evidence::governance::TaggedResource {
            arn: arn.into(),
            tags,
        }
    }
}
