//! SQS rule tests, and the compliant queue other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ENCRYPTED: &str = "sqs.encrypted";
const CMK: &str = "sqs.kms_cmk";
const PUBLIC: &str = "sqs.not_public";
const TLS: &str = "sqs.tls_only";
const ALL: [&str; 4] = [ENCRYPTED, CMK, PUBLIC, TLS];

fn queue(s: &mut Snapshot) -> &mut Queue {
    &mut known(&mut at(&mut s.services.sqs, "us-east-1").queues)[0]
}

fn attributes(s: &mut Snapshot) -> &mut QueueAttributes {
    known(&mut queue(s).attributes)
}

fn policy(statements: &str) -> Option<String> {
    Some(format!(
        r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#
    ))
}

const TLS_DENY: &str = r#"{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#;

#[test]
fn the_compliant_queue_passes() {
    let s = snapshot_with(vec![]);
    let o = only(&s, ENCRYPTED, Pass);
    assert_eq!(o.resource.kind, "AwsSqsQueue");
    assert_eq!(o.resource.id, "claims-intake");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("SSE-KMS"), "{}", o.message);
    assert!(only(&s, CMK, Pass).message.contains("customer-managed key `alias/k1`"));
    assert!(only(&s, PUBLIC, Pass).message.contains("nothing to everyone"));
    only(&s, TLS, Pass);
}

#[test]
fn encryption_off_sqs_managed_and_aws_managed_keys() {
    let mut s = snapshot_with(vec![]);
    attributes(&mut s).encryption = QueueEncryption::None;
    assert!(only(&s, ENCRYPTED, Fail).message.contains("off"));
    only(&s, CMK, Fail);

    attributes(&mut s).encryption = QueueEncryption::SqsManaged;
    assert!(only(&s, ENCRYPTED, Pass).message.contains("SSE-SQS"));
    assert!(only(&s, CMK, Fail).message.contains("SSE-SQS"));

    // The AWS-managed alias, however it is written, fails without a KMS lookup.
    for k in ["alias/aws/sqs", "arn:aws:kms:us-east-1:111122223333:alias/aws/sqs"] {
        attributes(&mut s).encryption = QueueEncryption::Kms(k.into());
        only(&s, ENCRYPTED, Pass);
        assert!(only(&s, CMK, Fail).message.contains("alias/aws/sqs`, whose policy"));
    }
    // A key id or alias name is resolved in the queue's region and account.
    for k in ["k1", "alias/k1"] {
        attributes(&mut s).encryption = QueueEncryption::Kms(k.into());
        only(&s, CMK, Pass);
    }
    // A key the scan lists as AWS-managed.
    known(&mut known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].metadata).manager =
        crate::services::kms::evidence::KeyManager::Aws;
    assert!(only(&s, CMK, Fail).message.contains("AWS-managed"));
}

#[test]
fn a_key_the_scan_cannot_judge_is_an_error() {
    let mut s = snapshot_with(vec![]);
    attributes(&mut s).encryption = QueueEncryption::Kms("alias/unknown".into());
    only(&s, CMK, Error);
    attributes(&mut s).encryption = QueueEncryption::Kms("k1".into());
    at(&mut s.services.kms, "us-east-1").keys = denied("kms:ListKeys");
    only(&s, CMK, Error);
    // Still encrypted, whatever the key.
    only(&s, ENCRYPTED, Pass);
    s.services.kms = None;
    only(&s, CMK, Error);
}

#[test]
fn queue_policies() {
    let mut s = snapshot_with(vec![]);
    attributes(&mut s).policy = None;
    assert!(only(&s, PUBLIC, Pass).message.contains("no queue policy"));
    assert!(only(&s, TLS, Fail).message.contains("no policy"));

    attributes(&mut s).policy = policy(&format!(
        r#"{{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}},{TLS_DENY}"#
    ));
    assert!(only(&s, PUBLIC, Fail).message.contains("statement Open (sqs:SendMessage)"));
    only(&s, TLS, Pass);

    // A topic delivering to the queue: Principal * narrowed by aws:SourceArn.
    attributes(&mut s).policy = policy(
        r#"{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:lab-results"}}}"#,
    );
    only(&s, PUBLIC, Pass);
    assert!(only(&s, TLS, Fail).message.contains("does not deny"));

    attributes(&mut s).policy = Some("{not json".into());
    for id in [PUBLIC, TLS] {
        assert!(only(&s, id, Error).message.contains("does not parse"));
    }
    only(&s, ENCRYPTED, Pass);
}

#[test]
fn unreadable_attributes_tags_or_listings() {
    let mut s = snapshot_with(vec![]);
    queue(&mut s).attributes = denied("sqs:GetQueueAttributes");
    for id in ALL {
        only(&s, id, Error);
    }
    // Tags unknown: judged, but the PHI mark is unknown.
    let mut s = snapshot_with(vec![]);
    queue(&mut s).tags = denied("sqs:ListQueueTags");
    assert_eq!(only(&s, ENCRYPTED, Pass).resource.phi, None);

    at(&mut s.services.sqs, "us-east-1").queues = denied("sqs:ListQueues");
    for id in ALL {
        only(&s, id, Error);
    }
    at(&mut s.services.sqs, "us-east-1").queues = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
    // A source that does not describe SQS at all: ERROR.
    s.services.sqs = None;
    only(&s, ENCRYPTED, Error);
}

#[test]
fn queues_are_data_stores_that_backup_does_not_cover() {
    use crate::evidence::Section as _;
    let s = snapshot_with(vec![]);
    let stores = s.services.sqs.as_ref().map(|q| q.stores(&s)).unwrap_or_default();
    assert_eq!(stores.len(), 1);
    let listed = stores[0].stores.as_ref().map(Vec::len).unwrap_or_default();
    assert_eq!(listed, 1);
    let ids: Vec<String> = outcomes(&s, "scope.resources_classified")
        .into_iter()
        .map(|o| o.resource.id)
        .collect();
    assert!(ids.iter().any(|i| i == "claims-intake"), "{ids:?}");
    let backup: Vec<String> = outcomes(&s, "backup.phi_resources_covered")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(!backup.iter().any(|a| a.contains(":sqs:")), "{backup:?}");
}

/// The compliant queues of one region: `claims-intake`, PHI-tagged, under the customer-managed
/// key `k1`, whose policy grants the owner and denies plain HTTP.
pub fn queues(region: &str) -> Fact<Vec<Queue>> {
    Fact::Known(vec![Queue {
        url: format!("https://sqs.{region}.amazonaws.com/{ACCOUNT}/claims-intake"),
        arn: format!("arn:aws:sqs:{region}:{ACCOUNT}:claims-intake"),
        name: "claims-intake".into(),
        tags: Fact::Known(phi_tags()),
        attributes: Fact::Known(QueueAttributes {
            encryption: QueueEncryption::Kms(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            policy: policy(&format!(
                r#"{{"Sid":"Owner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sqs:*","Resource":"*"}},{TLS_DENY}"#
            )),
        }),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<SqsRegion> {
    [(
        "us-east-1".to_string(),
        SqsRegion {
            queues: queues("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
