//! Builders for rule tests: a fully compliant snapshot that each test breaks one fact of.

use super::{builtin, Context};
use crate::evidence::iam::*;
use crate::evidence::kms::*;
use crate::evidence::s3::*;
use crate::evidence::{Fact, ReadLog, Snapshot, Unknown, UnknownReason, SNAPSHOT_SCHEMA_VERSION};
use crate::scope::Scope;
use crate::vocabulary::Status;
use chrono::{TimeZone, Utc};

pub const ACCOUNT: &str = "111122223333";

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn days_ago(d: i64) -> Option<chrono::DateTime<Utc>> {
    Some(now() - chrono::Duration::days(d))
}

pub fn denied<T>(op: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::AccessDenied,
        op,
        "AccessDenied: not authorized",
    ))
}

pub fn all_on() -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    }
}

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

pub const ROOT_ONLY_KEY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

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

pub fn user(name: &str) -> Principal {
    Principal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        path: "/".into(),
        attached: vec![],
        inline: vec![],
        groups: vec!["staff".into()],
    }
}

pub fn role(name: &str) -> Principal {
    Principal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        path: "/".into(),
        attached: vec![],
        inline: vec![],
        groups: vec![],
    }
}

pub fn cred_row(name: &str) -> CredentialRow {
    CredentialRow {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        password_enabled: Some(true),
        mfa_active: true,
        access_keys: vec![AccessKeyInfo {
            slot: 1,
            active: true,
            last_rotated: days_ago(10),
            last_used: days_ago(1),
        }],
    }
}

pub fn iam() -> IamEvidence {
    IamEvidence {
        summary: Fact::Known(AccountSummary {
            root_mfa_enabled: true,
            root_access_keys_present: false,
        }),
        password_policy: Fact::Known(Some(PasswordPolicy {
            minimum_length: 14,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            max_age_days: Some(90),
            reuse_prevention: Some(24),
        })),
        credential_report: Fact::Known(vec![cred_row("alice")]),
        authorization: Fact::Known(AuthorizationDetails {
            users: vec![user("alice")],
            groups: vec![],
            roles: vec![role("app")],
            policies: vec![],
        }),
    }
}

pub fn snapshot_with(buckets: Vec<Bucket>) -> Snapshot {
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        taken_at: now(),
        source: "test".into(),
        partition: "aws".into(),
        account: Fact::Known(ACCOUNT.into()),
        regions: vec!["us-east-1".into()],
        s3: S3Evidence {
            buckets: Fact::Known(buckets),
            account_public_access_block: Fact::Known(Some(all_on())),
        },
        kms: KmsEvidence {
            regions: vec![KmsRegion {
                region: "us-east-1".into(),
                keys: Fact::Known(vec![key("k1")]),
            }],
        },
        iam: iam(),
        reads: ReadLog::default(),
    }
}

/// Statuses a rule gives on a snapshot, with the default scope.
pub fn statuses(s: &Snapshot, id: &str) -> Vec<Status> {
    statuses_in(s, id, &Scope::default())
}

pub fn statuses_in(s: &Snapshot, id: &str, scope: &Scope) -> Vec<Status> {
    let rules = builtin();
    let Some(rule) = rules.iter().find(|r| r.id == id) else {
        panic!("no rule `{id}`")
    };
    let ctx = Context {
        snapshot: s,
        scope,
        now: now(),
    };
    (rule.f)(&ctx).into_iter().map(|o| o.status).collect()
}

/// The single status a rule gives on one bucket.
pub fn run_bucket(id: &str, b: &Bucket) -> Status {
    let v = statuses(&snapshot_with(vec![b.clone()]), id);
    assert_eq!(v.len(), 1, "{id}: {v:?}");
    v[0]
}

/// The single status a rule gives on one key.
pub fn run_key(id: &str, k: &KmsKey) -> Status {
    let mut s = snapshot_with(vec![]);
    s.kms.regions[0].keys = Fact::Known(vec![k.clone()]);
    let v = statuses(&s, id);
    assert_eq!(v.len(), 1, "{id}: {v:?}");
    v[0]
}
