//! AWS Secrets Manager: each secret's metadata from `ListSecrets` and its resource policy, per
//! region. Secret values are never read (no `GetSecretValue`, no `DescribeSecret` needed).

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region, to_chrono};
use crate::scan::Scan;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Regional, Tags, Unknown};
use hipaa_core::services::secretsmanager::evidence::{Secret, SecretsManagerRegion};

const STAGE: &str = "secretsmanager";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<SecretsManagerRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let client = client_in!(aws_sdk_secretsmanager, &scan.config, region);
            let secrets = secrets(l, &client, &region).await;
            l.tick(STAGE);
            SecretsManagerRegion {
                secrets: secrets.into(),
            }
        })
        .await,
    )
}

async fn secrets(
    l: &Ledger<'_>,
    client: &aws_sdk_secretsmanager::Client,
    region: &str,
) -> Result<Vec<Secret>, Unknown> {
    const OP: &str = "secretsmanager:ListSecrets";
    let mut pages = client.list_secrets().into_paginator().send();
    let mut listed = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for s in page.secret_list() {
            let (Some(arn), Some(name)) = (s.arn(), s.name()) else {
                return Err(l.parse_error(OP, region, "a secret without an ARN or name"));
            };
            listed.push(Secret {
                arn: arn.to_string(),
                name: name.to_string(),
                tags: s
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                    .collect::<Tags>(),
                kms_key_id: s.kms_key_id().map(str::to_string),
                rotation_enabled: s.rotation_enabled().unwrap_or(false),
                rotation_days: s
                    .rotation_rules()
                    .and_then(|r| r.automatically_after_days()),
                last_rotated: s.last_rotated_date().and_then(to_chrono),
                policy: hipaa_core::evidence::Fact::Known(None),
            });
        }
    }
    // One policy read per secret, bounded like every other fan-out.
    let mut out: Vec<Secret> = stream::iter(listed)
        .map(|mut s| async move {
            const POLICY: &str = "secretsmanager:GetResourcePolicy";
            let r = l
                .must(
                    POLICY,
                    &s.name,
                    client.get_resource_policy().secret_id(&s.arn).send(),
                )
                .await;
            s.policy = r.map(|o| o.resource_policy().map(str::to_string)).into();
            s
        })
        .buffer_unordered(8)
        .collect()
        .await;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Recorded responses: a rotated secret (moto cannot run a rotation function), and a denied
    //! policy read.
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_sdk_secretsmanager::operation::get_resource_policy::GetResourcePolicyOutput;
    use aws_sdk_secretsmanager::operation::list_secrets::ListSecretsOutput;
    use aws_sdk_secretsmanager::types::{RotationRulesType, SecretListEntry};
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn a_rotated_secret_and_an_unreadable_policy() {
        let list = mock!(aws_sdk_secretsmanager::Client::list_secrets).then_output(|| {
            ListSecretsOutput::builder()
                .secret_list(
                    SecretListEntry::builder()
                        .arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")
                        .name("db")
                        .kms_key_id("alias/phi-data")
                        .rotation_enabled(true)
                        .rotation_rules(
                            RotationRulesType::builder()
                                .automatically_after_days(30)
                                .build(),
                        )
                        .last_rotated_date(aws_smithy_types::DateTime::from_secs(1_780_000_000))
                        .build(),
                )
                .build()
        });
        let policy = mock!(aws_sdk_secretsmanager::Client::get_resource_policy)
            .then_output(|| GetResourcePolicyOutput::builder().name("db").build());
        let client = mocked_rules!(aws_sdk_secretsmanager, [&list, &policy]);
        let l = Ledger::new(4, &NoProgress);
        let got = secrets(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].rotation_enabled);
        assert_eq!(got[0].rotation_days, Some(30));
        assert!(got[0].last_rotated.is_some());
        assert_eq!(got[0].policy.known(), Some(&None));

        let denied =
            mock!(aws_sdk_secretsmanager::Client::get_resource_policy).then_http_response(|| {
                crate::collect::mocks::json_error(
                    400,
                    "AccessDeniedException",
                    "denied",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked_rules!(aws_sdk_secretsmanager, [&list, &denied]);
        let l = Ledger::new(4, &NoProgress);
        let got = secrets(&l, &client, "us-east-1").await.unwrap();
        let u = got[0].policy.clone().get().unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }
}
