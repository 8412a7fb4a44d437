//! AWS KMS evidence: keys per region with their state, rotation and policy.

use crate::evidence::{Fact, Tags};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The keys of one region; unknown when `ListKeys` failed there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsRegion {
    /// The keys (AWS-managed and customer-managed).
    pub keys: Fact<Vec<KmsKey>>,
}

/// One KMS key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    /// Key id.
    pub id: String,
    /// Key ARN.
    pub arn: String,
    /// Region.
    pub region: String,
    /// Aliases pointing at the key (without the `alias/` prefix removed).
    pub aliases: Fact<Vec<String>>,
    /// What `DescribeKey` said.
    pub metadata: Fact<KeyMetadata>,
    /// Automatic rotation; `None` where rotation does not apply (asymmetric, HMAC, imported, AWS-managed).
    pub rotation_enabled: Fact<Option<bool>>,
    /// The `default` key policy JSON.
    pub policy: Fact<String>,
    /// Key tags.
    pub tags: Fact<Tags>,
}

/// The parts of `DescribeKey` the controls need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMetadata {
    /// `CUSTOMER` or `AWS`.
    pub manager: KeyManager,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, `Unavailable`, …
    pub state: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, …
    pub spec: String,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// Free-text description.
    pub description: String,
    /// When a key pending deletion will be deleted.
    pub deletion_date: Option<DateTime<Utc>>,
}

/// Who manages a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyManager {
    /// A customer-managed key: the customer controls rotation and policy.
    Customer,
    /// An AWS-managed key (`aws/s3`, …).
    Aws,
}

impl KmsKey {
    /// A readable name: the first alias, else the description, else the id.
    pub fn display_name(&self) -> String {
        if let Some(a) = self.aliases.known().and_then(|a| a.first()) {
            return a.clone();
        }
        match self.metadata.known() {
            Some(m) if !m.description.is_empty() => m.description.clone(),
            _ => self.id.clone(),
        }
    }
}

impl crate::evidence::RegionSection for KmsRegion {}
