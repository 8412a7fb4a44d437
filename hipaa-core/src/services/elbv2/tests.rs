//! Elastic Load Balancing v2 rule tests, and the compliant load balancers other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::services::ec2::evidence::Instance;
use crate::testkit::*;
use crate::vocabulary::Status::*;
use std::collections::BTreeMap;

const HTTPS: &str = "elbv2.https_only";
const POLICY: &str = "elbv2.tls_policy";
const NLB: &str = "elbv2.nlb_tls";
const HEADERS: &str = "elbv2.drop_invalid_headers";
const LOGS: &str = "elbv2.access_logs";
const DELETION: &str = "elbv2.deletion_protection";
const WAF: &str = "elbv2.waf_attached";
const ALL: [&str; 7] = [HTTPS, POLICY, NLB, HEADERS, LOGS, DELETION, WAF];

const ALB_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/portal/1";
const NLB_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/records/2";
const TG_WEB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/3";
const TG_RECORDS: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/records/4";

fn region(s: &mut Snapshot) -> &mut Elbv2Region {
    at(&mut s.services.elbv2, "us-east-1")
}

fn alb(s: &mut Snapshot) -> &mut LoadBalancer {
    &mut known(&mut region(s).load_balancers)[0]
}

fn nlb(s: &mut Snapshot) -> &mut LoadBalancer {
    &mut known(&mut region(s).load_balancers)[1]
}

fn records(s: &mut Snapshot) -> &mut TargetGroup {
    &mut known(&mut region(s).target_groups)[1]
}

fn action(kind: &str, redirect: Option<&str>, groups: &[&str]) -> Action {
    Action {
        kind: kind.into(),
        redirect_protocol: redirect.map(str::to_string),
        target_groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

fn listener(protocol: &str, port: i32, policy: Option<&str>, actions: Vec<Action>) -> Listener {
    Listener {
        arn: format!("{ALB_ARN}/listener/{port}"),
        port: Some(port),
        protocol: protocol.into(),
        ssl_policy: policy.map(str::to_string),
        default_actions: actions,
        rule_actions: (protocol == "HTTP").then(|| Fact::Known(vec![])),
    }
}

fn attributes(pairs: &[(&str, &str)]) -> Fact<BTreeMap<String, String>> {
    Fact::Known(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn the_compliant_load_balancers_pass() {
    let s = base();
    for id in ALL {
        let o = outcomes(&s, id);
        assert!(!o.is_empty() && o.iter().all(|o| o.status == Pass), "{id}: {o:?}");
    }
    let o = only(&s, WAF, Pass);
    assert_eq!(o.resource.kind, "AwsElbv2LoadBalancer");
    assert_eq!(o.resource.id, "portal");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("`edge`"), "{}", o.message);
    assert!(only(&s, NLB, Pass).message.contains("terminates TLS at the load balancer and re-encrypts"));
    assert_eq!(statuses(&s, DELETION), vec![Pass, Pass]);
}

#[test]
fn plain_http_that_reaches_the_targets_fails() {
    let mut s = base();
    alb(&mut s).listeners = Fact::Known(vec![listener("HTTP", 80, None, vec![action("forward", None, &[TG_WEB])])]);
    let m = only(&s, HTTPS, Fail).message;
    assert!(m.contains("HTTP listener on port 80: its default action forwards"), "{m}");
    // A redirect that keeps the request's protocol is not a redirect to HTTPS.
    alb(&mut s).listeners = Fact::Known(vec![listener("HTTP", 80, None, vec![action("redirect", Some("#{protocol}"), &[])])]);
    assert!(only(&s, HTTPS, Fail).message.contains("redirects to `#{protocol}`"));
    // A redirect as default action, but a rule that forwards some paths over HTTP.
    let mut l = listener("HTTP", 80, None, vec![action("redirect", Some("HTTPS"), &[])]);
    l.rule_actions = Some(Fact::Known(vec![action("forward", None, &[TG_WEB])]));
    alb(&mut s).listeners = Fact::Known(vec![l.clone()]);
    assert!(only(&s, HTTPS, Fail).message.contains("a rule forwards"));
    // A fixed response carries nothing from the targets.
    l.rule_actions = Some(Fact::Known(vec![action("fixed-response", None, &[])]));
    alb(&mut s).listeners = Fact::Known(vec![l.clone()]);
    only(&s, HTTPS, Pass);
    // Rules that were not read, or could not be: ERROR, never PASS.
    l.rule_actions = Some(denied("elasticloadbalancing:DescribeRules"));
    alb(&mut s).listeners = Fact::Known(vec![l.clone()]);
    only(&s, HTTPS, Error);
    l.rule_actions = None;
    alb(&mut s).listeners = Fact::Known(vec![l]);
    only(&s, HTTPS, Error);
    alb(&mut s).listeners = denied("elasticloadbalancing:DescribeListeners");
    only(&s, HTTPS, Error);
}

#[test]
fn old_tls_policies_fail_naming_the_listener_and_the_list() {
    let mut s = base();
    alb(&mut s).listeners = Fact::Known(vec![listener(
        "HTTPS",
        443,
        Some("ELBSecurityPolicy-2016-08"),
        vec![action("forward", None, &[TG_WEB])],
    )]);
    let o = &outcomes(&s, POLICY)[0];
    assert_eq!(o.status, Fail);
    assert!(o.message.contains("the HTTPS listener on port 443 uses `ELBSecurityPolicy-2016-08`"), "{}", o.message);
    assert!(o.message.contains("services/elbv2/tls.toml, reviewed 20"), "{}", o.message);
    // A listener whose policy the answer left out is a failed read.
    alb(&mut s).listeners = Fact::Known(vec![listener("HTTPS", 443, None, vec![])]);
    assert_eq!(outcomes(&s, POLICY)[0].status, Error);
    // Only HTTP listeners: nothing to judge on that load balancer.
    alb(&mut s).listeners = Fact::Known(vec![listener("HTTP", 80, None, vec![action("redirect", Some("HTTPS"), &[])])]);
    assert_eq!(statuses(&s, POLICY), vec![NotApplicable, Pass]);
}

#[test]
fn every_listed_policy_is_a_tls12_policy_name() {
    let data = super::rules::tls_data().unwrap();
    assert!(data.allowed_policies.iter().all(|p| p.starts_with("ELBSecurityPolicy-")
        && (p.contains("TLS13-1-2") || p.contains("TLS13-1-3") || p.contains("TLS-1-2") || p.contains("FS-1-2"))));
    assert!(data.passthrough_ports.contains(&443));
}

#[test]
fn network_load_balancers_that_carry_ephi_need_tls_or_a_tls_passthrough() {
    let mut s = base();
    // TCP 443 to targets on 443: TLS passes through.
    nlb(&mut s).listeners = Fact::Known(vec![listener("TCP", 443, None, vec![action("forward", None, &[TG_RECORDS])])]);
    records(&mut s).protocol = Some("TCP".into());
    let m = only(&s, NLB, Pass).message;
    assert!(m.contains("passes TLS through to its targets on port 443"), "{m}");
    assert!(m.contains("(it is PHI-tagged)"), "{m}");
    // TCP on a port that is not a TLS port.
    records(&mut s).port = Some(5432);
    let m = only(&s, NLB, Fail).message;
    assert!(m.contains("neither terminates TLS nor forwards between TLS ports (targets on port 5432)"), "{m}");
    // TLS terminated, plain TCP to the targets: still a pass, and said so.
    nlb(&mut s).listeners = Fact::Known(vec![listener(
        "TLS",
        443,
        Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
        vec![action("forward", None, &[TG_RECORDS])],
    )]);
    assert!(only(&s, NLB, Pass).message.contains("plain TCP from there to its targets"));
    nlb(&mut s).listeners = Fact::Known(vec![listener("UDP", 53, None, vec![])]);
    assert!(only(&s, NLB, Fail).message.contains("the UDP listener on port 53 carries traffic without TLS"));
}

#[test]
fn whether_a_network_load_balancer_carries_ephi_comes_from_it_or_what_is_behind_it() {
    let mut s = base();
    nlb(&mut s).listeners = Fact::Known(vec![listener("TCP", 80, None, vec![action("forward", None, &[TG_RECORDS])])]);
    nlb(&mut s).tags = Fact::Known(Tags::new());
    // Nothing behind it is tagged either (the target instance is unknown to EC2): not judged.
    assert_eq!(only(&s, NLB, NotApplicable).message, "no network load balancers that carry ePHI found");
    // A PHI-tagged instance behind it.
    at(&mut s.services.ec2, "us-east-1").instances = Fact::Known(vec![Instance {
        id: "i-records".into(),
        vpc_id: Some("vpc-1".into()),
        state: Some("running".into()),
        tags: phi_tags(),
        http_tokens: Some("required".into()),
        public_ip: None,
    }]);
    let o = only(&s, NLB, Fail);
    assert!(o.message.contains("its target `i-records` is a PHI-tagged instance"), "{}", o.message);
    assert_eq!(o.resource.phi, Some(true));
    // A PHI-tagged target group.
    at(&mut s.services.ec2, "us-east-1").instances = Fact::Known(vec![]);
    records(&mut s).tags = Fact::Known(phi_tags());
    assert!(only(&s, NLB, Fail).message.contains("target group `records` is PHI-tagged"));
    // Targets that could not be read: whether it carries ePHI is unknown, so a failure is ERROR…
    records(&mut s).tags = Fact::Known(Tags::new());
    records(&mut s).targets = Some(denied("elasticloadbalancing:DescribeTargetHealth"));
    only(&s, NLB, Error);
    // … and so are unreadable tags of the load balancer itself; a pass still stands.
    records(&mut s).targets = Some(Fact::Known(vec![]));
    nlb(&mut s).tags = denied("elasticloadbalancing:DescribeTags");
    only(&s, NLB, Error);
    nlb(&mut s).listeners = Fact::Known(vec![listener(
        "TLS",
        443,
        Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
        vec![action("forward", None, &[TG_RECORDS])],
    )]);
    only(&s, NLB, Pass);
    // The target groups could not be listed: unknown too.
    let mut s = base();
    nlb(&mut s).tags = Fact::Known(Tags::new());
    nlb(&mut s).listeners = Fact::Known(vec![listener("TCP", 80, None, vec![])]);
    region(&mut s).target_groups = denied("elasticloadbalancing:DescribeTargetGroups");
    only(&s, NLB, Error);
}

#[test]
fn attributes_off_fail_and_missing_ones_are_errors() {
    let mut s = base();
    alb(&mut s).attributes = attributes(&[
        ("routing.http.drop_invalid_header_fields.enabled", "false"),
        ("access_logs.s3.enabled", "false"),
        ("deletion_protection.enabled", "false"),
    ]);
    assert!(only(&s, HEADERS, Fail).message.contains("request smuggling"));
    assert_eq!(statuses(&s, LOGS), vec![Fail, Pass]);
    assert!(outcomes(&s, DELETION)[0].message.contains("Application Load Balancer"));
    // An answer without the attribute is not "off".
    alb(&mut s).attributes = attributes(&[("deletion_protection.enabled", "maybe")]);
    only(&s, HEADERS, Error);
    assert_eq!(statuses(&s, LOGS), vec![Error, Pass]);
    assert_eq!(statuses(&s, DELETION), vec![Error, Pass]);
    alb(&mut s).attributes = denied("elasticloadbalancing:DescribeLoadBalancerAttributes");
    only(&s, HEADERS, Error);
}

#[test]
fn internet_facing_albs_need_a_web_acl() {
    let mut s = base();
    alb(&mut s).web_acl = Some(Fact::Known(None));
    assert!(only(&s, WAF, Fail).message.contains("unfiltered"));
    alb(&mut s).web_acl = Some(denied("wafv2:GetWebACLForResource"));
    only(&s, WAF, Error);
    alb(&mut s).web_acl = None;
    only(&s, WAF, Error);
    // An internal load balancer is not judged.
    alb(&mut s).scheme = "internal".into();
    only(&s, WAF, NotApplicable);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    region(&mut s).load_balancers = denied("elasticloadbalancing:DescribeLoadBalancers");
    for id in ALL {
        let o = only(&s, id, Error);
        assert_eq!(o.resource.kind, "AwsAccountRegion", "{id}");
    }
    region(&mut s).load_balancers = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
    s.services.elbv2 = None;
    for id in ALL {
        only(&s, id, Error);
    }
}

/// The compliant section: in us-east-1, the PHI-tagged internet-facing ALB `portal` (HTTP
/// redirects to HTTPS, HTTPS on a TLS 1.3 policy, a web ACL, every attribute on) and the
/// PHI-tagged internal NLB `records` (TLS re-encrypted to its TLS target group).
pub fn fixture() -> crate::evidence::Regional<Elbv2Region> {
    let on = attributes(&[
        ("routing.http.drop_invalid_header_fields.enabled", "true"),
        ("access_logs.s3.enabled", "true"),
        ("access_logs.s3.bucket", "lb-logs"),
        ("deletion_protection.enabled", "true"),
    ]);
    let portal = LoadBalancer {
        arn: ALB_ARN.into(),
        name: "portal".into(),
        kind: "application".into(),
        scheme: "internet-facing".into(),
        vpc_id: Some("vpc-1".into()),
        tags: Fact::Known(phi_tags()),
        attributes: on.clone(),
        listeners: Fact::Known(vec![
            listener("HTTP", 80, None, vec![action("redirect", Some("HTTPS"), &[])]),
            listener(
                "HTTPS",
                443,
                Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                vec![action("forward", None, &[TG_WEB])],
            ),
        ]),
        web_acl: Some(Fact::Known(Some(
            "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/edge/abc".into(),
        ))),
    };
    let records = LoadBalancer {
        arn: NLB_ARN.into(),
        name: "records".into(),
        kind: "network".into(),
        scheme: "internal".into(),
        vpc_id: Some("vpc-1".into()),
        tags: Fact::Known(phi_tags()),
        attributes: on,
        listeners: Fact::Known(vec![listener(
            "TLS",
            443,
            Some("ELBSecurityPolicy-TLS13-1-2-Res-2021-06"),
            vec![action("forward", None, &[TG_RECORDS])],
        )]),
        web_acl: None,
    };
    let group = |arn: &str, name: &str, protocol: &str, port: i32, lb: &str, targets| TargetGroup {
        arn: arn.into(),
        name: name.into(),
        protocol: Some(protocol.into()),
        port: Some(port),
        target_type: Some("instance".into()),
        load_balancers: vec![lb.into()],
        tags: Fact::Known(Tags::new()),
        targets,
    };
    [(
        "us-east-1".to_string(),
        Elbv2Region {
            load_balancers: Fact::Known(vec![portal, records]),
            target_groups: Fact::Known(vec![
                group(TG_WEB, "web", "HTTP", 8080, ALB_ARN, None),
                group(
                    TG_RECORDS,
                    "records",
                    "TLS",
                    443,
                    NLB_ARN,
                    Some(Fact::Known(vec!["i-records".to_string()])),
                ),
            ]),
        },
    )]
    .into_iter()
    .collect()
}
