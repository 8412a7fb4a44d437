//! Secrets Manager rule tests, and the compliant secret other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ROTATION: &str = "secretsmanager.rotation";
const CMK: &str = "secretsmanager.cmk_encryption";
const PUBLIC: &str = "secretsmanager.not_public";

fn secret(s: &mut Snapshot) -> &mut Secret {
    &mut known(&mut at(&mut s.services.secretsmanager, "us-east-1").secrets)[0]
}

#[test]
fn the_compliant_secret_passes() {
    let s = snapshot_with(vec![]);
    let o = only(&s, ROTATION, Pass);
    assert!(o.message.contains("every 30 days, last 10 days ago"), "{}", o.message);
    assert_eq!(o.resource.kind, "AwsSecretsManagerSecret");
    assert_eq!(o.resource.id, "ehr-db");
    only(&s, CMK, Pass);
    assert!(only(&s, PUBLIC, Pass).message.contains("nothing to everyone"));
}

#[test]
fn rotation_off_never_done_or_overdue_fails() {
    let mut s = snapshot_with(vec![]);
    secret(&mut s).rotation_enabled = false;
    assert!(only(&s, ROTATION, Fail).message.contains("off"));
    let mut s = snapshot_with(vec![]);
    secret(&mut s).last_rotated = None;
    assert!(only(&s, ROTATION, Fail).message.contains("never been rotated"));
    let mut s = snapshot_with(vec![]);
    secret(&mut s).last_rotated = Some(now() - chrono::Duration::days(45));
    assert!(only(&s, ROTATION, Fail).message.contains("45 days ago, longer than its 30-day"));
}

#[test]
fn the_aws_managed_key_fails() {
    let mut s = snapshot_with(vec![]);
    secret(&mut s).kms_key_id = None;
    assert!(only(&s, CMK, Fail).message.contains("aws/secretsmanager"));
    secret(&mut s).kms_key_id = Some("alias/aws/secretsmanager".into());
    only(&s, CMK, Fail);
}

#[test]
fn resource_policies() {
    let mut s = snapshot_with(vec![]);
    secret(&mut s).policy = Fact::Known(None);
    assert!(only(&s, PUBLIC, Pass).message.contains("no resource policy"));
    secret(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#.into(),
    ));
    assert!(only(&s, PUBLIC, Fail).message.contains("statement Open"));
    secret(&mut s).policy = Fact::Known(Some("{not json".into()));
    only(&s, PUBLIC, Error);
    secret(&mut s).policy = denied("secretsmanager:GetResourcePolicy");
    only(&s, PUBLIC, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.secretsmanager, "us-east-1").secrets = denied("secretsmanager:ListSecrets");
    for id in [ROTATION, CMK, PUBLIC] {
        only(&s, id, Error);
    }
    at(&mut s.services.secretsmanager, "us-east-1").secrets = Fact::Known(vec![]);
    only(&s, ROTATION, NotApplicable);
    // A source that does not describe Secrets Manager at all (an older snapshot): ERROR.
    s.services.secretsmanager = None;
    only(&s, ROTATION, Error);
}

/// The compliant section: one PHI-tagged secret under a customer-managed key, rotated every 30
/// days (10 days ago), whose resource policy names one role.
pub fn fixture() -> crate::evidence::Regional<SecretsManagerRegion> {
    [(
        "us-east-1".to_string(),
        SecretsManagerRegion {
            secrets: Fact::Known(vec![Secret {
                arn: format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ehr-db-AbCdEf"),
                name: "ehr-db".into(),
                tags: phi_tags(),
                kms_key_id: Some("alias/phi-data".into()),
                rotation_enabled: true,
                rotation_days: Some(30),
                last_rotated: Some(now() - chrono::Duration::days(10)),
                policy: Fact::Known(Some(format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:role/app"}},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}]}}"#
                ))),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
