//! Amazon CloudFront evidence, read once per account: each distribution's cache behaviours,
//! viewer certificate, origins, web ACL, standard logging and tags.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// Everything a scan learned about CloudFront in one account (a global service).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontEvidence {
    /// Distributions (`ListDistributions`).
    pub distributions: Fact<Vec<Distribution>>,
}

/// A distribution and the settings the transit controls judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Distribution id.
    pub id: String,
    /// Distribution ARN.
    pub arn: String,
    /// Its `*.cloudfront.net` name.
    pub domain_name: String,
    /// Alternate domain names (CNAMEs).
    pub aliases: Vec<String>,
    /// Whether it serves requests.
    pub enabled: bool,
    /// Its tags (`ListTagsForResource`).
    pub tags: Fact<Tags>,
    /// Cache behaviours, the default one first (its `path` is `None`).
    pub behaviors: Vec<CacheBehavior>,
    /// The certificate viewers see.
    pub viewer_certificate: ViewerCertificate,
    /// Its origins.
    pub origins: Vec<Origin>,
    /// The web ACL (a WAFv2 ARN or a WAF Classic id), when one is attached.
    pub web_acl: Option<String>,
    /// Where standard logs go (`GetDistributionConfig`): the bucket when on, `None` when off.
    pub logging: Fact<Option<String>>,
}

/// One cache behaviour: which requests, and how viewers may reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheBehavior {
    /// Its path pattern; `None` for the default behaviour.
    pub path: Option<String>,
    /// `allow-all`, `redirect-to-https` or `https-only`.
    pub viewer_protocol_policy: String,
    /// The origin it forwards to.
    pub target_origin: String,
    /// The real-time log configuration it sends logs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime_log_config: Option<String>,
}

/// The certificate and TLS floor viewers get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerCertificate {
    /// An ACM certificate ARN or IAM server certificate id, when the distribution has its own.
    pub custom_certificate: Option<String>,
    /// The oldest protocol viewers may use (`TLSv1.2_2021`, …).
    pub minimum_protocol: Option<String>,
}

/// An origin and how CloudFront connects to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// Origin id (what behaviours name).
    pub id: String,
    /// Its domain name.
    pub domain_name: String,
    /// What kind of origin it is.
    pub kind: OriginKind,
}

/// The kinds of origin, each with its own way of choosing the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum OriginKind {
    /// An S3 bucket (REST endpoint): CloudFront uses the viewer's protocol.
    S3,
    /// Any HTTP server (a load balancer, an S3 website endpoint, an API).
    Custom {
        /// `http-only`, `match-viewer` or `https-only`.
        protocol_policy: String,
        /// The protocols CloudFront may use over HTTPS (`TLSv1.2`, `TLSv1.1`, `TLSv1`, `SSLv3`).
        ssl_protocols: Vec<String>,
    },
    /// A VPC origin, whose protocol is set on the VPC origin itself.
    Vpc,
}

impl crate::evidence::Section for CloudFrontEvidence {}
