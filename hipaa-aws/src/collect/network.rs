//! EC2: the account's regions (`DescribeRegions`), and per region its VPCs, flow logs and instance
//! placement. Every read is a Describe* call; no traffic, log record or instance data is read.
//!
//! Without the `ec2` feature nothing is read and both facts are unknown, so their controls are
//! ERROR, never PASS.

use super::Scan;
use hipaa_core::evidence::network::{AccountRegion, NetworkRegion};
use hipaa_core::evidence::Fact;

#[cfg(feature = "ec2")]
pub(crate) use with_ec2::{account_regions, collect};

#[cfg(not(feature = "ec2"))]
fn not_built<T>(op: &str) -> Fact<T> {
    Fact::Unknown(hipaa_core::evidence::Unknown::new(
        hipaa_core::evidence::UnknownReason::NotCollected,
        op,
        "this build of hipaa-aws has no EC2 support (the `ec2` feature is off)",
    ))
}

/// The regions of the account and their opt-in status.
#[cfg(not(feature = "ec2"))]
pub(crate) async fn account_regions(_scan: &Scan<'_>) -> Fact<Vec<AccountRegion>> {
    not_built("ec2:DescribeRegions")
}

/// VPCs, flow logs and instances of every scanned region.
#[cfg(not(feature = "ec2"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Fact<Vec<NetworkRegion>> {
    not_built("ec2:DescribeVpcs")
}

#[cfg(feature = "ec2")]
mod with_ec2 {
    use super::*;
    use crate::ledger::Ledger;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::network::{FlowLog, Instance, RegionOptIn, Vpc};
    use hipaa_core::evidence::{Tags, Unknown, UnknownReason};

    const STAGE: &str = "network";

    fn parse_error(l: &Ledger<'_>, op: &str, resource: &str, why: &str) -> Unknown {
        l.fail(op, resource, (UnknownReason::ParseError, why.to_string()))
    }

    fn tags(list: &[aws_sdk_ec2::types::Tag]) -> Tags {
        list.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect()
    }

    /// Every region EC2 knows for this account, enabled or not (`AllRegions`), from the
    /// configured region.
    pub(crate) async fn account_regions(scan: &Scan<'_>) -> Fact<Vec<AccountRegion>> {
        let client = aws_sdk_ec2::Client::new(&scan.config);
        regions_of(&scan.ledger, &client).await
    }

    async fn regions_of(l: &Ledger<'_>, client: &aws_sdk_ec2::Client) -> Fact<Vec<AccountRegion>> {
        const OP: &str = "ec2:DescribeRegions";
        l.plan(1, "regions");
        let answer = l
            .must(OP, "", client.describe_regions().all_regions(true).send())
            .await;
        l.tick("regions");
        let answer = match answer {
            Ok(a) => a,
            Err(u) => return Fact::Unknown(u),
        };
        let mut out = Vec::new();
        for r in answer.regions() {
            let Some(name) = r.region_name() else {
                return Fact::Unknown(parse_error(l, OP, "", "a region without a name"));
            };
            out.push(AccountRegion {
                name: name.to_string(),
                // Regions listed without a status predate opt-in regions: always enabled.
                opt_in: r
                    .opt_in_status()
                    .map_or(RegionOptIn::NotRequired, RegionOptIn::parse),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Fact::Known(out)
    }

    /// VPCs, flow logs and instances of every scanned region.
    pub(crate) async fn collect(scan: &Scan<'_>) -> Fact<Vec<NetworkRegion>> {
        let regions = stream::iter(scan.regions.clone())
            .map(|r| region(scan, r))
            .buffered(4)
            .collect()
            .await;
        Fact::Known(regions)
    }

    async fn region(scan: &Scan<'_>, region: String) -> NetworkRegion {
        let l = &scan.ledger;
        l.plan(3, STAGE);
        let client = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&scan.config)
                .region(aws_types::region::Region::new(region.clone()))
                .build(),
        );
        let r = region.as_str();
        let (vpcs, flow_logs, instances) = tokio::join!(
            l.ticked(STAGE, vpcs(l, &client, r)),
            l.ticked(STAGE, flow_logs(l, &client, r)),
            l.ticked(STAGE, instances(l, &client, r)),
        );
        NetworkRegion {
            region,
            vpcs: vpcs.into(),
            flow_logs: flow_logs.into(),
            instances: instances.into(),
        }
    }

    async fn vpcs(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Vpc>, Unknown> {
        const OP: &str = "ec2:DescribeVpcs";
        let mut pages = client.describe_vpcs().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for v in page.vpcs() {
                let Some(id) = v.vpc_id() else {
                    return Err(parse_error(l, OP, region, "a VPC without an id"));
                };
                out.push(Vpc {
                    id: id.to_string(),
                    owner: v.owner_id().map(str::to_string),
                    is_default: v.is_default().unwrap_or(false),
                    cidr: v.cidr_block().map(str::to_string),
                    tags: tags(v.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn flow_logs(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<FlowLog>, Unknown> {
        const OP: &str = "ec2:DescribeFlowLogs";
        let mut pages = client.describe_flow_logs().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for f in page.flow_logs() {
                let (Some(id), Some(resource)) = (f.flow_log_id(), f.resource_id()) else {
                    return Err(parse_error(
                        l,
                        OP,
                        region,
                        "a flow log without an id or resource",
                    ));
                };
                out.push(FlowLog {
                    id: id.to_string(),
                    resource_id: resource.to_string(),
                    status: f.flow_log_status().map(str::to_string),
                    traffic_type: f.traffic_type().map(|t| t.as_str().to_string()),
                    deliver_status: f.deliver_logs_status().map(str::to_string),
                    deliver_error: f.deliver_logs_error_message().map(str::to_string),
                    destination_type: f.log_destination_type().map(|t| t.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn instances(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Instance>, Unknown> {
        const OP: &str = "ec2:DescribeInstances";
        let mut pages = client.describe_instances().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for i in page.reservations().iter().flat_map(|r| r.instances()) {
                let Some(id) = i.instance_id() else {
                    return Err(parse_error(l, OP, region, "an instance without an id"));
                };
                out.push(Instance {
                    id: id.to_string(),
                    vpc_id: i.vpc_id().map(str::to_string),
                    state: i
                        .state()
                        .and_then(|s| s.name())
                        .map(|n| n.as_str().to_string()),
                    tags: tags(i.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses for what the moto fixture cannot show: a not-opted-in region next
        //! to enabled ones, an EC2 permission error, and an unparsable flow log.
        use super::*;
        use aws_sdk_ec2::operation::describe_flow_logs::DescribeFlowLogsOutput;
        use aws_sdk_ec2::operation::describe_regions::DescribeRegionsOutput;
        use aws_sdk_ec2::types::{FlowLog as Ec2FlowLog, Region};
        use aws_smithy_mocks::{mock, MockResponseInterceptor, Rule, RuleMode};
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_runtime_api::http::StatusCode;
        use aws_smithy_types::body::SdkBody;
        use hipaa_core::NoProgress;

        fn client(rule: &Rule) -> aws_sdk_ec2::Client {
            let config = crate::collect::mocks::sdk_config();
            aws_sdk_ec2::Client::from_conf(
                aws_sdk_ec2::config::Builder::from(&config)
                    .interceptor(
                        MockResponseInterceptor::new()
                            .rule_mode(RuleMode::MatchAny)
                            .with_rule(rule),
                    )
                    .build(),
            )
        }

        /// EC2's own error shape (its query protocol answers errors as XML).
        fn ec2_error(code: &str, message: &str) -> HttpResponse {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>"
            );
            let mut r = HttpResponse::new(StatusCode::try_from(403).unwrap(), SdkBody::from(body));
            r.headers_mut().insert("content-type", "text/xml");
            r
        }

        #[tokio::test]
        async fn regions_keep_their_opt_in_status() {
            let rule = mock!(aws_sdk_ec2::Client::describe_regions).then_output(|| {
                let region = |n: &str, s: Option<&str>| {
                    Region::builder()
                        .region_name(n)
                        .set_opt_in_status(s.map(str::to_string))
                        .build()
                };
                DescribeRegionsOutput::builder()
                    .regions(region("us-west-2", Some("opt-in-not-required")))
                    .regions(region("ap-east-1", Some("not-opted-in")))
                    .regions(region("eu-south-2", Some("opted-in")))
                    .regions(region("us-east-1", None))
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let got = regions_of(&l, &client(&rule)).await;
            let list = got.get().unwrap();
            let names: Vec<(&str, bool)> = list
                .iter()
                .map(|r| (r.name.as_str(), r.opt_in.enabled()))
                .collect();
            assert_eq!(
                names,
                vec![
                    ("ap-east-1", false),
                    ("eu-south-2", true),
                    ("us-east-1", true),
                    ("us-west-2", true)
                ]
            );
        }

        #[tokio::test]
        async fn a_denied_region_list_stays_unknown() {
            let rule = mock!(aws_sdk_ec2::Client::describe_regions).then_http_response(|| {
                ec2_error(
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation.",
                )
            });
            let l = Ledger::new(4, &NoProgress);
            let u = regions_of(&l, &client(&rule))
                .await
                .get()
                .unwrap_err()
                .clone();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
            assert_eq!(u.operation, "ec2:DescribeRegions");
            assert_eq!(l.log().failures.len(), 1);
        }

        #[tokio::test]
        async fn a_flow_log_without_its_resource_is_a_parse_error() {
            let rule = mock!(aws_sdk_ec2::Client::describe_flow_logs).then_output(|| {
                DescribeFlowLogsOutput::builder()
                    .flow_logs(Ec2FlowLog::builder().flow_log_id("fl-1").build())
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let u = flow_logs(&l, &client(&rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);

            let rule = mock!(aws_sdk_ec2::Client::describe_flow_logs)
                .then_http_response(|| ec2_error("UnauthorizedOperation", "denied"));
            let l = Ledger::new(4, &NoProgress);
            let u = flow_logs(&l, &client(&rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
        }
    }
}
