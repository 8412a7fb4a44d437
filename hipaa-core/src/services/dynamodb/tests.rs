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

/// The compliant tables of one region: `patients`, PHI-tagged, with point-in-time recovery.
pub fn tables(region: &str) -> Fact<Vec<DynamoTable>> {
    Fact::Known(vec![DynamoTable {
        name: "patients".into(),
        arn: format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/patients"),
        pitr: Fact::Known(true),
        tags: Fact::Known(phi_tags()),
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
