//! API Gateway HTTP and WebSocket API rule tests, and the compliant API other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const LOGGING: &str = "apigwv2.stage_access_logging";
const DOMAIN: &str = "apigwv2.domain_tls12";

fn region(s: &mut Snapshot) -> &mut Apigwv2Region {
    at(&mut s.services.apigwv2, "us-east-1")
}

fn api(s: &mut Snapshot) -> &mut Api {
    &mut known(&mut region(s).apis)[0]
}

#[test]
fn the_compliant_api_passes() {
    let s = base();
    let o = only(&s, LOGGING, Pass);
    assert_eq!(o.resource.kind, "AwsApiGatewayV2Stage");
    assert_eq!(o.resource.id, "h1/$default");
    assert_eq!(o.resource.phi, Some(true));
    let o = only(&s, DOMAIN, Pass);
    assert_eq!(o.resource.kind, "AwsApiGatewayV2DomainName");
}

#[test]
fn stages_without_access_logs_fail() {
    let mut s = base();
    known(&mut api(&mut s).stages)[0].access_log_destination = None;
    assert!(only(&s, LOGGING, Fail).message.contains("HTTP API"));
    api(&mut s).stages = denied("apigatewayv2:GetStages");
    only(&s, LOGGING, Error);
    api(&mut s).stages = Fact::Known(vec![]);
    only(&s, LOGGING, NotApplicable);
}

#[test]
fn every_endpoint_configuration_needs_tls12() {
    let mut s = base();
    known(&mut region(&mut s).domain_names)[0].security_policies.push(Some("TLS_1_0".into()));
    assert!(only(&s, DOMAIN, Fail).message.contains("`TLS_1_0`"));
    known(&mut region(&mut s).domain_names)[0].security_policies = vec![Some("TLS_1_2".into()), None];
    only(&s, DOMAIN, Error);
    known(&mut region(&mut s).domain_names)[0].security_policies = vec![];
    only(&s, DOMAIN, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    region(&mut s).apis = denied("apigatewayv2:GetApis");
    region(&mut s).domain_names = denied("apigatewayv2:GetDomainNames");
    only(&s, LOGGING, Error);
    only(&s, DOMAIN, Error);
    region(&mut s).apis = Fact::Known(vec![]);
    region(&mut s).domain_names = Fact::Known(vec![]);
    only(&s, LOGGING, NotApplicable);
    only(&s, DOMAIN, NotApplicable);
    s.services.apigwv2 = None;
    only(&s, LOGGING, Error);
}

/// The compliant section: the PHI-tagged HTTP API `intake` (h1) in us-east-1 whose `$default`
/// stage keeps access logs, and the custom domain `intake.example.com` on TLS_1_2.
pub fn fixture() -> crate::evidence::Regional<Apigwv2Region> {
    [(
        "us-east-1".to_string(),
        Apigwv2Region {
            apis: Fact::Known(vec![Api {
                id: "h1".into(),
                name: "intake".into(),
                protocol: "HTTP".into(),
                tags: phi_tags(),
                stages: Fact::Known(vec![Stage {
                    name: "$default".into(),
                    tags: Tags::new(),
                    access_log_destination: Some(format!(
                        "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:intake-access"
                    )),
                }]),
            }]),
            domain_names: Fact::Known(vec![DomainName {
                name: "intake.example.com".into(),
                tags: Tags::new(),
                security_policies: vec![Some("TLS_1_2".into())],
            }]),
        },
    )]
    .into_iter()
    .collect()
}
