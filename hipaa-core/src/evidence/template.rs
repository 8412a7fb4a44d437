//! What a snapshot converted from infrastructure code knows beyond the service sections: where
//! each resource is defined, and the facts about it that stay open until it is deployed.

use super::Unknown;
use serde::{Deserialize, Serialize};

/// Where a resource is defined in infrastructure code, so a finding can point at the line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The file, as given (a template, a `.tf` file or a plan).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One resource of the code, by the id findings carry, so findings about it find its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateResource {
    /// The logical id (CloudFormation) or address (Terraform, `module.phi.aws_s3_bucket.records`).
    pub id: String,
    /// The stand-in ARN the evidence gives it (its real ARN exists only after deploy).
    pub arn: String,
    /// Its type as the code writes it (`AWS::S3::Bucket`, `aws_s3_bucket`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where it is defined, when the input says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Facts the evidence model holds as plain values but the code leaves open: every finding
    /// of the named controls about this resource is ERROR with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open: Vec<OpenFact>,
}

/// A fact about a resource that is unknown until apply, and the controls that need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFact {
    /// Control ids (or prefixes ending in `*`, such as `ec2.sg_*`, or `*` for every control)
    /// that read the fact.
    pub controls: Vec<String>,
    /// What is unknown and why.
    pub unknown: Unknown,
}

impl OpenFact {
    /// Whether a control reads this fact.
    pub fn affects(&self, control_id: &str) -> bool {
        self.controls.iter().any(|c| match c.strip_suffix('*') {
            Some(prefix) => control_id.starts_with(prefix),
            None => c == control_id,
        })
    }
}

impl TemplateResource {
    /// Whether a finding's resource (by ARN or id) is this one.
    pub fn is(&self, arn: &str, id: &str) -> bool {
        self.arn == arn || self.id == id
    }
}
