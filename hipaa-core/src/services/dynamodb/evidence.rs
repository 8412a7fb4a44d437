//! Amazon DynamoDB evidence: tables per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's DynamoDB tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamoDbRegion {
    /// The tables (`ListTables` + `DescribeTable`).
    pub tables: Fact<Vec<DynamoTable>>,
}

/// A DynamoDB table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamoTable {
    /// Table name.
    pub name: String,
    /// Table ARN.
    pub arn: String,
    /// Point-in-time recovery enabled.
    pub pitr: Fact<bool>,
    /// Table tags.
    pub tags: Fact<Tags>,
    /// The key its data is encrypted with; `None` when the snapshot does not record it.
    #[serde(default)]
    pub encryption: Option<TableKey>,
    /// Deletion protection; `None` when the description did not give it.
    #[serde(default)]
    pub deletion_protection: Option<bool>,
}

/// Which key a table is encrypted with: DynamoDB always encrypts, so the question is whose key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "key_arn")]
pub enum TableKey {
    /// The AWS-owned key (no `SSEDescription`): not in the account, not in its policy.
    AwsOwned,
    /// A KMS key in the account: the AWS-managed `aws/dynamodb` or a customer-managed key.
    Kms(String),
}

impl crate::evidence::RegionSection for DynamoDbRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.tables.get().map(|list| {
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
