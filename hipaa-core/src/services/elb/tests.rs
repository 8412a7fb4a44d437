//! Classic Load Balancer rule tests, and the compliant load balancer other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const HTTPS: &str = "elb.https_listeners";
const POLICY: &str = "elb.tls_policy";
const LOGS: &str = "elb.access_logs";

fn lb(s: &mut Snapshot) -> &mut ClassicLoadBalancer {
    &mut known(&mut at(&mut s.services.elb, "us-east-1").load_balancers)[0]
}

fn listener(protocol: &str, port: i32, policies: &[&str]) -> ClassicListener {
    ClassicListener {
        protocol: protocol.into(),
        port,
        instance_protocol: Some("HTTP".into()),
        instance_port: Some(8080),
        policy_names: policies.iter().map(|p| p.to_string()).collect(),
    }
}

fn policy(name: &str, attributes: &[(&str, &str)]) -> LbPolicy {
    LbPolicy {
        name: name.into(),
        kind: "SSLNegotiationPolicyType".into(),
        attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

#[test]
fn the_compliant_load_balancer_passes() {
    let s = base();
    let o = only(&s, HTTPS, Pass);
    assert_eq!(o.resource.kind, "AwsElbLoadBalancer");
    assert_eq!(o.resource.id, "legacy-portal");
    assert!(o.resource.arn.ends_with(":loadbalancer/legacy-portal"), "{}", o.resource.arn);
    assert_eq!(o.resource.phi, Some(true));
    assert!(only(&s, POLICY, Pass).message.contains("follows `ELBSecurityPolicy-TLS-1-2-2017-01`"));
    assert!(only(&s, LOGS, Pass).message.contains("`elb-logs`"));
}

#[test]
fn plain_listeners_fail() {
    let mut s = base();
    lb(&mut s).listeners.push(listener("HTTP", 80, &[]));
    lb(&mut s).listeners.push(listener("TCP", 25, &[]));
    assert!(only(&s, HTTPS, Fail).message.contains("HTTP:80, TCP:25"));
    lb(&mut s).listeners.clear();
    only(&s, HTTPS, Pass);
    only(&s, POLICY, NotApplicable);
}

#[test]
fn negotiation_policies_are_judged_by_protocols_or_reference() {
    let mut s = base();
    // Protocols listed: TLS 1.0 on.
    known(&mut lb(&mut s).policies)[0] = policy(
        "tls12",
        &[("Protocol-TLSv1", "true"), ("Protocol-TLSv1.1", "false"), ("Protocol-TLSv1.2", "true"), ("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01")],
    );
    assert!(only(&s, POLICY, Fail).message.contains("HTTPS:443: `tls12` allows TLSv1"));
    // Protocols listed, only TLS 1.2: the reference is not needed.
    known(&mut lb(&mut s).policies)[0] = policy("tls12", &[("Protocol-TLSv1", "false"), ("Protocol-TLSv1.2", "true")]);
    assert!(only(&s, POLICY, Pass).message.contains("allows TLS 1.2 only"));
    // An old reference policy.
    known(&mut lb(&mut s).policies)[0] = policy("tls12", &[("Reference-Security-Policy", "ELBSecurityPolicy-2016-08")]);
    assert!(only(&s, POLICY, Fail).message.contains("services/elb/tls.toml"));
    // Neither: a failed read.
    known(&mut lb(&mut s).policies)[0] = policy("tls12", &[]);
    only(&s, POLICY, Error);
    // No negotiation policy attached.
    lb(&mut s).listeners[0].policy_names.clear();
    assert!(only(&s, POLICY, Fail).message.contains("no SSL negotiation policy"));
    // A named policy the list does not hold.
    lb(&mut s).listeners[0].policy_names = vec!["elsewhere".into()];
    only(&s, POLICY, Error);
    lb(&mut s).policies = denied("elasticloadbalancing:DescribeLoadBalancerPolicies");
    only(&s, POLICY, Error);
}

#[test]
fn access_logs_off_or_unreadable() {
    let mut s = base();
    lb(&mut s).access_log = Fact::Known(None);
    only(&s, LOGS, Fail);
    lb(&mut s).access_log = denied("elasticloadbalancing:DescribeLoadBalancerAttributes");
    only(&s, LOGS, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    at(&mut s.services.elb, "us-east-1").load_balancers = denied("elasticloadbalancing:DescribeLoadBalancers");
    for id in [HTTPS, POLICY, LOGS] {
        only(&s, id, Error);
    }
    at(&mut s.services.elb, "us-east-1").load_balancers = Fact::Known(vec![]);
    for id in [HTTPS, POLICY, LOGS] {
        only(&s, id, NotApplicable);
    }
    s.services.elb = None;
    only(&s, HTTPS, Error);
}

/// The compliant section: the PHI-tagged `legacy-portal` in us-east-1, one HTTPS listener under a
/// policy that follows ELBSecurityPolicy-TLS-1-2-2017-01, access logs to `elb-logs`.
pub fn fixture() -> crate::evidence::Regional<ElbRegion> {
    [(
        "us-east-1".to_string(),
        ElbRegion {
            load_balancers: Fact::Known(vec![ClassicLoadBalancer {
                name: "legacy-portal".into(),
                scheme: Some("internet-facing".into()),
                vpc_id: Some("vpc-1".into()),
                tags: Fact::Known(phi_tags()),
                listeners: vec![listener("HTTPS", 443, &["tls12"])],
                policies: Fact::Known(vec![policy(
                    "tls12",
                    &[("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01")],
                )]),
                access_log: Fact::Known(Some("elb-logs".into())),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
