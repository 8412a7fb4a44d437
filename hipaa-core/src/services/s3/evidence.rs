//! S3 evidence: buckets and the account-level Block Public Access setting.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// Everything a scan learned about S3 in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3Evidence {
    /// The buckets; unknown when `ListBuckets` failed (never an empty list in that case).
    pub buckets: Fact<Vec<Bucket>>,
    /// The account-wide Block Public Access setting; `None` when never configured.
    pub account_public_access_block: Fact<Option<PublicAccessBlock>>,
}

/// One bucket and its security-relevant configuration (no object contents, ever).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Bucket name.
    pub name: String,
    /// Bucket ARN.
    pub arn: String,
    /// Region the bucket lives in.
    pub region: Fact<String>,
    /// Bucket tags (empty when the bucket has none).
    pub tags: Fact<Tags>,
    /// Default encryption.
    pub encryption: Fact<BucketEncryption>,
    /// Bucket-level Block Public Access; `None` when never configured.
    pub public_access_block: Fact<Option<PublicAccessBlock>>,
    /// Bucket policy JSON; `None` when the bucket has no policy.
    pub policy: Fact<Option<String>>,
    /// ACL grants.
    pub acl: Fact<Vec<AclGrant>>,
    /// Versioning state.
    pub versioning: Fact<Versioning>,
    /// Whether Object Lock is enabled on the bucket.
    pub object_lock: Fact<bool>,
    /// Where server access logs go; `None` when logging is off.
    pub logging: Fact<Option<LoggingTarget>>,
    /// Replication rules; `None` when replication is not configured.
    pub replication: Fact<Option<Replication>>,
}

/// How new objects are encrypted by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BucketEncryption {
    /// No default encryption configured.
    None,
    /// SSE-S3 (AES256, keys held by S3).
    SseS3,
    /// SSE-KMS; `key` is the KMS key id or ARN when one is named (the AWS-managed `aws/s3` key otherwise).
    SseKms {
        /// KMS key id, alias or ARN.
        key: Option<String>,
    },
    /// Dual-layer SSE-KMS.
    DsseKms {
        /// KMS key id, alias or ARN.
        key: Option<String>,
    },
}

impl BucketEncryption {
    /// A short human label.
    pub fn label(&self) -> &'static str {
        match self {
            BucketEncryption::None => "none",
            BucketEncryption::SseS3 => "SSE-S3",
            BucketEncryption::SseKms { .. } => "SSE-KMS",
            BucketEncryption::DsseKms { .. } => "DSSE-KMS",
        }
    }

    /// The KMS key named for default encryption, if any.
    pub fn kms_key(&self) -> Option<&str> {
        match self {
            BucketEncryption::SseKms { key } | BucketEncryption::DsseKms { key } => key.as_deref(),
            _ => None,
        }
    }
}

/// The four Block Public Access switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// Reject new public ACLs.
    pub block_public_acls: bool,
    /// Ignore existing public ACLs.
    pub ignore_public_acls: bool,
    /// Reject public bucket policies.
    pub block_public_policy: bool,
    /// Restrict access to buckets with public policies.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four switches on.
    pub fn all_on(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }

    /// Names of the switches that are off.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if !self.block_public_acls {
            v.push("BlockPublicAcls");
        }
        if !self.ignore_public_acls {
            v.push("IgnorePublicAcls");
        }
        if !self.block_public_policy {
            v.push("BlockPublicPolicy");
        }
        if !self.restrict_public_buckets {
            v.push("RestrictPublicBuckets");
        }
        v
    }
}

/// One ACL grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclGrant {
    /// `Group`, `CanonicalUser` or `AmazonCustomerByEmail`.
    pub grantee_type: String,
    /// Group URI for group grantees.
    pub uri: Option<String>,
    /// Canonical id for user grantees.
    pub id: Option<String>,
    /// READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL.
    pub permission: String,
}

impl AclGrant {
    /// Granted to everyone or to every authenticated AWS user.
    pub fn is_public(&self) -> bool {
        matches!(
            self.uri.as_deref(),
            Some("http://acs.amazonaws.com/groups/global/AllUsers")
                | Some("http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
        )
    }
}

/// Bucket versioning as S3 reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Versioning {
    /// Never turned on.
    NeverEnabled,
    /// On.
    Enabled,
    /// Turned on once, now suspended.
    Suspended,
}

/// Where a bucket's server access logs are delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggingTarget {
    /// Target bucket name.
    pub bucket: String,
    /// Key prefix.
    pub prefix: String,
}

/// A bucket's replication configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replication {
    /// The rules, enabled or not.
    pub rules: Vec<ReplicationRule>,
}

/// One replication rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicationRule {
    /// Rule id.
    pub id: Option<String>,
    /// Whether the rule is enabled.
    pub enabled: bool,
    /// Destination bucket ARN.
    pub destination: String,
}

impl crate::evidence::Section for S3Evidence {
    fn stores(&self, _: &crate::evidence::Snapshot) -> Vec<crate::evidence::StoreListing> {
        vec![crate::evidence::StoreListing {
            region: None,
            stores: self.buckets.get().cloned().map(|list| {
                list.into_iter()
                    .map(|b| crate::evidence::Store {
                        arn: b.arn,
                        tags: b.tags,
                        region: Some(b.region),
                        in_cluster: false,
                    })
                    .collect()
            }),
        }]
    }
}
