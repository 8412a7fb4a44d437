//! Amazon EFS: file systems, their encryption, backup policy, file-system policy and tags, per
//! region. No file is read.

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
            let (backup_enabled, policy) = tokio::join!(
                efs_backup_enabled(l, client, &id, &arn),
                file_system_policy(l, client, &id, &arn)
            );
            l.tick(STAGE);
            FileSystem {
                id,
                arn,
                encrypted,
                backup_enabled,
                tags,
                policy,
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

/// `PolicyNotFound` is EFS's answer for a file system without a policy: a fact (nothing is
/// enforced), not a failed read.
async fn file_system_policy(
    l: &Ledger<'_>,
    client: &aws_sdk_efs::Client,
    id: &str,
    arn: &str,
) -> Fact<Option<String>> {
    const OP: &str = "elasticfilesystem:DescribeFileSystemPolicy";
    let r = l
        .read(
            OP,
            arn,
            &["PolicyNotFound"],
            client
                .describe_file_system_policy()
                .file_system_id(id)
                .send(),
        )
        .await;
    Fact::from(r.and_then(|o| match o {
        None => Ok(None),
        Some(o) => match o.policy().filter(|p| !p.is_empty()) {
            Some(p) => Ok(Some(p.to_string())),
            None => Err(l.parse_error(OP, arn, "no policy in the answer")),
        },
    }))
}

#[cfg(test)]
mod tests {
    //! Recorded responses: a file system without a policy (`PolicyNotFound`, a fact) and one
    //! whose policy read is denied (unknown).
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_sdk_efs::operation::describe_backup_policy::DescribeBackupPolicyOutput;
    use aws_sdk_efs::operation::describe_file_system_policy::DescribeFileSystemPolicyOutput;
    use aws_sdk_efs::operation::describe_file_systems::DescribeFileSystemsOutput;
    use aws_sdk_efs::types::{
        BackupPolicy, FileSystemDescription, LifeCycleState, PerformanceMode, Status,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    fn fs(id: &str) -> FileSystemDescription {
        FileSystemDescription::builder()
            .owner_id("123456789012")
            .creation_token(id)
            .file_system_id(id)
            .creation_time(aws_smithy_types::DateTime::from_secs(0))
            .life_cycle_state(LifeCycleState::Available)
            .number_of_mount_targets(0)
            .size_in_bytes(
                aws_sdk_efs::types::FileSystemSize::builder()
                    .value(0)
                    .build(),
            )
            .performance_mode(PerformanceMode::GeneralPurpose)
            .encrypted(true)
            .set_tags(Some(vec![]))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn no_policy_is_a_fact_and_a_denied_read_is_not() {
        let list = mock!(aws_sdk_efs::Client::describe_file_systems).then_output(|| {
            DescribeFileSystemsOutput::builder()
                .file_systems(fs("fs-1"))
                .file_systems(fs("fs-2"))
                .build()
        });
        let backup = mock!(aws_sdk_efs::Client::describe_backup_policy).then_output(|| {
            DescribeBackupPolicyOutput::builder()
                .backup_policy(
                    BackupPolicy::builder()
                        .status(Status::Enabled)
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let none = mock!(aws_sdk_efs::Client::describe_file_system_policy)
            .match_requests(|r| r.file_system_id() == Some("fs-1"))
            .then_http_response(|| {
                crate::collect::mocks::json_error(404, "PolicyNotFound", "none", "application/json")
            });
        let denied = mock!(aws_sdk_efs::Client::describe_file_system_policy)
            .match_requests(|r| r.file_system_id() == Some("fs-2"))
            .then_http_response(|| {
                crate::collect::mocks::json_error(
                    403,
                    "AccessDeniedException",
                    "denied",
                    "application/json",
                )
            });
        let client = mocked_rules!(aws_sdk_efs, [&list, &backup, &none, &denied]);
        let l = Ledger::new(4, &NoProgress);
        let got = file_systems(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got[0].policy.known(), Some(&None));
        assert_eq!(
            got[1].policy.get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );

        let some = mock!(aws_sdk_efs::Client::describe_file_system_policy).then_output(|| {
            DescribeFileSystemPolicyOutput::builder()
                .file_system_id("fs-1")
                .policy(r#"{"Version":"2012-10-17","Statement":[]}"#)
                .build()
        });
        let client = mocked_rules!(aws_sdk_efs, [&list, &backup, &some]);
        let l = Ledger::new(4, &NoProgress);
        let got = file_systems(&l, &client, "us-east-1").await.unwrap();
        assert!(got[0].policy.known().is_some_and(|p| p.is_some()));
    }
}
