//! Physical safeguards (164.310): the customer's own are attested, AWS's are inherited.

use crate::rules::RuleFn;

/// No rules: every control here is decided by an attestation or inherited from AWS.
pub(crate) fn rules() -> Vec<RuleFn> {
    Vec::new()
}

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
