//! KMS rule tests, and the compliant key other tests start from.

use super::evidence::*;
use crate::testkit::*;
use crate::evidence::Fact;
use crate::vocabulary::Status::*;

fn with_meta(
    f: impl FnOnce(&mut KeyMetadata),
) -> KmsKey {
    let mut k = key("k1");
    if let Fact::Known(m) = &mut k.metadata {
        f(m);
    }
    k
}

#[test]
fn rotation() {
    let mut k = key("k1");
    assert_eq!(run_key("kms.key_rotation", &k), Pass);
    k.rotation_enabled = Fact::Known(Some(false));
    assert_eq!(run_key("kms.key_rotation", &k), Fail);
    k.rotation_enabled = denied("kms:GetKeyRotationStatus");
    assert_eq!(run_key("kms.key_rotation", &k), Error);
    let k = with_meta(|m| m.spec = "RSA_2048".into());
    assert_eq!(run_key("kms.key_rotation", &k), NotApplicable);
    let mut k = with_meta(|m| m.state = "Disabled".into());
    k.rotation_enabled = denied("kms:GetKeyRotationStatus");
    assert_eq!(run_key("kms.key_rotation", &k), NotApplicable);
}

#[test]
fn usable() {
    assert_eq!(run_key("kms.key_usable", &key("k1")), Pass);
    assert_eq!(
        run_key(
            "kms.key_usable",
            &with_meta(|m| m.state = "PendingDeletion".into())
        ),
        Fail
    );
    assert_eq!(
        run_key(
            "kms.key_usable",
            &with_meta(|m| m.state = "Disabled".into())
        ),
        Fail
    );
    let mut k = key("k1");
    k.metadata = denied("kms:DescribeKey");
    assert_eq!(run_key("kms.key_usable", &k), Error);
}

#[test]
fn aws_managed_keys_are_skipped() {
    let k = with_meta(|m| m.manager = KeyManager::Aws);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = Fact::Known(vec![k]);
    assert_eq!(statuses(&s, "kms.key_usable"), vec![NotApplicable]);
}

#[test]
fn policy_not_public() {
    let mut k = key("k1");
    assert_eq!(run_key("kms.key_policy_not_public", &k), Pass);
    k.policy = Fact::Known(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}"#.into());
    assert_eq!(run_key("kms.key_policy_not_public", &k), Fail);
    k.policy = Fact::Known("[]".into());
    assert_eq!(run_key("kms.key_policy_not_public", &k), Error);
    k.policy = denied("kms:GetKeyPolicy");
    assert_eq!(run_key("kms.key_policy_not_public", &k), Error);
}

#[test]
fn policy_no_wildcard_grant() {
    let mut k = key("k1");
    assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Pass);
    k.policy = Fact::Known(
        r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"kms:*","Resource":"*"}]}"#.into(),
    );
    assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Fail);
    k.policy = denied("kms:GetKeyPolicy");
    assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Error);
}

#[test]
fn region_listing_failure_is_error() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = denied("kms:ListKeys");
    assert_eq!(statuses(&s, "kms.key_rotation"), vec![Error]);
}

pub const ROOT_ONLY_KEY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

/// A customer-managed key in us-east-1 that meets every KMS control.
#[test]
fn no_unconditioned_cross_account() {
    let id = "kms.no_unconditioned_cross_account";
    assert_eq!(run_key(id, &key("k1")), Pass);
    let with_policy = |p: &str| {
        let mut k = key("k1");
        k.policy = Fact::Known(p.into());
        k
    };
    let partner = r#"{"Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}"#;
    let k = with_policy(partner);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = Fact::Known(vec![k]);
    let m = messages(&s, id);
    assert_eq!(m[0].0, Fail);
    assert!(m[0].1.contains("Partner to `444455556666`"), "{}", m[0].1);
    // Restricted to use through one service, or only for grants to AWS resources: PASS.
    let via = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;
    assert_eq!(run_key(id, &with_policy(via)), Pass);
    let grant = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/x"},"Action":"kms:CreateGrant","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]}"#;
    assert_eq!(run_key(id, &with_policy(grant)), Pass);
    // Describe only is not use; the own account is not another account.
    let describe = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:DescribeKey","Resource":"*"}]}"#;
    assert_eq!(run_key(id, &with_policy(describe)), Pass);
    let own = format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:role/app"}},"Action":"kms:*","Resource":"*"}}]}}"#);
    assert_eq!(run_key(id, &with_policy(&own)), Pass);
    // Everyone is every other account too.
    let anyone = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}]}"#;
    assert_eq!(run_key(id, &with_policy(anyone)), Fail);
    let mut k = key("k1");
    k.policy = denied("kms:GetKeyPolicy");
    assert_eq!(run_key(id, &k), Error);
    assert_eq!(run_key(id, &with_policy("{not json")), Error);
}

pub fn key(id: &str) -> KmsKey {
    KmsKey {
        id: id.into(),
        arn: format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}"),
        region: "us-east-1".into(),
        aliases: Fact::Known(vec![format!("alias/{id}")]),
        metadata: Fact::Known(KeyMetadata {
            manager: KeyManager::Customer,
            state: "Enabled".into(),
            spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            description: id.into(),
            deletion_date: None,
        }),
        rotation_enabled: Fact::Known(Some(true)),
        policy: Fact::Known(ROOT_ONLY_KEY_POLICY.into()),
        tags: Fact::Known(Default::default()),
    }
}

/// The compliant section: key `k1` in us-east-1.
pub fn fixture() -> crate::evidence::Regional<KmsRegion> {
    [(
        "us-east-1".to_string(),
        KmsRegion {
            keys: Fact::Known(vec![key("k1")]),
        },
    )]
    .into_iter()
    .collect()
}

/// The single status a rule gives on one key.
pub fn run_key(id: &str, k: &KmsKey) -> crate::vocabulary::Status {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = Fact::Known(vec![k.clone()]);
    let v = statuses(&s, id);
    assert_eq!(v.len(), 1, "{id}: {v:?}");
    v[0]
}
