//! Amazon API Gateway REST APIs, per region: the APIs (with their tags and resource policy), each
//! one's stages and its methods (`GetResources` with the methods embedded, so one paginated call
//! per API), and the region's custom domain names. Without the `transit` feature nothing is read
//! and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::apigw::evidence::ApigwRegion;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<ApigwRegion>> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_apigateway::Client;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::apigw::evidence::{
        DomainName, Method, MethodSetting, RestApi, Stage,
    };
    use std::collections::HashMap;

    const STAGE: &str = "apigateway";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<ApigwRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_apigateway, &scan.config, region);
                let (apis, domains) = tokio::join!(
                    l.ticked(STAGE, rest_apis(l, &client, &region)),
                    l.ticked(STAGE, domain_names(l, &client, &region)),
                );
                ApigwRegion {
                    rest_apis: apis.into(),
                    domain_names: domains.into(),
                }
            })
            .await,
        )
    }

    fn tags(map: Option<&HashMap<String, String>>) -> Tags {
        map.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    pub(super) async fn rest_apis(
        l: &Ledger<'_>,
        client: &Client,
        region: &str,
    ) -> Result<Vec<RestApi>, Unknown> {
        const OP: &str = "apigateway:GetRestApis";
        let mut pages = client.get_rest_apis().into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for a in page.items() {
                let (Some(id), Some(name)) = (a.id(), a.name()) else {
                    return Err(l.parse_error(OP, region, "an API without an id or name"));
                };
                listed.push(RestApi {
                    id: id.to_string(),
                    name: name.to_string(),
                    tags: tags(a.tags()),
                    policy: a.policy().filter(|p| !p.is_empty()).map(str::to_string),
                    endpoint_types: a
                        .endpoint_configuration()
                        .map(|e| e.types().iter().map(|t| t.as_str().to_string()).collect())
                        .unwrap_or_default(),
                    stages: Fact::Known(Vec::new()),
                    methods: Fact::Known(Vec::new()),
                });
            }
        }
        let mut out: Vec<RestApi> = stream::iter(listed)
            .map(|mut a| async move {
                let (stages, methods) =
                    tokio::join!(stages(l, client, &a.id), methods(l, client, &a.id));
                a.stages = stages.into();
                a.methods = methods.into();
                a
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn stages(l: &Ledger<'_>, client: &Client, api: &str) -> Result<Vec<Stage>, Unknown> {
        const OP: &str = "apigateway:GetStages";
        let o = l
            .must(OP, api, client.get_stages().rest_api_id(api).send())
            .await?;
        let mut out = Vec::new();
        for s in o.item() {
            let Some(name) = s.stage_name() else {
                return Err(l.parse_error(OP, api, "a stage without a name"));
            };
            out.push(Stage {
                name: name.to_string(),
                tags: tags(s.tags()),
                access_log_destination: s
                    .access_log_settings()
                    .and_then(|a| a.destination_arn())
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
                method_settings: s
                    .method_settings()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| {
                                (
                                    k.clone(),
                                    MethodSetting {
                                        logging_level: v.logging_level().map(str::to_string),
                                        caching_enabled: Some(v.caching_enabled()),
                                        cache_data_encrypted: Some(v.cache_data_encrypted()),
                                    },
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                cache_cluster_enabled: s.cache_cluster_enabled(),
                client_certificate_id: s
                    .client_certificate_id()
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn methods(l: &Ledger<'_>, client: &Client, api: &str) -> Result<Vec<Method>, Unknown> {
        const OP: &str = "apigateway:GetResources";
        let mut pages = client
            .get_resources()
            .rest_api_id(api)
            .embed("methods")
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, api, pages.next()).await? {
            for r in page.items() {
                let path = r.path().unwrap_or("/");
                for (verb, m) in r.resource_methods().into_iter().flatten() {
                    // Without its authorization type a method could be open: not a default.
                    let Some(auth) = m.authorization_type() else {
                        return Err(l.parse_error(
                            OP,
                            api,
                            format!("the method {verb} {path} without its authorization type"),
                        ));
                    };
                    out.push(Method {
                        path: path.to_string(),
                        http_method: m.http_method().unwrap_or(verb).to_string(),
                        authorization_type: auth.to_string(),
                        api_key_required: m.api_key_required().unwrap_or(false),
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.path, &a.http_method).cmp(&(&b.path, &b.http_method)));
        Ok(out)
    }

    async fn domain_names(
        l: &Ledger<'_>,
        client: &Client,
        region: &str,
    ) -> Result<Vec<DomainName>, Unknown> {
        const OP: &str = "apigateway:GetDomainNames";
        let mut pages = client.get_domain_names().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for d in page.items() {
                let Some(name) = d.domain_name() else {
                    return Err(l.parse_error(OP, region, "a domain without a name"));
                };
                out.push(DomainName {
                    name: name.to_string(),
                    security_policy: d.security_policy().map(|p| p.as_str().to_string()),
                    endpoint_types: d
                        .endpoint_configuration()
                        .map(|e| e.types().iter().map(|t| t.as_str().to_string()).collect())
                        .unwrap_or_default(),
                    tags: tags(d.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a stage with a client certificate (moto cannot generate one) and a
        //! method answer without its authorization type.
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_apigateway::operation::get_resources::GetResourcesOutput;
        use aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput;
        use aws_sdk_apigateway::operation::get_stages::GetStagesOutput;
        use aws_sdk_apigateway::types::{
            Method as SdkMethod, Resource, RestApi as SdkApi, Stage as SdkStage,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn a_client_certificate_is_read_and_a_method_without_authorization_type_is_a_parse_error(
        ) {
            let apis = mock!(Client::get_rest_apis).then_output(|| {
                GetRestApisOutput::builder()
                    .items(SdkApi::builder().id("a1").name("records").build())
                    .build()
            });
            let stages = mock!(Client::get_stages).then_output(|| {
                GetStagesOutput::builder()
                    .item(
                        SdkStage::builder()
                            .stage_name("prod")
                            .client_certificate_id("cc-1")
                            .build(),
                    )
                    .build()
            });
            let resources = mock!(Client::get_resources).then_output(|| {
                GetResourcesOutput::builder()
                    .items(
                        Resource::builder()
                            .path("/patients")
                            .resource_methods(
                                "GET",
                                SdkMethod::builder().http_method("GET").build(),
                            )
                            .build(),
                    )
                    .build()
            });
            let client = mocked_rules!(aws_sdk_apigateway, [&apis, &stages, &resources]);
            let l = Ledger::new(4, &NoProgress);
            let got = rest_apis(&l, &client, "us-east-1").await.unwrap();
            let stage = &got[0].stages.known().unwrap()[0];
            assert_eq!(stage.client_certificate_id.as_deref(), Some("cc-1"));
            let u = got[0].methods.clone().get().unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
            assert!(u.detail.contains("GET /patients"), "{}", u.detail);
        }
    }
}
