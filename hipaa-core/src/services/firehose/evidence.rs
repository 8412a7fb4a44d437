//! Amazon Data Firehose evidence: each Firehose stream's source, encryption and tags, per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's Firehose streams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirehoseRegion {
    /// The Firehose streams (`ListDeliveryStreams`).
    pub delivery_streams: Fact<Vec<DeliveryStream>>,
}

/// A Firehose stream: it buffers records (up to a day when a destination is down) on their way
/// to S3, Redshift, OpenSearch or an HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryStream {
    /// Stream name.
    pub name: String,
    /// Stream ARN.
    pub arn: String,
    /// Stream tags (`ListTagsForDeliveryStream`).
    pub tags: Fact<Tags>,
    /// Source and encryption (`DescribeDeliveryStream`, one call).
    pub config: Fact<DeliveryStreamConfig>,
}

/// What `DescribeDeliveryStream` says about where records come from and how they are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryStreamConfig {
    /// Where the records come from.
    pub source: StreamSource,
    /// Server-side encryption (`DeliveryStreamEncryptionConfiguration`); `None` when the answer
    /// has none, which means it was never turned on.
    pub encryption: Option<ServerSideEncryption>,
}

/// Where a Firehose stream's records come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "arn")]
pub enum StreamSource {
    /// Producers write to it directly (`DirectPut`).
    DirectPut,
    /// It reads this Kinesis data stream: the records are kept there, not in Firehose.
    KinesisStream(String),
    /// Another source type, as named (`MSKAsSource`, `DatabaseAsSource`, …).
    Other(String),
}

/// A Firehose stream's server-side encryption setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSideEncryption {
    /// `ENABLED`, `ENABLING`, `ENABLING_FAILED`, `DISABLED`, `DISABLING`, `DISABLING_FAILED`.
    pub status: String,
    /// `AWS_OWNED_CMK` or `CUSTOMER_MANAGED_CMK`, when given.
    pub key_type: Option<String>,
    /// The customer-managed key's ARN, when given.
    pub key_arn: Option<String>,
}

impl crate::evidence::RegionSection for FirehoseRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.delivery_streams.get().map(|list| {
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
