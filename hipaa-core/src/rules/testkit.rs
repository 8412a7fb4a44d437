//! Builders for rule tests: a fully compliant snapshot that each test breaks one fact of.

use super::{builtin, Context};
use crate::evidence::backup::*;
use crate::evidence::governance::*;
use crate::evidence::iam::*;
use crate::evidence::kms::*;
use crate::evidence::logging::*;
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
        account_regions: Fact::Known(account_regions()),
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
        agreements: Fact::Known(vec![baa_agreement()]),
        organizations: organizations(),
        inventory: Fact::Known(vec![TaggedInventory {
            region: "us-east-1".into(),
            resources: Fact::Known(vec![
                tagged("arn:aws:s3:::phi-bucket", "PHI"),
                tagged(
                    &format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/patients"),
                    "PHI",
                ),
            ]),
        }]),
        logging: Fact::Known(vec![logging_region("us-east-1")]),
        backup: Fact::Known(vec![backup_region("us-east-1")]),
        network: Fact::Known(vec![network_region("us-east-1")]),
        reads: ReadLog::default(),
    }
}

/// us-east-1 enabled (and scanned), ap-east-1 not opted in.
pub fn account_regions() -> Vec<crate::evidence::network::AccountRegion> {
    use crate::evidence::network::{AccountRegion, RegionOptIn};
    [
        ("us-east-1", RegionOptIn::NotRequired),
        ("ap-east-1", RegionOptIn::NotOptedIn),
    ]
    .into_iter()
    .map(|(name, opt_in)| AccountRegion {
        name: name.into(),
        opt_in,
    })
    .collect()
}

/// A region with one PHI-tagged VPC whose flow log records all traffic.
pub fn network_region(region: &str) -> crate::evidence::network::NetworkRegion {
    use crate::evidence::network::{FlowLog, NetworkRegion, Vpc};
    NetworkRegion {
        region: region.into(),
        vpcs: Fact::Known(vec![Vpc {
            id: "vpc-phi".into(),
            owner: Some(ACCOUNT.into()),
            is_default: false,
            cidr: Some("10.0.0.0/16".into()),
            tags: [("DataClass".to_string(), "PHI".to_string())].into(),
        }]),
        flow_logs: Fact::Known(vec![FlowLog {
            id: "fl-1".into(),
            resource_id: "vpc-phi".into(),
            status: Some("ACTIVE".into()),
            traffic_type: Some("ALL".into()),
            deliver_status: Some("SUCCESS".into()),
            deliver_error: None,
            destination_type: Some("cloud-watch-logs".into()),
        }]),
        instances: Fact::Known(vec![]),
    }
}

/// Statuses a rule gives on a snapshot, with the default scope.
pub fn statuses(s: &Snapshot, id: &str) -> Vec<Status> {
    statuses_in(s, id, &Scope::default())
}

pub fn statuses_in(s: &Snapshot, id: &str, scope: &Scope) -> Vec<Status> {
    outcomes_in(s, id, scope)
        .into_iter()
        .map(|o| o.status)
        .collect()
}

/// A rule's outcomes (status, message, PHI mark) before the engine applies the scope.
pub fn outcomes_in(s: &Snapshot, id: &str, scope: &Scope) -> Vec<super::Outcome> {
    let rules = builtin();
    let Some(rule) = rules.iter().find(|r| r.id == id) else {
        panic!("no rule `{id}`")
    };
    let ctx = Context {
        snapshot: s,
        scope,
        now: now(),
    };
    (rule.f)(&ctx)
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

pub fn phi_tags() -> crate::evidence::Tags {
    let mut t = crate::evidence::Tags::new();
    t.insert("DataClass".into(), "PHI".into());
    t
}

pub fn tagged(arn: &str, class: &str) -> TaggedResource {
    let mut tags = crate::evidence::Tags::new();
    tags.insert("DataClass".into(), class.into());
    TaggedResource {
        arn: arn.into(),
        tags,
    }
}

pub fn baa_agreement() -> Agreement {
    Agreement {
        id: "customer-agreement-aaaaaaaaaaaaaaaa".into(),
        name: "AWS Business Associate Addendum".into(),
        arn: format!(
            "arn:aws:artifact::{ACCOUNT}:customer-agreement/customer-agreement-aaaaaaaaaaaaaaaa"
        ),
        state: "ACTIVE".into(),
        kind: "DEFAULT".into(),
        account: Some(ACCOUNT.into()),
        organization_arn: None,
        effective_start: days_ago(300),
        effective_end: None,
    }
}

pub const MANAGEMENT: &str = "999988887777";

/// An SCP that denies everything outside `prefixes`.
pub fn deny_outside(prefixes: &[&str]) -> String {
    let list: Vec<String> = prefixes.iter().map(|p| format!("\"{p}:*\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyIneligible","Effect":"Deny","NotAction":[{}],"Resource":"*"}}]}}"#,
        list.join(",")
    )
}

pub fn scp(id: &str, content: &str, targets: &[&str]) -> Scp {
    Scp {
        id: id.into(),
        name: id.into(),
        arn: format!(
            "arn:aws:organizations::{MANAGEMENT}:policy/o-test/service_control_policy/{id}"
        ),
        aws_managed: id == "p-FullAWSAccess",
        content: Fact::Known(content.into()),
        targets: Fact::Known(targets.iter().map(|t| t.to_string()).collect()),
    }
}

pub fn organizations() -> OrganizationsEvidence {
    OrganizationsEvidence {
        organization: Fact::Known(Some(Organization {
            id: "o-test".into(),
            arn: format!("arn:aws:organizations::{MANAGEMENT}:organization/o-test"),
            management_account: MANAGEMENT.into(),
            feature_set: "ALL".into(),
        })),
        accounts: Fact::Known(vec![
            OrgAccount {
                id: MANAGEMENT.into(),
                name: "management".into(),
                status: "ACTIVE".into(),
            },
            OrgAccount {
                id: ACCOUNT.into(),
                name: "phi".into(),
                status: "ACTIVE".into(),
            },
        ]),
        parents: Fact::Known(vec!["ou-phi".into(), "r-root".into()]),
        scps: Fact::Known(vec![
            scp(
                "p-FullAWSAccess",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                &["r-root"],
            ),
            scp(
                "p-eligible",
                &deny_outside(&["s3", "kms", "iam", "sts", "dynamodb", "cloudtrail"]),
                &["ou-phi"],
            ),
        ]),
    }
}

pub const ROOT_PATTERN: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;
pub const LOGIN_FAILURE_PATTERN: &str =
    r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#;
pub const IAM_CHANGE_PATTERN: &str = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}";
pub const TRAIL_CHANGE_PATTERN: &str = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }";

pub const TRAIL_LOG_GROUP: &str = "cloudtrail/org";

pub fn trail() -> Trail {
    Trail {
        name: "org-trail".into(),
        arn: format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"),
        home_region: "us-east-1".into(),
        multi_region: true,
        organization: false,
        log_file_validation: true,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        cloudwatch_log_group_arn: Some(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*"
        )),
        s3_bucket: Some("trail-logs".into()),
        is_logging: Fact::Known(true),
        selectors: Fact::Known(TrailSelectors {
            management_events: true,
            s3_data_prefixes: vec!["arn:aws:s3".into()],
        }),
    }
}

fn filter(name: &str, pattern: &str) -> (MetricFilter, MetricAlarm) {
    (
        MetricFilter {
            name: name.into(),
            log_group: TRAIL_LOG_GROUP.into(),
            pattern: pattern.into(),
            metrics: vec![("CISBenchmark".into(), name.into())],
        },
        MetricAlarm {
            name: format!("{name}-alarm"),
            namespace: Some("CISBenchmark".into()),
            metric: Some(name.into()),
            actions_enabled: true,
            actions: vec![format!("arn:aws:sns:us-east-1:{ACCOUNT}:security")],
        },
    )
}

pub fn logging_region(region: &str) -> LoggingRegion {
    let (filters, alarms): (Vec<_>, Vec<_>) = [
        ("RootUse", ROOT_PATTERN),
        ("ConsoleLoginFailures", LOGIN_FAILURE_PATTERN),
        ("IamChanges", IAM_CHANGE_PATTERN),
        ("TrailChanges", TRAIL_CHANGE_PATTERN),
    ]
    .into_iter()
    .map(|(n, p)| filter(n, p))
    .unzip();
    LoggingRegion {
        region: region.into(),
        trails: Fact::Known(vec![trail()]),
        config_recorders: Fact::Known(vec![ConfigRecorder {
            name: "default".into(),
            all_supported: true,
            include_global: true,
            recording: Fact::Known(true),
        }]),
        guardduty: Fact::Known(vec![Detector {
            id: "d1".into(),
            status: Fact::Known("ENABLED".into()),
        }]),
        security_hub: Fact::Known(Some(SecurityHub {
            arn: format!("arn:aws:securityhub:{region}:{ACCOUNT}:hub/default"),
            subscribed_at: None,
        })),
        log_groups: Fact::Known(vec![LogGroup {
            name: TRAIL_LOG_GROUP.into(),
            arn: format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:{TRAIL_LOG_GROUP}"),
            kms_key_id: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            retention_days: Some(365),
        }]),
        metric_filters: Fact::Known(filters),
        alarms: Fact::Known(alarms),
    }
}

pub fn backup_region(region: &str) -> BackupRegion {
    BackupRegion {
        region: region.into(),
        plans: Fact::Known(vec![BackupPlan {
            id: "plan-1".into(),
            arn: format!("arn:aws:backup:{region}:{ACCOUNT}:backup-plan:plan-1"),
            name: "phi-daily".into(),
            rules: Fact::Known(vec![BackupRule {
                name: "daily".into(),
                schedule: Some("cron(0 5 ? * * *)".into()),
                vault: "phi-vault".into(),
                delete_after_days: Some(35),
                copy_to: vec![format!(
                    "arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:phi-vault-dr"
                )],
            }]),
            selections: Fact::Known(vec![BackupSelection {
                id: "sel-1".into(),
                name: "phi-tagged".into(),
                resources: vec![],
                not_resources: vec![],
                tags: vec![("DataClass".into(), "PHI".into())],
                conditions: vec![],
            }]),
        }]),
        vaults: Fact::Known(vec![BackupVault {
            name: "phi-vault".into(),
            arn: format!("arn:aws:backup:{region}:{ACCOUNT}:backup-vault:phi-vault"),
            encryption_key_arn: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            locked: true,
            min_retention_days: Some(35),
        }]),
        dynamodb_tables: Fact::Known(vec![DynamoTable {
            name: "patients".into(),
            arn: format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/patients"),
            pitr: Fact::Known(true),
            tags: Fact::Known(phi_tags()),
        }]),
        rds_instances: Fact::Known(vec![RdsInstance {
            id: "ehr".into(),
            arn: format!("arn:aws:rds:{region}:{ACCOUNT}:db:ehr"),
            engine: "postgres".into(),
            backup_retention_days: 14,
            storage_encrypted: true,
            vpc_id: Some("vpc-phi".into()),
            tags: phi_tags(),
        }]),
        efs_file_systems: Fact::Known(vec![FileSystem {
            id: "fs-1".into(),
            arn: format!("arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/fs-1"),
            encrypted: true,
            backup_enabled: Fact::Known(true),
            tags: phi_tags(),
        }]),
        opt_in: Fact::Known(
            ["DynamoDB", "RDS", "EFS", "EBS", "EC2", "S3", "Aurora"]
                .into_iter()
                .map(|t| (t.to_string(), true))
                .collect(),
        ),
    }
}
