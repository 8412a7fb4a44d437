use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a fact could not be established; each one turns the findings that need it into ERROR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownReason {
    /// The caller lacks permission (AccessDenied, UnauthorizedOperation, …).
    AccessDenied,
    /// Throttling outlived the retries.
    Throttled,
    /// The region is disabled or not opted in.
    RegionDisabled,
    /// The answer could not be parsed or made no sense.
    ParseError,
    /// The endpoint could not be reached or timed out.
    Unreachable,
    /// The service answered with an error we do not classify.
    ServiceError,
    /// The read was never attempted (e.g. the listing it depends on failed).
    NotCollected,
    /// Infrastructure code does not fix the value: it depends on a parameter without a default,
    /// an imported value, a condition, a data source or a value Terraform computes at apply.
    UnknownUntilApply,
}

impl UnknownReason {
    /// Every reason, in declaration order.
    pub const ALL: [UnknownReason; 8] = [
        UnknownReason::AccessDenied,
        UnknownReason::Throttled,
        UnknownReason::RegionDisabled,
        UnknownReason::ParseError,
        UnknownReason::Unreachable,
        UnknownReason::ServiceError,
        UnknownReason::NotCollected,
        UnknownReason::UnknownUntilApply,
    ];

    /// The name the report JSON uses (`access_denied`, `unknown_until_apply`).
    pub fn label(self) -> &'static str {
        match self {
            UnknownReason::AccessDenied => "access_denied",
            UnknownReason::Throttled => "throttled",
            UnknownReason::RegionDisabled => "region_disabled",
            UnknownReason::ParseError => "parse_error",
            UnknownReason::Unreachable => "unreachable",
            UnknownReason::ServiceError => "service_error",
            UnknownReason::NotCollected => "not_collected",
            UnknownReason::UnknownUntilApply => "unknown_until_apply",
        }
    }

    /// The words used in messages (`access denied`).
    pub fn name(self) -> &'static str {
        match self {
            UnknownReason::AccessDenied => "access denied",
            UnknownReason::Throttled => "throttled",
            UnknownReason::RegionDisabled => "region disabled",
            UnknownReason::ParseError => "parse error",
            UnknownReason::Unreachable => "unreachable",
            UnknownReason::ServiceError => "service error",
            UnknownReason::NotCollected => "not collected",
            UnknownReason::UnknownUntilApply => "unknown until apply",
        }
    }
}

/// A fact we tried and failed to read, with enough detail to fix the cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unknown {
    /// The class of failure.
    pub reason: UnknownReason,
    /// The API call that failed, e.g. `s3:GetBucketPolicy`.
    pub operation: String,
    /// The service's own words (error code and message), never payload data.
    pub detail: String,
}

impl Unknown {
    /// A new unknown for `operation`.
    pub fn new(
        reason: UnknownReason,
        operation: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Unknown {
            reason,
            operation: operation.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reason == UnknownReason::UnknownUntilApply {
            // Nothing failed: the code leaves the value open until it is deployed.
            write!(f, "`{}` is unknown until apply", self.operation)?;
        } else {
            write!(f, "{} failed ({})", self.operation, self.reason.name())?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A fact is known, or unknown with its reason: no default value ever stands in for an unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    /// The read succeeded; this is what AWS said (including "not configured").
    Known(T),
    /// The read failed; see why.
    Unknown(Unknown),
}

impl<T> Fact<T> {
    /// The value, or the reason it is missing; lets rules use `?`.
    pub fn get(&self) -> Result<&T, Unknown> {
        match self {
            Fact::Known(v) => Ok(v),
            Fact::Unknown(u) => Err(u.clone()),
        }
    }

    /// The value if known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(v) => Some(v),
            Fact::Unknown(_) => None,
        }
    }

    /// True when the read failed.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Fact::Unknown(_))
    }

    /// Transform a known value, keeping the unknown as is.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Known(v) => Fact::Known(f(v)),
            Fact::Unknown(u) => Fact::Unknown(u),
        }
    }
}

impl<T> From<Result<T, Unknown>> for Fact<T> {
    fn from(r: Result<T, Unknown>) -> Self {
        match r {
            Ok(v) => Fact::Known(v),
            Err(u) => Fact::Unknown(u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_json_names() {
        for r in UnknownReason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.label());
        }
        let u = Unknown::new(
            UnknownReason::UnknownUntilApply,
            "BucketEncryption",
            "parameter `K` has no default",
        );
        assert_eq!(
            u.to_string(),
            "`BucketEncryption` is unknown until apply: parameter `K` has no default"
        );
    }
}
