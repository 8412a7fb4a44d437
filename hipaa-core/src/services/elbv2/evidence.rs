//! Elastic Load Balancing v2 evidence (Application, Network and Gateway Load Balancers): each load
//! balancer with its tags, attributes and listeners, the target groups with their targets, and
//! the WAF web ACL of each internet-facing Application Load Balancer.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's load balancers and target groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Elbv2Region {
    /// Load balancers (`DescribeLoadBalancers`), each with what was read about it.
    pub load_balancers: Fact<Vec<LoadBalancer>>,
    /// Target groups (`DescribeTargetGroups`): what a network load balancer forwards to, for
    /// telling whether it carries ePHI.
    pub target_groups: Fact<Vec<TargetGroup>>,
}

/// A load balancer and the settings the transit controls judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// Load balancer ARN.
    pub arn: String,
    /// Load balancer name.
    pub name: String,
    /// `application`, `network` or `gateway`.
    pub kind: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    /// The VPC it runs in.
    pub vpc_id: Option<String>,
    /// Its tags (`DescribeTags`).
    pub tags: Fact<Tags>,
    /// Its attributes by key, as AWS gives them (`DescribeLoadBalancerAttributes`).
    pub attributes: Fact<BTreeMap<String, String>>,
    /// Its listeners (`DescribeListeners`).
    pub listeners: Fact<Vec<Listener>>,
    /// The WAFv2 web ACL attached to it (`GetWebACLForResource`), `None` inside when none is.
    /// Read for internet-facing Application Load Balancers only; absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_acl: Option<Fact<Option<String>>>,
}

/// A listener: the protocol and port clients connect to, and what it does with a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    /// Listener ARN.
    pub arn: String,
    /// The port it listens on.
    pub port: Option<i32>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP` or `GENEVE`.
    pub protocol: String,
    /// The security policy of an `HTTPS` or `TLS` listener.
    pub ssl_policy: Option<String>,
    /// What it does when no rule matches.
    pub default_actions: Vec<Action>,
    /// The actions of its other rules (`DescribeRules`); read for the `HTTP` listeners of
    /// Application Load Balancers only, absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_actions: Option<Fact<Vec<Action>>>,
}

/// One action of a listener or rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc` or `authenticate-cognito`.
    pub kind: String,
    /// For `redirect`: the protocol it sends the client to (`HTTPS`, or `#{protocol}` to keep
    /// the request's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_protocol: Option<String>,
    /// For `forward`: the target groups it forwards to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_groups: Vec<String>,
}

/// A target group: where a listener sends traffic, and who is registered in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    /// Target group ARN.
    pub arn: String,
    /// Target group name.
    pub name: String,
    /// The protocol to the targets.
    pub protocol: Option<String>,
    /// The port the targets receive traffic on.
    pub port: Option<i32>,
    /// `instance`, `ip`, `lambda` or `alb`.
    pub target_type: Option<String>,
    /// The load balancers that forward to it.
    pub load_balancers: Vec<String>,
    /// Its tags (`DescribeTags`).
    pub tags: Fact<Tags>,
    /// The registered targets (`DescribeTargetHealth`): instance ids, IP addresses, function or
    /// load balancer ARNs. Read for the target groups of network load balancers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Fact<Vec<String>>>,
}

impl crate::evidence::RegionSection for Elbv2Region {}
