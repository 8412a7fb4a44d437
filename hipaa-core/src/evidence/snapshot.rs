use super::backup::BackupRegion;
use super::governance::{Agreement, OrganizationsEvidence, TaggedInventory};
use super::iam::IamEvidence;
use super::kms::KmsEvidence;
use super::logging::LoggingRegion;
use super::network::{AccountRegion, NetworkRegion};
use super::s3::S3Evidence;
use super::Fact;
use super::UnknownReason;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever the snapshot's shape changes incompatibly.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// All evidence from one scan of one account, saved and evaluated offline as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version of this snapshot.
    pub schema_version: u32,
    /// When the evidence was collected.
    pub taken_at: DateTime<Utc>,
    /// What produced it (`aws`, `aws endpoint http://127.0.0.1:…`, …).
    pub source: String,
    /// AWS partition (`aws`, `aws-us-gov`, `aws-cn`).
    pub partition: String,
    /// The account id (from STS).
    pub account: Fact<String>,
    /// Regions asked for: the ones named (scope or options), else every enabled region. A named
    /// region that is not enabled stays listed; its reads are never attempted and its facts are unknown.
    pub regions: Vec<String>,
    /// Every region of the partition and whether the account enabled it (EC2 `DescribeRegions`).
    #[serde(default = "not_collected")]
    pub account_regions: Fact<Vec<AccountRegion>>,
    /// S3 evidence.
    pub s3: S3Evidence,
    /// KMS evidence.
    pub kms: KmsEvidence,
    /// IAM evidence.
    pub iam: IamEvidence,
    /// Agreements accepted in AWS Artifact (the BAA).
    #[serde(default = "not_collected")]
    pub agreements: Fact<Vec<Agreement>>,
    /// AWS Organizations: membership, accounts and service control policies.
    #[serde(default)]
    pub organizations: OrganizationsEvidence,
    /// Tagged resources of every service, per region (Resource Groups Tagging API).
    #[serde(default = "not_collected")]
    pub inventory: Fact<Vec<TaggedInventory>>,
    /// Logging and monitoring, per region.
    #[serde(default = "not_collected")]
    pub logging: Fact<Vec<LoggingRegion>>,
    /// Backup and recovery, per region.
    #[serde(default = "not_collected")]
    pub backup: Fact<Vec<BackupRegion>>,
    /// VPCs, flow logs and instance placement, per region.
    #[serde(default = "not_collected")]
    pub network: Fact<Vec<NetworkRegion>>,
    /// Every read attempted and every read that failed.
    pub reads: ReadLog,
}

/// What a section missing from an older snapshot means: never read, so its controls are ERROR.
pub(crate) fn not_collected<T>() -> Fact<T> {
    Fact::Unknown(super::Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before this evidence was collected",
    ))
}

impl Default for OrganizationsEvidence {
    fn default() -> Self {
        OrganizationsEvidence {
            organization: not_collected(),
            accounts: not_collected(),
            parents: not_collected(),
            scps: not_collected(),
        }
    }
}

/// The ledger of API reads, for completeness figures and the benchmark.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadLog {
    /// Calls made, keyed by `service:Operation`.
    pub calls: BTreeMap<String, u64>,
    /// The reads that failed and why.
    pub failures: Vec<ReadFailure>,
}

impl ReadLog {
    /// Total calls made.
    pub fn attempted(&self) -> u64 {
        self.calls.values().sum()
    }
}

/// One failed read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadFailure {
    /// `service:Operation`.
    pub operation: String,
    /// The resource it was about (bucket name, key id, region), empty for account-wide reads.
    pub resource: String,
    /// Failure class.
    pub reason: UnknownReason,
    /// The service's error code and message.
    pub detail: String,
}

impl Snapshot {
    /// Why a requested region has no evidence in a section: it is not enabled for the account, or
    /// (never expected) its collection left nothing behind.
    pub fn missing_region(&self, region: &str, section: &str) -> super::Unknown {
        let disabled = self
            .account_regions
            .known()
            .and_then(|list| list.iter().find(|r| r.name == region))
            .filter(|r| !r.opt_in.enabled());
        match disabled {
            Some(r) => super::Unknown::new(
                UnknownReason::RegionDisabled,
                "ec2:DescribeRegions",
                format!(
                    "region `{region}` is not enabled for this account (opt-in status `{}`), so nothing in it could be read",
                    r.opt_in.as_str()
                ),
            ),
            None => super::Unknown::new(
                UnknownReason::NotCollected,
                "snapshot",
                format!("no {section} evidence was collected for scanned region `{region}`"),
            ),
        }
    }

    /// Parse a snapshot JSON text; `path` names the source in errors.
    pub fn from_json(text: &str, path: &str) -> crate::error::Result<Snapshot> {
        let err = |message: String| crate::error::Error::Snapshot {
            path: path.into(),
            message,
        };
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| err(format!("line {}, column {}: {e}", e.line(), e.column())))?;
        match value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(SNAPSHOT_SCHEMA_VERSION) => {}
            Some(v) => {
                return Err(err(format!(
                    "unsupported schema_version {v} (this build reads {SNAPSHOT_SCHEMA_VERSION})"
                )))
            }
            None => return Err(err("missing `schema_version`: not a hipaa snapshot".into())),
        }
        serde_json::from_value(value).map_err(|e| err(e.to_string()))
    }

    /// Load a snapshot file.
    pub fn load(path: &std::path::Path) -> crate::error::Result<Snapshot> {
        let text = std::fs::read_to_string(path).map_err(|source| crate::error::Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Snapshot::from_json(&text, &path.display().to_string())
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bad_snapshots_are_named_errors() {
        let e = Snapshot::from_json("{", "s.json").unwrap_err().to_string();
        assert!(e.contains("s.json") && e.contains("line 1"), "{e}");
        let e = Snapshot::from_json("{\"schema_version\": 99}", "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unsupported schema_version 99"), "{e}");
        let e = Snapshot::from_json("{\"hello\": 1}", "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a hipaa snapshot"), "{e}");
        let e = Snapshot::from_json("{\"schema_version\": 1}", "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field"), "{e}");
    }

    #[test]
    fn snapshot_round_trips() {
        let s = crate::rules::testkit::snapshot_with(vec![crate::rules::testkit::bucket("b")]);
        assert_eq!(Snapshot::from_json(&s.to_json(), "x").unwrap(), s);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in ".{0,200}") {
            let _ = Snapshot::from_json(&text, "fuzz.json");
        }
    }
}
