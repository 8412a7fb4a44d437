//! Amazon Kinesis Data Streams evidence: each stream's encryption and tags, per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's data streams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinesisRegion {
    /// The streams (`ListStreams`).
    pub streams: Fact<Vec<DataStream>>,
}

/// A data stream: records stay in it for its retention period (1 to 365 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataStream {
    /// Stream name.
    pub name: String,
    /// Stream ARN.
    pub arn: String,
    /// Stream tags (`ListTagsForStream`).
    pub tags: Fact<Tags>,
    /// Server-side encryption (`DescribeStreamSummary`).
    pub encryption: Fact<StreamEncryption>,
}

/// How a stream encrypts its records at rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "key")]
pub enum StreamEncryption {
    /// `EncryptionType` `NONE`.
    None,
    /// `EncryptionType` `KMS` with this key (`KeyId`: an alias, key id or ARN).
    Kms(String),
}

impl crate::evidence::RegionSection for KinesisRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.streams.get().map(|list| {
            list.iter()
                .map(|s| crate::evidence::Store {
                    arn: s.arn.clone(),
                    tags: s.tags.clone(),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
