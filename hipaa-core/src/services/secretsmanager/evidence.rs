//! AWS Secrets Manager evidence: each secret's metadata (never its value) and resource policy.

use crate::evidence::{Fact, Tags};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One region's secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretsManagerRegion {
    /// The secrets (`ListSecrets`, metadata only).
    pub secrets: Fact<Vec<Secret>>,
}

/// A secret's metadata: how it is encrypted and rotated, and who may read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    /// Secret ARN.
    pub arn: String,
    /// Secret name.
    pub name: String,
    /// Secret tags.
    pub tags: Tags,
    /// The KMS key that encrypts it; absent means the AWS managed key `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    /// Whether automatic rotation is on.
    pub rotation_enabled: bool,
    /// The rotation interval in days, when rotation is scheduled that way.
    pub rotation_days: Option<i64>,
    /// When it was last rotated.
    pub last_rotated: Option<DateTime<Utc>>,
    /// Its resource policy JSON (`GetResourcePolicy`); `None` when it has none.
    pub policy: Fact<Option<String>>,
}

impl crate::evidence::RegionSection for SecretsManagerRegion {}
