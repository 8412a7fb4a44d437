//! Governance rules: HIPAA-eligible services, SCP guardrails, tagging discipline.

use super::RuleFn;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![]
}
