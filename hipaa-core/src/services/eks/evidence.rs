//! Amazon EKS evidence: each cluster's description (`DescribeCluster`), per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's clusters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EksRegion {
    /// The clusters (`ListClusters`).
    pub clusters: Fact<Vec<Cluster>>,
}

/// A cluster, by name, and what its description says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Cluster name.
    pub name: String,
    /// Cluster ARN (built from the name when the description could not be read).
    pub arn: String,
    /// Its tags.
    pub tags: Fact<Tags>,
    /// The rest of its description.
    pub detail: Fact<ClusterDetail>,
}

/// The settings of a cluster the controls judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterDetail {
    /// Kubernetes version, e.g. `1.33`.
    pub version: String,
    /// Whether the API server endpoint is reachable from the internet.
    pub endpoint_public_access: bool,
    /// Whether it is reachable from inside the VPC.
    pub endpoint_private_access: bool,
    /// The CIDR blocks allowed to reach the public endpoint.
    pub public_access_cidrs: Vec<String>,
    /// The customer-managed KMS key that envelope-encrypts Kubernetes secrets (and, from 1.28,
    /// all Kubernetes API data); absent when none is configured.
    pub secrets_key_arn: Option<String>,
    /// The control-plane log types that are enabled (`api`, `audit`, `authenticator`, ...).
    pub enabled_log_types: Vec<String>,
}

impl crate::evidence::RegionSection for EksRegion {}
