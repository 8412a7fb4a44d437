//! Logging and monitoring rules: CloudTrail, AWS Config, GuardDuty, Security Hub, CloudWatch.

use super::RuleFn;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![]
}
