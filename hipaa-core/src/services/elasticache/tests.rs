//! ElastiCache rule tests, and the compliant caches other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const AT_REST: &str = "elasticache.at_rest_encryption";
const TRANSIT: &str = "elasticache.transit_encryption";
const AUTH: &str = "elasticache.auth";
const BACKUP: &str = "elasticache.backup_enabled";
const ALL: [&str; 4] = [AT_REST, TRANSIT, AUTH, BACKUP];

fn region(s: &mut Snapshot) -> &mut ElastiCacheRegion {
    at(&mut s.services.elasticache, "us-east-1")
}

fn group(s: &mut Snapshot) -> &mut Cache {
    &mut known(&mut region(s).replication_groups)[0]
}

#[test]
fn the_compliant_group_passes_every_control() {
    let s = base();
    for id in ALL {
        let o = only(&s, id, Pass);
        assert_eq!(o.resource.kind, "AwsElastiCacheReplicationGroup", "{id}");
        assert_eq!(o.resource.id, "ehr-sessions");
        assert_eq!(o.phi, crate::rules::PhiMark::Tagged);
    }
    assert!(only(&s, AUTH, Pass).message.contains("`ehr-users`"));
    assert!(only(&s, BACKUP, Pass).message.contains("7 days"));
}

#[test]
fn each_setting_off_fails() {
    type Edit = fn(&mut Cache);
    let cases: [(&str, Edit, &str); 5] = [
        (AT_REST, |c| c.at_rest_encryption = Some(false), "not encrypted"),
        (TRANSIT, |c| c.transit_encryption = Some(false), "off"),
        (TRANSIT, |c| c.transit_encryption_mode = Some("preferred".into()), "preferred"),
        (AUTH, |c| c.user_groups.clear(), "no AUTH token"),
        (BACKUP, |c| c.snapshot_retention_days = Some(0), "off"),
    ];
    for (id, edit, words) in cases {
        let mut s = base();
        edit(group(&mut s));
        if id == AUTH {
            group(&mut s).auth_token = Some(false);
        }
        let o = only(&s, id, Fail);
        assert!(o.message.contains(words), "{id}: {}", o.message);
    }
    // An AUTH token alone is enough.
    let mut s = base();
    group(&mut s).user_groups.clear();
    group(&mut s).auth_token = Some(true);
    assert!(only(&s, AUTH, Pass).message.contains("AUTH token"));
}

#[test]
fn a_setting_the_description_left_out_is_error() {
    type Edit = fn(&mut Cache);
    let cases: [(&str, Edit); 4] = [
        (AT_REST, |c| c.at_rest_encryption = None),
        (TRANSIT, |c| c.transit_encryption = None),
        (AUTH, |c| {
            c.user_groups.clear();
            c.auth_token = None;
        }),
        (BACKUP, |c| c.snapshot_retention_days = None),
    ];
    for (id, edit) in cases {
        let mut s = base();
        edit(group(&mut s));
        only(&s, id, Error);
    }
}

#[test]
fn unreadable_listings_and_tags() {
    let mut s = base();
    region(&mut s).replication_groups = denied("elasticache:DescribeReplicationGroups");
    for id in ALL {
        assert_eq!(statuses(&s, id), vec![Error], "{id}");
    }
    // Unknown tags: judged, the PHI mark unknown.
    let mut s = base();
    group(&mut s).tags = denied("elasticache:ListTagsForResource");
    let o = only(&s, AT_REST, Pass);
    assert!(matches!(o.phi, crate::rules::PhiMark::Unknown(_)));
    // A scanned region without evidence gives one ERROR.
    let mut s = base();
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, AT_REST), vec![Pass, Error]);
    let mut s = base();
    s.services.elasticache = None;
    only(&s, AT_REST, Error);
}

#[test]
fn nothing_listed_is_not_applicable() {
    let mut s = base();
    region(&mut s).replication_groups = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
}

#[test]
fn memcached_is_judged_on_transit_only() {
    let mut s = base();
    region(&mut s).replication_groups = Fact::Known(vec![]);
    region(&mut s).cache_clusters = Fact::Known(vec![memcached()]);
    for id in [AT_REST, AUTH, BACKUP] {
        let o = only(&s, id, NotApplicable);
        assert_eq!(o.resource.kind, "AwsElastiCacheCacheCluster");
        assert!(o.message.contains("Memcached"), "{id}: {}", o.message);
    }
    only(&s, TRANSIT, Fail);
}

/// A Memcached cluster without TLS, tagged Internal.
pub fn memcached() -> Cache {
    let mut tags = Tags::new();
    tags.insert("DataClass".into(), "Internal".into());
    Cache {
        id: "lookup-cache".into(),
        arn: format!("arn:aws:elasticache:us-east-1:{ACCOUNT}:cluster:lookup-cache"),
        engine: "memcached".into(),
        at_rest_encryption: Some(false),
        transit_encryption: Some(false),
        transit_encryption_mode: None,
        auth_token: Some(false),
        user_groups: vec![],
        snapshot_retention_days: Some(0),
        kms_key_id: None,
        tags: Fact::Known(tags),
    }
}

/// The compliant Valkey group `ehr-sessions`: PHI, encrypted under `k1`, TLS required, RBAC,
/// snapshots kept 7 days.
pub fn sessions() -> Cache {
    Cache {
        id: "ehr-sessions".into(),
        arn: format!("arn:aws:elasticache:us-east-1:{ACCOUNT}:replicationgroup:ehr-sessions"),
        engine: "valkey".into(),
        at_rest_encryption: Some(true),
        transit_encryption: Some(true),
        transit_encryption_mode: Some("required".into()),
        auth_token: Some(false),
        user_groups: vec!["ehr-users".into()],
        snapshot_retention_days: Some(7),
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        tags: Fact::Known(phi_tags()),
    }
}

/// The compliant section in us-east-1 (no stand-alone cache clusters).
pub fn fixture() -> crate::evidence::Regional<ElastiCacheRegion> {
    [(
        "us-east-1".to_string(),
        ElastiCacheRegion {
            replication_groups: Fact::Known(vec![sessions()]),
            cache_clusters: Fact::Known(vec![]),
        },
    )]
    .into_iter()
    .collect()
}
