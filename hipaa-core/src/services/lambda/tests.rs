//! Lambda rule tests, and the compliant function other tests start from.

use super::evidence::*;
use crate::aws::secret_names::EnvVar;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const PUBLIC: &str = "lambda.not_public";
const URL: &str = "lambda.url_auth";
const RUNTIME: &str = "lambda.supported_runtime";
const CMK: &str = "lambda.env_cmk_encryption";
const SECRETS: &str = "lambda.no_secrets_in_env";
const ALL: [&str; 5] = [PUBLIC, URL, RUNTIME, CMK, SECRETS];

fn function(s: &mut Snapshot) -> &mut Function {
    &mut known(&mut at(&mut s.services.lambda, "us-east-1").functions)[0]
}

fn var(name: &str, secret_reference: bool) -> EnvVar {
    EnvVar {
        name: name.into(),
        has_value: true,
        secret_reference,
    }
}

#[test]
fn the_compliant_function_passes() {
    let s = base();
    let o = only(&s, PUBLIC, Pass);
    assert_eq!(o.resource.kind, "AwsLambdaFunction");
    assert_eq!(o.resource.id, "claims-intake");
    assert_eq!(o.resource.phi, Some(true));
    assert!(only(&s, URL, Pass).message.contains("AWS_IAM"));
    let r = only(&s, RUNTIME, Pass).message;
    assert!(r.contains("`python3.13`, supported until 2029-06-30"), "{r}");
    assert!(only(&s, CMK, Pass).message.contains("alias/phi-data"));
    only(&s, SECRETS, Pass);
}

#[test]
fn resource_policies() {
    let mut s = base();
    function(&mut s).policy = Fact::Known(None);
    assert!(only(&s, PUBLIC, Pass).message.contains("no resource policy"));
    function(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"AnyoneMayInvoke","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}]}"#.into(),
    ));
    let m = only(&s, PUBLIC, Fail).message;
    assert!(m.contains("AnyoneMayInvoke (lambda:InvokeFunction)"), "{m}");
    // A public principal pinned to one source account (how S3 and SNS triggers are granted).
    function(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"s3","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}}]}"#.into(),
    ));
    only(&s, PUBLIC, Pass);
    function(&mut s).policy = Fact::Known(Some("{not json".into()));
    only(&s, PUBLIC, Error);
    function(&mut s).policy = denied("lambda:GetPolicy");
    only(&s, PUBLIC, Error);
}

#[test]
fn function_urls() {
    let mut s = base();
    function(&mut s).urls = Fact::Known(vec![]);
    only(&s, URL, NotApplicable);
    function(&mut s).urls = Fact::Known(vec![
        FunctionUrl {
            function_arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:claims-intake"),
            auth_type: "AWS_IAM".into(),
        },
        FunctionUrl {
            function_arn: format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:claims-intake:live"),
            auth_type: "NONE".into(),
        },
    ]);
    let m = only(&s, URL, Fail).message;
    assert!(m.contains("claims-intake:live` has auth type NONE"), "{m}");
    function(&mut s).urls = Fact::Known(vec![FunctionUrl {
        function_arn: "x".into(),
        auth_type: "SOMETHING_NEW".into(),
    }]);
    only(&s, URL, Error);
    function(&mut s).urls = denied("lambda:ListFunctionUrlConfigs");
    only(&s, URL, Error);
}

#[test]
fn runtimes_by_date() {
    let mut s = base();
    function(&mut s).package = Fact::Known(Package::Zip {
        runtime: "python3.8".into(),
    });
    let m = only(&s, RUNTIME, Fail).message;
    assert!(m.contains("deprecated since 2024-10-14"), "{m}");
    // The test clock is 2026-11-01: dotnet8 goes on 2026-11-10.
    function(&mut s).package = Fact::Known(Package::Zip {
        runtime: "dotnet8".into(),
    });
    assert!(only(&s, RUNTIME, Pass).message.contains("(9 days from now)"));
    function(&mut s).package = Fact::Known(Package::Zip {
        runtime: "cobol85".into(),
    });
    let m = only(&s, RUNTIME, Error).message;
    assert!(m.contains("not in the bundled runtime list"), "{m}");
    function(&mut s).package = Fact::Known(Package::Image);
    only(&s, RUNTIME, NotApplicable);
    function(&mut s).package = denied("lambda:ListFunctions");
    only(&s, RUNTIME, Error);
}

#[test]
fn the_runtime_list_parses_once_per_runtime() {
    let table = super::rules::runtime_dates();
    assert!(table.len() >= 30, "{table:?}");
    let mut ids: Vec<&str> = table.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), table.len(), "a runtime is listed twice");
    let first = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    assert!(table.iter().all(|(_, d)| *d >= first), "{table:?}");
}

#[test]
fn environment_encryption() {
    let mut s = base();
    function(&mut s).kms_key_arn = None;
    assert!(only(&s, CMK, Fail).message.contains("aws/lambda"));
    function(&mut s).environment = Fact::Known(vec![]);
    only(&s, CMK, NotApplicable);
    function(&mut s).environment = denied("lambda:ListFunctions");
    only(&s, CMK, Error);
}

#[test]
fn secrets_in_environment_variables() {
    let mut s = base();
    function(&mut s).environment =
        Fact::Known(vec![var("DB_PASSWORD", false), var("LOG_LEVEL", false)]);
    let m = only(&s, SECRETS, Fail).message;
    assert!(m.contains("`DB_PASSWORD`"), "{m}");
    assert!(!m.contains("LOG_LEVEL"), "{m}");
    // The same name pointing to Secrets Manager is the right way.
    function(&mut s).environment = Fact::Known(vec![var("DB_PASSWORD", true)]);
    only(&s, SECRETS, Pass);
    function(&mut s).environment = Fact::Known(vec![]);
    only(&s, SECRETS, Pass);
    function(&mut s).environment = denied("lambda:ListFunctions");
    only(&s, SECRETS, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    at(&mut s.services.lambda, "us-east-1").functions = denied("lambda:ListFunctions");
    for id in ALL {
        let o = only(&s, id, Error);
        assert_eq!(o.resource.kind, "AwsAccountRegion", "{id}");
    }
    at(&mut s.services.lambda, "us-east-1").functions = Fact::Known(vec![]);
    for id in ALL {
        assert!(only(&s, id, NotApplicable)
            .message
            .contains("no Lambda functions found"));
    }
    s.services.lambda = None;
    for id in ALL {
        only(&s, id, Error);
    }
}

#[test]
fn untagged_or_unknown_tags_mark_phi_accordingly() {
    let mut s = base();
    function(&mut s).tags = Fact::Known(Default::default());
    assert_eq!(only(&s, PUBLIC, Pass).resource.phi, Some(false));
    function(&mut s).tags = denied("lambda:ListTags");
    assert_eq!(only(&s, PUBLIC, Pass).resource.phi, None);
}

/// The compliant section: one PHI-tagged .zip function on python3.13, its environment under
/// a customer-managed key with the database password taken from Secrets Manager, a resource
/// policy that lets one API Gateway API invoke it, and one IAM-authenticated function URL.
pub fn fixture() -> crate::evidence::Regional<LambdaRegion> {
    let arn = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:claims-intake");
    [(
        "us-east-1".to_string(),
        LambdaRegion {
            functions: Fact::Known(vec![Function {
                arn: arn.clone(),
                name: "claims-intake".into(),
                package: Fact::Known(Package::Zip {
                    runtime: "python3.13".into(),
                }),
                kms_key_arn: Some("alias/phi-data".into()),
                environment: Fact::Known(vec![
                    var("TABLE_NAME", false),
                    var("DB_PASSWORD", true),
                ]),
                tags: Fact::Known(phi_tags()),
                policy: Fact::Known(Some(format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"apigw","Effect":"Allow","Principal":{{"Service":"apigateway.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{arn}","Condition":{{"ArnLike":{{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*/POST/claims"}}}}}}]}}"#
                ))),
                urls: Fact::Known(vec![FunctionUrl {
                    function_arn: arn,
                    auth_type: "AWS_IAM".into(),
                }]),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
