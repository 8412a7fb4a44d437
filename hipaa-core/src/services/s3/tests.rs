//! S3 rule tests, and the compliant bucket other tests start from.

use super::evidence::*;
use crate::testkit::*;
use crate::evidence::Fact;
use crate::vocabulary::Status::*;

const DENY_HTTP: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
const PUBLIC_READ: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

#[test]
fn default_encryption() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.default_encryption", &b), Pass);
    b.encryption = Fact::Known(BucketEncryption::None);
    assert_eq!(run_bucket("s3.default_encryption", &b), Fail);
    b.encryption = denied("s3:GetBucketEncryption");
    assert_eq!(run_bucket("s3.default_encryption", &b), Error);
}

#[test]
fn default_encryption_kms() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.default_encryption_kms", &b), Pass);
    b.encryption = Fact::Known(BucketEncryption::SseS3);
    assert_eq!(run_bucket("s3.default_encryption_kms", &b), Fail);
    b.encryption = denied("s3:GetBucketEncryption");
    assert_eq!(run_bucket("s3.default_encryption_kms", &b), Error);
}

#[test]
fn account_public_access_block() {
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Pass]);
    sect(&mut s.services.s3).account_public_access_block = Fact::Known(None);
    assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Fail]);
    sect(&mut s.services.s3).account_public_access_block = Fact::Known(Some(PublicAccessBlock {
        block_public_policy: false,
        ..all_on()
    }));
    assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Fail]);
    sect(&mut s.services.s3).account_public_access_block = denied("s3control:GetPublicAccessBlock");
    assert_eq!(statuses(&s, "s3.account_public_access_block"), vec![Error]);
}

#[test]
fn bucket_public_access_block() {
    let mut b = bucket("b");
    b.public_access_block = Fact::Known(None);
    let mut s = snapshot_with(vec![b.clone()]);
    // account-level on covers the bucket
    assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Pass]);
    sect(&mut s.services.s3).account_public_access_block = Fact::Known(None);
    assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Fail]);
    // account unknown and bucket not on: cannot tell
    sect(&mut s.services.s3).account_public_access_block = denied("s3control:GetPublicAccessBlock");
    assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Error]);
    // bucket on: account does not matter
    b.public_access_block = Fact::Known(Some(all_on()));
    sect(&mut s.services.s3).buckets = Fact::Known(vec![b.clone()]);
    assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Pass]);
    b.public_access_block = denied("s3:GetPublicAccessBlock");
    sect(&mut s.services.s3).buckets = Fact::Known(vec![b]);
    assert_eq!(statuses(&s, "s3.bucket_public_access_block"), vec![Error]);
}

#[test]
fn bucket_policy_not_public() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Pass);
    b.policy = Fact::Known(Some(PUBLIC_READ.into()));
    assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Fail);
    b.policy = Fact::Known(Some("{not json".into()));
    assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Error);
    b.policy = denied("s3:GetBucketPolicy");
    assert_eq!(run_bucket("s3.bucket_policy_not_public", &b), Error);
}

#[test]
fn bucket_acl_not_public() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Pass);
    b.acl = Fact::Known(vec![AclGrant {
        grantee_type: "Group".into(),
        uri: Some("http://acs.amazonaws.com/groups/global/AllUsers".into()),
        id: None,
        permission: "READ".into(),
    }]);
    assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Fail);
    b.acl = denied("s3:GetBucketAcl");
    assert_eq!(run_bucket("s3.bucket_acl_not_public", &b), Error);
}

#[test]
fn tls_only() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.tls_only", &b), Pass);
    b.policy = Fact::Known(None);
    assert_eq!(run_bucket("s3.tls_only", &b), Fail);
    b.policy = Fact::Known(Some(PUBLIC_READ.into()));
    assert_eq!(run_bucket("s3.tls_only", &b), Fail);
    b.policy = denied("s3:GetBucketPolicy");
    assert_eq!(run_bucket("s3.tls_only", &b), Error);
    b.policy = Fact::Known(Some(DENY_HTTP.into()));
    assert_eq!(run_bucket("s3.tls_only", &b), Pass);
}

#[test]
fn versioning() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.versioning", &b), Pass);
    b.versioning = Fact::Known(Versioning::Suspended);
    assert_eq!(run_bucket("s3.versioning", &b), Fail);
    b.versioning = Fact::Known(Versioning::NeverEnabled);
    assert_eq!(run_bucket("s3.versioning", &b), Fail);
    b.versioning = denied("s3:GetBucketVersioning");
    assert_eq!(run_bucket("s3.versioning", &b), Error);
}

#[test]
fn object_lock_applies_to_phi_buckets_only() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.object_lock", &b), Pass);
    b.object_lock = Fact::Known(false);
    assert_eq!(run_bucket("s3.object_lock", &b), Fail);
    b.object_lock = denied("s3:GetObjectLockConfiguration");
    assert_eq!(run_bucket("s3.object_lock", &b), Error);
    b.tags = Fact::Known(Default::default());
    assert_eq!(run_bucket("s3.object_lock", &b), NotApplicable);
    b.tags = denied("s3:GetBucketTagging");
    assert_eq!(run_bucket("s3.object_lock", &b), Error);
}

#[test]
fn access_logging() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.access_logging", &b), Pass);
    b.logging = Fact::Known(None);
    assert_eq!(run_bucket("s3.access_logging", &b), Fail);
    b.logging = denied("s3:GetBucketLogging");
    assert_eq!(run_bucket("s3.access_logging", &b), Error);
}

#[test]
fn replication() {
    let mut b = bucket("b");
    assert_eq!(run_bucket("s3.replication", &b), Pass);
    b.replication = Fact::Known(Some(Replication {
        rules: vec![ReplicationRule {
            id: None,
            enabled: false,
            destination: "arn:aws:s3:::x".into(),
        }],
    }));
    assert_eq!(run_bucket("s3.replication", &b), Fail);
    b.replication = Fact::Known(None);
    assert_eq!(run_bucket("s3.replication", &b), Fail);
    b.replication = denied("s3:GetBucketReplication");
    assert_eq!(run_bucket("s3.replication", &b), Error);
}

#[test]
fn listing_failure_is_error_and_empty_listing_is_not_applicable() {
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, "s3.default_encryption"), vec![NotApplicable]);
    sect(&mut s.services.s3).buckets = denied("s3:ListBuckets");
    for id in [
        "s3.default_encryption",
        "s3.versioning",
        "s3.tls_only",
        "s3.object_lock",
    ] {
        assert_eq!(statuses(&s, id), vec![Error], "{id}");
    }
}

pub fn all_on() -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    }
}

/// A PHI-tagged bucket that meets every S3 control.
pub fn bucket(name: &str) -> Bucket {
    let mut tags = crate::evidence::Tags::new();
    tags.insert("DataClass".into(), "PHI".into());
    Bucket {
        name: name.into(),
        arn: format!("arn:aws:s3:::{name}"),
        region: Fact::Known("us-east-1".into()),
        tags: Fact::Known(tags),
        encryption: Fact::Known(BucketEncryption::SseKms {
            key: Some("arn:aws:kms:us-east-1:111122223333:key/k1".into()),
        }),
        public_access_block: Fact::Known(Some(all_on())),
        policy: Fact::Known(Some(format!(
            r#"{{"Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{name}","arn:aws:s3:::{name}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
        ))),
        acl: Fact::Known(vec![]),
        versioning: Fact::Known(Versioning::Enabled),
        object_lock: Fact::Known(true),
        logging: Fact::Known(Some(LoggingTarget {
            bucket: "logs".into(),
            prefix: format!("{name}/"),
        })),
        replication: Fact::Known(Some(Replication {
            rules: vec![ReplicationRule {
                id: Some("r".into()),
                enabled: true,
                destination: "arn:aws:s3:::replica".into(),
            }],
        })),
    }
}

/// The compliant section: no buckets (tests add theirs) and account-level BPA fully on.
pub fn fixture() -> S3Evidence {
    S3Evidence {
        buckets: Fact::Known(vec![]),
        account_public_access_block: Fact::Known(Some(all_on())),
    }
}

/// The single status a rule gives on one bucket.
pub fn run_bucket(id: &str, b: &Bucket) -> crate::vocabulary::Status {
    let v = statuses(&snapshot_with(vec![b.clone()]), id);
    assert_eq!(v.len(), 1, "{id}: {v:?}");
    v[0]
}
