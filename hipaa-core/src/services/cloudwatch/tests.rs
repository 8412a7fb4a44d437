//! CloudWatch rule tests (log groups, metric-filter alarms), and the compliant log group,
//! filters and alarms other tests start from.

use super::evidence::*;
use super::rules::*;
use crate::evidence::{Fact, Snapshot};
use crate::scope::Scope;
use crate::aws::filter_pattern::FilterPattern;
use crate::services::cloudtrail::tests::{with_trail, TRAIL_LOG_GROUP};
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn two_regions() -> Snapshot {
    let mut s = snapshot_with(vec![]);
    s.regions = vec!["us-east-1".into(), "us-west-2".into()];
    crate::services::cloudtrail::tests::add_logging_region(&mut s, "us-west-2");
    s
}

fn set_group(s: &mut Snapshot, f: impl FnOnce(&mut LogGroup)) {
    if let Fact::Known(v) = &mut at(&mut s.services.cloudwatch, "us-east-1").log_groups {
        f(&mut v[0]);
    }
}

#[test]
fn log_group_kms() {
    let id = "cloudwatch.log_group_kms";
    let mut s = snapshot_with(vec![]);
    let o = outcomes(&s, id);
    assert_eq!(o[0].status, Pass);
    assert_eq!(o[0].resource.kind, "AwsLogsLogGroup");
    set_group(&mut s, |g| g.kms_key_id = None);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.cloudwatch, "us-east-1").log_groups = denied("logs:DescribeLogGroups");
    assert_eq!(statuses(&s, id), vec![Error]);
    at(&mut s.services.cloudwatch, "us-east-1").log_groups = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
}

#[test]
fn log_group_retention() {
    let id = "cloudwatch.log_group_retention";
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    set_group(&mut s, |g| g.retention_days = Some(90));
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("90") && m.contains("365"), "{m}");
    let mut scope = Scope::default();
    scope.thresholds.log_retention_min_days = 90;
    assert_eq!(statuses_in(&s, id, &scope), vec![Pass]);
    set_group(&mut s, |g| g.retention_days = None);
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert_eq!(
        m,
        "log events are kept forever; set an explicit retention of at least 365 days"
    );
    at(&mut s.services.cloudwatch, "us-east-1").log_groups = denied("logs:DescribeLogGroups");
    assert_eq!(statuses(&s, id), vec![Error]);
}

const ALARMS: [&str; 4] = [
    "cloudwatch.alarm_root_use",
    "cloudwatch.alarm_console_login_failures",
    "cloudwatch.alarm_iam_changes",
    "cloudwatch.alarm_cloudtrail_changes",
];

fn alarms_mut(s: &mut Snapshot) -> &mut Vec<MetricAlarm> {
    match &mut at(&mut s.services.cloudwatch, "us-east-1").alarms {
        Fact::Known(v) => v,
        Fact::Unknown(_) => panic!("alarms unknown"),
    }
}

#[test]
fn alarms_fail_naming_what_is_missing() {
    for id in ALARMS {
        assert_eq!(statuses(&snapshot_with(vec![]), id), vec![Pass], "{id}");

        let (st, m) = only_message(&with_trail(|t| t.cloudwatch_log_group_arn = None), id);
        assert_eq!(st, Fail, "{id}");
        assert!(
            m.contains("delivers its events to CloudWatch Logs"),
            "{id}: {m}"
        );

        let (st, m) = only_message(&with_trail(|t| t.multi_region = false), id);
        assert_eq!(st, Fail, "{id}: {m}");

        let (st, m) = only_message(&with_trail(|t| t.is_logging = Fact::Known(false)), id);
        assert_eq!(st, Fail, "{id}");
        assert!(m.contains("stopped"), "{id}: {m}");

        let mut s = snapshot_with(vec![]);
        at(&mut s.services.cloudwatch, "us-east-1").metric_filters = Fact::Known(vec![]);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail, "{id}");
        assert!(m.contains("no metric filter"), "{id}: {m}");

        let mut s = snapshot_with(vec![]);
        alarms_mut(&mut s).clear();
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail, "{id}");
        assert!(m.contains("no alarm watches"), "{id}: {m}");

        let mut s = snapshot_with(vec![]);
        alarms_mut(&mut s)
            .iter_mut()
            .for_each(|a| a.actions.clear());
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail, "{id}");
        assert!(m.contains("no alarm action"), "{id}: {m}");

        let mut s = snapshot_with(vec![]);
        alarms_mut(&mut s)
            .iter_mut()
            .for_each(|a| a.actions_enabled = false);
        let (st, m) = only_message(&s, id);
        assert_eq!(st, Fail, "{id}");
        assert!(m.contains("actions disabled"), "{id}: {m}");
    }
}

#[test]
fn alarms_error_when_a_needed_listing_is_unknown() {
    for id in ALARMS {
        let mut s = snapshot_with(vec![]);
        at(&mut s.services.cloudwatch, "us-east-1").metric_filters = denied("logs:DescribeMetricFilters");
        assert_eq!(statuses(&s, id), vec![Error], "{id}");

        let mut s = snapshot_with(vec![]);
        at(&mut s.services.cloudwatch, "us-east-1").alarms = denied("cloudwatch:DescribeAlarms");
        assert_eq!(statuses(&s, id), vec![Error], "{id}");

        let mut s = snapshot_with(vec![]);
        at(&mut s.services.cloudtrail, "us-east-1").trails = denied("cloudtrail:DescribeTrails");
        assert_eq!(statuses(&s, id), vec![Error], "{id}");

        let s = with_trail(|t| t.is_logging = denied("cloudtrail:GetTrailStatus"));
        assert_eq!(statuses(&s, id), vec![Error], "{id}");

        // The trail's log group is in a region that was not scanned.
        let s = with_trail(|t| {
            t.cloudwatch_log_group_arn = Some(format!(
                "arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*"
            ))
        });
        assert_eq!(statuses(&s, id), vec![Error], "{id}");
    }
    // Alarms unknown but no filter catches the event: FAIL is already certain.
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.cloudwatch, "us-east-1").metric_filters = Fact::Known(vec![]);
    at(&mut s.services.cloudwatch, "us-east-1").alarms = denied("cloudwatch:DescribeAlarms");
    assert_eq!(statuses(&s, "cloudwatch.alarm_root_use"), vec![Fail]);
}

#[test]
fn alarms_look_in_the_log_groups_region() {
    // The trail's log group is in us-west-2; filters and alarms there count, us-east-1's do not.
    let mut s = two_regions();
    let arn = format!("arn:aws:logs:us-west-2:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*");
    for r in ["us-east-1", "us-west-2"] {
        if let Fact::Known(ts) = &mut at(&mut s.services.cloudtrail, r).trails {
            ts[0].cloudwatch_log_group_arn = Some(arn.clone());
        }
    }
    assert_eq!(statuses(&s, "cloudwatch.alarm_iam_changes"), vec![Pass]);
    at(&mut s.services.cloudwatch, "us-west-2").metric_filters = Fact::Known(vec![]);
    assert_eq!(statuses(&s, "cloudwatch.alarm_iam_changes"), vec![Fail]);
}

#[test]
fn a_filter_on_another_log_group_does_not_count() {
    let mut s = snapshot_with(vec![]);
    if let Fact::Known(fs) = &mut at(&mut s.services.cloudwatch, "us-east-1").metric_filters {
        fs.iter_mut().for_each(|f| f.log_group = "app/other".into());
    }
    for id in ALARMS {
        assert_eq!(statuses(&s, id), vec![Fail], "{id}");
    }
}

fn catches(w: &WatchedEvent, pattern: &str) -> bool {
    w.caught_by(pattern)
}

#[test]
fn filter_patterns_are_read_honestly() {
    let root = root_use();
    assert!(catches(&root, ROOT_PATTERN));
    assert!(catches(&root, r#"{$.userIdentity.type="Root"}"#));
    assert!(!catches(&root, r#"{ $.userIdentity.type = "IAMUser" }"#));
    // Root console sign-ins only: misses root API calls.
    assert!(!catches(
        &root,
        r#"{ $.userIdentity.type = "Root" && $.eventName = ConsoleLogin }"#
    ));
    // Narrowed by a field we cannot judge: not certain to catch.
    assert!(!catches(
        &root,
        r#"{ $.userIdentity.type = "Root" && $.sourceIPAddress = "10.0.0.1" }"#
    ));

    let login = console_login_failures();
    assert!(catches(&login, LOGIN_FAILURE_PATTERN));
    assert!(catches(
        &login,
        r#"{ ($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Failure") }"#
    ));
    // Every sign-in, successful ones too: not a failure alarm.
    assert!(!catches(&login, "{ $.eventName = ConsoleLogin }"));
    // Only failed sign-ins carry this error message, so this narrower form is enough.
    assert!(catches(
        &login,
        r#"{ $.errorMessage = "Failed authentication" }"#
    ));
    // Failures of one user only: not certain to catch the others.
    assert!(!catches(
        &login,
        r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed authentication" && $.userIdentity.userName = "bob" }"#
    ));
    // Text patterns are not read.
    assert!(!catches(
        &login,
        r#""ConsoleLogin" "Failed authentication""#
    ));

    let iam = api_calls("IAM", "iam.amazonaws.com", &IAM_POLICY_CHANGES);
    assert!(catches(&iam, IAM_CHANGE_PATTERN));
    assert!(catches(&iam, "{ $.eventSource = iam.amazonaws.com }"));
    assert!(catches(
        &iam,
        "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = Put*Policy) || ($.eventName = Delete*Policy*) || ($.eventName = Attach*) || ($.eventName = Detach*) || ($.eventName = CreatePolicy*)) }"
    ));
    let missing_one = IAM_CHANGE_PATTERN.replace("||($.eventName=DetachGroupPolicy)", "");
    assert_ne!(missing_one, IAM_CHANGE_PATTERN);
    assert!(!catches(&iam, &missing_one));
    // `&&` between event names can never match.
    assert!(!catches(&iam, &IAM_CHANGE_PATTERN.replace("||", "&&")));

    let trail = api_calls("trail", "cloudtrail.amazonaws.com", &TRAIL_CHANGES);
    assert!(catches(&trail, TRAIL_CHANGE_PATTERN));
    assert!(!catches(
        &trail,
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }"
    ));
    assert!(!catches(&trail, "{ $.eventName = %Trail|Logging% }"));

    // Malformed patterns match nothing.
    for bad in [
        "",
        "{",
        "{ $.eventName = }",
        "{ ($.eventName = CreateTrail }",
        "{ $. = x }",
    ] {
        assert_eq!(FilterPattern::parse(bad), None, "{bad}");
    }
}

pub const ROOT_PATTERN: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;
pub const LOGIN_FAILURE_PATTERN: &str =
    r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#;
pub const IAM_CHANGE_PATTERN: &str = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}";
pub const TRAIL_CHANGE_PATTERN: &str = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }";

fn filter(name: &str, pattern: &str) -> (MetricFilter, MetricAlarm) {
    (
        MetricFilter {
            name: name.into(),
            log_group: TRAIL_LOG_GROUP.into(),
            pattern: pattern.into(),
            metrics: vec![("CISBenchmark".into(), name.into())],
        },
        MetricAlarm {
            name: format!("{name}-alarm"),
            namespace: Some("CISBenchmark".into()),
            metric: Some(name.into()),
            actions_enabled: true,
            actions: vec![format!("arn:aws:sns:us-east-1:{ACCOUNT}:security")],
        },
    )
}

/// One region's log group (the trail's, encrypted, kept a year) with the four filters and
/// alarms.
pub fn region_fixture(region: &str) -> CloudWatchRegion {
    let (filters, alarms): (Vec<_>, Vec<_>) = [
        ("RootUse", ROOT_PATTERN),
        ("ConsoleLoginFailures", LOGIN_FAILURE_PATTERN),
        ("IamChanges", IAM_CHANGE_PATTERN),
        ("TrailChanges", TRAIL_CHANGE_PATTERN),
    ]
    .into_iter()
    .map(|(n, p)| filter(n, p))
    .unzip();
    CloudWatchRegion {
        log_groups: Fact::Known(vec![LogGroup {
            name: TRAIL_LOG_GROUP.into(),
            arn: format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}"),
            kms_key_id: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            retention_days: Some(365),
        }]),
        metric_filters: Fact::Known(filters),
        alarms: Fact::Known(alarms),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<CloudWatchRegion> {
    [("us-east-1".to_string(), region_fixture("us-east-1"))]
        .into_iter()
        .collect()
}
