//! Amazon RDS: DB instances and their settings, per region. No database is connected to.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use hipaa_core::evidence::{Regional, Unknown};
use hipaa_core::services::rds::evidence::{RdsInstance, RdsRegion};

const STAGE: &str = "rds";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<RdsRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let c = client_in!(aws_sdk_rds, &scan.config, region);
            RdsRegion {
                instances: l.ticked(STAGE, rds_instances(l, &c, &region)).await.into(),
            }
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// RDS

async fn rds_instances(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsInstance>, Unknown> {
    const OP: &str = "rds:DescribeDBInstances";
    let mut pages = client.describe_db_instances().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for i in page.db_instances() {
            // Both settings are always in a real answer; without them there is nothing to judge.
            let (Some(id), Some(arn), Some(retention), Some(encrypted)) = (
                i.db_instance_identifier(),
                i.db_instance_arn(),
                i.backup_retention_period(),
                i.storage_encrypted(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "an instance without identifier, ARN, backup retention or storage encryption",
                ));
            };
            out.push(RdsInstance {
                id: id.to_string(),
                arn: arn.to_string(),
                engine: i.engine().unwrap_or_default().to_string(),
                backup_retention_days: retention,
                storage_encrypted: encrypted,
                vpc_id: i
                    .db_subnet_group()
                    .and_then(|g| g.vpc_id())
                    .filter(|v| !v.is_empty())
                    .map(str::to_string),
                tags: i
                    .tag_list()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
