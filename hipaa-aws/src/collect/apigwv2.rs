//! Amazon API Gateway HTTP and WebSocket APIs, per region: the APIs (with their tags), each one's
//! stages, and the region's custom domain names with the security policy of each endpoint
//! configuration. The SDK has no paginators for these, so pages are followed by their token.
//! Without the `transit` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::apigwv2::evidence::Apigwv2Region;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<Apigwv2Region>> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_apigatewayv2::Client;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::apigwv2::evidence::{Api, DomainName, Stage};
    use std::collections::HashMap;

    const STAGE: &str = "apigatewayv2";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Apigwv2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_apigatewayv2, &scan.config, region);
                let (apis, domains) = tokio::join!(
                    l.ticked(STAGE, apis(l, &client, &region)),
                    l.ticked(STAGE, domain_names(l, &client, &region)),
                );
                Apigwv2Region {
                    apis: apis.into(),
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

    pub(super) async fn apis(
        l: &Ledger<'_>,
        client: &Client,
        region: &str,
    ) -> Result<Vec<Api>, Unknown> {
        const OP: &str = "apigatewayv2:GetApis";
        let pages = l
            .token_pages(
                OP,
                region,
                |t| client.get_apis().set_next_token(t).send(),
                |o| o.next_token(),
            )
            .await?;
        let mut listed = Vec::new();
        for a in pages.iter().flat_map(|p| p.items()) {
            let (Some(id), Some(name)) = (a.api_id(), a.name()) else {
                return Err(l.parse_error(OP, region, "an API without an id or name"));
            };
            listed.push(Api {
                id: id.to_string(),
                name: name.to_string(),
                protocol: a
                    .protocol_type()
                    .map_or_else(|| "HTTP".to_string(), |p| p.as_str().to_string()),
                tags: tags(a.tags()),
                stages: Fact::Known(Vec::new()),
            });
        }
        let mut out: Vec<Api> = stream::iter(listed)
            .map(|mut a| async move {
                a.stages = stages(l, client, &a.id).await.into();
                a
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn stages(l: &Ledger<'_>, client: &Client, api: &str) -> Result<Vec<Stage>, Unknown> {
        const OP: &str = "apigatewayv2:GetStages";
        let pages = l
            .token_pages(
                OP,
                api,
                |t| client.get_stages().api_id(api).set_next_token(t).send(),
                |o| o.next_token(),
            )
            .await?;
        let mut out = Vec::new();
        for s in pages.iter().flat_map(|p| p.items()) {
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
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn domain_names(
        l: &Ledger<'_>,
        client: &Client,
        region: &str,
    ) -> Result<Vec<DomainName>, Unknown> {
        const OP: &str = "apigatewayv2:GetDomainNames";
        let pages = l
            .token_pages(
                OP,
                region,
                |t| client.get_domain_names().set_next_token(t).send(),
                |o| o.next_token(),
            )
            .await?;
        let mut out = Vec::new();
        for d in pages.iter().flat_map(|p| p.items()) {
            let Some(name) = d.domain_name() else {
                return Err(l.parse_error(OP, region, "a domain without a name"));
            };
            out.push(DomainName {
                name: name.to_string(),
                tags: tags(d.tags()),
                security_policies: d
                    .domain_name_configurations()
                    .iter()
                    .map(|c| c.security_policy().map(|p| p.as_str().to_string()))
                    .collect(),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a second page of APIs, and a page token repeated by a broken answer.
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_apigatewayv2::operation::get_apis::GetApisOutput;
        use aws_sdk_apigatewayv2::operation::get_stages::GetStagesOutput;
        use aws_sdk_apigatewayv2::types::{Api as SdkApi, ProtocolType};
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        fn api(id: &str) -> SdkApi {
            SdkApi::builder()
                .api_id(id)
                .name(id)
                .protocol_type(ProtocolType::Websocket)
                .route_selection_expression("$request.body.action")
                .build()
        }

        #[tokio::test]
        async fn pages_are_followed_and_a_repeated_token_is_a_parse_error() {
            let first = mock!(Client::get_apis)
                .match_requests(|r| r.next_token().is_none())
                .then_output(|| {
                    GetApisOutput::builder()
                        .items(api("a1"))
                        .next_token("t1")
                        .build()
                });
            let second = mock!(Client::get_apis)
                .match_requests(|r| r.next_token() == Some("t1"))
                .then_output(|| GetApisOutput::builder().items(api("a2")).build());
            let stages =
                mock!(Client::get_stages).then_output(|| GetStagesOutput::builder().build());
            let client = mocked_rules!(aws_sdk_apigatewayv2, [&first, &second, &stages]);
            let l = Ledger::new(4, &NoProgress);
            let got = apis(&l, &client, "us-east-1").await.unwrap();
            let ids: Vec<&str> = got.iter().map(|a| a.id.as_str()).collect();
            assert_eq!(ids, ["a1", "a2"]);
            assert_eq!(got[0].protocol, "WEBSOCKET");

            let looping = mock!(Client::get_apis).then_output(|| {
                GetApisOutput::builder()
                    .items(api("a1"))
                    .next_token("t1")
                    .build()
            });
            let client = mocked_rules!(aws_sdk_apigatewayv2, [&looping, &stages]);
            let u = apis(&l, &client, "us-east-1").await.unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
        }
    }
}
