//! CloudTrail rule tests, and the compliant trail other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::services::s3::evidence::PublicAccessBlock;
use crate::services::s3::tests::all_on;
use crate::testkit::*;
use crate::vocabulary::Status::*;

pub const TRAIL_LOG_GROUP: &str = "cloudtrail/org";

pub fn first_trail(s: &mut Snapshot) -> &mut Trail {
    &mut known(&mut at(&mut s.services.cloudtrail, "us-east-1").trails)[0]
}

pub fn with_trail(f: impl FnOnce(&mut Trail)) -> Snapshot {
    let mut s = snapshot_with(vec![]);
    f(first_trail(&mut s));
    s
}

/// The trail as a member account sees the organization trail of the management account.
pub fn org_trail() -> Trail {
    let mut t = trail();
    t.arn = format!("arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org-trail");
    t.organization = true;
    t.s3_bucket = Some("org-log-archive".into());
    t.cloudwatch_log_group_arn = Some(format!(
        "arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:{TRAIL_LOG_GROUP}:*"
    ));
    t
}

fn two_regions() -> Snapshot {
    let mut s = snapshot_with(vec![]);
    s.regions = vec!["us-east-1".into(), "us-west-2".into()];
    add_logging_region(&mut s, "us-west-2");
    s
}

/// Add a second region to the five logging sections, as compliant as the first.
pub fn add_logging_region(s: &mut Snapshot, region: &str) {
    sect(&mut s.services.cloudtrail).insert(region, region_fixture());
    sect(&mut s.services.config).insert(region, crate::services::config::tests::region_fixture());
    sect(&mut s.services.guardduty)
        .insert(region, crate::services::guardduty::tests::region_fixture());
    sect(&mut s.services.securityhub)
        .insert(region, crate::services::securityhub::tests::region_fixture(region));
    sect(&mut s.services.cloudwatch)
        .insert(region, crate::services::cloudwatch::tests::region_fixture(region));
}

#[test]
fn cloudtrail_enabled() {
    let id = "cloudtrail.enabled";
    assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);

    let (st, m) = only_message(&with_trail(|t| t.multi_region = false), id);
    assert_eq!(st, Fail);
    assert!(m.contains("only single-region trails"), "{m}");
    let (st, m) = only_message(&with_trail(|t| t.is_logging = Fact::Known(false)), id);
    assert_eq!(st, Fail);
    assert!(m.contains("stopped"), "{m}");
    let s = with_trail(|t| {
        t.selectors = Fact::Known(TrailSelectors {
            management_events: false,
            s3_data_prefixes: vec![],
        })
    });
    assert_eq!(statuses(&s, id), vec![Fail]);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = Fact::Known(vec![]);
    assert_eq!(
        only_message(&s, id),
        (Fail, "no CloudTrail trail exists".to_string())
    );

    // Unknowns
    let s = with_trail(|t| t.is_logging = denied("cloudtrail:GetTrailStatus"));
    assert_eq!(statuses(&s, id), vec![Error]);
    let s = with_trail(|t| t.selectors = denied("cloudtrail:GetEventSelectors"));
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Error]);
    // A stopped trail in one region and an unreadable listing in another: still unknown.
    let mut s = two_regions();
    first_trail(&mut s).is_logging = Fact::Known(false);
    at(&mut s.services.cloudtrail, "us-west-2").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Error]);
    // ...but one qualifying trail is enough whatever other regions say.
    let mut s = two_regions();
    at(&mut s.services.cloudtrail, "us-west-2").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Pass]);
}

#[test]
fn organization_trail_counts_for_a_member_account() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = Fact::Known(vec![org_trail()]);
    let (st, m) = only_message(&s, "cloudtrail.enabled");
    assert_eq!(st, Pass);
    assert!(m.contains("organization trail"), "{m}");
    // As the brief's rule has it, an organization trail counts even if not multi-region.
    let mut t = org_trail();
    t.multi_region = false;
    at(&mut s.services.cloudtrail, "us-east-1").trails = Fact::Known(vec![t]);
    assert_eq!(statuses(&s, "cloudtrail.enabled"), vec![Pass]);
    // Its own settings are the management account's to judge.
    for id in [
        "cloudtrail.log_validation",
        "cloudtrail.kms_encryption",
        "cloudtrail.cloudwatch_delivery",
    ] {
        let o = outcomes(&s, id);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].status, NotApplicable, "{id}");
        assert_eq!(o[0].resource.account, MANAGEMENT);
    }
    // Its log bucket lives in the log archive account.
    let (st, m) = only_message(&s, "cloudtrail.bucket_secure");
    assert_eq!(st, NotApplicable);
    assert!(m.contains("org-log-archive"), "{m}");
    // Its log group and alarms live in the management account.
    let (st, m) = only_message(&s, "cloudwatch.alarm_root_use");
    assert_eq!(st, NotApplicable, "{m}");
    assert!(m.contains(MANAGEMENT), "{m}");
}

#[test]
fn trails_are_deduplicated_across_regions() {
    let s = two_regions();
    let o = outcomes(&s, "cloudtrail.log_validation");
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].resource.kind, "AwsCloudTrailTrail");
    assert_eq!(o[0].resource.region.as_deref(), Some("us-east-1"));
    // The copy with known facts is kept when another copy's status could not be read.
    let mut s = two_regions();
    first_trail(&mut s).is_logging = denied("cloudtrail:GetTrailStatus");
    assert_eq!(statuses(&s, "cloudtrail.enabled"), vec![Pass]);
    // Per-region controls give one finding per region, with distinct resources.
    let o = outcomes(&s, "guardduty.enabled");
    assert_eq!(o.len(), 2);
    assert_ne!(o[0].resource.arn, o[1].resource.arn);
    assert_eq!(o[1].resource.id, format!("{ACCOUNT}/us-west-2"));
    assert_eq!(o[1].resource.kind, "AwsAccountRegion");
}

#[test]
fn log_validation() {
    let id = "cloudtrail.log_validation";
    assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
    assert_eq!(
        statuses(&with_trail(|t| t.log_file_validation = false), id),
        vec![Fail]
    );
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
    let o = outcomes(&s, id);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].status, Error);
    assert_eq!(o[0].resource.region.as_deref(), Some("us-east-1"));
    at(&mut s.services.cloudtrail, "us-east-1").trails = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
}

#[test]
fn trail_kms() {
    let id = "cloudtrail.kms_encryption";
    assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
    assert_eq!(
        statuses(&with_trail(|t| t.kms_key_id = None), id),
        vec![Fail]
    );
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn trail_cloudwatch() {
    let id = "cloudtrail.cloudwatch_delivery";
    assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass]);
    assert_eq!(
        statuses(&with_trail(|t| t.cloudwatch_log_group_arn = None), id),
        vec![Fail]
    );
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Error]);
}

fn data_selectors(prefixes: &[&str]) -> Fact<TrailSelectors> {
    Fact::Known(TrailSelectors {
        management_events: true,
        s3_data_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
    })
}

#[test]
fn s3_data_events() {
    let id = "cloudtrail.s3_data_events";
    let phi = || snapshot_with(vec![bucket("b")]);
    assert_eq!(statuses(&phi(), id), vec![Pass]);
    // Only this bucket selected: still covered; another bucket selected: not.
    let mut s = phi();
    first_trail(&mut s).selectors = data_selectors(&["arn:aws:s3:::b/"]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    first_trail(&mut s).selectors = data_selectors(&["arn:aws:s3:::other/"]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    first_trail(&mut s).selectors = data_selectors(&[]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    // A stopped trail records nothing.
    let mut s = phi();
    first_trail(&mut s).is_logging = Fact::Known(false);
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("stopped"), "{m}");
    // Untagged buckets are out of scope.
    let mut b = bucket("b");
    b.tags = Fact::Known(Default::default());
    assert_eq!(
        statuses(&snapshot_with(vec![b.clone()]), id),
        vec![NotApplicable]
    );
    // Unknowns.
    b.tags = denied("s3:GetBucketTagging");
    assert_eq!(statuses(&snapshot_with(vec![b]), id), vec![Error]);
    let mut s = phi();
    first_trail(&mut s).selectors = denied("cloudtrail:GetEventSelectors");
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = phi();
    at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = phi();
    sect(&mut s.services.s3).buckets = denied("s3:ListBuckets");
    assert_eq!(statuses(&s, id), vec![Error]);
    assert_eq!(statuses(&snapshot_with(vec![]), id), vec![NotApplicable]);
}

#[test]
fn single_region_trail_covers_only_its_home_region() {
    let id = "cloudtrail.s3_data_events";
    let mut s = snapshot_with(vec![bucket("b")]);
    {
        let t = first_trail(&mut s);
        t.multi_region = false;
        t.home_region = "us-west-2".into();
        t.arn = format!("arn:aws:cloudtrail:us-west-2:{ACCOUNT}:trail/west");
    }
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail, "{m}");
    first_trail(&mut s).home_region = "us-east-1".into();
    assert_eq!(statuses(&s, id), vec![Pass]);
    // The bucket's region is needed to tell, and unknown.
    let mut b = bucket("b");
    b.region = denied("s3:GetBucketLocation");
    sect(&mut s.services.s3).buckets = Fact::Known(vec![b]);
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn bucket_secure() {
    let id = "cloudtrail.bucket_secure";
    let with_log_bucket = |f: &dyn Fn(&mut crate::services::s3::evidence::Bucket)| {
        let mut b = bucket("trail-logs");
        f(&mut b);
        snapshot_with(vec![bucket("b"), b])
    };
    let s = with_log_bucket(&|_| {});
    let o = outcomes(&s, id);
    assert_eq!(o.len(), 1);
    assert_eq!(
        (o[0].status, o[0].resource.id.as_str()),
        (Pass, "trail-logs")
    );

    let s = with_log_bucket(&|b| b.logging = Fact::Known(None));
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("server access logging is off"), "{m}");
    let s = with_log_bucket(&|b| {
        b.policy = Fact::Known(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::trail-logs/*"}]}"#.into(),
        ))
    });
    assert_eq!(statuses(&s, id), vec![Fail]);
    // Block Public Access: the account setting covers the bucket; without it the bucket's counts.
    let mut s = with_log_bucket(&|b| {
        b.public_access_block = Fact::Known(Some(PublicAccessBlock {
            restrict_public_buckets: false,
            ..all_on()
        }))
    });
    assert_eq!(statuses(&s, id), vec![Pass]);
    sect(&mut s.services.s3).account_public_access_block = Fact::Known(None);
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("RestrictPublicBuckets"), "{m}");
    sect(&mut s.services.s3).account_public_access_block = denied("s3control:GetPublicAccessBlock");
    assert_eq!(statuses(&s, id), vec![Error]);

    // A definite problem is a FAIL even when another fact is unknown.
    let s = with_log_bucket(&|b| {
        b.logging = Fact::Known(None);
        b.policy = denied("s3:GetBucketPolicy");
    });
    assert_eq!(statuses(&s, id), vec![Fail]);
    let s = with_log_bucket(&|b| b.policy = denied("s3:GetBucketPolicy"));
    assert_eq!(statuses(&s, id), vec![Error]);
    let s = with_log_bucket(&|b| b.policy = Fact::Known(Some("{not json".into())));
    assert_eq!(statuses(&s, id), vec![Error]);

    // Not this account's bucket; bucket listing unknown.
    let (st, m) = only_message(&snapshot_with(vec![bucket("b")]), id);
    assert_eq!(st, NotApplicable);
    assert!(m.contains("central log archive"), "{m}");
    let mut s = snapshot_with(vec![]);
    sect(&mut s.services.s3).buckets = denied("s3:ListBuckets");
    assert_eq!(statuses(&s, id), vec![Error]);
}

pub fn trail() -> Trail {
    Trail {
        name: "org-trail".into(),
        arn: format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"),
        home_region: "us-east-1".into(),
        multi_region: true,
        organization: false,
        log_file_validation: true,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        cloudwatch_log_group_arn: Some(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*"
        )),
        s3_bucket: Some("trail-logs".into()),
        is_logging: Fact::Known(true),
        selectors: Fact::Known(TrailSelectors {
            management_events: true,
            s3_data_prefixes: vec!["arn:aws:s3".into()],
        }),
    }
}

/// One region's trails: the multi-region trail, seen there.
pub fn region_fixture() -> CloudTrailRegion {
    CloudTrailRegion {
        trails: Fact::Known(vec![trail()]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<CloudTrailRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
