//! AWS Certificate Manager evidence: each certificate's status, key, validity, use and managed
//! renewal. Certificate bodies and private keys are never read.

use crate::evidence::{Fact, Tags};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One region's certificates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcmRegion {
    /// Certificates of every key type (`ListCertificates`).
    pub certificates: Fact<Vec<Certificate>>,
}

/// A certificate as `ListCertificates` summarises it, with its tags and renewal state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// Certificate ARN.
    pub arn: String,
    /// The domain name it was issued for.
    pub domain: Option<String>,
    /// `ISSUED`, `EXPIRED`, `PENDING_VALIDATION`, `INACTIVE`, `REVOKED`, `FAILED`, …
    pub status: Option<String>,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub kind: Option<String>,
    /// `RSA_2048`, `EC_prime256v1`, …
    pub key_algorithm: Option<String>,
    /// The end of its validity.
    pub not_after: Option<DateTime<Utc>>,
    /// Whether an AWS service (a load balancer, CloudFront, API Gateway) uses it.
    pub in_use: Option<bool>,
    /// Its tags (`ListTagsForCertificate`).
    pub tags: Fact<Tags>,
    /// Its managed renewal (`DescribeCertificate`), `None` inside when no renewal has started.
    /// Read for the certificates ACM renews (not imported ones); absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<Fact<Option<Renewal>>>,
}

/// The state of ACM's managed renewal of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    /// `PENDING_AUTO_RENEWAL`, `PENDING_VALIDATION`, `SUCCESS` or `FAILED`.
    pub status: String,
    /// Why it failed or waits (`NO_AVAILABLE_CONTACTS`, `DOMAIN_VALIDATION_DENIED`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl crate::evidence::RegionSection for AcmRegion {}
