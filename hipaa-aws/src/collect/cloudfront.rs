//! Amazon CloudFront, once per account (a global service, read in the partition's global region):
//! the distributions from `ListDistributions`, each one's standard-logging setting from
//! `GetDistributionConfig` (the summary leaves it out) and its tags. Without the `transit`
//! feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::services::cloudfront::evidence::CloudFrontEvidence;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<CloudFrontEvidence> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, global_region};
    use aws_sdk_cloudfront::types::{DistributionSummary, ViewerProtocolPolicy};
    use aws_sdk_cloudfront::Client;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::cloudfront::evidence::{
        CacheBehavior, Distribution, Origin, OriginKind, ViewerCertificate,
    };

    const STAGE: &str = "cloudfront";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<CloudFrontEvidence> {
        let l = &scan.ledger;
        l.plan(1, STAGE);
        let client = client_in!(
            aws_sdk_cloudfront,
            &scan.config,
            global_region(&scan.partition)
        );
        let distributions = l.ticked(STAGE, distributions(l, &client)).await;
        Some(CloudFrontEvidence {
            distributions: distributions.into(),
        })
    }

    fn policy(p: &ViewerProtocolPolicy) -> String {
        p.as_str().to_string()
    }

    /// One summary as evidence; `Err` names what a whole answer would have had.
    fn summary(d: &DistributionSummary) -> Result<Distribution, String> {
        if d.id().is_empty() || d.arn().is_empty() {
            return Err("a distribution without its id or ARN".into());
        }
        let Some(default) = d.default_cache_behavior() else {
            return Err(format!(
                "the distribution `{}` has no default cache behaviour",
                d.id()
            ));
        };
        let mut behaviors = vec![CacheBehavior {
            path: None,
            viewer_protocol_policy: policy(default.viewer_protocol_policy()),
            target_origin: default.target_origin_id().to_string(),
            realtime_log_config: default
                .realtime_log_config_arn()
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        }];
        if let Some(more) = d.cache_behaviors() {
            // Quantity and items disagree only in an answer that lost part of its list.
            if usize::try_from(more.quantity()).ok() != Some(more.items().len()) {
                return Err(format!(
                    "the cache behaviours of `{}` are not all there",
                    d.id()
                ));
            }
            behaviors.extend(more.items().iter().map(|b| {
                CacheBehavior {
                    path: Some(b.path_pattern().to_string()),
                    viewer_protocol_policy: policy(b.viewer_protocol_policy()),
                    target_origin: b.target_origin_id().to_string(),
                    realtime_log_config: b
                        .realtime_log_config_arn()
                        .filter(|a| !a.is_empty())
                        .map(str::to_string),
                }
            }));
        }
        let Some(origins) = d.origins() else {
            return Err(format!("the distribution `{}` has no origins", d.id()));
        };
        if usize::try_from(origins.quantity()).ok() != Some(origins.items().len()) {
            return Err(format!("the origins of `{}` are not all there", d.id()));
        }
        let mut out_origins = Vec::new();
        for o in origins.items() {
            let kind = if let Some(c) = o.custom_origin_config() {
                OriginKind::Custom {
                    protocol_policy: c.origin_protocol_policy().as_str().to_string(),
                    ssl_protocols: c
                        .origin_ssl_protocols()
                        .map(|p| p.items().iter().map(|x| x.as_str().to_string()).collect())
                        .unwrap_or_default(),
                }
            } else if o.vpc_origin_config().is_some() {
                OriginKind::Vpc
            } else if o.s3_origin_config().is_some() {
                OriginKind::S3
            } else if o.domain_name().contains(".s3.")
                || o.domain_name().ends_with(".s3.amazonaws.com")
            {
                // moto leaves out an empty S3OriginConfig; the REST endpoint name says S3.
                OriginKind::S3
            } else {
                return Err(format!(
                    "the origin `{}` of `{}` has no configuration",
                    o.id(),
                    d.id()
                ));
            };
            out_origins.push(Origin {
                id: o.id().to_string(),
                domain_name: o.domain_name().to_string(),
                kind,
            });
        }
        let Some(cert) = d.viewer_certificate() else {
            return Err(format!(
                "the distribution `{}` has no viewer certificate",
                d.id()
            ));
        };
        let custom = cert
            .acm_certificate_arn()
            .or(cert.iam_certificate_id())
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        Ok(Distribution {
            id: d.id().to_string(),
            arn: d.arn().to_string(),
            domain_name: d.domain_name().to_string(),
            aliases: d.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
            enabled: d.enabled(),
            tags: Fact::Known(Tags::new()),
            behaviors,
            viewer_certificate: ViewerCertificate {
                custom_certificate: custom,
                minimum_protocol: cert
                    .minimum_protocol_version()
                    .map(|m| m.as_str().to_string()),
            },
            origins: out_origins,
            web_acl: Some(d.web_acl_id())
                .filter(|w| !w.is_empty())
                .map(str::to_string),
            logging: Fact::Known(None),
        })
    }

    pub(super) async fn distributions(
        l: &Ledger<'_>,
        client: &Client,
    ) -> Result<Vec<Distribution>, Unknown> {
        const OP: &str = "cloudfront:ListDistributions";
        let mut pages = client.list_distributions().into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, "", pages.next()).await? {
            for d in page
                .distribution_list()
                .map(|d| d.items())
                .unwrap_or_default()
            {
                listed.push(summary(d).map_err(|why| l.parse_error(OP, "", why))?);
            }
        }
        let mut out: Vec<Distribution> = stream::iter(listed)
            .map(|mut d| async move {
                let (logging, tags) =
                    tokio::join!(logging(l, client, &d.id), tags(l, client, &d.arn));
                d.logging = logging.into();
                d.tags = tags.into();
                d
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn logging(l: &Ledger<'_>, client: &Client, id: &str) -> Result<Option<String>, Unknown> {
        const OP: &str = "cloudfront:GetDistributionConfig";
        let o = l
            .must(OP, id, client.get_distribution_config().id(id).send())
            .await?;
        let Some(config) = o.distribution_config() else {
            return Err(l.parse_error(OP, id, "the answer has no distribution configuration"));
        };
        Ok(config.logging().filter(|g| g.enabled()).map(|g| {
            if g.bucket().is_empty() {
                "an unnamed bucket".to_string()
            } else {
                g.bucket().to_string()
            }
        }))
    }

    async fn tags(l: &Ledger<'_>, client: &Client, arn: &str) -> Result<Tags, Unknown> {
        const OP: &str = "cloudfront:ListTagsForResource";
        let o = l
            .must(
                OP,
                arn,
                client.list_tags_for_resource().resource(arn).send(),
            )
            .await?;
        Ok(o.tags()
            .map(|t| {
                t.items()
                    .iter()
                    .map(|x| {
                        (
                            x.key().to_string(),
                            x.value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: an answer whose origin list lost items, and a denied config read.
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        /// A one-distribution answer whose origin list claims `quantity` items and holds one.
        fn list(quantity: u32) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
            use aws_smithy_types::body::SdkBody;
            let body = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items><DistributionSummary><Id>E1</Id><ARN>arn:aws:cloudfront::123456789012:distribution/E1</ARN><Status>Deployed</Status><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime><DomainName>d1.cloudfront.net</DomainName><Aliases><Quantity>0</Quantity></Aliases><Origins><Quantity>{quantity}</Quantity><Items><Origin><Id>assets</Id><DomainName>assets.s3.us-east-1.amazonaws.com</DomainName><OriginPath></OriginPath><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>assets</TargetOriginId><ViewerProtocolPolicy>https-only</ViewerProtocolPolicy></DefaultCacheBehavior><CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses><Comment></Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled><ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate></ViewerCertificate><Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions><WebACLId></WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging></DistributionSummary></Items></DistributionList>"#
            );
            let mut r = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(200).unwrap(),
                SdkBody::from(body),
            );
            r.headers_mut().insert("content-type", "text/xml");
            r
        }

        #[tokio::test]
        async fn a_cut_origin_list_is_a_parse_error_and_a_denied_config_stays_unknown() {
            let cut = mock!(Client::list_distributions).then_http_response(|| list(2));
            let client = mocked_rules!(aws_sdk_cloudfront, [&cut]);
            let l = Ledger::new(4, &NoProgress);
            let u = distributions(&l, &client).await.unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
            assert!(u.detail.contains("origins of `E1`"), "{}", u.detail);

            let whole = mock!(Client::list_distributions).then_http_response(|| list(1));
            let config = mock!(Client::get_distribution_config).then_http_response(|| {
                use aws_smithy_types::body::SdkBody;
                let mut r = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
                    aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap(),
                    SdkBody::from("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>"),
                );
                r.headers_mut().insert("content-type", "text/xml");
                r
            });
            let tags = mock!(Client::list_tags_for_resource).then_output(|| {
                aws_sdk_cloudfront::operation::list_tags_for_resource::ListTagsForResourceOutput::builder().build()
            });
            let client = mocked_rules!(aws_sdk_cloudfront, [&whole, &config, &tags]);
            let got = distributions(&l, &client).await.unwrap();
            assert_eq!(got[0].origins[0].kind, OriginKind::S3);
            assert_eq!(got[0].web_acl, None);
            assert_eq!(got[0].viewer_certificate.custom_certificate, None);
            assert_eq!(
                got[0].logging.clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
        }
    }
}
