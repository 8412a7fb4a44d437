//! Amazon API Gateway HTTP and WebSocket API evidence: each API with its stages, and the region's
//! custom domain names with the TLS policy of each endpoint configuration.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's HTTP and WebSocket APIs and custom domain names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Apigwv2Region {
    /// HTTP and WebSocket APIs (`GetApis`).
    pub apis: Fact<Vec<Api>>,
    /// Custom domain names (`GetDomainNames`).
    pub domain_names: Fact<Vec<DomainName>>,
}

/// An HTTP or WebSocket API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// API id.
    pub id: String,
    /// API name.
    pub name: String,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol: String,
    /// API tags.
    pub tags: Tags,
    /// Its stages (`GetStages`).
    pub stages: Fact<Vec<Stage>>,
}

/// A stage of an HTTP or WebSocket API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Stage name (`$default` for an HTTP API's default stage).
    pub name: String,
    /// Stage tags.
    pub tags: Tags,
    /// Where access logs go, when they are on.
    pub access_log_destination: Option<String>,
}

/// A custom domain name: one security policy per endpoint configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainName {
    /// The domain name.
    pub name: String,
    /// Its tags.
    pub tags: Tags,
    /// The security policy of each endpoint configuration (`TLS_1_0`, `TLS_1_2`).
    pub security_policies: Vec<Option<String>>,
}

impl crate::evidence::RegionSection for Apigwv2Region {}
