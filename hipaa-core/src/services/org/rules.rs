//! AWS Organizations rules: none yet (the organization scan adds `org.*` controls).

use crate::rules::RuleFn;

pub(crate) fn rules() -> Vec<RuleFn> {
    Vec::new()
}
