//! Amazon Inspector evidence: the scanned account's scan types, per region.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// One region's Inspector status for the scanned account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspector2Region {
    /// The account's entry of `BatchGetAccountStatus`; unknown when the call failed or the
    /// answer reported the account as failed.
    pub account: Fact<ScanTypes>,
}

/// The state of each scan type, as Inspector spells it (`ENABLED`, `ENABLING`, `DISABLED`,
/// `DISABLING`, `SUSPENDED`, `SUSPENDING`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanTypes {
    /// Amazon EC2 scanning.
    pub ec2: Fact<String>,
    /// Amazon ECR (container image) scanning.
    pub ecr: Fact<String>,
    /// AWS Lambda standard scanning.
    pub lambda: Fact<String>,
}

impl crate::evidence::RegionSection for Inspector2Region {}
