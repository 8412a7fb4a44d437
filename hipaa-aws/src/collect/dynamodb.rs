//! Amazon DynamoDB: tables, their point-in-time recovery and tags, per region. No item is read.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use aws_sdk_dynamodb::types::PointInTimeRecoveryStatus;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Regional, Tags, Unknown};
use hipaa_core::services::dynamodb::evidence::{DynamoDbRegion, DynamoTable, TableKey};

const STAGE: &str = "dynamodb";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<DynamoDbRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let c = client_in!(aws_sdk_dynamodb, &scan.config, region);
            DynamoDbRegion {
                tables: tables(l, &c, &region).await.into(),
            }
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

async fn tables(
    l: &Ledger<'_>,
    client: &aws_sdk_dynamodb::Client,
    region: &str,
) -> Result<Vec<DynamoTable>, Unknown> {
    let names = async {
        let mut pages = client.list_tables().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page("dynamodb:ListTables", region, pages.next()).await? {
            out.extend(page.table_names().iter().cloned());
        }
        Ok::<_, Unknown>(out)
    }
    .await;
    l.tick(STAGE);
    let names = names?;
    l.plan(names.len() as u64, STAGE);
    let read: Vec<Result<Option<DynamoTable>, Unknown>> = stream::iter(names)
        .map(|n| async move {
            let t = table(l, client, region, n).await;
            l.tick(STAGE);
            t
        })
        .buffer_unordered(16)
        .collect()
        .await;
    // A table that could not be described has no ARN to report it under: the listing is unknown.
    let mut out: Vec<DynamoTable> = read
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// One table; `Ok(None)` when it was deleted since the listing.
async fn table(
    l: &Ledger<'_>,
    client: &aws_sdk_dynamodb::Client,
    region: &str,
    name: String,
) -> Result<Option<DynamoTable>, Unknown> {
    const DESCRIBE: &str = "dynamodb:DescribeTable";
    const PITR: &str = "dynamodb:DescribeContinuousBackups";
    let resource = format!("{region}/{name}");
    // The table first: its ARN names the tags, and a table deleted since the listing is skipped.
    let described = l
        .read(
            DESCRIBE,
            &resource,
            &["ResourceNotFoundException"],
            client.describe_table().table_name(&name).send(),
        )
        .await?;
    let Some(described) = described else {
        return Ok(None);
    };
    let Some(t) = described.table() else {
        return Err(l.parse_error(DESCRIBE, &resource, "no table in the answer"));
    };
    let arn = t
        .table_arn()
        .ok_or_else(|| l.parse_error(DESCRIBE, &resource, "no table ARN in the answer"))?
        .to_string();
    // No `SSEDescription` means the AWS-owned key; a KMS description names its key.
    let encryption = Some(
        match t.sse_description().and_then(|d| d.kms_master_key_arn()) {
            Some(key) => TableKey::Kms(key.to_string()),
            None => TableKey::AwsOwned,
        },
    );
    let deletion_protection = t.deletion_protection_enabled();
    let pitr = async {
        let o = l
            .must(
                PITR,
                &arn,
                client
                    .describe_continuous_backups()
                    .table_name(&name)
                    .send(),
            )
            .await?;
        o.continuous_backups_description()
            .and_then(|d| d.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .map(|s| *s == PointInTimeRecoveryStatus::Enabled)
            .ok_or_else(|| l.parse_error(PITR, &arn, "no point-in-time recovery status"))
    };
    let (pitr, tags) = tokio::join!(pitr, table_tags(l, client, &arn));
    Ok(Some(DynamoTable {
        name,
        arn,
        pitr: pitr.into(),
        tags: tags.into(),
        encryption,
        deletion_protection,
    }))
}

async fn table_tags(
    l: &Ledger<'_>,
    client: &aws_sdk_dynamodb::Client,
    arn: &str,
) -> Result<Tags, Unknown> {
    const OP: &str = "dynamodb:ListTagsOfResource";
    let mut tags = Tags::new();
    let mut token: Option<String> = None;
    loop {
        let o = l
            .must(
                OP,
                arn,
                client
                    .list_tags_of_resource()
                    .resource_arn(arn)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await?;
        for t in o.tags() {
            tags.insert(t.key().to_string(), t.value().to_string());
        }
        match o.next_token() {
            Some(next) if !next.is_empty() => {
                if token.as_deref() == Some(next) {
                    return Err(l.parse_error(OP, arn, "the same page token twice"));
                }
                token = Some(next.to_string());
            }
            _ => return Ok(tags),
        }
    }
}
