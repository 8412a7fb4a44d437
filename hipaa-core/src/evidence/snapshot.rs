use super::account::AccountRegion;
use super::{Fact, Unknown, UnknownReason};
use crate::services::Services;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever the snapshot's shape changes incompatibly.
///
/// - 1: one struct with a differently shaped section per theme (logging, backup, network).
/// - 2: `provenance` instead of `source`, and `services` with one optional section per AWS
///   service (absent: the source does not describe that service). Version 1 files still load.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 2;

/// All evidence from one source about one account, saved and evaluated offline as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version of this snapshot.
    pub schema_version: u32,
    /// When the evidence was collected.
    pub taken_at: DateTime<Utc>,
    /// What produced it: a live account, a template or plan file, or test data.
    pub provenance: Provenance,
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
    /// The evidence, service by service.
    #[serde(default)]
    pub services: Services,
    /// Every read attempted and every read that failed.
    pub reads: ReadLog,
}

/// Where a snapshot's evidence came from, which decides what a missing service section means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// A live scan of an AWS account, or of an emulator at `endpoint`: a service it lacks was
    /// not collected, so its controls are ERROR.
    Live {
        /// The endpoint override (moto, LocalStack), when one was used.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// Infrastructure code judged before deploy: a service it does not describe is judged on
    /// the live account instead, so its controls are NOT_APPLICABLE.
    Template {
        /// `cloudformation`, `cdk` or `terraform-plan`.
        format: String,
        /// The file or directory read (several, comma-separated, when more than one was given).
        path: String,
        /// Every resource converted, with where it is defined and what stays open until apply.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        resources: Vec<super::template::TemplateResource>,
    },
    /// Built by a program or a test (treated like a live scan).
    Synthetic {
        /// What built it.
        label: String,
    },
}

impl Provenance {
    /// The one-line description reports show (`aws`, `aws endpoint URL`, `cloudformation t.yaml`).
    pub fn label(&self) -> String {
        match self {
            Provenance::Live { endpoint: None } => "aws".to_string(),
            Provenance::Live {
                endpoint: Some(url),
            } => format!("aws endpoint {url}"),
            Provenance::Template { format, path, .. } => format!("{format} {path}"),
            Provenance::Synthetic { label } => label.clone(),
        }
    }

    /// Whether this is infrastructure code rather than an account.
    pub fn is_template(&self) -> bool {
        matches!(self, Provenance::Template { .. })
    }

    /// The resource of infrastructure code a finding's resource is (by ARN first, then by id).
    pub fn template_resource(
        &self,
        arn: &str,
        id: &str,
    ) -> Option<&super::template::TemplateResource> {
        let Provenance::Template { resources, .. } = self else {
            return None;
        };
        resources
            .iter()
            .find(|r| r.arn == arn)
            .or_else(|| resources.iter().find(|r| r.id == id))
    }

    /// Read a version-1 `source` string back into a provenance.
    pub(crate) fn from_label(source: &str) -> Provenance {
        match source {
            "aws" => Provenance::Live { endpoint: None },
            s => match s.strip_prefix("aws endpoint ") {
                Some(url) => Provenance::Live {
                    endpoint: Some(url.to_string()),
                },
                None => Provenance::Synthetic {
                    label: s.to_string(),
                },
            },
        }
    }
}

/// What a section missing from an older snapshot means: never read, so its controls are ERROR.
pub(crate) fn not_collected<T>() -> Fact<T> {
    Fact::Unknown(Unknown::new(
        UnknownReason::NotCollected,
        "snapshot",
        "this snapshot was written before this evidence was collected",
    ))
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
    /// In an organization report: the account the read was made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

impl Snapshot {
    /// Why a requested region has no evidence in a section: it is not enabled for the account, or
    /// (never expected) its collection left nothing behind.
    pub fn missing_region(&self, region: &str, section: &str) -> Unknown {
        let disabled = self
            .account_regions
            .known()
            .and_then(|list| list.iter().find(|r| r.name == region))
            .filter(|r| !r.opt_in.enabled());
        match disabled {
            Some(r) => Unknown::new(
                UnknownReason::RegionDisabled,
                "ec2:DescribeRegions",
                format!(
                    "region `{region}` is not enabled for this account (opt-in status `{}`), so nothing in it could be read",
                    r.opt_in.as_str()
                ),
            ),
            None => Unknown::new(
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
            Some(v) if v == u64::from(SNAPSHOT_SCHEMA_VERSION) => {
                serde_json::from_value(value).map_err(|e| err(e.to_string()))
            }
            Some(1) => serde_json::from_value::<super::legacy::SnapshotV1>(value)
                .map(super::legacy::SnapshotV1::upgrade)
                .map_err(|e| err(format!("schema_version 1: {e}"))),
            Some(v) => Err(err(format!(
                "unsupported schema_version {v} (this build reads 1 and {SNAPSHOT_SCHEMA_VERSION})"
            ))),
            None => Err(err("missing `schema_version`: not a hipaa snapshot".into())),
        }
    }

    /// Load a snapshot file.
    pub fn load(path: &std::path::Path) -> crate::error::Result<Snapshot> {
        let text = crate::audit::read_text(path)?;
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
        let e = Snapshot::from_json("{\"schema_version\": 2}", "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field"), "{e}");
    }

    #[test]
    fn snapshot_round_trips() {
        let s = crate::testkit::snapshot_with(vec![crate::testkit::bucket("b")]);
        assert_eq!(Snapshot::from_json(&s.to_json(), "x").unwrap(), s);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in ".{0,200}") {
            let _ = Snapshot::from_json(&text, "fuzz.json");
        }
    }
}
