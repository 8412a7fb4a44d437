//! Technical safeguards (164.312) no API can show.

use crate::rules::RuleFn;

/// No rules: every control here is decided by an attestation or inherited from AWS.
pub(crate) fn rules() -> Vec<RuleFn> {
    Vec::new()
}

/// The resource kinds this service's findings are about (beyond the account and its regions).
#[cfg(test)]
pub(crate) const KINDS: &[&str] = &[];
