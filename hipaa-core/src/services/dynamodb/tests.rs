//! DynamoDB rule tests, and the compliant table other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn table(s: &mut Snapshot) -> &mut DynamoTable {
    &mut known(&mut at(&mut s.services.dynamodb, "us-east-1").tables)[0]
}

#[test]
fn dynamodb_pitr() {
    let id = "dynamodb.pitr";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsDynamoDbTable");
    assert_eq!(o.resource.phi, Some(true));
    let mut s = snapshot_with(vec![]);
    table(&mut s).pitr = Fact::Known(false);
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    table(&mut s).pitr = denied("dynamodb:DescribeContinuousBackups");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.dynamodb, "us-east-1").tables = denied("dynamodb:ListTables");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.dynamodb, "us-east-1").tables = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

#[test]
fn dynamodb_cmk_encryption() {
    let id = "dynamodb.cmk_encryption";
    assert!(only(&snapshot_with(vec![]), id, Pass).message.contains("alias/k1"));
    let mut s = snapshot_with(vec![]);
    table(&mut s).encryption = Some(TableKey::AwsOwned);
    assert!(only(&s, id, Fail).message.contains("AWS-owned"));
    let mut s = snapshot_with(vec![]);
    known(&mut known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].metadata).manager =
        crate::services::kms::evidence::KeyManager::Aws;
    assert!(only(&s, id, Fail).message.contains("AWS-managed"));
    let mut s = snapshot_with(vec![]);
    table(&mut s).encryption = None;
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = denied("kms:ListKeys");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.dynamodb, "us-east-1").tables = denied("dynamodb:ListTables");
    only(&s, id, Error);
}

#[test]
fn dynamodb_deletion_protection() {
    let id = "dynamodb.deletion_protection";
    only(&snapshot_with(vec![]), id, Pass);
    let mut s = snapshot_with(vec![]);
    table(&mut s).deletion_protection = Some(false);
    assert!(only(&s, id, Fail).message.contains("off"));
    table(&mut s).deletion_protection = None;
    only(&s, id, Error);
    at(&mut s.services.dynamodb, "us-east-1").tables = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

/// The compliant tables of one region: `patients`, PHI-tagged, with point-in-time recovery,
/// the customer-managed key `k1` and deletion protection.
pub fn tables(region: &str) -> Fact<Vec<DynamoTable>> {
    Fact::Known(vec![DynamoTable {
        name: "patients".into(),
        arn: format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/patients"),
        pitr: Fact::Known(true),
        tags: Fact::Known(phi_tags()),
        encryption: Some(TableKey::Kms(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1"))),
        deletion_protection: Some(true),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<DynamoDbRegion> {
    [(
        "us-east-1".to_string(),
        DynamoDbRegion {
            tables: tables("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
