//! SNS rule tests, and the compliant topic other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const KMS: &str = "sns.kms_encryption";
const PUBLIC: &str = "sns.not_public";
const TLS: &str = "sns.tls_only";
const ALL: [&str; 3] = [KMS, PUBLIC, TLS];

fn attributes(s: &mut Snapshot) -> &mut TopicAttributes {
    known(&mut known(&mut at(&mut s.services.sns, "us-east-1").topics)[0].attributes)
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// The default topic policy SNS writes: everyone, narrowed to the owning account.
fn default_statement() -> String {
    format!(
        r#"{{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["SNS:Publish","SNS:Subscribe","SNS:GetTopicAttributes"],"Resource":"*","Condition":{{"StringEquals":{{"AWS:SourceOwner":"{ACCOUNT}"}}}}}}"#
    )
}

const TLS_DENY: &str = r#"{"Sid":"AllowPublishThroughSSLOnly","Effect":"Deny","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#;

#[test]
fn the_compliant_topic_passes() {
    let s = snapshot_with(vec![]);
    let o = only(&s, KMS, Pass);
    assert_eq!(o.resource.kind, "AwsSnsTopic");
    assert_eq!(o.resource.id, "lab-results");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("alias/phi-topics"), "{}", o.message);
    assert!(only(&s, PUBLIC, Pass).message.contains("nothing to everyone"));
    only(&s, TLS, Pass);
}

#[test]
fn encryption_off_fails() {
    let mut s = snapshot_with(vec![]);
    attributes(&mut s).kms_key_id = None;
    assert!(only(&s, KMS, Fail).message.contains("off"));
    // The AWS-managed key is KMS encryption too.
    attributes(&mut s).kms_key_id = Some("alias/aws/sns".into());
    only(&s, KMS, Pass);
}

#[test]
fn topic_policies() {
    let mut s = snapshot_with(vec![]);
    // The default policy alone: not public, but no TLS deny.
    attributes(&mut s).policy = policy(&default_statement());
    only(&s, PUBLIC, Pass);
    assert!(only(&s, TLS, Fail).message.contains("plain HTTP"));

    attributes(&mut s).policy = policy(&format!(
        r#"{{"Sid":"AnyoneSubscribes","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"SNS:Subscribe","Resource":"*"}},{TLS_DENY}"#
    ));
    assert!(only(&s, PUBLIC, Fail).message.contains("AnyoneSubscribes (SNS:Subscribe)"));
    only(&s, TLS, Pass);

    // A TLS deny that leaves Publish alone does not count.
    attributes(&mut s).policy = policy(
        r#"{"Effect":"Deny","Principal":"*","Action":"SNS:Subscribe","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
    );
    only(&s, TLS, Fail);

    attributes(&mut s).policy = "{not json".into();
    for id in [PUBLIC, TLS] {
        assert!(only(&s, id, Error).message.contains("does not parse"));
    }
    only(&s, KMS, Pass);
}

#[test]
fn unreadable_attributes_or_listings() {
    let mut s = snapshot_with(vec![]);
    known(&mut at(&mut s.services.sns, "us-east-1").topics)[0].attributes =
        denied("sns:GetTopicAttributes");
    for id in ALL {
        only(&s, id, Error);
    }
    at(&mut s.services.sns, "us-east-1").topics = denied("sns:ListTopics");
    for id in ALL {
        only(&s, id, Error);
    }
    at(&mut s.services.sns, "us-east-1").topics = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
    s.services.sns = None;
    only(&s, KMS, Error);
}

#[test]
fn topics_are_classified_and_not_expected_in_backup_plans() {
    let s = snapshot_with(vec![]);
    let classified: Vec<String> = outcomes(&s, "scope.resources_classified")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(classified.iter().any(|a| a.contains(":sns:")), "{classified:?}");
    let backup: Vec<String> = outcomes(&s, "backup.phi_resources_covered")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(!backup.iter().any(|a| a.contains(":sns:")), "{backup:?}");
}

/// The compliant topics of one region: `lab-results`, PHI-tagged, encrypted under
/// `alias/phi-topics`, with the default policy and a TLS deny.
pub fn topics(region: &str) -> Fact<Vec<Topic>> {
    Fact::Known(vec![Topic {
        arn: format!("arn:aws:sns:{region}:{ACCOUNT}:lab-results"),
        name: "lab-results".into(),
        tags: Fact::Known(phi_tags()),
        attributes: Fact::Known(TopicAttributes {
            kms_key_id: Some("alias/phi-topics".into()),
            policy: policy(&format!("{},{TLS_DENY}", default_statement())),
        }),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<SnsRegion> {
    [(
        "us-east-1".to_string(),
        SnsRegion {
            topics: topics("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
