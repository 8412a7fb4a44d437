//! Amazon EFS: file systems, their encryption, backup policy and tags, per region. No file is read.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Regional, Tags, Unknown};
use hipaa_core::services::efs::evidence::{EfsRegion, FileSystem};

const STAGE: &str = "efs";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<EfsRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let c = client_in!(aws_sdk_efs, &scan.config, region);
            EfsRegion {
                file_systems: file_systems(l, &c, &region).await.into(),
            }
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// EFS

async fn file_systems(
    l: &Ledger<'_>,
    client: &aws_sdk_efs::Client,
    region: &str,
) -> Result<Vec<FileSystem>, Unknown> {
    const OP: &str = "elasticfilesystem:DescribeFileSystems";
    let listed = async {
        let mut pages = client.describe_file_systems().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for f in page.file_systems() {
                let Some(encrypted) = f.encrypted() else {
                    return Err(l.parse_error(OP, region, "a file system without encryption"));
                };
                let id = f.file_system_id().to_string();
                let arn = match f.file_system_arn() {
                    Some(a) => a.to_string(),
                    None => format!(
                        "arn:{}:elasticfilesystem:{region}:{}:file-system/{id}",
                        hipaa_core::aws::arn::partition_of_region(region),
                        f.owner_id()
                    ),
                };
                let tags: Tags = f
                    .tags()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect();
                out.push((id, arn, encrypted, tags));
            }
        }
        Ok(out)
    }
    .await;
    l.tick(STAGE);
    let listed = listed?;
    l.plan(listed.len() as u64, STAGE);
    let mut out: Vec<FileSystem> = stream::iter(listed)
        .map(|(id, arn, encrypted, tags)| async move {
            let backup_enabled = efs_backup_enabled(l, client, &id, &arn).await;
            l.tick(STAGE);
            FileSystem {
                id,
                arn,
                encrypted,
                backup_enabled,
                tags,
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// `PolicyNotFound` is EFS's answer for a file system whose backup policy was never set:
/// automatic backups are off.
async fn efs_backup_enabled(
    l: &Ledger<'_>,
    client: &aws_sdk_efs::Client,
    id: &str,
    arn: &str,
) -> Fact<bool> {
    let r = l
        .read(
            "elasticfilesystem:DescribeBackupPolicy",
            arn,
            &["PolicyNotFound"],
            client.describe_backup_policy().file_system_id(id).send(),
        )
        .await;
    Fact::from(r.and_then(|o| {
        match o {
            None => Ok(false),
            Some(o) => o
                .backup_policy()
                .map(|p| *p.status() == aws_sdk_efs::types::Status::Enabled)
                .ok_or_else(|| {
                    l.parse_error(
                        "elasticfilesystem:DescribeBackupPolicy",
                        arn,
                        "no backup policy in the answer",
                    )
                }),
        }
    }))
}
