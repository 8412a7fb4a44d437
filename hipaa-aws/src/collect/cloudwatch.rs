//! Amazon CloudWatch: CloudWatch Logs log groups and metric filters, and metric alarms, per
//! region (metadata only: log events are never read).

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use hipaa_core::evidence::{Regional, Unknown, UnknownReason};
use hipaa_core::services::cloudwatch::evidence::{
    CloudWatchRegion, LogGroup, MetricAlarm, MetricFilter,
};

const STAGE: &str = "cloudwatch";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<CloudWatchRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let logs = client_in!(aws_sdk_cloudwatchlogs, &scan.config, region);
            let cloudwatch = client_in!(aws_sdk_cloudwatch, &scan.config, region);
            let (log_groups, metric_filters, alarms) = tokio::join!(
                log_groups(l, &logs, &region),
                metric_filters(l, &logs, &region),
                alarms(l, &cloudwatch, &region),
            );
            l.tick(STAGE);
            CloudWatchRegion {
                log_groups: log_groups.into(),
                metric_filters: metric_filters.into(),
                alarms: alarms.into(),
            }
        })
        .await,
    )
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs and CloudWatch alarms
// ---------------------------------------------------------------------------------------------

async fn log_groups(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<Vec<LogGroup>, Unknown> {
    const OP: &str = "logs:DescribeLogGroups";
    let mut pages = client.describe_log_groups().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger.page(OP, region, pages.next()).await? {
        for g in page.log_groups() {
            // A group without a name cannot be judged; dropping it could hide a failing group.
            let Some(name) = g.log_group_name() else {
                return Err(ledger.fail(
                    OP,
                    region,
                    (
                        UnknownReason::ParseError,
                        "a log group without a name".into(),
                    ),
                ));
            };
            let arn = g
                .log_group_arn()
                .or(g.arn())
                .map(|a| a.strip_suffix(":*").unwrap_or(a).to_string())
                .unwrap_or_default();
            out.push(LogGroup {
                name: name.to_string(),
                arn,
                kms_key_id: non_empty(g.kms_key_id()),
                retention_days: g.retention_in_days(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn metric_filters(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<Vec<MetricFilter>, Unknown> {
    let mut pages = client.describe_metric_filters().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger
        .page("logs:DescribeMetricFilters", region, pages.next())
        .await?
    {
        // Filters only ever help a control pass, so an incomplete one is left out.
        for f in page.metric_filters() {
            let (Some(name), Some(group), Some(pattern)) =
                (f.filter_name(), f.log_group_name(), f.filter_pattern())
            else {
                continue;
            };
            out.push(MetricFilter {
                name: name.to_string(),
                log_group: group.to_string(),
                pattern: pattern.to_string(),
                metrics: f
                    .metric_transformations()
                    .iter()
                    .map(|m| {
                        (
                            m.metric_namespace().to_string(),
                            m.metric_name().to_string(),
                        )
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.log_group, &a.name).cmp(&(&b.log_group, &b.name)));
    Ok(out)
}

async fn alarms(
    ledger: &Ledger<'_>,
    client: &aws_sdk_cloudwatch::Client,
    region: &str,
) -> Result<Vec<MetricAlarm>, Unknown> {
    let mut pages = client.describe_alarms().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger
        .page("cloudwatch:DescribeAlarms", region, pages.next())
        .await?
    {
        for a in page.metric_alarms() {
            let Some(name) = a.alarm_name() else { continue };
            out.push(MetricAlarm {
                name: name.to_string(),
                namespace: a.namespace().map(str::to_string),
                metric: a.metric_name().map(str::to_string),
                actions_enabled: a.actions_enabled().unwrap_or(false),
                actions: a.alarm_actions().to_vec(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Recorded responses: a denied log-group listing stays unknown, filters and alarms are read
    //! with what the alarm controls need.
    use super::*;
    use crate::collect::mocks::{json_error, mocked_rules};
    use aws_smithy_mocks::mock;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn groups_filters_and_alarms() {
        use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
        use aws_sdk_cloudwatchlogs::operation::describe_metric_filters::DescribeMetricFiltersOutput;
        let denied =
            mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_http_response(|| {
                json_error(
                    400,
                    "AccessDeniedException",
                    "not authorized to perform: logs:DescribeLogGroups",
                    "application/x-amz-json-1.1",
                )
            });
        let filters =
            mock!(aws_sdk_cloudwatchlogs::Client::describe_metric_filters).then_output(|| {
                DescribeMetricFiltersOutput::builder()
                    .metric_filters(
                        aws_sdk_cloudwatchlogs::types::MetricFilter::builder()
                            .filter_name("RootUse")
                            .log_group_name("/trail")
                            .filter_pattern(r#"{ $.userIdentity.type = "Root" }"#)
                            .metric_transformations(
                                aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                                    .metric_name("RootUse")
                                    .metric_namespace("Security")
                                    .metric_value("1")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
        let logs = mocked_rules!(aws_sdk_cloudwatchlogs, [&denied, &filters]);
        let described = mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(
                    aws_sdk_cloudwatch::types::MetricAlarm::builder()
                        .alarm_name("root-use")
                        .namespace("Security")
                        .metric_name("RootUse")
                        .actions_enabled(true)
                        .alarm_actions("arn:aws:sns:us-east-1:123456789012:alerts")
                        .build(),
                )
                .build()
        });
        let cloudwatch = mocked_rules!(aws_sdk_cloudwatch, [&described]);
        let l = Ledger::new(4, &NoProgress);
        // A denied listing is unknown, never an empty list.
        let u = log_groups(&l, &logs, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        let f = &metric_filters(&l, &logs, "us-east-1").await.unwrap()[0];
        assert_eq!(
            f.metrics,
            vec![("Security".to_string(), "RootUse".to_string())]
        );
        let a = &alarms(&l, &cloudwatch, "us-east-1").await.unwrap()[0];
        assert_eq!(a.name, "root-use");
        assert_eq!(
            (a.namespace.as_deref(), a.metric.as_deref()),
            (Some("Security"), Some("RootUse"))
        );
        assert!(a.actions_enabled && a.actions.len() == 1);
        let log = l.log();
        let failed: Vec<&str> = log.failures.iter().map(|f| f.operation.as_str()).collect();
        assert_eq!(failed, vec!["logs:DescribeLogGroups"]);
    }
}
