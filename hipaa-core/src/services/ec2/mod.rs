//! Amazon EC2: instances, security groups and EBS volumes. Its rules judge internet-open ports,
//! default security groups, EBS encryption and IMDSv2; the VPC and backup rules read its
//! instances.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[
    "AwsEc2Instance",
    "AwsEc2Volume",
    "AwsEc2SecurityGroup",
    "AwsEc2NetworkAcl",
    "AwsEc2Snapshot",
    "AwsEc2Image",
];
