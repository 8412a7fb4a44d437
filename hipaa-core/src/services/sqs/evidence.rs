//! Amazon SQS evidence: each queue's encryption, policy and tags, per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's queues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsRegion {
    /// The queues (`ListQueues`).
    pub queues: Fact<Vec<Queue>>,
}

/// A queue: where it is, how its messages are stored and who may use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Queue URL, as `ListQueues` gives it.
    pub url: String,
    /// Queue ARN (from the URL's account and name, so it is known even when the attributes are not).
    pub arn: String,
    /// Queue name.
    pub name: String,
    /// Queue tags (`ListQueueTags`).
    pub tags: Fact<Tags>,
    /// Encryption and policy (`GetQueueAttributes`, one call).
    pub attributes: Fact<QueueAttributes>,
}

/// The attributes the controls read, from one `GetQueueAttributes` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueAttributes {
    /// How messages are encrypted at rest.
    pub encryption: QueueEncryption,
    /// The queue policy JSON (`Policy`); `None` when the queue has none.
    pub policy: Option<String>,
}

/// How a queue encrypts its messages at rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "key")]
pub enum QueueEncryption {
    /// No server-side encryption (`SqsManagedSseEnabled` false, no `KmsMasterKeyId`).
    None,
    /// SSE-SQS: keys SQS owns and manages.
    SqsManaged,
    /// SSE-KMS with this key reference (`KmsMasterKeyId`: an alias, key id or ARN).
    Kms(String),
}

impl crate::evidence::RegionSection for SqsRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.queues.get().map(|list| {
            list.iter()
                .map(|q| crate::evidence::Store {
                    arn: q.arn.clone(),
                    tags: q.tags.clone(),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
