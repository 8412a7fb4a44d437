//! DynamoDB in infrastructure code: `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` (its
//! first replica stands for it) and Terraform's `aws_dynamodb_table`. What the code leaves unsaid
//! is DynamoDB's default for a new table: point-in-time recovery and deletion protection off,
//! the AWS-owned key (or, encryption turned on without a key, the AWS-managed `aws/dynamodb`).

use super::evidence::{DynamoDbRegion, DynamoTable, TableKey};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
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
    let deletion = if src.is_cfn() {
        replica.get("DeletionProtectionEnabled").boolean("DeletionProtectionEnabled")
    } else {
        p.get("deletion_protection_enabled").boolean("deletion_protection_enabled")
    };
    let deletion_protection = out.or_open(r, &arn, &["dynamodb.deletion_protection"], deletion.map(|d| Some(d.unwrap_or(false))), Some(false));
    let key = encryption(src, r, replica, out);
    let encryption = out.or_open(r, &arn, &["dynamodb.cmk_encryption"], key.map(Some), Some(TableKey::AwsOwned));
    DynamoTable {
        name: r.id.clone(),
        arn,
        pitr: pitr.into(),
        tags: tags.into(),
        encryption,
        deletion_protection,
    }
}

/// Whose key encrypts the table.
fn encryption(src: &Source, r: &Res, replica: &Val, out: &mut Converted) -> Result<TableKey, Unknown> {
    const KEYS: &[&str] = &["AWS::KMS::Key", "aws_kms_key"];
    let (on, key_path): (Option<bool>, Vec<&str>) = if src.is_cfn() {
        let on = r.props.at(&["SSESpecification", "SSEEnabled"]).boolean("SSESpecification.SSEEnabled")?;
        // A global table names its key on each replica.
        let path = if r.kind == "AWS::DynamoDB::GlobalTable" {
            vec!["Replicas", "SSESpecification", "KMSMasterKeyId"]
        } else {
            vec!["SSESpecification", "KMSMasterKeyId"]
        };
        (on, path)
    } else {
        let sse = r.props.get("server_side_encryption").items("server_side_encryption")?;
        let on = match sse.first() {
            Some(b) => b.get("enabled").boolean("server_side_encryption.enabled")?,
            None => None,
        };
        (on, vec!["server_side_encryption", "kms_key_arn"])
    };
    if on != Some(true) {
        return Ok(TableKey::AwsOwned);
    }
    let named = if r.kind == "AWS::DynamoDB::GlobalTable" {
        replica.at(&["SSESpecification", "KMSMasterKeyId"])
    } else if src.is_cfn() {
        r.props.at(&key_path)
    } else {
        r.props
            .get("server_side_encryption")
            .items("server_side_encryption")?
            .first()
            .map_or(&crate::iac::value::NULL, |b| b.get("kms_key_arn"))
    };
    if named.is_null() {
        return Ok(TableKey::Kms(out.aws_managed_key(src, "aws/dynamodb")));
    }
    let label = key_path.join(".");
    Ok(TableKey::Kms(match named {
        Val::Ref { target, .. } => match src.resources.iter().find(|k| k.id == *target && KEYS.contains(&k.kind.as_str())) {
            Some(k) => src.arn(k),
            None => named.name(&label)?.unwrap_or_default(),
        },
        _ => match src.link(r, &key_path, KEYS, |_| None) {
            Link::To(k) => src.arn(k),
            Link::Open(u) => return Err(u),
            _ => named.name(&label)?.unwrap_or_default(),
        },
    }))
}
