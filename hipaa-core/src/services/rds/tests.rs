//! RDS rule tests, and the compliant database other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn rds(s: &mut Snapshot) -> &mut RdsInstance {
    &mut known(&mut at(&mut s.services.rds, "us-east-1").instances)[0]
}

#[test]
fn rds_retention() {
    let id = "rds.backup_retention";
    assert!(only(&snapshot_with(vec![]), id, Pass)
        .message
        .contains("14 days"));
    let mut s = snapshot_with(vec![]);
    rds(&mut s).backup_retention_days = 0;
    assert!(only(&s, id, Fail).message.contains("off"));
    rds(&mut s).backup_retention_days = 3;
    assert!(only(&s, id, Fail).message.contains("fewer than 7"));
    rds(&mut s).backup_retention_days = 7;
    only(&s, id, Pass);
    let mut scope = Scope::default();
    scope.thresholds.rds_backup_retention_min_days = 30;
    assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    only(&s, id, Error);
}

#[test]
fn rds_storage_encrypted() {
    let id = "rds.storage_encrypted";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsRdsDbInstance");
    let mut s = snapshot_with(vec![]);
    rds(&mut s).storage_encrypted = false;
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

#[test]
fn phi_only_scope_leaves_untagged_stores_out() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).tags = Tags::new();
    let o = only(&s, "rds.storage_encrypted", Pass);
    assert_eq!(o.phi, crate::rules::PhiMark::NotTagged);
}

/// The compliant instances of one region: `ehr`, PHI-tagged PostgreSQL, encrypted, backed up.
pub fn instances(region: &str) -> Fact<Vec<RdsInstance>> {
    Fact::Known(vec![RdsInstance {
        id: "ehr".into(),
        arn: format!("arn:aws:rds:{region}:{ACCOUNT}:db:ehr"),
        engine: "postgres".into(),
        backup_retention_days: 14,
        storage_encrypted: true,
        vpc_id: Some("vpc-phi".into()),
        tags: phi_tags(),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<RdsRegion> {
    [(
        "us-east-1".to_string(),
        RdsRegion {
            instances: instances("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
