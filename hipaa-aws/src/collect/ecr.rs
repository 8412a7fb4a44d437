//! Amazon ECR, per region: the private repositories (`DescribeRepositories`), each one's tags and
//! repository policy, and the registry's scanning configuration. No image, manifest or scan
//! finding is read. Without the `workloads` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::ecr::evidence::EcrRegion;

#[cfg(not(feature = "workloads"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<EcrRegion>> {
    None
}

#[cfg(feature = "workloads")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "workloads")]
mod with_sdk {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
    use hipaa_core::services::ecr::evidence::{RegistryScanning, Repository, ScanningRule};

    const STAGE: &str = "ecr";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<EcrRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_ecr, &scan.config, region);
                let (repositories, scanning) = tokio::join!(
                    l.ticked(STAGE, repositories(l, &client, &region)),
                    l.ticked(STAGE, scanning(l, &client, &region)),
                );
                EcrRegion {
                    repositories: repositories.into(),
                    scanning: scanning.into(),
                }
            })
            .await,
        )
    }

    pub(super) async fn repositories(
        l: &Ledger<'_>,
        client: &aws_sdk_ecr::Client,
        region: &str,
    ) -> Result<Vec<Repository>, Unknown> {
        const OP: &str = "ecr:DescribeRepositories";
        let mut pages = client.describe_repositories().into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for r in page.repositories() {
                let (Some(arn), Some(name)) = (r.repository_arn(), r.repository_name()) else {
                    return Err(l.parse_error(OP, region, "a repository without an ARN or name"));
                };
                let (Some(scanning), Some(mutability), Some(encryption)) = (
                    r.image_scanning_configuration(),
                    r.image_tag_mutability(),
                    r.encryption_configuration(),
                ) else {
                    return Err(l.parse_error(
                        OP,
                        name,
                        "a repository without its scanning, tag mutability or encryption settings",
                    ));
                };
                listed.push(Repository {
                    arn: arn.to_string(),
                    name: name.to_string(),
                    scan_on_push: scanning.scan_on_push(),
                    tag_mutability: mutability.as_str().to_string(),
                    encryption_type: encryption.encryption_type().as_str().to_string(),
                    kms_key: encryption.kms_key().map(str::to_string),
                    tags: not_read(),
                    policy: not_read(),
                });
            }
        }
        let mut out: Vec<Repository> = stream::iter(listed)
            .map(|mut r| async move {
                let (tags, policy) = tokio::join!(tags(l, client, &r), policy(l, client, &r));
                r.tags = tags.into();
                r.policy = policy.into();
                r
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn not_read<T>() -> Fact<T> {
        Fact::Unknown(Unknown::new(
            UnknownReason::NotCollected,
            "ecr:DescribeRepositories",
            "not read yet",
        ))
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_ecr::Client,
        r: &Repository,
    ) -> Result<Tags, Unknown> {
        const OP: &str = "ecr:ListTagsForResource";
        let o = l
            .must(
                OP,
                &r.name,
                client.list_tags_for_resource().resource_arn(&r.arn).send(),
            )
            .await?;
        let Some(tags) = &o.tags else {
            return Err(l.parse_error(OP, &r.name, "the answer has no tag list"));
        };
        Ok(tags
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect())
    }

    async fn policy(
        l: &Ledger<'_>,
        client: &aws_sdk_ecr::Client,
        r: &Repository,
    ) -> Result<Option<String>, Unknown> {
        const OP: &str = "ecr:GetRepositoryPolicy";
        let Some(o) = l
            .read(
                OP,
                &r.name,
                &["RepositoryPolicyNotFoundException"],
                client
                    .get_repository_policy()
                    .repository_name(&r.name)
                    .send(),
            )
            .await?
        else {
            return Ok(None);
        };
        match o.policy_text() {
            Some(p) => Ok(Some(p.to_string())),
            None => Err(l.parse_error(OP, &r.name, "the answer has no policy text")),
        }
    }

    pub(super) async fn scanning(
        l: &Ledger<'_>,
        client: &aws_sdk_ecr::Client,
        region: &str,
    ) -> Result<RegistryScanning, Unknown> {
        const OP: &str = "ecr:GetRegistryScanningConfiguration";
        let o = l
            .must(
                OP,
                region,
                client.get_registry_scanning_configuration().send(),
            )
            .await?;
        let Some(c) = o.scanning_configuration() else {
            return Err(l.parse_error(OP, region, "the answer has no scanning configuration"));
        };
        let Some(scan_type) = c.scan_type() else {
            return Err(l.parse_error(OP, region, "the scanning configuration has no scan type"));
        };
        Ok(RegistryScanning {
            scan_type: scan_type.as_str().to_string(),
            rules: c
                .rules()
                .iter()
                .map(|r| ScanningRule {
                    frequency: r.scan_frequency().as_str().to_string(),
                    filters: r
                        .repository_filters()
                        .iter()
                        .map(|f| f.filter().to_string())
                        .collect(),
                })
                .collect(),
        })
    }
}

#[cfg(all(test, feature = "workloads"))]
mod tests {
    //! Recorded responses: enhanced scanning with a filter (moto stores it but is tested here
    //! too), a denied policy read, and a repository answer without its settings.
    use super::with_sdk::{repositories, scanning};
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesOutput;
    use aws_sdk_ecr::operation::get_registry_scanning_configuration::GetRegistryScanningConfigurationOutput;
    use aws_sdk_ecr::operation::list_tags_for_resource::ListTagsForResourceOutput;
    use aws_sdk_ecr::types::{
        EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
        RegistryScanningConfiguration, RegistryScanningRule, Repository, ScanFrequency, ScanType,
        ScanningRepositoryFilter, ScanningRepositoryFilterType, Tag,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    fn repo(name: &str) -> Repository {
        Repository::builder()
            .repository_arn(format!(
                "arn:aws:ecr:us-east-1:123456789012:repository/{name}"
            ))
            .repository_name(name)
            .image_tag_mutability(ImageTagMutability::Immutable)
            .image_scanning_configuration(
                ImageScanningConfiguration::builder()
                    .scan_on_push(true)
                    .build(),
            )
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Kms)
                    .kms_key("arn:aws:kms:us-east-1:123456789012:key/k")
                    .build()
                    .unwrap(),
            )
            .build()
    }

    #[tokio::test]
    async fn repositories_with_tags_and_a_denied_policy() {
        let list = mock!(aws_sdk_ecr::Client::describe_repositories).then_output(|| {
            DescribeRepositoriesOutput::builder()
                .repositories(repo("claims-api"))
                .build()
        });
        let tags = mock!(aws_sdk_ecr::Client::list_tags_for_resource).then_output(|| {
            ListTagsForResourceOutput::builder()
                .tags(
                    Tag::builder()
                        .key("DataClass")
                        .value("PHI")
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let policy = mock!(aws_sdk_ecr::Client::get_repository_policy).then_http_response(|| {
            json_error(
                400,
                "AccessDeniedException",
                "denied",
                "application/x-amz-json-1.1",
            )
        });
        let client = mocked_rules!(aws_sdk_ecr, [&list, &tags, &policy]);
        let l = Ledger::new(4, &NoProgress);
        let got = repositories(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got[0].tag_mutability, "IMMUTABLE");
        assert_eq!(got[0].encryption_type, "KMS");
        assert!(got[0].scan_on_push);
        assert_eq!(got[0].tags.known().unwrap()["DataClass"], "PHI");
        assert_eq!(
            got[0].policy.clone().get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );
    }

    #[tokio::test]
    async fn a_repository_without_its_settings_is_a_parse_error() {
        let list = mock!(aws_sdk_ecr::Client::describe_repositories).then_output(|| {
            DescribeRepositoriesOutput::builder()
                .repositories(
                    Repository::builder()
                        .repository_arn("arn:aws:ecr:us-east-1:123456789012:repository/x")
                        .repository_name("x")
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_ecr, [&list]);
        let l = Ledger::new(4, &NoProgress);
        let u = repositories(&l, &client, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);
    }

    #[tokio::test]
    async fn enhanced_registry_scanning() {
        let rule =
            mock!(aws_sdk_ecr::Client::get_registry_scanning_configuration).then_output(|| {
                GetRegistryScanningConfigurationOutput::builder()
                    .registry_id("123456789012")
                    .scanning_configuration(
                        RegistryScanningConfiguration::builder()
                            .scan_type(ScanType::Enhanced)
                            .rules(
                                RegistryScanningRule::builder()
                                    .scan_frequency(ScanFrequency::ContinuousScan)
                                    .repository_filters(
                                        ScanningRepositoryFilter::builder()
                                            .filter("prod-*")
                                            .filter_type(ScanningRepositoryFilterType::Wildcard)
                                            .build()
                                            .unwrap(),
                                    )
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
        let client = mocked_rules!(aws_sdk_ecr, [&rule]);
        let l = Ledger::new(4, &NoProgress);
        let got = scanning(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got.scan_type, "ENHANCED");
        assert_eq!(got.rules[0].frequency, "CONTINUOUS_SCAN");
        assert_eq!(got.rules[0].filters, vec!["prod-*".to_string()]);
        // An answer without the configuration is not "basic scanning, no rules".
        let empty = mock!(aws_sdk_ecr::Client::get_registry_scanning_configuration)
            .then_output(|| GetRegistryScanningConfigurationOutput::builder().build());
        let client = mocked_rules!(aws_sdk_ecr, [&empty]);
        let u = scanning(&l, &client, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);
    }
}
