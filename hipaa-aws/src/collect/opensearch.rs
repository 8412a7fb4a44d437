//! Amazon OpenSearch Service, per region: every domain (OpenSearch and Elasticsearch engines)
//! described five at a time, with its access policy and tags. No index is read. Without the
//! `databases` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::opensearch::evidence::OpenSearchRegion;

#[cfg(not(feature = "databases"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<OpenSearchRegion>> {
    None
}

#[cfg(feature = "databases")]
pub(crate) use with_databases::collect;

#[cfg(feature = "databases")]
mod with_databases {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_opensearch::types::{DomainStatus, LogType};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
    use hipaa_core::services::opensearch::evidence::{Domain, LogPublishing};

    const STAGE: &str = "opensearch";
    /// `DescribeDomains` takes at most five names.
    const BATCH: usize = 5;

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<OpenSearchRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_opensearch, &scan.config, region);
                let domains = domains(l, &client, &region).await;
                OpenSearchRegion {
                    domains: domains.into(),
                }
            })
            .await,
        )
    }

    async fn domains(
        l: &Ledger<'_>,
        client: &aws_sdk_opensearch::Client,
        region: &str,
    ) -> Result<Vec<Domain>, Unknown> {
        const LIST: &str = "es:ListDomainNames";
        const DESCRIBE: &str = "es:DescribeDomains";
        let listed = l
            .must(LIST, region, client.list_domain_names().send())
            .await;
        l.tick(STAGE);
        let mut names = Vec::new();
        for d in listed?.domain_names() {
            let Some(name) = d.domain_name() else {
                return Err(l.parse_error(LIST, region, "a domain without its name"));
            };
            names.push(name.to_string());
        }
        names.sort();
        let batches: Vec<Vec<String>> = names.chunks(BATCH).map(<[String]>::to_vec).collect();
        l.plan(batches.len() as u64, STAGE);
        let described: Vec<Result<Vec<Domain>, Unknown>> = stream::iter(batches)
            .map(|batch| async move {
                let r = l
                    .must(
                        DESCRIBE,
                        region,
                        client
                            .describe_domains()
                            .set_domain_names(Some(batch.clone()))
                            .send(),
                    )
                    .await;
                l.tick(STAGE);
                let statuses = r?;
                let mut out = Vec::new();
                for name in &batch {
                    let Some(d) = statuses
                        .domain_status_list()
                        .iter()
                        .find(|d| d.domain_name() == name)
                    else {
                        return Err(l.parse_error(
                            DESCRIBE,
                            region,
                            format!("the answer does not describe the listed domain `{name}`"),
                        ));
                    };
                    out.push(domain(d));
                }
                Ok(out)
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let mut all = Vec::new();
        for batch in described {
            all.extend(batch?);
        }
        // One tag read per domain.
        l.plan(all.len() as u64, STAGE);
        let mut out: Vec<Domain> = stream::iter(all)
            .map(|mut d| async move {
                const TAGS: &str = "es:ListTags";
                let r = l
                    .must(TAGS, &d.arn, client.list_tags().arn(&d.arn).send())
                    .await;
                d.tags = r
                    .map(|o| {
                        o.tag_list()
                            .iter()
                            .map(|t| (t.key().to_string(), t.value().to_string()))
                            .collect::<Tags>()
                    })
                    .into();
                l.tick(STAGE);
                d
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The settings of one described domain; what the answer leaves out stays `None`.
    fn domain(d: &DomainStatus) -> Domain {
        let at_rest = d.encryption_at_rest_options();
        let endpoint = d.domain_endpoint_options();
        let vpc = d.vpc_options();
        let audit = d
            .log_publishing_options()
            .and_then(|m| m.get(&LogType::AuditLogs));
        let mut vpc_subnets: Vec<String> = vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default();
        vpc_subnets.sort();
        Domain {
            name: d.domain_name().to_string(),
            arn: d.arn().to_string(),
            engine_version: d.engine_version().map(str::to_string),
            encryption_at_rest: at_rest.and_then(|o| o.enabled()),
            kms_key_id: at_rest.and_then(|o| o.kms_key_id()).map(str::to_string),
            node_to_node_encryption: d
                .node_to_node_encryption_options()
                .and_then(|o| o.enabled()),
            enforce_https: endpoint.and_then(|o| o.enforce_https()),
            tls_policy: endpoint
                .and_then(|o| o.tls_security_policy())
                .map(|p| p.as_str().to_string()),
            vpc_id: vpc.and_then(|v| v.vpc_id()).map(str::to_string),
            vpc_subnets,
            access_policy: d
                .access_policies()
                .filter(|p| !p.trim().is_empty())
                .map(str::to_string),
            // A domain that publishes no audit logs has no AUDIT_LOGS entry.
            audit_logs: LogPublishing {
                enabled: audit.and_then(|a| a.enabled()).unwrap_or(false),
                log_group: audit
                    .and_then(|a| a.cloud_watch_logs_log_group_arn())
                    .map(str::to_string),
            },
            fine_grained_access: d.advanced_security_options().and_then(|o| o.enabled()),
            tags: Fact::Unknown(Unknown::new(
                UnknownReason::NotCollected,
                "es:ListTags",
                "the tags were not read",
            )),
        }
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: seven domains described in two batches, what a description
        //! leaves out, and a listed domain the description does not mention.
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_opensearch::operation::describe_domains::DescribeDomainsOutput;
        use aws_sdk_opensearch::operation::list_domain_names::ListDomainNamesOutput;
        use aws_sdk_opensearch::operation::list_tags::ListTagsOutput;
        use aws_sdk_opensearch::types::{
            builders::ClusterConfigBuilder, DomainEndpointOptions, DomainInfo,
            EncryptionAtRestOptions, LogPublishingOption, Tag, TlsSecurityPolicy, VpcDerivedInfo,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::NoProgress;

        fn status(name: &str) -> DomainStatus {
            DomainStatus::builder()
                .domain_id(format!("123456789012/{name}"))
                .domain_name(name)
                .arn(format!("arn:aws:es:us-east-1:123456789012:domain/{name}"))
                // The answer's required cluster shape, empty (the controls do not read it).
                .cluster_config(ClusterConfigBuilder::default().build())
                .build()
                .unwrap()
        }

        fn names(n: usize) -> aws_smithy_mocks::Rule {
            mock!(aws_sdk_opensearch::Client::list_domain_names).then_output(move || {
                let mut o = ListDomainNamesOutput::builder();
                for i in 0..n {
                    o = o.domain_names(DomainInfo::builder().domain_name(format!("d{i}")).build());
                }
                o.build()
            })
        }

        #[tokio::test]
        async fn domains_are_described_five_at_a_time() {
            let describe = mock!(aws_sdk_opensearch::Client::describe_domains)
                .match_requests(|r| r.domain_names().len() <= BATCH)
                .then_output(|| {
                    let mut o = DescribeDomainsOutput::builder();
                    for i in 0..7 {
                        let mut s = status(&format!("d{i}"));
                        if i == 0 {
                            s.encryption_at_rest_options = Some(
                                EncryptionAtRestOptions::builder()
                                    .enabled(true)
                                    .kms_key_id("k")
                                    .build(),
                            );
                            s.domain_endpoint_options = Some(
                                DomainEndpointOptions::builder()
                                    .enforce_https(true)
                                    .tls_security_policy(TlsSecurityPolicy::PolicyMinTls12201907)
                                    .build(),
                            );
                            s.vpc_options = Some(
                                VpcDerivedInfo::builder()
                                    .vpc_id("vpc-1")
                                    .subnet_ids("subnet-1")
                                    .build(),
                            );
                            s.log_publishing_options = Some(
                                [(
                                    LogType::AuditLogs,
                                    LogPublishingOption::builder()
                                        .enabled(true)
                                        .cloud_watch_logs_log_group_arn(
                                            "arn:aws:logs:us-east-1:123456789012:log-group:audit",
                                        )
                                        .build(),
                                )]
                                .into(),
                            );
                        }
                        o = o.domain_status_list(s);
                    }
                    o.build().unwrap()
                });
            let tags = mock!(aws_sdk_opensearch::Client::list_tags).then_output(|| {
                ListTagsOutput::builder()
                    .tag_list(
                        Tag::builder()
                            .key("DataClass")
                            .value("PHI")
                            .build()
                            .unwrap(),
                    )
                    .build()
            });
            let client = mocked_rules!(aws_sdk_opensearch, [&names(7), &describe, &tags]);
            let l = Ledger::new(4, &NoProgress);
            let got = domains(&l, &client, "us-east-1").await.unwrap();
            assert_eq!(got.len(), 7);
            assert_eq!(l.log().calls["es:DescribeDomains"], 2);
            assert_eq!(l.log().calls["es:ListTags"], 7);
            let d0 = &got[0];
            assert_eq!(d0.encryption_at_rest, Some(true));
            assert_eq!(d0.tls_policy.as_deref(), Some("Policy-Min-TLS-1-2-2019-07"));
            assert!(d0.in_vpc());
            assert!(d0.audit_logs.enabled);
            assert!(d0.tags.known().is_some_and(|t| t.contains_key("DataClass")));
            // Left out of the answer: unknown, never a default.
            let d1 = &got[1];
            assert_eq!(d1.encryption_at_rest, None);
            assert_eq!(d1.node_to_node_encryption, None);
            assert_eq!(d1.enforce_https, None);
            assert!(!d1.in_vpc());
            assert!(!d1.audit_logs.enabled);
        }

        #[tokio::test]
        async fn a_listed_domain_missing_from_the_description_is_a_parse_error() {
            let describe = mock!(aws_sdk_opensearch::Client::describe_domains).then_output(|| {
                DescribeDomainsOutput::builder()
                    .domain_status_list(status("d0"))
                    .build()
                    .unwrap()
            });
            let client = mocked_rules!(aws_sdk_opensearch, [&names(2), &describe]);
            let l = Ledger::new(4, &NoProgress);
            let e = domains(&l, &client, "us-east-1").await.unwrap_err();
            assert_eq!(e.reason, UnknownReason::ParseError);
            assert!(e.detail.contains("`d1`"));
        }
    }
}
