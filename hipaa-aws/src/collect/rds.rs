//! Amazon RDS: DB instances and DB clusters with their settings, per region. No database is
//! connected to.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use hipaa_core::evidence::{Regional, Unknown};
use hipaa_core::services::rds::evidence::{RdsCluster, RdsInstance, RdsRegion};

const STAGE: &str = "rds";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<RdsRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(2, STAGE);
            let c = client_in!(aws_sdk_rds, &scan.config, region);
            let (instances, clusters) = tokio::join!(
                l.ticked(STAGE, rds_instances(l, &c, &region)),
                l.ticked(STAGE, rds_clusters(l, &c, &region)),
            );
            RdsRegion {
                instances: instances.into(),
                clusters: clusters.into(),
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
                tags: tags(i.tag_list()),
                cluster_id: i.db_cluster_identifier().map(str::to_string),
                publicly_accessible: i.publicly_accessible(),
                multi_az: i.multi_az(),
                deletion_protection: i.deletion_protection(),
                iam_auth: i.iam_database_authentication_enabled(),
                auto_minor_upgrade: i.auto_minor_version_upgrade(),
                kms_key_id: i.kms_key_id().map(str::to_string),
                // AWS leaves the list out when nothing is exported.
                log_exports: Some(strings(i.enabled_cloudwatch_logs_exports())),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn tags(list: &[aws_sdk_rds::types::Tag]) -> hipaa_core::evidence::Tags {
    list.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
        .collect()
}

fn strings(list: &[String]) -> Vec<String> {
    let mut v = list.to_vec();
    v.sort();
    v
}

async fn rds_clusters(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsCluster>, Unknown> {
    const OP: &str = "rds:DescribeDBClusters";
    let mut pages = client.describe_db_clusters().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for c in page.db_clusters() {
            let (Some(id), Some(arn), Some(retention), Some(encrypted)) = (
                c.db_cluster_identifier(),
                c.db_cluster_arn(),
                c.backup_retention_period(),
                c.storage_encrypted(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "a cluster without identifier, ARN, backup retention or storage encryption",
                ));
            };
            let mut members: Vec<String> = c
                .db_cluster_members()
                .iter()
                .filter_map(|m| m.db_instance_identifier().map(str::to_string))
                .collect();
            members.sort();
            out.push(RdsCluster {
                id: id.to_string(),
                arn: arn.to_string(),
                engine: c.engine().unwrap_or_default().to_string(),
                backup_retention_days: retention,
                storage_encrypted: encrypted,
                kms_key_id: c.kms_key_id().map(str::to_string),
                multi_az: c.multi_az(),
                deletion_protection: c.deletion_protection(),
                iam_auth: c.iam_database_authentication_enabled(),
                log_exports: Some(strings(c.enabled_cloudwatch_logs_exports())),
                publicly_accessible: c.publicly_accessible(),
                auto_minor_upgrade: c.auto_minor_version_upgrade(),
                members,
                tags: tags(c.tag_list()),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
