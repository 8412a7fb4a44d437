//! DynamoDB in infrastructure code: `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` (its
//! replica in the stack's region) and Terraform's `aws_dynamodb_table`. Point-in-time recovery
//! the code does not turn on is off, as for a new table.

use super::evidence::{DynamoDbRegion, DynamoTable};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const TABLES: &[&str] = &["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "aws_dynamodb_table"];

/// The DynamoDB section from every table of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, TABLES) {
        return;
    }
    let section = by_region(
        sources,
        || DynamoDbRegion {
            tables: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<DynamoTable> = src.of(TABLES).map(|r| table(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.tables {
                l.extend(list);
            }
        },
    );
    out.services.dynamodb = Some(section);
}

fn table(src: &Source, r: &Res, out: &mut Converted) -> DynamoTable {
    let arn = src.arn(r);
    out.add(r, &arn);
    let p = &r.props;
    // A global table's settings sit on its replicas: the first one stands for the table.
    let replica: &Val = if r.kind == "AWS::DynamoDB::GlobalTable" {
        match p.get("Replicas") {
            Val::List(items) => items.first().unwrap_or(&crate::iac::value::NULL),
            _ => &crate::iac::value::NULL,
        }
    } else {
        p
    };
    let pitr: Result<bool, Unknown> = if src.is_cfn() {
        replica
            .at(&["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"])
            .boolean("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled")
            .map(|b| b.unwrap_or(false))
    } else {
        p.get("point_in_time_recovery")
            .items("point_in_time_recovery")
            .and_then(|b| match b.first() {
                Some(b) => b.get("enabled").boolean("point_in_time_recovery.enabled").map(|x| x.unwrap_or(false)),
                None => Ok(false),
            })
    };
    let tags = if r.kind == "AWS::DynamoDB::GlobalTable" { replica.get("Tags").tags("Tags") } else { r.tags("Tags") };
    DynamoTable {
        name: r.id.clone(),
        arn,
        pitr: pitr.into(),
        tags: tags.into(),
    }
}
