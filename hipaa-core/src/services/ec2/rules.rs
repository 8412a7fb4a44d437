//! Amazon EC2 rules: none yet.

use crate::rules::RuleFn;

pub(crate) fn rules() -> Vec<RuleFn> {
    Vec::new()
}
