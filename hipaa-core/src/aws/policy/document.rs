//! The typed form of an IAM policy document: statements, principals and conditions.

use serde::Serialize;
use std::collections::BTreeMap;

/// Why a policy document could not be read, so a rule can report it instead of guessing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyParseError {
    /// What is wrong with the document, lowercase, with user values in backticks.
    pub message: String,
}

impl PolicyParseError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Whether a statement grants or takes away access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    /// The statement grants what it names.
    Allow,
    /// The statement refuses what it names, overriding any grant.
    Deny,
}

/// Who a statement applies to, kept as written so reports can name the grantees.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Principal {
    /// True when the element was the bare string `"*"` (everyone, anonymous callers included).
    pub any: bool,
    /// Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to its identifiers.
    pub by_type: BTreeMap<String, Vec<String>>,
}

impl Principal {
    /// Whether this names every caller: `"*"`, `{"AWS": "*"}` or `{"AWS": [.., "*", ..]}`.
    pub fn is_everyone(&self) -> bool {
        self.any
            || self
                .by_type
                .get("AWS")
                .is_some_and(|ids| ids.iter().any(|id| id == "*"))
    }
}

/// One condition operator/key/values triple, flattened from the `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// The operator as written, e.g. `StringEquals` or `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// The condition key as written, e.g. `aws:SourceArn`.
    pub key: String,
    /// The values; JSON booleans and numbers become strings such as `"true"` and `"42"`.
    pub values: Vec<String>,
}

/// One policy statement with every element normalised to lists.
///
/// Parsing guarantees that exactly one of `action`/`not_action` is non-empty, that at most one
/// of `resource`/`not_resource` is non-empty (both empty means the element was absent, as in
/// trust policies), and that `principal` and `not_principal` are not both set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The statement id, if the document gave one.
    pub sid: Option<String>,
    /// Whether the statement allows or denies.
    pub effect: Effect,
    /// Who the statement applies to (resource-based policies only).
    pub principal: Option<Principal>,
    /// Who the statement applies to by exclusion: everyone except these.
    pub not_principal: Option<Principal>,
    /// Action patterns the statement names.
    pub action: Vec<String>,
    /// Action patterns the statement excludes (it names every other action).
    pub not_action: Vec<String>,
    /// Resource patterns the statement names.
    pub resource: Vec<String>,
    /// Resource patterns the statement excludes (it names every other resource).
    pub not_resource: Vec<String>,
    /// Every condition, flattened; all must hold for the statement to apply.
    pub conditions: Vec<Condition>,
}

/// An Allow statement that anyone can use, and what it lets them do, so reports can say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicGrant {
    /// The statement's `Sid`, or `#<index>` (0-based position in the document) without one.
    pub statement: String,
    /// The actions granted as written, or `all actions except ...` for a `NotAction` statement.
    pub actions: Vec<String>,
}

/// A parsed IAM policy document (identity, bucket, key or trust policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyDocument {
    /// The `Version` element, if present.
    pub version: Option<String>,
    /// The statements in document order.
    pub statements: Vec<Statement>,
}
