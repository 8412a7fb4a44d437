//! Amazon OpenSearch Service evidence: domains per region, with their access policy.
//!
//! A setting the answer left out is `None`, never a guess: the controls that need it are ERROR.

use crate::evidence::{Fact, Store, Tags, Unknown};
use serde::{Deserialize, Serialize};

/// One region's OpenSearch Service domains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenSearchRegion {
    /// Domains (`ListDomainNames`, then `DescribeDomains` five at a time).
    pub domains: Fact<Vec<Domain>>,
}

/// An OpenSearch Service domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Domain name.
    pub name: String,
    /// Domain ARN (`arn:aws:es:REGION:ACCOUNT:domain/NAME`).
    pub arn: String,
    /// `OpenSearch_2.11`, `Elasticsearch_7.10`, …
    pub engine_version: Option<String>,
    /// Encryption at rest.
    pub encryption_at_rest: Option<bool>,
    /// The KMS key of its data at rest.
    pub kms_key_id: Option<String>,
    /// Node-to-node encryption.
    pub node_to_node_encryption: Option<bool>,
    /// Whether plain HTTP requests are refused.
    pub enforce_https: Option<bool>,
    /// The TLS security policy of its endpoint (`Policy-Min-TLS-1-2-2019-07`, …).
    pub tls_policy: Option<String>,
    /// Its VPC, for a domain with a VPC endpoint.
    pub vpc_id: Option<String>,
    /// The subnets of its VPC endpoint (empty for a public endpoint).
    pub vpc_subnets: Vec<String>,
    /// Its resource-based access policy (JSON); `None` when it has none.
    pub access_policy: Option<String>,
    /// Audit logs published to CloudWatch Logs (off when the domain names no `AUDIT_LOGS`).
    pub audit_logs: LogPublishing,
    /// Fine-grained access control (required for audit logs).
    pub fine_grained_access: Option<bool>,
    /// Tags (`ListTags`).
    pub tags: Fact<Tags>,
}

/// One log type a domain publishes to CloudWatch Logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPublishing {
    /// Whether it is published.
    pub enabled: bool,
    /// The destination log group ARN.
    pub log_group: Option<String>,
}

impl Domain {
    /// Whether the domain's endpoint is inside a VPC rather than on the internet.
    pub fn in_vpc(&self) -> bool {
        self.vpc_id.as_deref().is_some_and(|v| !v.is_empty()) || !self.vpc_subnets.is_empty()
    }
}

impl crate::evidence::RegionSection for OpenSearchRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<Store>, Unknown>> {
        Some(self.domains.get().map(|list| {
            list.iter()
                .map(|d| Store {
                    arn: d.arn.clone(),
                    tags: d.tags.clone(),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
