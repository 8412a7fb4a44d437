//! Scope rule tests (regions, eligible services, the SCP guardrail, classification), and the
//! tagged inventory other tests start from.

use super::evidence::*;
use crate::evidence::account::{AccountRegion, RegionOptIn};
use crate::services::org::evidence::Organization;
use crate::services::org::tests::{deny_outside, scp};
use crate::testkit::*;
use crate::scope::{AccountScope, BaaStatus, Scope};
use crate::vocabulary::Status::*;
use crate::{Fact, Snapshot};

fn with_inventory(resources: Vec<TaggedResource>) -> Snapshot {
    let mut s = snapshot_with(vec![]);
    s.services.scope = one_region("us-east-1", TaggingRegion {
        resources: Fact::Known(resources),
    });
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
    sect(&mut s.services.scope).insert(
        "us-west-2",
        TaggingRegion {
            resources: denied("tag:GetResources"),
        },
    );
    assert_eq!(statuses(&s, ID), vec![Error, Pass, Pass]);
    let mut s = snapshot_with(vec![]);
    s.services.scope = one_region("us-east-1", TaggingRegion { resources: denied("tag:GetResources") });
    assert_eq!(statuses(&s, ID), vec![Error]);
    assert_eq!(statuses(&with_inventory(vec![]), ID), vec![NotApplicable]);
    // A bucket S3 reports as PHI counts even if the tagging API missed it.
    let s = {
        let mut s = with_inventory(vec![]);
        sect(&mut s.services.s3).buckets = Fact::Known(vec![bucket("b")]);
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
    s.services.scope = one_region("us-east-1", TaggingRegion { resources: denied("tag:GetResources") });
    assert_eq!(statuses(&s, ID), vec![Error]);
    assert_eq!(statuses_in(&s, ID, &no_phi_scope()), vec![NotApplicable]);
}

#[test]
fn scp_guardrail() {
    const ID: &str = "scope.scp_eligible_services";
    assert_eq!(statuses(&snapshot_with(vec![]), ID), vec![Pass]);
    // An ineligible service in the NotAction list.
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = Fact::Known(vec![scp(
        "p-weak",
        &deny_outside(&["s3", "gamelift"]),
        &["ou-phi"],
    )]);
    assert_eq!(statuses(&s, ID), vec![Fail]);
    // Attached to an OU the account is not under.
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = Fact::Known(vec![scp("p-e", &deny_outside(&["s3"]), &["ou-other"])]);
    assert_eq!(statuses(&s, ID), vec![Fail]);
    // An allow list replacing FullAWSAccess on the OU.
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = Fact::Known(vec![
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
    sect(&mut s.services.org).organization = Fact::Known(None);
    assert_eq!(statuses(&s, ID), vec![Fail]);
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).organization = Fact::Known(Some(Organization {
        id: "o-test".into(),
        arn: "arn".into(),
        management_account: ACCOUNT.into(),
        feature_set: "ALL".into(),
    }));
    assert_eq!(statuses(&s, ID), vec![Fail]);
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = denied("organizations:ListPolicies");
    assert_eq!(statuses(&s, ID), vec![Error]);
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = Fact::Known(vec![scp("p-e", &deny_outside(&["s3"]), &["ou-phi"])]);
    if let Fact::Known(list) = &mut sect(&mut s.services.org).scps {
        list[0].targets = denied("organizations:ListTargetsForPolicy");
    }
    assert_eq!(statuses(&s, ID), vec![Error]);
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).scps = Fact::Known(vec![scp("p-bad", "{not json", &["ou-phi"])]);
    assert_eq!(statuses(&s, ID), vec![Error]);
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.org).parents = denied("organizations:ListParents");
    assert_eq!(statuses(&s, ID), vec![Error]);
    assert_eq!(
        statuses_in(&snapshot_with(vec![]), ID, &no_phi_scope()),
        vec![NotApplicable]
    );
}

#[test]
fn data_stores_must_be_classified() {
    const ID: &str = "scope.resources_classified";
    // Baseline: a bucket, a table, an RDS instance, a Redshift cluster, an ElastiCache group, an
    // OpenSearch domain, a file system, a queue, a topic, a data stream, a Firehose stream and a
    // bucket the tagging API lists, all tagged.
    let s = snapshot_with(vec![bucket("b")]);
    assert_eq!(statuses(&s, ID), vec![Pass; 12]);
    let mut untagged = bucket("c");
    untagged.tags = Fact::Known(Default::default());
    let mut unknown = bucket("d");
    unknown.tags = denied("s3:GetBucketTagging");
    let s = snapshot_with(vec![untagged, unknown]);
    assert_eq!(statuses(&s, ID), [vec![Fail, Error], vec![Pass; 11]].concat());
    let mut s = snapshot_with(vec![]);
    s.services.scope = one_region("us-east-1", TaggingRegion {
        resources: Fact::Known(vec![tagged_other("arn:aws:sqs:us-east-1:111122223333:q")]),
    });
    assert_eq!(statuses(&s, ID), [vec![Pass; 10], vec![Fail]].concat());
    // A failed tagging listing is ERROR, not a silent gap.
    let mut s = snapshot_with(vec![]);
    s.services.scope = one_region("us-west-2", TaggingRegion {
        resources: denied("tag:GetResources"),
    });
    assert_eq!(statuses(&s, ID), [vec![Pass; 10], vec![Error]].concat());
    s.services.scope = one_region("us-east-1", TaggingRegion { resources: denied("tag:GetResources") });
    assert_eq!(statuses(&s, ID), [vec![Pass; 10], vec![Error]].concat());
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.dynamodb, "us-east-1").tables = denied("dynamodb:ListTables");
    sect(&mut s.services.s3).buckets = Fact::Known(vec![]);
    // The table listing failed (ERROR for its region); the table is still judged from the
    // tagged inventory, and the other services' stores as usual.
    assert_eq!(statuses(&s, ID), [vec![Error], vec![Pass; 11]].concat());
    assert_eq!(statuses_in(&s, ID, &no_phi_scope()), vec![NotApplicable]);
}

fn tagged_other(arn: &str) -> TaggedResource {
    let mut tags = crate::evidence::Tags::new();
    tags.insert("Team".into(), "x".into());
    TaggedResource {
        arn: arn.into(),
        tags,
    }
}

const REGIONS: &str = "scope.regions_scanned";

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
        if let Fact::Known(scps) = &mut sect(&mut s.services.org).scps {
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
    sect(&mut s.services.org).organization = Fact::Known(None);
    assert_eq!(statuses(&s, REGIONS), vec![Fail]);
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

pub fn tagged(arn: &str, class: &str) -> TaggedResource {
    let mut tags = crate::evidence::Tags::new();
    tags.insert("DataClass".into(), class.into());
    TaggedResource {
        arn: arn.into(),
        tags,
    }
}

/// The compliant section: a PHI bucket and a PHI table in us-east-1.
pub fn fixture() -> crate::evidence::Regional<TaggingRegion> {
    [(
        "us-east-1".to_string(),
        TaggingRegion {
            resources: Fact::Known(vec![
                tagged("arn:aws:s3:::phi-bucket", "PHI"),
                tagged(
                    &format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/patients"),
                    "PHI",
                ),
            ]),
        },
    )]
    .into_iter()
    .collect()
}
