//! Amazon Redshift, per region: provisioned clusters, the `require_ssl` parameter of each
//! parameter group they use (each group read once) and each cluster's audit-logging status. No
//! cluster is connected to. Without the `databases` feature nothing is read and the section is
//! absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::redshift::evidence::RedshiftRegion;

#[cfg(not(feature = "databases"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<RedshiftRegion>> {
    None
}

#[cfg(feature = "databases")]
pub(crate) use with_databases::collect;

#[cfg(feature = "databases")]
mod with_databases {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::rds::evidence::{DbParameter, ParameterGroupUse};
    use hipaa_core::services::redshift::evidence::{AuditLogging, RedshiftCluster};
    use std::collections::{BTreeMap, BTreeSet};

    const STAGE: &str = "redshift";
    const PARAMETER: &str = "require_ssl";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<RedshiftRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_redshift, &scan.config, region);
                let clusters = clusters(scan, &client, &region).await;
                l.tick(STAGE);
                let groups: BTreeSet<String> = clusters
                    .iter()
                    .flatten()
                    .flat_map(|c| c.parameter_groups.iter().map(|g| g.name.clone()))
                    .collect();
                let parameter_groups = parameter_groups(l, &client, &region, groups).await;
                RedshiftRegion {
                    clusters: clusters.into(),
                    parameter_groups,
                }
            })
            .await,
        )
    }

    /// The ARN `DescribeClusters` does not give, from the namespace ARN's account (or the
    /// scan's, when the answer has no namespace).
    fn cluster_arn(
        scan: &Scan<'_>,
        region: &str,
        id: &str,
        namespace: Option<&str>,
    ) -> Result<String, Unknown> {
        let from_namespace = namespace.and_then(|n| {
            let mut parts = n.split(':');
            let partition = parts.nth(1)?;
            let account = parts.nth(2)?;
            Some((partition.to_string(), account.to_string()))
        });
        let (partition, account) = match from_namespace {
            Some(v) => v,
            None => (scan.partition.clone(), scan.account.get()?.clone()),
        };
        Ok(format!(
            "arn:{partition}:redshift:{region}:{account}:cluster:{id}"
        ))
    }

    async fn clusters(
        scan: &Scan<'_>,
        client: &aws_sdk_redshift::Client,
        region: &str,
    ) -> Result<Vec<RedshiftCluster>, Unknown> {
        const OP: &str = "redshift:DescribeClusters";
        let l = &scan.ledger;
        let mut pages = client.describe_clusters().into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for c in page.clusters() {
                let (Some(id), Some(encrypted)) = (c.cluster_identifier(), c.encrypted()) else {
                    return Err(l.parse_error(
                        OP,
                        region,
                        "a cluster without identifier or encryption",
                    ));
                };
                let mut groups = Vec::new();
                for g in c.cluster_parameter_groups() {
                    let Some(name) = g.parameter_group_name() else {
                        return Err(l.parse_error(
                            OP,
                            region,
                            "a parameter group without its name",
                        ));
                    };
                    groups.push(ParameterGroupUse {
                        name: name.to_string(),
                        status: g.parameter_apply_status().map(str::to_string),
                    });
                }
                listed.push(RedshiftCluster {
                    id: id.to_string(),
                    arn: cluster_arn(scan, region, id, c.cluster_namespace_arn())?,
                    encrypted,
                    kms_key_id: c.kms_key_id().map(str::to_string),
                    publicly_accessible: c.publicly_accessible(),
                    parameter_groups: groups,
                    tags: c
                        .tags()
                        .iter()
                        .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                        .collect::<Tags>(),
                    logging: Fact::Known(AuditLogging {
                        enabled: false,
                        destination: None,
                        bucket: None,
                        log_exports: vec![],
                    }),
                });
            }
        }
        // One logging-status read per cluster, bounded like every other fan-out.
        l.plan(listed.len() as u64, STAGE);
        let mut out: Vec<RedshiftCluster> = stream::iter(listed)
            .map(|mut c| async move {
                c.logging = logging(l, client, &c.id).await.into();
                l.tick(STAGE);
                c
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn logging(
        l: &Ledger<'_>,
        client: &aws_sdk_redshift::Client,
        id: &str,
    ) -> Result<AuditLogging, Unknown> {
        const OP: &str = "redshift:DescribeLoggingStatus";
        let o = l
            .must(
                OP,
                id,
                client
                    .describe_logging_status()
                    .cluster_identifier(id)
                    .send(),
            )
            .await?;
        let Some(enabled) = o.logging_enabled() else {
            return Err(l.parse_error(OP, id, "an answer without LoggingEnabled"));
        };
        let mut log_exports = o.log_exports().to_vec();
        log_exports.sort();
        Ok(AuditLogging {
            enabled,
            destination: o
                .log_destination_type()
                .map(|d| d.as_str().to_string())
                .filter(|d| !d.is_empty()),
            bucket: o
                .bucket_name()
                .filter(|b| !b.is_empty())
                .map(str::to_string),
            log_exports,
        })
    }

    /// Read each group once; only `require_ssl` is kept.
    async fn parameter_groups(
        l: &Ledger<'_>,
        client: &aws_sdk_redshift::Client,
        region: &str,
        groups: BTreeSet<String>,
    ) -> BTreeMap<String, Fact<Vec<DbParameter>>> {
        l.plan(groups.len() as u64, STAGE);
        stream::iter(groups)
            .map(|name| async move {
                let read = group(l, client, region, &name).await;
                l.tick(STAGE);
                (name, read.into())
            })
            .buffer_unordered(8)
            .collect()
            .await
    }

    async fn group(
        l: &Ledger<'_>,
        client: &aws_sdk_redshift::Client,
        region: &str,
        name: &str,
    ) -> Result<Vec<DbParameter>, Unknown> {
        const OP: &str = "redshift:DescribeClusterParameters";
        let resource = format!("{region}/{name}");
        let mut pages = client
            .describe_cluster_parameters()
            .parameter_group_name(name)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, &resource, pages.next()).await? {
            for p in page.parameters() {
                if p.parameter_name() == Some(PARAMETER) {
                    out.push(DbParameter {
                        name: PARAMETER.to_string(),
                        value: p.parameter_value().map(str::to_string),
                        apply_type: p.apply_type().map(|t| t.as_str().to_string()),
                    });
                }
            }
        }
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: moto cannot modify a cluster parameter group (every group reads
        //! `require_ssl` = false there), so a group that requires TLS, a static change still
        //! waiting for a reboot, and a cluster whose ARN must be built from its namespace.
        use super::*;
        use crate::collect::mocks::{mocked_rules, scan};
        use aws_sdk_redshift::operation::describe_cluster_parameters::DescribeClusterParametersOutput;
        use aws_sdk_redshift::operation::describe_clusters::DescribeClustersOutput;
        use aws_sdk_redshift::operation::describe_logging_status::DescribeLoggingStatusOutput;
        use aws_sdk_redshift::types::{
            Cluster, ClusterParameterGroupStatus, LogDestinationType, Parameter, ParameterApplyType,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn a_group_that_requires_tls_and_a_cluster_logging_to_cloudwatch() {
            let list = mock!(aws_sdk_redshift::Client::describe_clusters).then_output(|| {
                DescribeClustersOutput::builder()
                    .clusters(
                        Cluster::builder()
                            .cluster_identifier("claims-warehouse")
                            .cluster_namespace_arn(
                                "arn:aws:redshift:us-east-1:444455556666:namespace:0f1e2d3c",
                            )
                            .encrypted(true)
                            .publicly_accessible(false)
                            .cluster_parameter_groups(
                                ClusterParameterGroupStatus::builder()
                                    .parameter_group_name("require-tls")
                                    .parameter_apply_status("pending-reboot")
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            });
            let logging =
                mock!(aws_sdk_redshift::Client::describe_logging_status).then_output(|| {
                    DescribeLoggingStatusOutput::builder()
                        .logging_enabled(true)
                        .log_destination_type(LogDestinationType::Cloudwatch)
                        .log_exports("userlog")
                        .log_exports("connectionlog")
                        .build()
                });
            let params = mock!(aws_sdk_redshift::Client::describe_cluster_parameters)
                .match_requests(|r| r.parameter_group_name() == Some("require-tls"))
                .then_output(|| {
                    DescribeClusterParametersOutput::builder()
                        .parameters(
                            Parameter::builder()
                                .parameter_name("require_ssl")
                                .parameter_value("true")
                                .apply_type(ParameterApplyType::Static)
                                .build(),
                        )
                        .parameters(
                            Parameter::builder()
                                .parameter_name("search_path")
                                .parameter_value("$user, public")
                                .build(),
                        )
                        .build()
                });
            let client = mocked_rules!(aws_sdk_redshift, [&list, &logging, &params]);
            let s = scan(Ledger::new(4, &NoProgress));
            let got = clusters(&s, &client, "us-east-1").await.unwrap();
            assert_eq!(got.len(), 1);
            let c = &got[0];
            assert_eq!(
                c.arn,
                "arn:aws:redshift:us-east-1:444455556666:cluster:claims-warehouse"
            );
            assert_eq!(
                c.parameter_groups[0].status.as_deref(),
                Some("pending-reboot")
            );
            let log = c.logging.known().cloned().unwrap();
            assert!(log.enabled);
            assert_eq!(log.destination.as_deref(), Some("cloudwatch"));
            assert_eq!(log.log_exports, ["connectionlog", "userlog"]);

            let groups = parameter_groups(
                &s.ledger,
                &client,
                "us-east-1",
                ["require-tls".to_string()].into(),
            )
            .await;
            assert_eq!(
                groups["require-tls"].known().cloned().unwrap(),
                vec![DbParameter {
                    name: "require_ssl".into(),
                    value: Some("true".into()),
                    apply_type: Some("static".into()),
                }]
            );
        }

        #[tokio::test]
        async fn a_cluster_without_a_namespace_takes_the_scan_account() {
            let list = mock!(aws_sdk_redshift::Client::describe_clusters).then_output(|| {
                DescribeClustersOutput::builder()
                    .clusters(
                        Cluster::builder()
                            .cluster_identifier("old")
                            .encrypted(false)
                            .build(),
                    )
                    .build()
            });
            let logging = mock!(aws_sdk_redshift::Client::describe_logging_status)
                .then_output(|| DescribeLoggingStatusOutput::builder().build());
            let client = mocked_rules!(aws_sdk_redshift, [&list, &logging]);
            let s = scan(Ledger::new(4, &NoProgress));
            let got = clusters(&s, &client, "us-east-1").await.unwrap();
            assert_eq!(
                got[0].arn,
                "arn:aws:redshift:us-east-1:123456789012:cluster:old"
            );
            // An answer without LoggingEnabled is unreadable, not "off".
            assert!(got[0].logging.is_unknown());
            assert_eq!(got[0].publicly_accessible, None);
        }
    }
}
