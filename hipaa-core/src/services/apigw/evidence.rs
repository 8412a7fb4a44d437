//! Amazon API Gateway (REST APIs) evidence: each API with its resource policy, stages and
//! methods, and the region's custom domain names.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's REST APIs and custom domain names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApigwRegion {
    /// REST APIs (`GetRestApis`).
    pub rest_apis: Fact<Vec<RestApi>>,
    /// Custom domain names (`GetDomainNames`).
    pub domain_names: Fact<Vec<DomainName>>,
}

/// A REST API with what the transit controls judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestApi {
    /// API id.
    pub id: String,
    /// API name.
    pub name: String,
    /// API tags.
    pub tags: Tags,
    /// Its resource policy JSON, when it has one.
    pub policy: Option<String>,
    /// `EDGE`, `REGIONAL` or `PRIVATE`.
    pub endpoint_types: Vec<String>,
    /// Its stages (`GetStages`).
    pub stages: Fact<Vec<Stage>>,
    /// Its methods (`GetResources` with the methods embedded).
    pub methods: Fact<Vec<Method>>,
}

/// A deployed stage of a REST API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Stage name.
    pub name: String,
    /// Stage tags.
    pub tags: Tags,
    /// Where access logs go, when they are on.
    pub access_log_destination: Option<String>,
    /// Method settings by `resource-path/HTTP-method` (`*/*` for every method).
    pub method_settings: BTreeMap<String, MethodSetting>,
    /// Whether the stage has a cache cluster.
    pub cache_cluster_enabled: bool,
    /// The client certificate it presents to HTTP backends.
    pub client_certificate_id: Option<String>,
}

/// The settings of one method (or of all, under `*/*`) in a stage.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MethodSetting {
    /// Execution logging: `OFF`, `ERROR` or `INFO`.
    pub logging_level: Option<String>,
    /// Whether responses are cached.
    pub caching_enabled: Option<bool>,
    /// Whether cached responses are encrypted.
    pub cache_data_encrypted: Option<bool>,
}

/// One method of a REST API resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// The resource path (`/patients/{id}`).
    pub path: String,
    /// `GET`, `POST`, …, or `ANY`.
    pub http_method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`.
    pub authorization_type: String,
    /// Whether callers must send an API key.
    pub api_key_required: bool,
}

/// A custom domain name and the TLS it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainName {
    /// The domain name.
    pub name: String,
    /// Its security policy (`TLS_1_0`, `TLS_1_2`, `SecurityPolicy_…`).
    pub security_policy: Option<String>,
    /// `EDGE`, `REGIONAL` or `PRIVATE`.
    pub endpoint_types: Vec<String>,
    /// Its tags.
    pub tags: Tags,
}

impl crate::evidence::RegionSection for ApigwRegion {}
