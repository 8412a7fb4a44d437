//! Elastic Load Balancing v2, per region: load balancers with their tags, attributes and
//! listeners (and the rules of HTTP listeners of Application Load Balancers), target groups with
//! their tags (and the targets of those behind network load balancers), and the WAF web ACL of
//! each internet-facing Application Load Balancer (`wafv2:GetWebACLForResource`, one per load
//! balancer). Without the `transit` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::elbv2::evidence::Elbv2Region;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<Elbv2Region>> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_elasticloadbalancingv2 as elbv2;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::elbv2::evidence::{Action, Listener, LoadBalancer, TargetGroup};
    use std::collections::{BTreeMap, HashMap};

    const STAGE: &str = "elbv2";
    const TAGS: &str = "elasticloadbalancing:DescribeTags";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Elbv2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_elasticloadbalancingv2, &scan.config, region);
                let waf = client_in!(aws_sdk_wafv2, &scan.config, region);
                read_region(l, &client, &waf, &region).await
            })
            .await,
        )
    }

    /// Everything about one region, from already-built clients (the recorded-response tests call
    /// it with mocked ones).
    pub(super) async fn read_region(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        waf: &aws_sdk_wafv2::Client,
        region: &str,
    ) -> Elbv2Region {
        let (lbs, groups) = tokio::join!(
            l.ticked(STAGE, load_balancers(l, client, region)),
            l.ticked(STAGE, target_groups(l, client, region)),
        );
        let arns: Vec<String> = lbs
            .iter()
            .flatten()
            .map(|b| b.arn.clone())
            .chain(groups.iter().flatten().map(|g| g.arn.clone()))
            .collect();
        let mut tags = tags_of(l, client, &arns).await;
        let mut tag = |arn: &str| {
            tags.remove(arn).unwrap_or_else(|| {
                Fact::Unknown(l.parse_error(TAGS, arn, "the answer left out this resource"))
            })
        };
        let lbs = lbs.map(|list| {
            list.into_iter()
                .map(|mut b| {
                    b.tags = tag(&b.arn);
                    b
                })
                .collect::<Vec<_>>()
        });
        let groups = groups.map(|list| {
            list.into_iter()
                .map(|mut g| {
                    g.tags = tag(&g.arn);
                    g
                })
                .collect::<Vec<_>>()
        });
        // Details of each load balancer, a few at a time.
        let lbs = match lbs {
            Ok(list) => {
                let mut out: Vec<LoadBalancer> = stream::iter(list)
                    .map(|b| details(l, client, waf, b))
                    .buffer_unordered(8)
                    .collect()
                    .await;
                out.sort_by(|a, b| a.arn.cmp(&b.arn));
                Ok(out)
            }
            Err(u) => Err(u),
        };
        // The targets of target groups behind a network load balancer.
        let networks: Vec<String> = lbs
            .iter()
            .flatten()
            .filter(|b| b.kind == "network")
            .map(|b| b.arn.clone())
            .collect();
        let groups = match groups {
            Ok(list) => {
                let mut out: Vec<TargetGroup> = stream::iter(list)
                    .map(|mut g| {
                        let wanted = g.load_balancers.iter().any(|a| networks.contains(a));
                        async move {
                            if wanted {
                                g.targets = Some(targets(l, client, &g.arn).await.into());
                            }
                            g
                        }
                    })
                    .buffer_unordered(8)
                    .collect()
                    .await;
                out.sort_by(|a, b| a.arn.cmp(&b.arn));
                Ok(out)
            }
            Err(u) => Err(u),
        };
        Elbv2Region {
            load_balancers: lbs.into(),
            target_groups: groups.into(),
        }
    }

    fn not_read<T>() -> Fact<T> {
        Fact::Unknown(Unknown::new(
            hipaa_core::evidence::UnknownReason::NotCollected,
            "elasticloadbalancing",
            "not read yet",
        ))
    }

    async fn load_balancers(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        region: &str,
    ) -> Result<Vec<LoadBalancer>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeLoadBalancers";
        let mut pages = client.describe_load_balancers().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for b in page.load_balancers() {
                let (Some(arn), Some(name)) = (b.load_balancer_arn(), b.load_balancer_name())
                else {
                    return Err(l.parse_error(
                        OP,
                        region,
                        "a load balancer without an ARN or name",
                    ));
                };
                // The type decides which controls apply, the scheme whether a WAF is expected.
                let (Some(kind), Some(scheme)) = (b.r#type(), b.scheme()) else {
                    return Err(l.parse_error(
                        OP,
                        arn,
                        "a load balancer without its type or scheme",
                    ));
                };
                out.push(LoadBalancer {
                    arn: arn.to_string(),
                    name: name.to_string(),
                    kind: kind.as_str().to_string(),
                    scheme: scheme.as_str().to_string(),
                    vpc_id: b.vpc_id().map(str::to_string),
                    tags: not_read(),
                    attributes: not_read(),
                    listeners: not_read(),
                    web_acl: None,
                });
            }
        }
        Ok(out)
    }

    async fn target_groups(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        region: &str,
    ) -> Result<Vec<TargetGroup>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeTargetGroups";
        let mut pages = client.describe_target_groups().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for g in page.target_groups() {
                let (Some(arn), Some(name)) = (g.target_group_arn(), g.target_group_name()) else {
                    return Err(l.parse_error(OP, region, "a target group without an ARN or name"));
                };
                let mut lbs: Vec<String> = g.load_balancer_arns().to_vec();
                lbs.sort();
                lbs.dedup();
                out.push(TargetGroup {
                    arn: arn.to_string(),
                    name: name.to_string(),
                    protocol: g.protocol().map(|p| p.as_str().to_string()),
                    port: g.port(),
                    target_type: g.target_type().map(|t| t.as_str().to_string()),
                    load_balancers: lbs,
                    tags: not_read(),
                    targets: None,
                });
            }
        }
        Ok(out)
    }

    /// The tags of every ARN, 20 per call (the API's limit).
    async fn tags_of(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        arns: &[String],
    ) -> HashMap<String, Fact<Tags>> {
        let batches: Vec<Vec<String>> = arns.chunks(20).map(<[String]>::to_vec).collect();
        let answers: Vec<Vec<(String, Fact<Tags>)>> = stream::iter(batches)
            .map(|batch| async move {
                let label = batch.first().cloned().unwrap_or_default();
                match l
                    .must(
                        TAGS,
                        &label,
                        client
                            .describe_tags()
                            .set_resource_arns(Some(batch.clone()))
                            .send(),
                    )
                    .await
                {
                    Ok(o) => o
                        .tag_descriptions()
                        .iter()
                        .filter_map(|d| {
                            let tags: Tags = d
                                .tags()
                                .iter()
                                .filter_map(|t| {
                                    Some((t.key()?.to_string(), t.value()?.to_string()))
                                })
                                .collect();
                            Some((d.resource_arn()?.to_string(), Fact::Known(tags)))
                        })
                        .collect(),
                    Err(u) => batch
                        .into_iter()
                        .map(|a| (a, Fact::Unknown(u.clone())))
                        .collect(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        answers.into_iter().flatten().collect()
    }

    /// Attributes, listeners (and HTTP rules of an ALB) and, for an internet-facing ALB, its web ACL.
    async fn details(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        waf: &aws_sdk_wafv2::Client,
        mut b: LoadBalancer,
    ) -> LoadBalancer {
        let alb = b.kind == "application";
        let wants_waf = alb && b.scheme == "internet-facing";
        let (attributes, listeners, acl) = tokio::join!(
            attributes(l, client, &b.arn),
            listeners(l, client, &b.arn, alb),
            async {
                if wants_waf {
                    Some(web_acl(l, waf, &b.arn).await)
                } else {
                    None
                }
            }
        );
        b.attributes = attributes.into();
        b.listeners = listeners.into();
        b.web_acl = acl.map(Into::into);
        b
    }

    async fn attributes(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        arn: &str,
    ) -> Result<BTreeMap<String, String>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";
        let o = l
            .must(
                OP,
                arn,
                client
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(arn)
                    .send(),
            )
            .await?;
        Ok(o.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_string(), a.value()?.to_string())))
            .collect())
    }

    fn action(a: &elbv2::types::Action) -> Option<Action> {
        let kind = a.r#type()?.as_str().to_string();
        let mut groups: Vec<String> = a
            .target_group_arn()
            .map(str::to_string)
            .into_iter()
            .collect();
        if let Some(f) = a.forward_config() {
            groups.extend(
                f.target_groups()
                    .iter()
                    .filter_map(|t| t.target_group_arn().map(str::to_string)),
            );
        }
        groups.sort();
        groups.dedup();
        Some(Action {
            kind,
            redirect_protocol: a
                .redirect_config()
                .map(|r| r.protocol().unwrap_or("#{protocol}").to_string()),
            target_groups: groups,
        })
    }

    fn actions(list: &[elbv2::types::Action]) -> Option<Vec<Action>> {
        list.iter().map(action).collect()
    }

    async fn listeners(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        arn: &str,
        alb: bool,
    ) -> Result<Vec<Listener>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeListeners";
        let mut pages = client
            .describe_listeners()
            .load_balancer_arn(arn)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, arn, pages.next()).await? {
            for x in page.listeners() {
                let (Some(listener_arn), Some(protocol)) = (x.listener_arn(), x.protocol()) else {
                    return Err(l.parse_error(OP, arn, "a listener without an ARN or protocol"));
                };
                let Some(default_actions) = actions(x.default_actions()) else {
                    return Err(l.parse_error(OP, listener_arn, "an action without its type"));
                };
                out.push(Listener {
                    arn: listener_arn.to_string(),
                    port: x.port(),
                    protocol: protocol.as_str().to_string(),
                    ssl_policy: x.ssl_policy().map(str::to_string),
                    default_actions,
                    rule_actions: None,
                });
            }
        }
        // The other rules of an ALB's HTTP listeners could forward some paths in clear.
        if alb {
            for x in out.iter_mut().filter(|x| x.protocol == "HTTP") {
                x.rule_actions = Some(rule_actions(l, client, &x.arn).await.into());
            }
        }
        out.sort_by(|a, b| (a.port, &a.arn).cmp(&(b.port, &b.arn)));
        Ok(out)
    }

    async fn rule_actions(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        listener: &str,
    ) -> Result<Vec<Action>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeRules";
        let mut pages = client
            .describe_rules()
            .listener_arn(listener)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, listener, pages.next()).await? {
            // The default rule repeats the listener's default actions.
            for r in page.rules().iter().filter(|r| r.is_default() != Some(true)) {
                let Some(list) = actions(r.actions()) else {
                    return Err(l.parse_error(OP, listener, "a rule action without its type"));
                };
                out.extend(list);
            }
        }
        Ok(out)
    }

    async fn targets(
        l: &Ledger<'_>,
        client: &elbv2::Client,
        group: &str,
    ) -> Result<Vec<String>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeTargetHealth";
        let o = l
            .must(
                OP,
                group,
                client
                    .describe_target_health()
                    .target_group_arn(group)
                    .send(),
            )
            .await?;
        let mut out = Vec::new();
        for d in o.target_health_descriptions() {
            let Some(id) = d.target().and_then(|t| t.id()) else {
                return Err(l.parse_error(OP, group, "a target without its id"));
            };
            out.push(id.to_string());
        }
        out.sort();
        Ok(out)
    }

    async fn web_acl(
        l: &Ledger<'_>,
        waf: &aws_sdk_wafv2::Client,
        arn: &str,
    ) -> Result<Option<String>, Unknown> {
        const OP: &str = "wafv2:GetWebACLForResource";
        let o = l
            .must(
                OP,
                arn,
                waf.get_web_acl_for_resource().resource_arn(arn).send(),
            )
            .await?;
        match o.web_acl() {
            None => Ok(None),
            Some(acl) if acl.arn().is_empty() => {
                Err(l.parse_error(OP, arn, "a web ACL without its ARN"))
            }
            Some(acl) => Ok(Some(acl.arn().to_string())),
        }
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a load balancer whose attributes and web ACL cannot be read, and a
        //! listener answer without its protocol (moto always gives one).
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersOutput;
        use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
        use aws_sdk_elasticloadbalancingv2::operation::describe_tags::DescribeTagsOutput;
        use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsOutput;
        use aws_sdk_elasticloadbalancingv2::types::{
            Listener as SdkListener, LoadBalancer as SdkLb, LoadBalancerSchemeEnum,
            LoadBalancerTypeEnum, Tag, TagDescription,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        const ARN: &str =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/portal/1";

        fn xml_error(code: &str) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
            use aws_smithy_types::body::SdkBody;
            let body = format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            );
            let mut r = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap_or_else(|_| {
                    aws_smithy_runtime_api::http::StatusCode::try_from(500).unwrap()
                }),
                SdkBody::from(body),
            );
            r.headers_mut().insert("content-type", "text/xml");
            r
        }

        #[tokio::test]
        async fn unreadable_details_stay_unknown_and_a_listener_without_protocol_is_a_parse_error()
        {
            let lbs = mock!(elbv2::Client::describe_load_balancers).then_output(|| {
                DescribeLoadBalancersOutput::builder()
                    .load_balancers(
                        SdkLb::builder()
                            .load_balancer_arn(ARN)
                            .load_balancer_name("portal")
                            .r#type(LoadBalancerTypeEnum::Application)
                            .scheme(LoadBalancerSchemeEnum::InternetFacing)
                            .build(),
                    )
                    .build()
            });
            let groups = mock!(elbv2::Client::describe_target_groups)
                .then_output(|| DescribeTargetGroupsOutput::builder().build());
            let tags = mock!(elbv2::Client::describe_tags).then_output(|| {
                DescribeTagsOutput::builder()
                    .tag_descriptions(
                        TagDescription::builder()
                            .resource_arn(ARN)
                            .tags(Tag::builder().key("DataClass").value("PHI").build())
                            .build(),
                    )
                    .build()
            });
            let attributes = mock!(elbv2::Client::describe_load_balancer_attributes)
                .then_http_response(|| xml_error("AccessDenied"));
            let listeners = mock!(elbv2::Client::describe_listeners).then_output(|| {
                DescribeListenersOutput::builder()
                    .listeners(
                        SdkListener::builder()
                            .listener_arn(format!("{ARN}/l1"))
                            .port(80)
                            .build(),
                    )
                    .build()
            });
            let client = mocked_rules!(
                aws_sdk_elasticloadbalancingv2,
                [&lbs, &groups, &tags, &attributes, &listeners]
            );
            let acl =
                mock!(aws_sdk_wafv2::Client::get_web_acl_for_resource).then_http_response(|| {
                    crate::collect::mocks::json_error(
                        400,
                        "AccessDeniedException",
                        "denied",
                        "application/x-amz-json-1.1",
                    )
                });
            let waf = mocked_rules!(aws_sdk_wafv2, [&acl]);
            let l = Ledger::new(4, &NoProgress);
            let r = read_region(&l, &client, &waf, "us-east-1").await;
            let lb = &r.load_balancers.known().unwrap()[0];
            assert!(lb.tags.known().is_some_and(|t| t.contains_key("DataClass")));
            assert_eq!(
                lb.attributes.clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
            let u = lb.listeners.clone().get().unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
            assert!(
                u.detail.contains("without an ARN or protocol"),
                "{}",
                u.detail
            );
            let acl = lb.web_acl.clone().unwrap();
            assert_eq!(acl.get().unwrap_err().reason, UnknownReason::AccessDenied);
            assert_eq!(r.target_groups.known().map(Vec::len), Some(0));
        }
    }
}
