//! Amazon EC2 evidence: instances (placement, tags, metadata options), security groups and their
//! rules, and EBS volumes and the region's encryption-by-default setting. No instance data is read.

use crate::evidence::{Fact, Tags, Unknown, UnknownReason};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's EC2 workloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ec2Region {
    /// EC2 instances and where they run (`DescribeInstances`).
    pub instances: Fact<Vec<Instance>>,
    /// Security groups with their rules (`DescribeSecurityGroups`).
    #[serde(default = "not_in_snapshot")]
    pub security_groups: Fact<Vec<SecurityGroup>>,
    /// Whether new EBS volumes are encrypted by default (`GetEbsEncryptionByDefault`).
    #[serde(default = "not_in_snapshot")]
    pub ebs_encryption_by_default: Fact<bool>,
    /// EBS volumes (`DescribeVolumes`).
    #[serde(default = "not_in_snapshot")]
    pub volumes: Fact<Vec<Volume>>,
    /// Network ACLs and their entries (`DescribeNetworkAcls`).
    #[serde(default = "not_in_snapshot")]
    pub network_acls: Fact<Vec<NetworkAcl>>,
    /// EBS snapshots the account owns (`DescribeSnapshots`), with who may restore them.
    #[serde(default = "not_in_snapshot")]
    pub snapshots: Fact<Vec<EbsSnapshot>>,
    /// AMIs the account owns (`DescribeImages`).
    #[serde(default = "not_in_snapshot")]
    pub images: Fact<Vec<Image>>,
    /// The CIDR ranges of each managed prefix list an inbound security-group rule names
    /// (`GetManagedPrefixListEntries`), by prefix list id. A list named by a rule but missing
    /// here was never read (a snapshot written before these reads): unknown, never empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prefix_lists: BTreeMap<String, Fact<Vec<String>>>,
}

/// A network ACL: numbered allow and deny entries, evaluated lowest number first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAcl {
    /// ACL id (`acl-…`).
    pub id: String,
    /// The VPC it belongs to.
    pub vpc_id: Option<String>,
    /// Whether it is the VPC's default ACL.
    pub is_default: bool,
    /// ACL tags.
    pub tags: Tags,
    /// Its entries, both directions.
    pub entries: Vec<AclEntry>,
}

/// One numbered entry of a network ACL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclEntry {
    /// Evaluation order: lowest first, the first match decides.
    pub rule_number: i32,
    /// Outbound when true, inbound otherwise.
    pub egress: bool,
    /// Protocol number (`6` TCP, `17` UDP) or `-1` for all.
    pub protocol: String,
    /// `allow` when true, `deny` otherwise.
    pub allow: bool,
    /// IPv4 source or destination.
    pub cidr: Option<String>,
    /// IPv6 source or destination.
    pub ipv6_cidr: Option<String>,
    /// First port (TCP and UDP).
    pub from_port: Option<i32>,
    /// Last port.
    pub to_port: Option<i32>,
}

/// An EBS snapshot the account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EbsSnapshot {
    /// Snapshot id.
    pub id: String,
    /// The volume it was taken from.
    pub volume_id: Option<String>,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// Snapshot tags.
    pub tags: Tags,
    /// Whether anyone may create a volume from it (`createVolumePermission` group `all`), from
    /// `DescribeSnapshotAttribute`.
    pub public: Fact<bool>,
}

/// An AMI the account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Image id.
    pub id: String,
    /// Image name.
    pub name: Option<String>,
    /// Whether any account may launch it.
    pub public: bool,
    /// Image tags.
    pub tags: Tags,
}

/// Snapshots written before these reads existed hold no answer: unknown, never "none".
fn not_in_snapshot<T>() -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before this EC2 evidence was collected",
    ))
}

/// An EC2 instance's placement, tags and metadata-service setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Instance id.
    pub id: String,
    /// The VPC it runs in (none for EC2-Classic leftovers).
    pub vpc_id: Option<String>,
    /// `running`, `stopped`, …
    pub state: Option<String>,
    /// Instance tags.
    pub tags: Tags,
    /// `required` (IMDSv2 only) or `optional`; absent when the answer did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_tokens: Option<String>,
    /// Its public IPv4 address, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
}

/// A security group and its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// Group id (`sg-…`).
    pub id: String,
    /// Group name (`default` for a VPC's default group).
    pub name: String,
    /// The VPC it belongs to.
    pub vpc_id: Option<String>,
    /// Owning account.
    pub owner: Option<String>,
    /// Group tags.
    pub tags: Tags,
    /// Inbound rules.
    pub ingress: Vec<IpRule>,
    /// Outbound rules.
    pub egress: Vec<IpRule>,
}

/// One rule of a security group: a protocol and port range, and where traffic may come from
/// (inbound) or go to (outbound).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRule {
    /// `tcp`, `udp`, `icmp`, a protocol number, or `-1` for every protocol.
    pub protocol: String,
    /// First port (absent for every protocol).
    pub from_port: Option<i32>,
    /// Last port.
    pub to_port: Option<i32>,
    /// IPv4 CIDR ranges.
    pub ipv4: Vec<String>,
    /// IPv6 CIDR ranges.
    pub ipv6: Vec<String>,
    /// Managed prefix lists (`pl-…`).
    pub prefix_lists: Vec<String>,
    /// Other security groups.
    pub groups: Vec<String>,
}

/// An EBS volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Volume id.
    pub id: String,
    /// Whether it is encrypted at rest.
    pub encrypted: bool,
    /// The KMS key that encrypts it.
    pub kms_key_id: Option<String>,
    /// `in-use`, `available`, …
    pub state: Option<String>,
    /// The instances it is attached to.
    pub attached_to: Vec<String>,
    /// Volume tags.
    pub tags: Tags,
}

impl Ec2Region {
    /// A region known only by its instances (a snapshot of an earlier schema): every other
    /// read is unknown, so its controls are ERROR, never PASS.
    pub fn from_instances(instances: Fact<Vec<Instance>>) -> Ec2Region {
        Ec2Region {
            instances,
            security_groups: not_in_snapshot(),
            ebs_encryption_by_default: not_in_snapshot(),
            volumes: not_in_snapshot(),
            network_acls: not_in_snapshot(),
            snapshots: not_in_snapshot(),
            images: not_in_snapshot(),
            prefix_lists: BTreeMap::new(),
        }
    }
}

impl SecurityGroup {
    /// The group's ARN.
    pub fn arn(&self, partition: &str, region: &str, account: &str) -> String {
        let owner = self.owner.as_deref().unwrap_or(account);
        format!("arn:{partition}:ec2:{region}:{owner}:security-group/{}", self.id)
    }
}

impl crate::evidence::RegionSection for Ec2Region {}
