//! Amazon EFS evidence: file systems per region.

use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's EFS file systems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EfsRegion {
    /// The file systems (`DescribeFileSystems`).
    pub file_systems: Fact<Vec<FileSystem>>,
}

/// An EFS file system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSystem {
    /// File system id.
    pub id: String,
    /// File system ARN.
    pub arn: String,
    /// Encrypted at rest.
    pub encrypted: bool,
    /// Automatic backups (`DescribeBackupPolicy` status `ENABLED`).
    pub backup_enabled: Fact<bool>,
    /// Tags from the file system description.
    pub tags: Tags,
    /// The file-system policy JSON (`DescribeFileSystemPolicy`); `None` when it has none.
    #[serde(default = "policy_not_collected")]
    pub policy: Fact<Option<String>>,
}

/// What a snapshot taken before file-system policies were read says of them: nothing known.
fn policy_not_collected() -> Fact<Option<String>> {
    crate::evidence::not_collected("EFS file-system policy")
}

impl crate::evidence::RegionSection for EfsRegion {
    const HOLDS_DATA: bool = true;
    fn stores(&self) -> Option<Result<Vec<crate::evidence::Store>, crate::evidence::Unknown>> {
        Some(self.file_systems.get().map(|list| {
            list.iter()
                .map(|f| crate::evidence::Store {
                    arn: f.arn.clone(),
                    tags: Fact::Known(f.tags.clone()),
                    region: None,
                    in_cluster: false,
                })
                .collect()
        }))
    }
}
