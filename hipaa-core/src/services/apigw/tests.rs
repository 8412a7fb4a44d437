//! API Gateway REST API rule tests, and the compliant API other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::testkit::*;
use crate::vocabulary::Status::*;
use std::collections::BTreeMap;

const LOGGING: &str = "apigw.stage_logging";
const CACHE: &str = "apigw.cache_encrypted";
const DOMAIN: &str = "apigw.domain_tls12";
const CERT: &str = "apigw.client_certificate";
const AUTH: &str = "apigw.methods_authorized";

fn region(s: &mut Snapshot) -> &mut ApigwRegion {
    at(&mut s.services.apigw, "us-east-1")
}

fn api(s: &mut Snapshot) -> &mut RestApi {
    &mut known(&mut region(s).rest_apis)[0]
}

fn stage(s: &mut Snapshot) -> &mut Stage {
    &mut known(&mut api(s).stages)[0]
}

fn method(path: &str, verb: &str, auth: &str, key: bool) -> Method {
    Method {
        path: path.into(),
        http_method: verb.into(),
        authorization_type: auth.into(),
        api_key_required: key,
    }
}

#[test]
fn the_compliant_api_passes() {
    let s = base();
    let o = only(&s, LOGGING, Pass);
    assert_eq!(o.resource.kind, "AwsApiGatewayStage");
    assert_eq!(o.resource.id, "a1/prod");
    assert!(o.resource.arn.ends_with(":apigateway:us-east-1::/restapis/a1/stages/prod"), "{}", o.resource.arn);
    assert_eq!(o.resource.phi, Some(true));
    only(&s, CACHE, Pass);
    assert!(only(&s, DOMAIN, Pass).message.contains("`TLS_1_2`"));
    only(&s, CERT, Pass);
    let o = only(&s, AUTH, Pass);
    assert_eq!(o.resource.kind, "AwsApiGatewayRestApi");
}

#[test]
fn stages_without_logs_fail_and_execution_logging_counts() {
    let mut s = base();
    stage(&mut s).access_log_destination = None;
    assert!(only(&s, LOGGING, Pass).message.contains("execution logging at level `INFO`"));
    stage(&mut s).method_settings.clear();
    only(&s, LOGGING, Fail);
    api(&mut s).stages = denied("apigateway:GetStages");
    let o = only(&s, LOGGING, Error);
    assert_eq!(o.resource.kind, "AwsApiGatewayRestApi");
}

#[test]
fn cached_responses_must_be_encrypted() {
    let mut s = base();
    stage(&mut s).method_settings.insert(
        "patients/GET".into(),
        MethodSetting { logging_level: None, caching_enabled: Some(true), cache_data_encrypted: Some(false) },
    );
    assert!(only(&s, CACHE, Fail).message.contains("patients/GET"));
    stage(&mut s).cache_cluster_enabled = false;
    only(&s, CACHE, NotApplicable);
}

#[test]
fn custom_domains_need_a_tls12_policy() {
    let mut s = base();
    known(&mut region(&mut s).domain_names)[0].security_policy = Some("TLS_1_0".into());
    only(&s, DOMAIN, Fail);
    known(&mut region(&mut s).domain_names)[0].security_policy = Some("SecurityPolicy_TLS13_1_3_2025_09".into());
    only(&s, DOMAIN, Pass);
    known(&mut region(&mut s).domain_names)[0].security_policy = Some("SecurityPolicy_Future".into());
    assert!(only(&s, DOMAIN, Fail).message.contains("services/apigw/tls.toml"));
    known(&mut region(&mut s).domain_names)[0].security_policy = None;
    only(&s, DOMAIN, Error);
    region(&mut s).domain_names = denied("apigateway:GetDomainNames");
    only(&s, DOMAIN, Error);
    region(&mut s).domain_names = Fact::Known(vec![]);
    only(&s, DOMAIN, NotApplicable);
}

#[test]
fn stages_without_a_client_certificate_fail() {
    let mut s = base();
    stage(&mut s).client_certificate_id = None;
    only(&s, CERT, Fail);
}

#[test]
fn open_methods_fail_unless_a_key_or_the_resource_policy_restricts_them() {
    let mut s = base();
    api(&mut s).policy = None;
    api(&mut s).methods = Fact::Known(vec![
        method("/patients", "GET", "NONE", false),
        method("/patients", "OPTIONS", "NONE", false),
        method("/patients", "POST", "AWS_IAM", false),
        method("/status", "GET", "NONE", true),
    ]);
    let m = only(&s, AUTH, Fail).message;
    assert!(m.contains("GET /patients") && !m.contains("OPTIONS") && !m.contains("/status"), "{m}");
    // A policy that admits only a VPC endpoint restricts them.
    api(&mut s).policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#.into());
    assert!(only(&s, AUTH, Pass).message.contains("only by the callers the resource policy names"));
    // The same, with its quotes escaped as API Gateway returns it.
    api(&mut s).policy = Some(r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"*\"}]}"#.into());
    assert!(only(&s, AUTH, Fail).message.contains("lets everyone in (statement #0)"));
    api(&mut s).policy = Some("{broken".into());
    only(&s, AUTH, Error);
    api(&mut s).methods = denied("apigateway:GetResources");
    only(&s, AUTH, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    region(&mut s).rest_apis = denied("apigateway:GetRestApis");
    for id in [LOGGING, CACHE, CERT, AUTH] {
        assert_eq!(only(&s, id, Error).resource.kind, "AwsAccountRegion", "{id}");
    }
    region(&mut s).rest_apis = Fact::Known(vec![]);
    for id in [LOGGING, CACHE, CERT, AUTH] {
        only(&s, id, NotApplicable);
    }
    s.services.apigw = None;
    only(&s, DOMAIN, Error);
}

/// The compliant section: the PHI-tagged REST API `records` (a1) in us-east-1 with one stage
/// `prod` (access and INFO execution logs, an encrypted cache, a client certificate), methods
/// that need IAM authorization, and the custom domain `api.example.com` on TLS_1_2.
pub fn fixture() -> crate::evidence::Regional<ApigwRegion> {
    let all = MethodSetting {
        logging_level: Some("INFO".into()),
        caching_enabled: Some(true),
        cache_data_encrypted: Some(true),
    };
    [(
        "us-east-1".to_string(),
        ApigwRegion {
            rest_apis: Fact::Known(vec![RestApi {
                id: "a1".into(),
                name: "records".into(),
                tags: phi_tags(),
                policy: None,
                endpoint_types: vec!["REGIONAL".into()],
                stages: Fact::Known(vec![Stage {
                    name: "prod".into(),
                    tags: Tags::new(),
                    access_log_destination: Some(format!(
                        "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:api-access"
                    )),
                    method_settings: BTreeMap::from([("*/*".to_string(), all)]),
                    cache_cluster_enabled: true,
                    client_certificate_id: Some("cc-1".into()),
                }]),
                methods: Fact::Known(vec![method("/patients", "GET", "AWS_IAM", false)]),
            }]),
            domain_names: Fact::Known(vec![DomainName {
                name: "api.example.com".into(),
                security_policy: Some("TLS_1_2".into()),
                endpoint_types: vec!["REGIONAL".into()],
                tags: phi_tags(),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
