//! Amazon EKS, per region: the clusters (`ListClusters`) and each one's description
//! (`DescribeCluster`): version, endpoint access, secrets encryption, control-plane logging and
//! tags. Nothing is read from inside a cluster. Without the `workloads` feature nothing is read
//! and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::eks::evidence::EksRegion;

#[cfg(not(feature = "workloads"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<EksRegion>> {
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
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::eks::evidence::{Cluster, ClusterDetail};

    const STAGE: &str = "eks";
    const DESCRIBE: &str = "eks:DescribeCluster";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<EksRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_eks, &scan.config, region);
                let account = scan.account.known().map_or("unknown", String::as_str);
                let arn_prefix = format!("arn:{}:eks:{region}:{account}:cluster/", scan.partition);
                let clusters = clusters(l, &client, &region, &arn_prefix).await;
                l.tick(STAGE);
                EksRegion {
                    clusters: clusters.into(),
                }
            })
            .await,
        )
    }

    /// Every cluster of the region; `arn_prefix` names one whose description failed.
    pub(super) async fn clusters(
        l: &Ledger<'_>,
        client: &aws_sdk_eks::Client,
        region: &str,
        arn_prefix: &str,
    ) -> Result<Vec<Cluster>, Unknown> {
        const OP: &str = "eks:ListClusters";
        let mut pages = client.list_clusters().into_paginator().send();
        let mut names = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            names.extend(page.clusters().iter().cloned());
        }
        let mut out: Vec<Cluster> = stream::iter(names)
            .map(|name| async move {
                match describe(l, client, &name).await {
                    Ok((arn, tags, detail)) => Cluster {
                        name,
                        arn,
                        tags: Fact::Known(tags),
                        detail: Fact::Known(detail),
                    },
                    Err(u) => Cluster {
                        arn: format!("{arn_prefix}{name}"),
                        name,
                        tags: Fact::Unknown(u.clone()),
                        detail: Fact::Unknown(u),
                    },
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn describe(
        l: &Ledger<'_>,
        client: &aws_sdk_eks::Client,
        name: &str,
    ) -> Result<(String, Tags, ClusterDetail), Unknown> {
        let o = l
            .must(DESCRIBE, name, client.describe_cluster().name(name).send())
            .await?;
        let Some(c) = o.cluster() else {
            return Err(l.parse_error(DESCRIBE, name, "the answer has no cluster"));
        };
        let (Some(arn), Some(version)) = (c.arn(), c.version()) else {
            return Err(l.parse_error(DESCRIBE, name, "a cluster without its ARN or version"));
        };
        let Some(vpc) = c.resources_vpc_config() else {
            return Err(l.parse_error(DESCRIBE, name, "a cluster without its endpoint settings"));
        };
        // The endpoint flags default to false when an answer leaves them out; every complete
        // answer also lists the allowed CIDR blocks, so their absence marks an incomplete one.
        let Some(cidrs) = &vpc.public_access_cidrs else {
            return Err(l.parse_error(
                DESCRIBE,
                name,
                "a cluster whose endpoint settings do not list the allowed CIDR blocks",
            ));
        };
        let Some(logging) = c.logging() else {
            return Err(l.parse_error(DESCRIBE, name, "a cluster without its logging settings"));
        };
        let mut enabled_log_types: Vec<String> = logging
            .cluster_logging()
            .iter()
            .filter(|s| s.enabled() == Some(true))
            .flat_map(|s| s.types().iter().map(|t| t.as_str().to_string()))
            .collect();
        enabled_log_types.sort();
        enabled_log_types.dedup();
        // Which resources a configuration names no longer matters (EKS envelope-encrypts all
        // Kubernetes API data from 1.28 on): the key it names is the one that protects them.
        let secrets_key_arn = c
            .encryption_config()
            .iter()
            .find_map(|e| e.provider().and_then(|p| p.key_arn()))
            .map(str::to_string);
        let tags: Tags = c
            .tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok((
            arn.to_string(),
            tags,
            ClusterDetail {
                version: version.to_string(),
                endpoint_public_access: vpc.endpoint_public_access(),
                endpoint_private_access: vpc.endpoint_private_access(),
                public_access_cidrs: cidrs.clone(),
                secrets_key_arn,
                enabled_log_types,
            },
        ))
    }
}

#[cfg(all(test, feature = "workloads"))]
mod tests {
    //! Recorded responses: a complete description, one without its endpoint CIDR blocks, and a
    //! denied one.
    use super::with_sdk::clusters;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_eks::operation::describe_cluster::DescribeClusterOutput;
    use aws_sdk_eks::operation::list_clusters::ListClustersOutput;
    use aws_sdk_eks::types::builders::EncryptionConfigBuilder;
    use aws_sdk_eks::types::{Cluster, LogSetup, LogType, Logging, Provider, VpcConfigResponse};
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    const PREFIX: &str = "arn:aws:eks:us-east-1:123456789012:cluster/";

    fn cluster(name: &str, cidrs: bool) -> Cluster {
        let mut vpc = VpcConfigResponse::builder()
            .endpoint_public_access(true)
            .endpoint_private_access(true);
        if cidrs {
            vpc = vpc.public_access_cidrs("203.0.113.0/24");
        }
        Cluster::builder()
            .name(name)
            .arn(format!("{PREFIX}{name}"))
            .version("1.35")
            .resources_vpc_config(vpc.build())
            .logging(
                Logging::builder()
                    .cluster_logging(
                        LogSetup::builder()
                            .types(LogType::Api)
                            .types(LogType::Audit)
                            .enabled(true)
                            .build(),
                    )
                    .cluster_logging(
                        LogSetup::builder()
                            .types(LogType::Scheduler)
                            .enabled(false)
                            .build(),
                    )
                    .build(),
            )
            .encryption_config(
                EncryptionConfigBuilder::default()
                    .provider(
                        Provider::builder()
                            .key_arn("arn:aws:kms:us-east-1:123456789012:key/k")
                            .build(),
                    )
                    .build(),
            )
            .tags("DataClass", "PHI")
            .build()
    }

    #[tokio::test]
    async fn descriptions_complete_incomplete_and_denied() {
        let list = mock!(aws_sdk_eks::Client::list_clusters).then_output(|| {
            ListClustersOutput::builder()
                .clusters("good")
                .clusters("partial")
                .clusters("hidden")
                .build()
        });
        let good = mock!(aws_sdk_eks::Client::describe_cluster)
            .match_requests(|r| r.name() == Some("good"))
            .then_output(|| {
                DescribeClusterOutput::builder()
                    .cluster(cluster("good", true))
                    .build()
            });
        let partial = mock!(aws_sdk_eks::Client::describe_cluster)
            .match_requests(|r| r.name() == Some("partial"))
            .then_output(|| {
                DescribeClusterOutput::builder()
                    .cluster(cluster("partial", false))
                    .build()
            });
        let hidden = mock!(aws_sdk_eks::Client::describe_cluster)
            .match_requests(|r| r.name() == Some("hidden"))
            .then_http_response(|| {
                json_error(403, "AccessDeniedException", "denied", "application/json")
            });
        let client = mocked_rules!(aws_sdk_eks, [&list, &good, &partial, &hidden]);
        let l = Ledger::new(4, &NoProgress);
        let got = clusters(&l, &client, "us-east-1", PREFIX).await.unwrap();
        let names: Vec<&str> = got.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["good", "hidden", "partial"]);
        let d = got[0].detail.known().unwrap();
        assert_eq!(d.version, "1.35");
        assert!(d.endpoint_public_access);
        assert_eq!(d.public_access_cidrs, vec!["203.0.113.0/24".to_string()]);
        assert_eq!(
            d.enabled_log_types,
            vec!["api".to_string(), "audit".to_string()]
        );
        assert!(d.secrets_key_arn.is_some());
        assert_eq!(got[0].tags.known().unwrap()["DataClass"], "PHI");
        assert_eq!(got[1].arn, format!("{PREFIX}hidden"));
        assert_eq!(
            got[1].detail.clone().get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );
        assert_eq!(
            got[2].detail.clone().get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }
}
