//! Backup and recovery rules: AWS Backup plans and vaults, RDS, DynamoDB, EFS.

use super::RuleFn;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![]
}
