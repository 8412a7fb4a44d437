//! Network and region evidence: which regions the account can use, and each region's VPCs,
//! flow logs and instance placement (metadata only).

use super::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region as EC2 `DescribeRegions` (with `AllRegions`) lists it for this account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRegion {
    /// Region name.
    pub name: String,
    /// Its opt-in status.
    pub opt_in: RegionOptIn,
}

/// Whether the account can use a region: only enabled regions can hold resources or answer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionOptIn {
    /// Enabled by default (`opt-in-not-required`).
    NotRequired,
    /// An opt-in region the account enabled (`opted-in`).
    OptedIn,
    /// An opt-in region the account has not enabled (`not-opted-in`).
    NotOptedIn,
    /// A status this build does not know, kept verbatim; never counted as enabled.
    Other(String),
}

impl RegionOptIn {
    /// Parse EC2's `OptInStatus`.
    pub fn parse(s: &str) -> RegionOptIn {
        match s {
            "opt-in-not-required" => RegionOptIn::NotRequired,
            "opted-in" => RegionOptIn::OptedIn,
            "not-opted-in" => RegionOptIn::NotOptedIn,
            other => RegionOptIn::Other(other.to_string()),
        }
    }

    /// EC2's own word for it.
    pub fn as_str(&self) -> &str {
        match self {
            RegionOptIn::NotRequired => "opt-in-not-required",
            RegionOptIn::OptedIn => "opted-in",
            RegionOptIn::NotOptedIn => "not-opted-in",
            RegionOptIn::Other(s) => s,
        }
    }

    /// Whether the account can use the region.
    pub fn enabled(&self) -> bool {
        matches!(self, RegionOptIn::NotRequired | RegionOptIn::OptedIn)
    }
}

/// The partition a region name belongs to (`aws`, `aws-us-gov`, `aws-cn`, `aws-iso`, …).
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else {
        "aws"
    }
}

/// Whether a region name belongs to a partition, so a listing that names regions of other
/// partitions (moto does) is not mistaken for this account's.
pub fn region_in_partition(region: &str, partition: &str) -> bool {
    partition_of_region(region) == partition
}

/// One region's networks and what runs in them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkRegion {
    /// Region name.
    pub region: String,
    /// VPCs (`DescribeVpcs`).
    pub vpcs: Fact<Vec<Vpc>>,
    /// Flow logs of every resource type (`DescribeFlowLogs`).
    pub flow_logs: Fact<Vec<FlowLog>>,
    /// EC2 instances and where they run (`DescribeInstances`), to find VPCs with PHI workloads.
    pub instances: Fact<Vec<Instance>>,
}

/// A VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    /// VPC id.
    pub id: String,
    /// Owning account.
    pub owner: Option<String>,
    /// Whether it is the region's default VPC.
    pub is_default: bool,
    /// Primary IPv4 CIDR block.
    pub cidr: Option<String>,
    /// VPC tags.
    pub tags: Tags,
}

/// A flow log on a VPC, subnet or network interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowLog {
    /// Flow log id.
    pub id: String,
    /// The VPC, subnet or interface it records.
    pub resource_id: String,
    /// `ACTIVE` when it is recording.
    pub status: Option<String>,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: Option<String>,
    /// `SUCCESS` or `FAILED` delivery.
    pub deliver_status: Option<String>,
    /// Why delivery fails, when it does.
    pub deliver_error: Option<String>,
    /// `cloud-watch-logs`, `s3` or `kinesis-data-firehose`.
    pub destination_type: Option<String>,
}

/// An EC2 instance's placement and tags.
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
}

impl Vpc {
    /// The VPC's ARN.
    pub fn arn(&self, partition: &str, region: &str, account: &str) -> String {
        let owner = self.owner.as_deref().unwrap_or(account);
        format!("arn:{partition}:ec2:{region}:{owner}:vpc/{}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opt_in_status_round_trips_and_only_enabled_ones_count() {
        for s in [
            "opt-in-not-required",
            "opted-in",
            "not-opted-in",
            "in-transition",
        ] {
            assert_eq!(RegionOptIn::parse(s).as_str(), s);
        }
        assert!(RegionOptIn::parse("opt-in-not-required").enabled());
        assert!(RegionOptIn::parse("opted-in").enabled());
        assert!(!RegionOptIn::parse("not-opted-in").enabled());
        assert!(!RegionOptIn::parse("in-transition").enabled());
    }

    #[test]
    fn regions_are_matched_to_their_partition() {
        assert!(region_in_partition("us-east-1", "aws"));
        assert!(region_in_partition("ap-southeast-7", "aws"));
        assert!(!region_in_partition("us-gov-west-1", "aws"));
        assert!(!region_in_partition("cn-north-1", "aws"));
        assert!(region_in_partition("us-gov-west-1", "aws-us-gov"));
        assert!(region_in_partition("cn-northwest-1", "aws-cn"));
        assert!(!region_in_partition("us-east-1", "aws-cn"));
        assert_eq!(partition_of_region("us-iso-east-1"), "aws-iso");
        assert_eq!(partition_of_region("us-isob-east-1"), "aws-iso-b");
    }
}
