//! Amazon ECS evidence: the latest ACTIVE revision of each task definition family, per region,
//! with what each container definition says about privileges, its file system, its logs and
//! its environment (variable names only).

use crate::aws::secret_names::EnvVar;
use crate::evidence::{Fact, Tags};
use serde::{Deserialize, Serialize};

/// One region's task definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcsRegion {
    /// The latest ACTIVE revision of each family (`ListTaskDefinitions`).
    pub task_definitions: Fact<Vec<TaskDefinition>>,
}

/// A task definition revision and its containers (`DescribeTaskDefinition`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinition {
    /// Task definition ARN (with its revision).
    pub arn: String,
    /// The family.
    pub family: String,
    /// The revision number.
    pub revision: i64,
    /// Its tags.
    pub tags: Fact<Tags>,
    /// Its container definitions.
    pub containers: Fact<Vec<Container>>,
}

/// A container definition, reduced to the settings the controls judge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// `privileged` as set; absent means not privileged.
    pub privileged: Option<bool>,
    /// `readonlyRootFilesystem` as set; absent means writable.
    pub readonly_root_filesystem: Option<bool>,
    /// The log driver of its log configuration; absent when it has none.
    pub log_driver: Option<String>,
    /// Its `environment` variables, names only (`secrets` entries, which come from Secrets
    /// Manager or Parameter Store, are not environment values and are not listed).
    pub environment: Vec<EnvVar>,
}

impl crate::evidence::RegionSection for EcsRegion {}
