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
