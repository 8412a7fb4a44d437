//! CloudWatch in infrastructure code: log groups (`AWS::Logs::LogGroup`,
//! `aws_cloudwatch_log_group`), metric filters (`AWS::Logs::MetricFilter`,
//! `aws_cloudwatch_log_metric_filter`) and alarms (`AWS::CloudWatch::Alarm`,
//! `aws_cloudwatch_metric_alarm`). A log group without a retention keeps its events forever.

use super::evidence::{CloudWatchRegion, LogGroup, MetricAlarm, MetricFilter};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const GROUPS: &[&str] = &["AWS::Logs::LogGroup", "aws_cloudwatch_log_group"];
const FILTERS: &[&str] = &["AWS::Logs::MetricFilter", "aws_cloudwatch_log_metric_filter"];
const ALARMS: &[&str] = &["AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"];

fn group_name(r: &Res) -> Option<String> {
    match r.props.get(if r.kind == "AWS::Logs::LogGroup" { "LogGroupName" } else { "name" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// The CloudWatch section from every log group, metric filter and alarm of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, GROUPS) && !any_of(sources, FILTERS) && !any_of(sources, ALARMS) {
        return;
    }
    let section = by_region(
        sources,
        || CloudWatchRegion {
            log_groups: Fact::Known(Vec::new()),
            metric_filters: Fact::Known(Vec::new()),
            alarms: Fact::Known(Vec::new()),
        },
        |src, region| {
            let groups: Vec<LogGroup> = src.of(GROUPS).map(|r| group(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.log_groups {
                l.extend(groups);
            }
            let filters: Result<Vec<MetricFilter>, Unknown> = src.of(FILTERS).map(|r| filter(src, r)).collect();
            region.metric_filters = match (std::mem::replace(&mut region.metric_filters, Fact::Known(Vec::new())), filters) {
                (Fact::Known(mut l), Ok(f)) => {
                    l.extend(f);
                    Fact::Known(l)
                }
                (Fact::Unknown(u), _) | (_, Err(u)) => Fact::Unknown(u),
            };
            let alarms: Result<Vec<MetricAlarm>, Unknown> = src.of(ALARMS).map(|r| alarm(src, r)).collect();
            region.alarms = match (std::mem::replace(&mut region.alarms, Fact::Known(Vec::new())), alarms) {
                (Fact::Known(mut l), Ok(a)) => {
                    l.extend(a);
                    Fact::Known(l)
                }
                (Fact::Unknown(u), _) | (_, Err(u)) => Fact::Unknown(u),
            };
        },
    );
    out.services.cloudwatch = Some(section);
}

fn group(src: &Source, r: &Res, out: &mut Converted) -> LogGroup {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let (kn, rn) = if cfn { ("KmsKeyId", "RetentionInDays") } else { ("kms_key_id", "retention_in_days") };
    let kms_key_id = out.or_open(r, &arn, &["cloudwatch.log_group_kms"], p.get(kn).name(kn), None);
    let retention = p.get(rn).int(rn).map(|d| d.filter(|d| *d > 0).map(|d| i32::try_from(d).unwrap_or(i32::MAX)));
    let retention_days = out.or_open(r, &arn, &["cloudwatch.log_group_retention"], retention, None);
    LogGroup {
        name: r.id.clone(),
        arn: format!("{arn}:*"),
        kms_key_id,
        retention_days,
    }
}

/// A metric filter; which group it reads must be known, or no alarm control can be judged.
fn filter(src: &Source, r: &Res) -> Result<MetricFilter, Unknown> {
    let cfn = src.is_cfn();
    let p = &r.props;
    let path = if cfn { "LogGroupName" } else { "log_group_name" };
    let log_group = match src.link(r, &[path], GROUPS, group_name) {
        Link::To(g) => g.id.clone(),
        Link::Outside(n) => n,
        Link::None => String::new(),
        Link::Open(u) => return Err(u),
    };
    let pattern = p.get(if cfn { "FilterPattern" } else { "pattern" }).text("FilterPattern")?.unwrap_or_default();
    let mut metrics = Vec::new();
    for m in p.get(if cfn { "MetricTransformations" } else { "metric_transformation" }).items("MetricTransformations")? {
        let ns = m.get(if cfn { "MetricNamespace" } else { "namespace" }).text("MetricNamespace")?.unwrap_or_default();
        let name = m.get(if cfn { "MetricName" } else { "name" }).text("MetricName")?.unwrap_or_default();
        metrics.push((ns, name));
    }
    Ok(MetricFilter {
        name: r.id.clone(),
        log_group,
        pattern,
        metrics,
    })
}

fn alarm(src: &Source, r: &Res) -> Result<MetricAlarm, Unknown> {
    let cfn = src.is_cfn();
    let p = &r.props;
    let k = |c: &str, t: &str| if cfn { p.get(c) } else { p.get(t) };
    let mut actions = Vec::new();
    for a in k("AlarmActions", "alarm_actions").items("AlarmActions")? {
        if let Some(n) = a.name("AlarmActions")? {
            actions.push(n);
        }
    }
    Ok(MetricAlarm {
        name: r.id.clone(),
        namespace: k("Namespace", "namespace").text("Namespace")?,
        metric: k("MetricName", "metric_name").text("MetricName")?,
        actions_enabled: k("ActionsEnabled", "actions_enabled").boolean("ActionsEnabled")?.unwrap_or(true),
        actions,
    })
}
