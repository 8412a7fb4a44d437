//! Classic Load Balancer evidence: each load balancer with its listeners, the SSL negotiation
//! policies defined on it, its access-log setting and its tags.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's Classic Load Balancers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElbRegion {
    /// Classic Load Balancers (`DescribeLoadBalancers`).
    pub load_balancers: Fact<Vec<ClassicLoadBalancer>>,
}

/// A Classic Load Balancer and the settings the transit controls judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassicLoadBalancer {
    /// Load balancer name (its ARN ends in it).
    pub name: String,
    /// `internet-facing` or `internal`.
    pub scheme: Option<String>,
    /// The VPC it runs in.
    pub vpc_id: Option<String>,
    /// Its tags (`DescribeTags`).
    pub tags: Fact<Tags>,
    /// Its listeners, as `DescribeLoadBalancers` gives them.
    pub listeners: Vec<ClassicListener>,
    /// The policies defined on it (`DescribeLoadBalancerPolicies`), SSL negotiation among them.
    pub policies: Fact<Vec<LbPolicy>>,
    /// Where access logs go (`DescribeLoadBalancerAttributes`): the bucket when on, `None` when off.
    pub access_log: Fact<Option<String>>,
}

/// A listener: the front-end protocol and port, the back-end ones, and its policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassicListener {
    /// `HTTP`, `HTTPS`, `TCP` or `SSL`.
    pub protocol: String,
    /// The port clients connect to.
    pub port: i32,
    /// The protocol to the instances.
    pub instance_protocol: Option<String>,
    /// The port on the instances.
    pub instance_port: Option<i32>,
    /// The policies in force on it (the SSL negotiation policy of an HTTPS or SSL listener).
    pub policy_names: Vec<String>,
}

/// A policy of a Classic Load Balancer, with its attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LbPolicy {
    /// Policy name.
    pub name: String,
    /// `SSLNegotiationPolicyType`, `LBCookieStickinessPolicyType`, …
    pub kind: String,
    /// Its attributes (`Protocol-TLSv1`, `Reference-Security-Policy`, cipher names, …).
    pub attributes: BTreeMap<String, String>,
}

impl crate::evidence::RegionSection for ElbRegion {}
