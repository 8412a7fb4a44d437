//! AWS Backup: plans, selections, vaults, resource-type opt-in, and coverage of every PHI-tagged
//! resource it can protect.

pub mod evidence;
pub(crate) mod iac;
pub(crate) mod rules;
#[cfg(test)]
pub(crate) mod tests;

pub(crate) use rules::rules;

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &["AwsBackupBackupPlan", "AwsBackupBackupVault", "AwsBackupRestoreTestingPlan", "AwsDocDbCluster", "AwsFsxFileSystem", "AwsFsxVolume", "AwsStorageGatewayVolume"];
