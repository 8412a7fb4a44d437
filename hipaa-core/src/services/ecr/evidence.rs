//! Amazon ECR evidence: each private repository's settings, tags and policy, and the registry's
//! scanning configuration, per region. No image is read.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's private registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcrRegion {
    /// The repositories (`DescribeRepositories`).
    pub repositories: Fact<Vec<Repository>>,
    /// The registry's scanning configuration (`GetRegistryScanningConfiguration`).
    pub scanning: Fact<RegistryScanning>,
}

/// A private repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    /// Repository ARN.
    pub arn: String,
    /// Repository name.
    pub name: String,
    /// The repository's own scan-on-push setting.
    pub scan_on_push: bool,
    /// `MUTABLE`, `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION` or `IMMUTABLE_WITH_EXCLUSION`.
    pub tag_mutability: String,
    /// `AES256`, `KMS` or `KMS_DSSE`.
    pub encryption_type: String,
    /// The KMS key, for KMS encryption.
    pub kms_key: Option<String>,
    /// Its tags (`ListTagsForResource`).
    pub tags: Fact<Tags>,
    /// Its repository policy JSON (`GetRepositoryPolicy`); `None` when it has none.
    pub policy: Fact<Option<String>>,
}

/// How the registry scans images: the type, and which repositories each rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryScanning {
    /// `BASIC` or `ENHANCED` (Amazon Inspector).
    pub scan_type: String,
    /// The scanning rules.
    pub rules: Vec<ScanningRule>,
}

/// A registry scanning rule: a frequency for the repositories its filters match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanningRule {
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`.
    pub frequency: String,
    /// Repository name filters (`*` is a wildcard; a filter without one matches names that
    /// contain it).
    pub filters: Vec<String>,
}

impl crate::evidence::RegionSection for EcrRegion {}
