//! Amazon SNS evidence: each topic's encryption key, policy and tags, per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's topics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnsRegion {
    /// The topics (`ListTopics`).
    pub topics: Fact<Vec<Topic>>,
}

/// A topic: how the messages it holds are encrypted and who may use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Topic ARN.
    pub arn: String,
    /// Topic name (the ARN's last part).
    pub name: String,
    /// Topic tags (`ListTagsForResource`).
    pub tags: Fact<Tags>,
    /// Encryption key and policy (`GetTopicAttributes`, one call).
    pub attributes: Fact<TopicAttributes>,
}

/// The attributes the controls read, from one `GetTopicAttributes` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicAttributes {
    /// The KMS key of server-side encryption (`KmsMasterKeyId`); `None` when encryption is off.
    pub kms_key_id: Option<String>,
    /// The topic policy JSON (`Policy`; every topic has one).
    pub policy: String,
}

impl crate::evidence::RegionSection for SnsRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.topics.get().map(|list| {
            list.iter()
                .map(|t| crate::evidence::Store {
                    arn: t.arn.clone(),
                    tags: t.tags.clone(),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
