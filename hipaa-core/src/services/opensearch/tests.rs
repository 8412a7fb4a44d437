//! OpenSearch Service rule tests, and the compliant domain other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const AT_REST: &str = "opensearch.encryption_at_rest";
const NODES: &str = "opensearch.node_to_node_encryption";
const HTTPS: &str = "opensearch.https_enforced";
const PUBLIC: &str = "opensearch.not_public";
const AUDIT: &str = "opensearch.audit_logs";
const ALL: [&str; 5] = [AT_REST, NODES, HTTPS, PUBLIC, AUDIT];

fn domain(s: &mut Snapshot) -> &mut Domain {
    &mut known(&mut at(&mut s.services.opensearch, "us-east-1").domains)[0]
}

fn public(d: &mut Domain, policy: Option<serde_json::Value>) {
    d.vpc_id = None;
    d.vpc_subnets.clear();
    d.access_policy = policy.map(|p| p.to_string());
}

#[test]
fn the_compliant_domain_passes_every_control() {
    let s = base();
    for id in ALL {
        let o = only(&s, id, Pass);
        assert_eq!(o.resource.kind, "AwsOpenSearchServiceDomain", "{id}");
        assert_eq!(o.resource.id, "ehr-search");
        assert_eq!(o.phi, crate::rules::PhiMark::Tagged);
    }
    assert!(only(&s, PUBLIC, Pass).message.contains("`vpc-phi`"));
}

#[test]
fn each_setting_off_fails() {
    type Edit = fn(&mut Domain);
    let cases: [(&str, Edit, &str); 6] = [
        (AT_REST, |d| d.encryption_at_rest = Some(false), "not encrypted"),
        (NODES, |d| d.node_to_node_encryption = Some(false), "off"),
        (HTTPS, |d| d.enforce_https = Some(false), "plain HTTP"),
        (HTTPS, |d| d.tls_policy = Some("Policy-Min-TLS-1-0-2019-07".into()), "TLS 1.0"),
        (AUDIT, |d| d.audit_logs.enabled = false, "not published"),
        (
            PUBLIC,
            |d| {
                public(
                    d,
                    Some(serde_json::json!({"Version": "2012-10-17", "Statement": [{
                        "Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"},
                        "Action": "es:*", "Resource": "arn:aws:es:us-east-1:111122223333:domain/ehr-search/*"}]})),
                )
            },
            "statement Open",
        ),
    ];
    for (id, edit, words) in cases {
        let mut s = base();
        edit(domain(&mut s));
        let o = only(&s, id, Fail);
        assert!(o.message.contains(words), "{id}: {}", o.message);
    }
    // Newer TLS policies pass.
    let mut s = base();
    domain(&mut s).tls_policy = Some("Policy-Min-TLS-1-2-PFS-2023-10".into());
    only(&s, HTTPS, Pass);
}

#[test]
fn a_public_endpoint_passes_only_when_its_policy_pins_the_caller_down() {
    // No policy: only signed IAM requests get in.
    let mut s = base();
    public(domain(&mut s), None);
    assert!(only(&s, PUBLIC, Pass).message.contains("without an access policy"));
    // Anyone, but only from an office range.
    let mut s = base();
    public(
        domain(&mut s),
        Some(serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:ESHttp*",
            "Resource": "arn:aws:es:us-east-1:111122223333:domain/ehr-search/*",
            "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]})),
    );
    only(&s, PUBLIC, Pass);
    // A named role.
    let mut s = base();
    public(
        domain(&mut s),
        Some(serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/search"},
            "Action": "es:*", "Resource": "arn:aws:es:us-east-1:111122223333:domain/ehr-search/*"}]})),
    );
    only(&s, PUBLIC, Pass);
    // Open, with fine-grained access control as the only barrier.
    let mut s = base();
    public(
        domain(&mut s),
        Some(serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:ESHttp*",
            "Resource": "arn:aws:es:us-east-1:111122223333:domain/ehr-search/*"}]})),
    );
    assert!(only(&s, PUBLIC, Fail).message.contains("fine-grained"));
    // An unreadable policy is ERROR.
    let mut s = base();
    domain(&mut s).vpc_subnets.clear();
    domain(&mut s).vpc_id = None;
    domain(&mut s).access_policy = Some("{not json".into());
    only(&s, PUBLIC, Error);
}

#[test]
fn a_setting_the_description_left_out_is_error() {
    type Edit = fn(&mut Domain);
    let cases: [(&str, Edit); 5] = [
        (AT_REST, |d| d.encryption_at_rest = None),
        (NODES, |d| d.node_to_node_encryption = None),
        (HTTPS, |d| d.enforce_https = None),
        (HTTPS, |d| d.tls_policy = None),
        (HTTPS, |d| d.tls_policy = Some("Custom".into())),
    ];
    for (id, edit) in cases {
        let mut s = base();
        edit(domain(&mut s));
        only(&s, id, Error);
    }
    let mut s = base();
    at(&mut s.services.opensearch, "us-east-1").domains = denied("es:ListDomainNames");
    for id in ALL {
        only(&s, id, Error);
    }
    let mut s = base();
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, AUDIT), vec![Pass, Error]);
    let mut s = base();
    s.services.opensearch = None;
    only(&s, AUDIT, Error);
}

#[test]
fn no_domain_is_not_applicable() {
    let mut s = base();
    at(&mut s.services.opensearch, "us-east-1").domains = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
}

/// The compliant domain `ehr-search`: PHI, in the VPC `vpc-phi`, encrypted under `k1`, HTTPS
/// with TLS 1.2, fine-grained access control and audit logs.
pub fn ehr_search() -> Domain {
    Domain {
        name: "ehr-search".into(),
        arn: format!("arn:aws:es:us-east-1:{ACCOUNT}:domain/ehr-search"),
        engine_version: Some("OpenSearch_2.11".into()),
        encryption_at_rest: Some(true),
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        node_to_node_encryption: Some(true),
        enforce_https: Some(true),
        tls_policy: Some("Policy-Min-TLS-1-2-2019-07".into()),
        vpc_id: Some("vpc-phi".into()),
        vpc_subnets: vec!["subnet-a".into()],
        access_policy: None,
        audit_logs: LogPublishing {
            enabled: true,
            log_group: Some(format!(
                "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/opensearch/ehr-search/audit"
            )),
        },
        fine_grained_access: Some(true),
        tags: Fact::Known(phi_tags()),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<OpenSearchRegion> {
    [(
        "us-east-1".to_string(),
        OpenSearchRegion {
            domains: Fact::Known(vec![ehr_search()]),
        },
    )]
    .into_iter()
    .collect()
}
