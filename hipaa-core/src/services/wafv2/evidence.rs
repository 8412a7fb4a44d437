//! AWS WAF (WAFv2) evidence: web ACLs of REGIONAL scope in each scanned region, and those of
//! CLOUDFRONT scope, read once per account in us-east-1; each with its rules, default action,
//! logging configuration and tags.

use crate::evidence::{Fact, Regional, Tags};
use serde::{Deserialize, Serialize};

/// Everything a scan learned about WAFv2 in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wafv2Evidence {
    /// Web ACLs of REGIONAL scope (load balancers, API Gateway, …), by region.
    pub regional: Regional<Wafv2Region>,
    /// Web ACLs of CLOUDFRONT scope, a global list (`ListWebACLs` in us-east-1).
    pub cloudfront: Fact<Vec<WebAcl>>,
}

/// One region's web ACLs of REGIONAL scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wafv2Region {
    /// Web ACLs (`ListWebACLs`).
    pub web_acls: Fact<Vec<WebAcl>>,
}

/// A web ACL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    /// Web ACL ARN.
    pub arn: String,
    /// Web ACL name.
    pub name: String,
    /// Web ACL id.
    pub id: String,
    /// Its tags (`ListTagsForResource`).
    pub tags: Fact<Tags>,
    /// Its rules and default action (`GetWebACL`).
    pub definition: Fact<AclDefinition>,
    /// Where its logs go (`GetLoggingConfiguration`), `None` when logging is off.
    pub logging: Fact<Option<String>>,
}

/// What a web ACL does with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclDefinition {
    /// Its rules' names, Firewall Manager rule groups included.
    pub rules: Vec<String>,
    /// `allow` or `block`: what happens to a request no rule matches.
    pub default_action: String,
}

impl crate::evidence::Section for Wafv2Evidence {}
