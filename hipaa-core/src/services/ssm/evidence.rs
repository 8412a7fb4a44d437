//! AWS Systems Manager evidence: managed nodes and their patch states, per region. Nothing the
//! nodes run or hold is read.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's Systems Manager nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsmRegion {
    /// Managed nodes (`DescribeInstanceInformation`).
    pub managed_instances: Fact<Vec<ManagedInstance>>,
    /// Patch states of those nodes (`DescribeInstancePatchStates`); a node without an entry
    /// has never reported a patch scan.
    pub patch_states: Fact<Vec<PatchState>>,
}

/// A node Systems Manager manages: an EC2 instance (`i-…`) or a hybrid node (`mi-…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedInstance {
    /// Instance or node id.
    pub id: String,
    /// The agent's state: `Online`, `ConnectionLost` or `Inactive`.
    pub ping_status: String,
}

/// The patch counts of one node's last patch scan or install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchState {
    /// Instance or node id.
    pub instance_id: String,
    /// Applicable patches not installed.
    pub missing: i32,
    /// Patches whose installation failed.
    pub failed: i32,
    /// Installed patches that wait for a reboot; `None` when the answer did not say.
    pub installed_pending_reboot: Option<i32>,
    /// Installed patches the baseline rejects; `None` when the answer did not say.
    pub installed_rejected: Option<i32>,
    /// Non-compliant patches of critical severity; `None` when the answer did not say.
    pub critical_non_compliant: Option<i32>,
    /// Non-compliant security patches; `None` when the answer did not say.
    pub security_non_compliant: Option<i32>,
}

impl PatchState {
    /// NON_COMPLIANT as Patch Manager counts it: something missing, failed, waiting for a
    /// reboot, or installed against the baseline.
    pub fn non_compliant(&self) -> bool {
        self.missing > 0
            || self.failed > 0
            || self.installed_pending_reboot.unwrap_or(0) > 0
            || self.installed_rejected.unwrap_or(0) > 0
    }
}

impl crate::evidence::RegionSection for SsmRegion {}
