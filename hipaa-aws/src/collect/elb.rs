//! Classic Load Balancers, per region: each with its listeners, tags (20 per call), policies and
//! access-log setting. Without the `transit` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::elb::evidence::ElbRegion;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<ElbRegion>> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_elasticloadbalancing as elb;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
    use hipaa_core::services::elb::evidence::{ClassicListener, ClassicLoadBalancer, LbPolicy};
    use std::collections::HashMap;

    const STAGE: &str = "elb";
    const TAGS: &str = "elasticloadbalancing:DescribeTags";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<ElbRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_elasticloadbalancing, &scan.config, region);
                let lbs = l.ticked(STAGE, read_region(l, &client, &region)).await;
                ElbRegion {
                    load_balancers: lbs.into(),
                }
            })
            .await,
        )
    }

    pub(super) async fn read_region(
        l: &Ledger<'_>,
        client: &elb::Client,
        region: &str,
    ) -> Result<Vec<ClassicLoadBalancer>, Unknown> {
        let listed = load_balancers(l, client, region).await?;
        let names: Vec<String> = listed.iter().map(|b| b.name.clone()).collect();
        let mut tags = tags_of(l, client, &names).await;
        let with_tags: Vec<ClassicLoadBalancer> = listed
            .into_iter()
            .map(|mut b| {
                b.tags = tags.remove(&b.name).unwrap_or_else(|| {
                    Fact::Unknown(l.parse_error(
                        TAGS,
                        &b.name,
                        "the answer left out this load balancer",
                    ))
                });
                b
            })
            .collect();
        let mut out: Vec<ClassicLoadBalancer> = stream::iter(with_tags)
            .map(|mut b| async move {
                let (policies, log) =
                    tokio::join!(policies(l, client, &b.name), access_log(l, client, &b.name));
                b.policies = policies.into();
                b.access_log = log.into();
                b
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
            "elasticloadbalancing",
            "not read yet",
        ))
    }

    async fn load_balancers(
        l: &Ledger<'_>,
        client: &elb::Client,
        region: &str,
    ) -> Result<Vec<ClassicLoadBalancer>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeLoadBalancers";
        let mut pages = client.describe_load_balancers().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for b in page.load_balancer_descriptions() {
                let Some(name) = b.load_balancer_name() else {
                    return Err(l.parse_error(OP, region, "a load balancer without a name"));
                };
                let mut listeners = Vec::new();
                for d in b.listener_descriptions() {
                    let Some(x) = d.listener() else {
                        return Err(l.parse_error(
                            OP,
                            name,
                            "a listener description without its listener",
                        ));
                    };
                    // The SDK fills a protocol the answer left out with "": judged as not HTTPS.
                    if x.protocol().is_empty() {
                        return Err(l.parse_error(OP, name, "a listener without its protocol"));
                    }
                    listeners.push(ClassicListener {
                        protocol: x.protocol().to_string(),
                        port: x.load_balancer_port(),
                        instance_protocol: x.instance_protocol().map(str::to_string),
                        instance_port: Some(x.instance_port()),
                        policy_names: d.policy_names().to_vec(),
                    });
                }
                out.push(ClassicLoadBalancer {
                    name: name.to_string(),
                    scheme: b.scheme().map(str::to_string),
                    vpc_id: b.vpc_id().map(str::to_string),
                    tags: not_read(),
                    listeners,
                    policies: not_read(),
                    access_log: not_read(),
                });
            }
        }
        Ok(out)
    }

    /// The tags of every load balancer, 20 names per call (the API's limit).
    async fn tags_of(
        l: &Ledger<'_>,
        client: &elb::Client,
        names: &[String],
    ) -> HashMap<String, Fact<Tags>> {
        let batches: Vec<Vec<String>> = names.chunks(20).map(<[String]>::to_vec).collect();
        let answers: Vec<Vec<(String, Fact<Tags>)>> = stream::iter(batches)
            .map(|batch| async move {
                let label = batch.first().cloned().unwrap_or_default();
                match l
                    .must(
                        TAGS,
                        &label,
                        client
                            .describe_tags()
                            .set_load_balancer_names(Some(batch.clone()))
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
                                .map(|t| {
                                    (
                                        t.key().to_string(),
                                        t.value().unwrap_or_default().to_string(),
                                    )
                                })
                                .collect();
                            Some((d.load_balancer_name()?.to_string(), Fact::Known(tags)))
                        })
                        .collect(),
                    Err(u) => batch
                        .into_iter()
                        .map(|n| (n, Fact::Unknown(u.clone())))
                        .collect(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        answers.into_iter().flatten().collect()
    }

    async fn policies(
        l: &Ledger<'_>,
        client: &elb::Client,
        name: &str,
    ) -> Result<Vec<LbPolicy>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeLoadBalancerPolicies";
        let o = l
            .must(
                OP,
                name,
                client
                    .describe_load_balancer_policies()
                    .load_balancer_name(name)
                    .send(),
            )
            .await?;
        let mut out = Vec::new();
        for p in o.policy_descriptions() {
            let (Some(policy), Some(kind)) = (p.policy_name(), p.policy_type_name()) else {
                return Err(l.parse_error(OP, name, "a policy without its name or type"));
            };
            out.push(LbPolicy {
                name: policy.to_string(),
                kind: kind.to_string(),
                attributes: p
                    .policy_attribute_descriptions()
                    .iter()
                    .filter_map(|a| {
                        Some((
                            a.attribute_name()?.to_string(),
                            a.attribute_value()?.to_string(),
                        ))
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    async fn access_log(
        l: &Ledger<'_>,
        client: &elb::Client,
        name: &str,
    ) -> Result<Option<String>, Unknown> {
        const OP: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";
        let o = l
            .must(
                OP,
                name,
                client
                    .describe_load_balancer_attributes()
                    .load_balancer_name(name)
                    .send(),
            )
            .await?;
        // Without the access-log part the answer says nothing; `Enabled` itself is required, so
        // the SDK reads a missing one as false (a FAIL, never a PASS).
        let Some(enabled) = o
            .load_balancer_attributes()
            .and_then(|a| a.access_log())
            .map(|a| a.enabled())
        else {
            return Err(l.parse_error(OP, name, "the answer did not give the access-log setting"));
        };
        if !enabled {
            return Ok(None);
        }
        let bucket = o
            .load_balancer_attributes()
            .and_then(|a| a.access_log())
            .and_then(|a| a.s3_bucket_name())
            .unwrap_or("an unnamed bucket");
        Ok(Some(bucket.to_string()))
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: an attributes answer without its access-log part.
        use super::*;
        use crate::collect::mocks::mocked;
        use aws_sdk_elasticloadbalancing::operation::describe_load_balancer_attributes::DescribeLoadBalancerAttributesOutput;
        use aws_sdk_elasticloadbalancing::types::LoadBalancerAttributes;
        use aws_smithy_mocks::mock;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn an_attributes_answer_without_access_logs_is_a_parse_error() {
            let rule = mock!(elb::Client::describe_load_balancer_attributes).then_output(|| {
                DescribeLoadBalancerAttributesOutput::builder()
                    .load_balancer_attributes(LoadBalancerAttributes::builder().build())
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let u = access_log(&l, &mocked!(aws_sdk_elasticloadbalancing, &rule), "legacy")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
        }
    }
}
