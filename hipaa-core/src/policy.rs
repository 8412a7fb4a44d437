//! IAM policy documents: parsing and the questions the S3, KMS and IAM rules ask of them.
//!
//! A document is parsed once (JSON, or the URL-encoded form IAM's API returns) into typed
//! statements, and the analysis functions then walk those statements. Nothing here performs
//! I/O, and nothing panics on any input: malformed documents become a [`PolicyParseError`].
//!
//! The analysis is deliberately conservative where that is cheap: a condition only counts as
//! restricting who can call when it names the caller with a positive operator and a concrete
//! value, and a TLS-only deny only counts when nothing else narrows it.
#![warn(missing_docs)]

use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Why a policy document could not be read, so a rule can report it instead of guessing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyParseError {
    /// What is wrong with the document, lowercase, with user values in backticks.
    pub message: String,
}

impl PolicyParseError {
    fn new(message: impl Into<String>) -> Self {
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

/// The principal types IAM accepts inside a `Principal` or `NotPrincipal` object.
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

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

/// Keys that, compared positively against a concrete value, limit a statement to known callers.
const RESTRICTING_KEYS: [&str; 12] = [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceOrgID",
    "aws:PrincipalOrgPaths",
    "kms:CallerAccount",
    "kms:ViaService",
];

/// Operators that require the key to be present and equal to (or like) one of the values.
const POSITIVE_OPERATORS: [&str; 5] = [
    "StringEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "ArnEquals",
    "ArnLike",
];

/// How a condition operator treats multi-valued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetQualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

impl Condition {
    /// Splits the operator into its set qualifier, base operator and `IfExists` flag.
    fn operator_parts(&self) -> (SetQualifier, &str, bool) {
        let mut op = self.operator.trim();
        let mut qualifier = SetQualifier::None;
        if let Some(rest) = strip_prefix_ignore_case(op, "ForAnyValue:") {
            qualifier = SetQualifier::ForAnyValue;
            op = rest;
        } else if let Some(rest) = strip_prefix_ignore_case(op, "ForAllValues:") {
            qualifier = SetQualifier::ForAllValues;
            op = rest;
        }
        match strip_suffix_ignore_case(op, "IfExists") {
            Some(base) => (qualifier, base, true),
            None => (qualifier, op, false),
        }
    }

    /// Whether this condition pins the caller down, so a `"*"` principal under it is not public.
    ///
    /// Only the keys in the restricting list count, compared with `StringEquals`, `StringLike`,
    /// `ArnEquals`, `ArnLike` (or `StringEqualsIgnoreCase`), or `IpAddress` on `aws:SourceIp`
    /// without a `/0` range. `...IfExists` and `ForAllValues:` operators never restrict (a
    /// request without the key, such as an anonymous one, passes them), nor does a value that
    /// is only `*`.
    pub fn restricts_caller(&self) -> bool {
        let (qualifier, base, if_exists) = self.operator_parts();
        if if_exists || qualifier == SetQualifier::ForAllValues || self.values.is_empty() {
            return false;
        }
        let key = self.key.trim();
        if key.eq_ignore_ascii_case("aws:SourceIp") {
            return base.eq_ignore_ascii_case("IpAddress")
                && !self.values.iter().any(|v| v.trim().ends_with("/0"));
        }
        RESTRICTING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
            && POSITIVE_OPERATORS
                .iter()
                .any(|o| o.eq_ignore_ascii_case(base))
            && !self.values.iter().any(|v| is_all_stars(v.trim()))
    }

    /// Whether this is `Bool`/`BoolIfExists` `aws:SecureTransport` with a `false` value.
    fn matches_insecure_transport(&self) -> bool {
        let (qualifier, base, _) = self.operator_parts();
        qualifier == SetQualifier::None
            && base.eq_ignore_ascii_case("Bool")
            && self.key.trim().eq_ignore_ascii_case("aws:SecureTransport")
            && self
                .values
                .iter()
                .any(|v| v.trim().eq_ignore_ascii_case("false"))
    }
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

impl Statement {
    /// Whether the statement names `action`, so checks can ask about one concrete API call.
    ///
    /// Through `Action`, or by not excluding it in `NotAction`.
    pub fn covers_action(&self, action: &str) -> bool {
        if self.uses_not_action() {
            !self.not_action.iter().any(|p| action_matches(p, action))
        } else {
            self.action.iter().any(|p| action_matches(p, action))
        }
    }

    /// The name reports use for this statement: its `Sid`, or `#<index>` without one.
    pub fn label(&self, index: usize) -> String {
        match self.sid.as_deref().map(str::trim) {
            Some(sid) if !sid.is_empty() => sid.to_string(),
            _ => format!("#{index}"),
        }
    }

    /// Whether anonymous callers fall under this statement, the first half of "is it public".
    ///
    /// True for `Principal` `"*"` / `{"AWS": "*"}` and for any `NotPrincipal`.
    pub fn applies_to_everyone(&self) -> bool {
        self.not_principal.is_some() || self.principal.as_ref().is_some_and(Principal::is_everyone)
    }

    fn uses_not_action(&self) -> bool {
        self.action.is_empty()
    }

    fn covers_every_action(&self) -> bool {
        if self.uses_not_action() {
            self.not_action.is_empty()
        } else {
            self.action.iter().any(|p| matches_every_action(p))
        }
    }

    fn covers_every_resource(&self) -> bool {
        self.resource.iter().any(|r| matches_every_resource(r))
    }

    /// Whether the statement names every action of `service` (e.g. `kms:*`, `*:*` or `*`).
    fn covers_whole_service(&self, service: &str) -> bool {
        if self.uses_not_action() {
            !self
                .not_action
                .iter()
                .any(|p| may_touch_service(p, service))
        } else {
            self.action.iter().any(|p| covers_service(p, service))
        }
    }

    fn is_public_grant(&self) -> bool {
        self.effect == Effect::Allow
            && self.applies_to_everyone()
            && !self.conditions.iter().any(Condition::restricts_caller)
    }

    fn action_summary(&self) -> Vec<String> {
        if self.uses_not_action() {
            if self.not_action.is_empty() {
                vec!["*".to_string()]
            } else {
                vec![format!("all actions except {}", self.not_action.join(", "))]
            }
        } else {
            self.action.clone()
        }
    }
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

impl PolicyDocument {
    /// Reads a policy as AWS hands it over: JSON, or URL-encoded as IAM's API returns it.
    ///
    /// URL-encoded text (starting with `%`, e.g. `%7B`) is decoded first, twice at most. The
    /// structure is checked against IAM's grammar; anything else is a [`PolicyParseError`].
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyParseError> {
        let mut text: Cow<'_, str> = Cow::Borrowed(text.trim_start_matches('\u{feff}').trim());
        // IAM returns documents percent-encoded; some tools encode them a second time.
        for _ in 0..2 {
            if !text.starts_with('%') {
                break;
            }
            let decoded = percent_decode(&text)?;
            text = Cow::Owned(decoded.trim().to_string());
        }
        if text.is_empty() {
            return Err(PolicyParseError::new("policy document is empty"));
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            PolicyParseError::new(format!("policy document is not valid json: {e}"))
        })?;
        Self::from_value(&value)
    }

    /// Builds a document from JSON already parsed elsewhere, saving a second parse.
    pub fn from_value(value: &Value) -> Result<PolicyDocument, PolicyParseError> {
        let Value::Object(top) = value else {
            return Err(PolicyParseError::new(format!(
                "policy document must be a JSON object, found {}",
                kind(value)
            )));
        };
        let version = match top.get("Version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(other) => {
                return Err(PolicyParseError::new(format!(
                    "`Version` must be a string, found {}",
                    kind(other)
                )))
            }
        };
        let statements = match top.get("Statement") {
            None => return Err(PolicyParseError::new("policy document has no `Statement`")),
            Some(Value::Object(one)) => vec![parse_statement(one, 0)?],
            Some(Value::Array(many)) => many
                .iter()
                .enumerate()
                .map(|(index, item)| match item {
                    Value::Object(obj) => parse_statement(obj, index),
                    other => Err(PolicyParseError::new(format!(
                        "`Statement` must be an object or a list of objects, but item #{index} is {}",
                        kind(other)
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return Err(PolicyParseError::new(format!(
                    "`Statement` must be an object or a list of objects, found {}",
                    kind(other)
                )))
            }
        };
        Ok(PolicyDocument {
            version,
            statements,
        })
    }

    /// Whether some Allow grants every action on every resource, for the "admin policy" rules.
    ///
    /// `Action` `*` or `*:*` with `Resource` `*` (or an all-open ARN such as `arn:aws:*:*:*:*`).
    /// `NotAction` statements such as `NotAction: iam:*` are not full admin; conditions do not
    /// make a statement non-admin.
    pub fn grants_full_admin(&self) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow && s.covers_every_action() && s.covers_every_resource()
        })
    }

    /// The Allow statements anyone may use, with their actions, so reports can say why.
    ///
    /// A statement counts when its principal is `"*"`, `{"AWS": "*"}`, `{"AWS": [.., "*"]}` or
    /// any `NotPrincipal`, and no condition restricts the caller (see
    /// [`Condition::restricts_caller`]).
    pub fn public_statements(&self) -> Vec<PublicGrant> {
        self.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_public_grant())
            .map(|(index, s)| PublicGrant {
                statement: s.label(index),
                actions: s.action_summary(),
            })
            .collect()
    }

    /// Whether any statement is a public grant, for callers that only need a yes or no.
    pub fn allows_public_access(&self) -> bool {
        self.statements.iter().any(Statement::is_public_grant)
    }

    /// Whether the policy refuses plain-HTTP requests to `service`, for the TLS-only rules.
    ///
    /// Needs a Deny whose principal is `"*"` or `{"AWS": "*"}`, whose actions cover the whole
    /// service (`*`, `<service>:*`; for `s3`, covering `s3:GetObject` and `s3:PutObject` is
    /// enough, and some `Resource` must end in `*` so objects are included), and whose only
    /// condition is `Bool`/`BoolIfExists` `aws:SecureTransport` = `false` (any further condition
    /// would narrow the deny).
    pub fn denies_insecure_transport(&self, service: &str) -> bool {
        let service = service.trim();
        let is_s3 = service.eq_ignore_ascii_case("s3");
        self.statements.iter().any(|s| {
            s.effect == Effect::Deny
                && s.not_principal.is_none()
                && s.principal.as_ref().is_some_and(Principal::is_everyone)
                && !s.conditions.is_empty()
                && s.conditions
                    .iter()
                    .all(Condition::matches_insecure_transport)
                && (s.covers_whole_service(service)
                    || (is_s3
                        && s.covers_action("s3:GetObject")
                        && s.covers_action("s3:PutObject")))
                && (!is_s3 || s.resource.is_empty() || s.resource.iter().any(|r| r.ends_with('*')))
        })
    }

    /// Whether anyone may decrypt with the key, the worst case of a public key policy.
    ///
    /// A public Allow (as in [`PolicyDocument::public_statements`]) whose actions cover
    /// `kms:Decrypt`: `kms:Decrypt`, `kms:*`, `*`, or a wildcard like `kms:Decr*`.
    pub fn grants_kms_decrypt_to_everyone(&self) -> bool {
        self.statements
            .iter()
            .any(|s| s.is_public_grant() && s.covers_action("kms:Decrypt"))
    }

    /// Who besides the account root holds `kms:*` on the key, for the "broad kms:* grant" rule.
    ///
    /// Root is `arn:<partition>:iam::<account>:root` or the bare `<account>`. Grantees come in
    /// statement order without duplicates: `*` (for `"*"` or a `NotPrincipal`), `AWS:*`, AWS
    /// principals as written, or `<Type>:<id>` for other types. Conditions are not considered.
    pub fn kms_wildcard_grantees(&self, account_id: &str) -> Vec<String> {
        let account_id = account_id.trim();
        let mut out: Vec<String> = Vec::new();
        let mut push = |who: String| {
            if !out.contains(&who) {
                out.push(who);
            }
        };
        for s in &self.statements {
            if s.effect != Effect::Allow || !s.covers_whole_service("kms") {
                continue;
            }
            if s.not_principal.is_some() {
                push("*".to_string());
            }
            let Some(principal) = &s.principal else {
                continue;
            };
            if principal.any {
                push("*".to_string());
            }
            for (ty, ids) in &principal.by_type {
                for id in ids {
                    if ty != "AWS" {
                        push(format!("{ty}:{id}"));
                    } else if id == "*" {
                        push("AWS:*".to_string());
                    } else if !is_account_root(id, account_id) {
                        push(id.clone());
                    }
                }
            }
        }
        out
    }
}

/// Case-insensitive IAM wildcard match of an action pattern, so `s3:Get*` covers `s3:GetObject`.
///
/// `*` matches any run of characters (including none), `?` exactly one.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action)
}

/// Glob match shared by action patterns and service prefixes.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
            a.eq_ignore_ascii_case(&b)
        })
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(&p, &t, '*', '?', |a, b| {
            a == b || a.to_lowercase().eq(b.to_lowercase())
        })
    }
}

/// Iterative glob with single-star backtracking: O(len(p) * len(t)) worst case, no recursion.
fn glob<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star: T,
    one: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` seen and the text position it is currently absorbing up to.
    let mut resume: Option<(usize, usize)> = None;
    while let Some(&t) = text.get(ti) {
        match pattern.get(pi) {
            Some(&p) if p == star => {
                resume = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(&p) if p == one || eq(p, t) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((star_at, absorbed)) => {
                pi = star_at + 1;
                ti = absorbed + 1;
                resume = Some((star_at, absorbed + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(pi..)
        .is_some_and(|rest| rest.iter().all(|&p| p == star))
}

fn is_all_stars(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b == b'*')
}

/// `*`, `**`, `*:*` and the like.
fn matches_every_action(pattern: &str) -> bool {
    let pattern = pattern.trim();
    is_all_stars(pattern)
        || pattern
            .split_once(':')
            .is_some_and(|(svc, act)| is_all_stars(svc) && is_all_stars(act))
}

/// `*`, or an ARN pattern such as `arn:*` / `arn:aws:*:*:*:*` that leaves every part open.
fn matches_every_resource(pattern: &str) -> bool {
    let pattern = pattern.trim();
    if is_all_stars(pattern) {
        return true;
    }
    let Some(rest) = strip_prefix_ignore_case(pattern, "arn:") else {
        return false;
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let open_last = parts.last().is_some_and(|p| is_all_stars(p));
    open_last
        && parts.iter().enumerate().all(|(i, part)| {
            is_all_stars(part) || (i == 0 && part.to_ascii_lowercase().starts_with("aws"))
        })
}

/// Whether `pattern` names every action of `service` (`svc:*`, `*:*`, `*`, `s*:*`, ...).
fn covers_service(pattern: &str, service: &str) -> bool {
    let pattern = pattern.trim();
    match pattern.split_once(':') {
        Some((svc, act)) => wildcard_match(svc, service) && is_all_stars(act),
        None => is_all_stars(pattern),
    }
}

/// Whether `pattern` could match some action of `service` (used for `NotAction`; errs on yes).
fn may_touch_service(pattern: &str, service: &str) -> bool {
    let pattern = pattern.trim();
    match pattern.split_once(':') {
        Some((svc, _)) => wildcard_match(svc, service),
        None => pattern.contains(['*', '?']),
    }
}

fn is_account_root(principal: &str, account_id: &str) -> bool {
    let principal = principal.trim();
    if principal == account_id {
        return true;
    }
    let parts: Vec<&str> = principal.split(':').collect();
    matches!(
        parts.as_slice(),
        ["arn", _, "iam", "", account, "root"] if *account == account_id
    )
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix) {
        s.get(..cut)
    } else {
        None
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Decodes `%XX` escapes (RFC 3986, as IAM uses: `+` stays `+`).
fn percent_decode(text: &str) -> Result<String, PolicyParseError> {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes().enumerate();
    while let Some((at, b)) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let hi = bytes.next().and_then(|(_, c)| hex(c));
        let lo = bytes.next().and_then(|(_, c)| hex(c));
        match (hi, lo) {
            (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
            _ => {
                return Err(PolicyParseError::new(format!(
                    "url-encoded policy document has an invalid escape at byte {at}"
                )))
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| PolicyParseError::new("url-decoded policy document is not valid utf-8"))
}

const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn parse_statement(obj: &Map<String, Value>, index: usize) -> Result<Statement, PolicyParseError> {
    parse_statement_inner(obj)
        .map_err(|m| PolicyParseError::new(format!("statement #{index}: {m}")))
}

fn parse_statement_inner(obj: &Map<String, Value>) -> Result<Statement, String> {
    if let Some(unknown) = obj
        .keys()
        .find(|k| !STATEMENT_ELEMENTS.contains(&k.as_str()))
    {
        return Err(format!("unknown element `{unknown}`"));
    }
    let sid = match obj.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(format!("`Sid` must be a string, found {}", kind(other))),
    };
    let effect = match obj.get("Effect") {
        None => return Err("missing `Effect`".to_string()),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(Value::String(s)) => {
            return Err(format!("`Effect` must be `Allow` or `Deny`, found `{s}`"))
        }
        Some(other) => {
            return Err(format!(
                "`Effect` must be `Allow` or `Deny`, found {}",
                kind(other)
            ))
        }
    };
    let principal = obj
        .get("Principal")
        .map(|v| parse_principal(v, "Principal"))
        .transpose()?;
    let not_principal = obj
        .get("NotPrincipal")
        .map(|v| parse_principal(v, "NotPrincipal"))
        .transpose()?;
    if principal.is_some() && not_principal.is_some() {
        return Err("has both `Principal` and `NotPrincipal`".to_string());
    }
    let (action, not_action) = exclusive_lists(obj, "Action", "NotAction")?;
    if action.is_empty() && not_action.is_empty() {
        return Err("has neither `Action` nor `NotAction`".to_string());
    }
    let (resource, not_resource) = exclusive_lists(obj, "Resource", "NotResource")?;
    let conditions = match obj.get("Condition") {
        None => Vec::new(),
        Some(v) => parse_conditions(v)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        not_principal,
        action,
        not_action,
        resource,
        not_resource,
        conditions,
    })
}

/// Reads a pair like `Action`/`NotAction`, at most one present; a present one must not be empty.
fn exclusive_lists(
    obj: &Map<String, Value>,
    positive: &str,
    negative: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    match (obj.get(positive), obj.get(negative)) {
        (Some(_), Some(_)) => Err(format!("has both `{positive}` and `{negative}`")),
        (Some(v), None) => Ok((non_empty_list(v, positive)?, Vec::new())),
        (None, Some(v)) => Ok((Vec::new(), non_empty_list(v, negative)?)),
        (None, None) => Ok((Vec::new(), Vec::new())),
    }
}

fn non_empty_list(value: &Value, element: &str) -> Result<Vec<String>, String> {
    let list = string_list(value, element)?;
    if list.is_empty() {
        return Err(format!("`{element}` must not be empty"));
    }
    Ok(list)
}

/// A value IAM allows as a string or a list of strings.
fn string_list(value: &Value, element: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "`{element}` must be a string or a list of strings, but it holds {}",
                    kind(other)
                )),
            })
            .collect(),
        other => Err(format!(
            "`{element}` must be a string or a list of strings, found {}",
            kind(other)
        )),
    }
}

fn parse_principal(value: &Value, element: &str) -> Result<Principal, String> {
    match value {
        Value::String(s) if s.trim() == "*" => Ok(Principal {
            any: true,
            by_type: BTreeMap::new(),
        }),
        Value::String(s) => Err(format!(
            "`{element}` must be `*` or an object of principal types, found `{s}`"
        )),
        Value::Object(types) => {
            let mut by_type = BTreeMap::new();
            for (ty, ids) in types {
                if !PRINCIPAL_TYPES.contains(&ty.as_str()) {
                    return Err(format!(
                        "`{element}` type `{ty}` is not one of `AWS`, `Service`, `Federated`, `CanonicalUser`"
                    ));
                }
                let ids = string_list(ids, &format!("{element}.{ty}"))?;
                by_type.insert(
                    ty.clone(),
                    ids.into_iter().map(|id| id.trim().to_string()).collect(),
                );
            }
            Ok(Principal {
                any: false,
                by_type,
            })
        }
        other => Err(format!(
            "`{element}` must be `*` or an object of principal types, found {}",
            kind(other)
        )),
    }
}

fn parse_conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let Value::Object(operators) = value else {
        return Err(format!(
            "`Condition` must be an object of operators, found {}",
            kind(value)
        ));
    };
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(format!(
                "condition operator `{operator}` must map to an object of keys, found {}",
                kind(keys)
            ));
        };
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
                one => scalar(one).map(|v| vec![v]),
            }
            .ok_or_else(|| {
                format!(
                    "condition `{operator}` key `{key}` must have a string, boolean or number value, or a list of them"
                )
            })?;
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn doc(value: Value) -> PolicyDocument {
        PolicyDocument::from_value(&value).unwrap()
    }

    fn one(statement: Value) -> PolicyDocument {
        doc(json!({"Version": "2012-10-17", "Statement": [statement]}))
    }

    fn err(text: &str) -> String {
        PolicyDocument::parse(text).unwrap_err().message
    }

    fn percent_encode(text: &str) -> String {
        text.bytes().map(|b| format!("%{b:02X}")).collect()
    }

    // ---- parse: accepted shapes ----

    #[test]
    fn parse_statement_object_and_string_elements() {
        let d = PolicyDocument::parse(
            r#"{"Id": "x", "Statement": {"Sid": "S", "Effect": "Allow", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*", "Principal": "*"}}"#,
        )
        .unwrap();
        assert_eq!(d.version, None);
        assert_eq!(d.statements.len(), 1);
        let s = &d.statements[0];
        assert_eq!(s.sid.as_deref(), Some("S"));
        assert_eq!(s.effect, Effect::Allow);
        assert_eq!(s.action, vec!["s3:GetObject"]);
        assert_eq!(s.resource, vec!["arn:aws:s3:::b/*"]);
        assert!(s.principal.as_ref().unwrap().any);
        assert!(s.not_action.is_empty() && s.not_resource.is_empty());
    }

    #[test]
    fn parse_list_elements_and_principal_map() {
        let d = one(json!({"Effect": "Deny", "NotAction": ["iam:*", "kms:*"],
            "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b"],
            "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "2"], "Service": "s3.amazonaws.com"}}));
        let s = &d.statements[0];
        assert_eq!(d.version.as_deref(), Some("2012-10-17"));
        assert_eq!(s.effect, Effect::Deny);
        assert!(s.action.is_empty());
        assert_eq!(s.not_action, vec!["iam:*", "kms:*"]);
        assert_eq!(s.not_resource.len(), 2);
        let np = s.not_principal.as_ref().unwrap();
        assert!(!np.any);
        assert_eq!(np.by_type["AWS"], vec!["arn:aws:iam::1:root", "2"]);
        assert_eq!(np.by_type["Service"], vec!["s3.amazonaws.com"]);
    }

    #[test]
    fn parse_flattens_conditions_with_bools_and_numbers() {
        let d = one(
            json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
            "Bool": {"aws:MultiFactorAuthPresent": true},
            "NumericLessThan": {"aws:MultiFactorAuthAge": 3600, "s3:max-keys": [10, 2.5]},
            "StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]},
            "Null": {"aws:TokenIssueTime": false}}}),
        );
        let c = &d.statements[0].conditions;
        let find = |key: &str| c.iter().find(|c| c.key == key).unwrap();
        assert_eq!(find("aws:MultiFactorAuthPresent").values, vec!["true"]);
        assert_eq!(find("aws:MultiFactorAuthPresent").operator, "Bool");
        assert_eq!(find("aws:MultiFactorAuthAge").values, vec!["3600"]);
        assert_eq!(find("s3:max-keys").values, vec!["10", "2.5"]);
        assert_eq!(find("aws:RequestedRegion").values.len(), 2);
        assert_eq!(find("aws:TokenIssueTime").values, vec!["false"]);
        assert_eq!(c.len(), 5);
    }

    #[test]
    fn parse_accepts_url_encoded_double_encoded_and_bom() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let plain = PolicyDocument::parse(text).unwrap();
        let once = percent_encode(text);
        assert!(once.starts_with("%7B"));
        assert_eq!(PolicyDocument::parse(&once).unwrap(), plain);
        assert_eq!(
            PolicyDocument::parse(&percent_encode(&once)).unwrap(),
            plain
        );
        assert_eq!(
            PolicyDocument::parse(&format!("\u{feff}  {text}\n")).unwrap(),
            plain
        );
        // IAM's own form: only special characters encoded, `+` left literal.
        let iam = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGet%2B%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
        assert_eq!(
            PolicyDocument::parse(iam).unwrap().statements[0].action,
            vec!["s3:Get+"]
        );
    }

    #[test]
    fn parse_does_not_decode_percent_inside_plain_json() {
        let d = PolicyDocument::parse(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/%41"}}"#,
        )
        .unwrap();
        assert_eq!(d.statements[0].resource, vec!["arn:aws:s3:::b/%41"]);
    }

    #[test]
    fn parse_allows_trust_policy_without_resource() {
        let d = one(
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole"}),
        );
        assert!(d.statements[0].resource.is_empty());
        assert!(!d.grants_full_admin());
    }

    // ---- parse: rejected shapes ----

    #[test]
    fn parse_rejects_malformed_documents() {
        let cases: &[(&str, &str)] = &[
            ("", "policy document is empty"),
            ("   ", "policy document is empty"),
            ("{not json", "policy document is not valid json"),
            ("[]", "policy document must be a JSON object, found a list"),
            (
                "\"x\"",
                "policy document must be a JSON object, found a string",
            ),
            ("{}", "policy document has no `Statement`"),
            (
                r#"{"Version": 1, "Statement": []}"#,
                "`Version` must be a string",
            ),
            (
                r#"{"Statement": "Allow"}"#,
                "`Statement` must be an object or a list of objects",
            ),
            (
                r#"{"Statement": [1]}"#,
                "`Statement` must be an object or a list of objects, but item #0 is a number",
            ),
            (
                r#"{"Statement": {"Action": "*"}}"#,
                "statement #0: missing `Effect`",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "allow", "Action": "*"}]}"#,
                "statement #1: `Effect` must be `Allow` or `Deny`, found `allow`",
            ),
            (
                r#"{"Statement": {"Effect": true, "Action": "*"}}"#,
                "found a boolean",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "iam:*"}}"#,
                "has both `Action` and `NotAction`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#,
                "has neither `Action` nor `NotAction`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}"#,
                "`Action` must not be empty",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "x"}}"#,
                "has both `Resource` and `NotResource`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": ["s3:Get*", 3]}}"#,
                "`Action` must be a string or a list of strings, but it holds a number",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": {"a": 1}}}"#,
                "found an object",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": "everyone"}}"#,
                "`Principal` must be `*` or an object of principal types, found `everyone`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"Aws": "*"}}}"#,
                "`Principal` type `Aws` is not one of",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"AWS": [null]}}}"#,
                "`Principal.AWS` must be a string or a list of strings",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": "*", "NotPrincipal": "*"}}"#,
                "has both `Principal` and `NotPrincipal`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condtion": {}}}"#,
                "unknown element `Condtion`",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Sid": 5}}"#,
                "`Sid` must be a string",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": []}}"#,
                "`Condition` must be an object of operators, found a list",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": "x"}}}"#,
                "condition operator `Bool` must map to an object of keys",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": null}}}}"#,
                "condition `Bool` key `k` must have a string, boolean or number value",
            ),
            (
                r#"{"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": [{"a": 1}]}}}}"#,
                "condition `Bool` key `k` must have",
            ),
            (
                "%7B%2",
                "url-encoded policy document has an invalid escape at byte 3",
            ),
            ("%zz", "invalid escape at byte 0"),
            ("%FF%FE", "url-decoded policy document is not valid utf-8"),
            ("%7Bnope", "policy document is not valid json"),
        ];
        for (text, want) in cases {
            let got = err(text);
            assert!(got.contains(want), "{text}: got `{got}`, want `{want}`");
            let first = got.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{got}");
            assert!(!got.ends_with('.'), "{got}");
        }
    }

    // ---- action_matches ----

    #[test]
    fn action_matches_wildcards_and_case() {
        assert!(action_matches("s3:Get*", "s3:GetObject"));
        assert!(action_matches("S3:getobject", "s3:GetObject"));
        assert!(action_matches("*", "kms:Decrypt"));
        assert!(action_matches("*:*", "kms:Decrypt"));
        assert!(action_matches("kms:Decr*", "kms:Decrypt"));
        assert!(action_matches("kms:*crypt", "kms:Decrypt"));
        assert!(action_matches("kms:?ecrypt", "kms:Decrypt"));
        assert!(action_matches("*Object*", "s3:PutObjectAcl"));
        assert!(action_matches("s3:**", "s3:"));
        assert!(action_matches("", ""));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
        assert!(!action_matches("kms:?crypt", "kms:Decrypt"));
        assert!(!action_matches("kms:Decrypt?", "kms:Decrypt"));
        assert!(!action_matches("", "s3:GetObject"));
        assert!(!action_matches("*:*", "Decrypt") || action_matches("*:*", "a:b"));
        assert!(action_matches("ÄÖ:*", "äö:x"));
        assert!(!action_matches("a*a*a*a*a*a*b", &"a".repeat(200)));
    }

    // ---- grants_full_admin ----

    #[test]
    fn full_admin_positive_cases() {
        for (action, resource) in [
            (json!("*"), json!("*")),
            (json!(["*"]), json!(["*"])),
            (json!("*:*"), json!("*")),
            (json!(["s3:GetObject", "*"]), json!(["arn:aws:s3:::b", "*"])),
            (json!("*"), json!("arn:aws:*:*:*:*")),
            (json!("*"), json!("arn:*")),
        ] {
            let d = one(json!({"Effect": "Allow", "Action": action, "Resource": resource}));
            assert!(d.grants_full_admin(), "{action} on {resource}");
        }
        let with_condition = one(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}));
        assert!(with_condition.grants_full_admin());
    }

    #[test]
    fn full_admin_negative_cases() {
        for statement in [
            json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}),
            json!({"Effect": "Deny", "Action": "*", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}),
            json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"}),
            json!({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::b"}),
            json!({"Effect": "Allow", "Action": ["*:Get*", "*:List*"], "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "*", "Principal": "*"}),
        ] {
            assert!(!one(statement.clone()).grants_full_admin(), "{statement}");
        }
    }

    // ---- public_statements ----

    #[test]
    fn public_principal_shapes() {
        for principal in [
            json!("*"),
            json!({"AWS": "*"}),
            json!({"AWS": ["arn:aws:iam::1:root", "*"]}),
        ] {
            let d = one(
                json!({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*"}),
            );
            assert_eq!(
                d.public_statements(),
                vec![PublicGrant {
                    statement: "#0".into(),
                    actions: vec!["s3:GetObject".into()]
                }],
                "{principal}"
            );
            assert!(d.allows_public_access());
        }
        let np = one(json!({"Sid": "AllButMe", "Effect": "Allow",
            "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "NotAction": "s3:Delete*", "Resource": "*"}));
        assert_eq!(
            np.public_statements(),
            vec![PublicGrant {
                statement: "AllButMe".into(),
                actions: vec!["all actions except s3:Delete*".into()]
            }]
        );
    }

    #[test]
    fn non_public_principals() {
        for statement in [
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "*"}),
            json!({"Effect": "Allow", "Principal": {"Service": "*"}, "Action": "*"}),
            json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
            json!({"Effect": "Deny", "Principal": "*", "Action": "*"}),
            json!({"Effect": "Deny", "NotPrincipal": {"AWS": "1"}, "Action": "*"}),
        ] {
            let d = one(statement.clone());
            assert!(d.public_statements().is_empty(), "{statement}");
            assert!(!d.allows_public_access());
        }
    }

    #[test]
    fn labels_use_sid_or_document_index() {
        let d = doc(json!({"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "*"},
            {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"]},
            {"Sid": "Named", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}));
        let labels: Vec<String> = d
            .public_statements()
            .into_iter()
            .map(|g| g.statement)
            .collect();
        assert_eq!(labels, vec!["#1", "Named"]);
        assert_eq!(
            d.public_statements()[0].actions,
            vec!["s3:GetObject", "s3:ListBucket"]
        );
    }

    fn public_with(condition: Value) -> bool {
        one(
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*", "Condition": condition}),
        )
        .allows_public_access()
    }

    #[test]
    fn restricting_conditions_make_statement_private() {
        for key in RESTRICTING_KEYS {
            for op in POSITIVE_OPERATORS {
                assert!(!public_with(json!({op: {key: "o-abc123"}})), "{op} {key}");
            }
            let shouty = key.to_ascii_uppercase();
            assert!(
                !public_with(json!({"ForAnyValue:StringLike": {shouty: ["a", "b"]}})),
                "{key}"
            );
        }
        assert!(!public_with(
            json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})
        ));
        assert!(!public_with(
            json!({"IpAddress": {"aws:sourceip": "2001:db8::/32"}})
        ));
        assert!(!public_with(
            json!({"stringequals": {"aws:sourceaccount": 111122223333u64}})
        ));
        assert!(!public_with(json!({
            "Bool": {"aws:SecureTransport": "true"},
            "ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1"}})));
    }

    #[test]
    fn non_restricting_conditions_keep_statement_public() {
        for condition in [
            json!({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}),
            json!({"ArnLikeIfExists": {"aws:SourceArn": "*"}}),
            json!({"StringLike": {"aws:SourceArn": "*"}}),
            json!({"StringLike": {"aws:PrincipalOrgID": ["o-abc", "**"]}}),
            json!({"StringNotEquals": {"aws:SourceAccount": "111122223333"}}),
            json!({"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-a/r-b/*"}}),
            json!({"StringEquals": {"aws:SourceAccount": []}}),
            json!({"NumericEquals": {"aws:SourceAccount": 1}}),
            json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
            json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::/0"]}}),
            json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
            json!({"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}),
            json!({"StringLike": {"aws:Referer": "https://example.com/*"}}),
            json!({"Bool": {"aws:SecureTransport": "true"}}),
            json!({}),
        ] {
            assert!(public_with(condition.clone()), "{condition}");
        }
    }

    // ---- denies_insecure_transport ----

    fn tls_deny(principal: Value, action: Value, condition: Value) -> PolicyDocument {
        one(
            json!({"Effect": "Deny", "Principal": principal, "Action": action,
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": condition}),
        )
    }

    #[test]
    fn tls_deny_positive_spellings() {
        let f = json!({"Bool": {"aws:SecureTransport": "false"}});
        for (principal, action, condition) in [
            (json!("*"), json!("s3:*"), f.clone()),
            (
                json!({"AWS": "*"}),
                json!("*"),
                json!({"Bool": {"aws:SecureTransport": false}}),
            ),
            (
                json!({"AWS": ["*"]}),
                json!(["s3:*"]),
                json!({"BoolIfExists": {"aws:securetransport": "FALSE"}}),
            ),
            (json!("*"), json!(["s3:Get*", "s3:Put*"]), f.clone()),
            (
                json!("*"),
                json!(["s3:GetObject", "s3:PutObject"]),
                json!({"Bool": {"aws:SecureTransport": ["false"]}}),
            ),
            (json!("*"), json!("*:*"), f.clone()),
        ] {
            let d = tls_deny(principal.clone(), action.clone(), condition.clone());
            assert!(
                d.denies_insecure_transport("s3"),
                "{principal} {action} {condition}"
            );
        }
        let not_action = one(
            json!({"Effect": "Deny", "Principal": "*", "NotAction": "s3:ListBucket",
            "Resource": "*", "Condition": f}),
        );
        assert!(not_action.denies_insecure_transport("s3"));
        let kms = one(
            json!({"Effect": "Deny", "Principal": "*", "Action": "kms:*",
            "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}),
        );
        assert!(kms.denies_insecure_transport("kms"));
        assert!(!kms.denies_insecure_transport("s3"));
    }

    #[test]
    fn tls_deny_negative_cases() {
        let f = json!({"Bool": {"aws:SecureTransport": "false"}});
        for (principal, action, condition) in [
            (json!("*"), json!("s3:GetObject"), f.clone()),
            (json!("*"), json!("s3:Get*"), f.clone()),
            (
                json!("*"),
                json!("s3:*"),
                json!({"Bool": {"aws:SecureTransport": "true"}}),
            ),
            (
                json!("*"),
                json!("s3:*"),
                json!({"StringEquals": {"aws:SecureTransport": "false"}}),
            ),
            (
                json!("*"),
                json!("s3:*"),
                json!({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
            ),
            (
                json!({"AWS": "arn:aws:iam::1:root"}),
                json!("s3:*"),
                f.clone(),
            ),
            (
                json!("*"),
                json!("s3:*"),
                json!({"Bool": {"aws:SecureTransport": "false"},
                "StringEquals": {"aws:SourceVpc": "vpc-1"}}),
            ),
            (json!("*"), json!("s3:*"), json!({})),
        ] {
            let d = tls_deny(principal.clone(), action.clone(), condition.clone());
            assert!(
                !d.denies_insecure_transport("s3"),
                "{principal} {action} {condition}"
            );
        }
        let allow =
            one(json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": f}));
        assert!(!allow.denies_insecure_transport("s3"));
        let not_principal = one(
            json!({"Effect": "Deny", "NotPrincipal": {"AWS": "1"}, "Action": "s3:*",
            "Condition": f}),
        );
        assert!(!not_principal.denies_insecure_transport("s3"));
        let bucket_only = one(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::b", "Condition": f}));
        assert!(!bucket_only.denies_insecure_transport("s3"));
        let not_action_objects = one(
            json!({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject",
            "Resource": "*", "Condition": f}),
        );
        assert!(!not_action_objects.denies_insecure_transport("s3"));
    }

    // ---- grants_kms_decrypt_to_everyone ----

    #[test]
    fn kms_decrypt_to_everyone_cases() {
        for action in [
            json!("kms:Decrypt"),
            json!("kms:*"),
            json!("*"),
            json!(["kms:Encrypt", "kms:Decr*"]),
        ] {
            let d = one(
                json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action, "Resource": "*"}),
            );
            assert!(d.grants_kms_decrypt_to_everyone(), "{action}");
        }
        for statement in [
            json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}),
            json!({"Effect": "Allow", "Principal": "*", "NotAction": "kms:Decrypt", "Resource": "*"}),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/r"}, "Action": "kms:*"}),
            json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333",
                    "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}),
            json!({"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt"}),
        ] {
            assert!(
                !one(statement.clone()).grants_kms_decrypt_to_everyone(),
                "{statement}"
            );
        }
        let not_action = one(
            json!({"Effect": "Allow", "Principal": "*", "NotAction": "kms:ScheduleKeyDeletion"}),
        );
        assert!(not_action.grants_kms_decrypt_to_everyone());
    }

    // ---- kms_wildcard_grantees ----

    #[test]
    fn kms_wildcard_grantees_cases() {
        let d = doc(json!({"Statement": [
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws-us-gov:iam::111122223333:root"]},
                "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"},
                "Action": ["kms:*"], "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": "*", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}},
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/User"},
                "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Bad"}, "Action": "kms:*"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/X"}, "Action": "kms:*"}]}));
        assert_eq!(
            d.kms_wildcard_grantees("111122223333"),
            vec![
                "arn:aws:iam::111122223333:role/Admin",
                "arn:aws:iam::444455556666:root",
                "*",
                "AWS:*",
                "Service:cloudtrail.amazonaws.com",
            ]
        );
        let default_policy = one(
            json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}),
        );
        assert!(default_policy
            .kms_wildcard_grantees("111122223333")
            .is_empty());
        assert_eq!(
            default_policy.kms_wildcard_grantees("999999999999"),
            vec!["arn:aws:iam::111122223333:root"]
        );
    }

    #[test]
    fn principal_is_everyone() {
        assert!(Principal {
            any: true,
            by_type: BTreeMap::new()
        }
        .is_everyone());
        assert!(!Principal::default().is_everyone());
    }

    // ---- property tests ----

    fn words() -> BoxedStrategy<String> {
        prop_oneof![
            3 => prop::sample::select(vec![
                "Version", "Statement", "Sid", "Effect", "Allow", "Deny", "Principal", "NotPrincipal",
                "Action", "NotAction", "Resource", "NotResource", "Condition", "AWS", "Service",
                "Federated", "CanonicalUser", "*", "*:*", "s3:*", "s3:Get*", "kms:Decrypt", "kms:*",
                "Bool", "BoolIfExists", "aws:SecureTransport", "false", "StringEquals",
                "StringLikeIfExists", "ForAllValues:StringLike", "aws:SourceArn", "aws:SourceIp",
                "IpAddress", "0.0.0.0/0", "arn:aws:iam::111122223333:root", "111122223333", "",
                "%7B", "%", "\u{feff}", "ÄÖ", "?",
            ])
            .prop_map(String::from),
            1 => any::<String>(),
        ]
        .boxed()
    }

    fn arb_json() -> BoxedStrategy<Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            words().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((words(), inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
    }

    fn string_or_list(
        items: impl Strategy<Value = String> + Clone,
    ) -> impl Strategy<Value = Value> {
        prop_oneof![
            items.clone().prop_map(Value::String),
            prop::collection::vec(items, 1..4).prop_map(|v| json!(v)),
        ]
    }

    fn action_word() -> BoxedStrategy<String> {
        prop_oneof![
            prop::sample::select(vec![
                "*",
                "*:*",
                "s3:*",
                "s3:GetObject",
                "s3:Put*",
                "kms:*",
                "kms:Decr*",
                "kms:Encrypt",
                "iam:*",
                "sts:AssumeRole",
                "*:Get*"
            ])
            .prop_map(String::from),
            "[a-z0-9]{1,5}:[A-Za-z*?]{1,8}",
        ]
        .boxed()
    }

    fn arb_principal() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": "*"})),
            string_or_list(
                prop::sample::select(vec![
                    "*",
                    "111122223333",
                    "arn:aws:iam::111122223333:root",
                    "arn:aws:iam::111122223333:role/R"
                ])
                .prop_map(String::from)
            )
            .prop_map(|v| json!({"AWS": v})),
            Just(json!({"Service": "cloudtrail.amazonaws.com"})),
        ]
        .boxed()
    }

    fn arb_condition() -> BoxedStrategy<Value> {
        let op = prop::sample::select(vec![
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringEqualsIfExists",
            "ArnLike",
            "Bool",
            "IpAddress",
            "ForAllValues:StringEquals",
            "NumericLessThan",
        ]);
        let key = prop::sample::select(vec![
            "aws:SourceArn",
            "aws:SourceAccount",
            "aws:PrincipalOrgID",
            "aws:SecureTransport",
            "aws:SourceIp",
            "kms:ViaService",
            "aws:Referer",
            "s3:TlsVersion",
        ]);
        let value = prop_oneof![
            words().prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            any::<u32>().prop_map(Value::from),
        ];
        let values = prop_oneof![
            value.clone(),
            prop::collection::vec(value, 0..3).prop_map(Value::Array)
        ];
        prop::collection::vec((op, key, values), 0..3)
            .prop_map(|entries| {
                let mut ops = Map::new();
                for (op, key, values) in entries {
                    if let Value::Object(keys) = ops.entry(op).or_insert_with(|| json!({})) {
                        keys.insert(key.to_string(), values);
                    }
                }
                Value::Object(ops)
            })
            .boxed()
    }

    /// A statement with every element well-formed, so parsing it always succeeds.
    fn arb_statement(effect: Option<&'static str>) -> impl Strategy<Value = Value> {
        let effect = match effect {
            Some(e) => Just(e).boxed(),
            None => prop::sample::select(vec!["Allow", "Deny"]).boxed(),
        };
        (
            effect,
            prop::option::of("[A-Za-z0-9]{0,6}"),
            prop::option::of((any::<bool>(), arb_principal())),
            (any::<bool>(), string_or_list(action_word())),
            prop::option::of((
                any::<bool>(),
                string_or_list(
                    prop::sample::select(vec!["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:*"])
                        .prop_map(String::from),
                ),
            )),
            arb_condition(),
        )
            .prop_map(
                |(effect, sid, principal, (not_action, action), resource, condition)| {
                    let mut s = Map::new();
                    s.insert("Effect".into(), json!(effect));
                    if let Some(sid) = sid {
                        s.insert("Sid".into(), json!(sid));
                    }
                    if let Some((not, p)) = principal {
                        s.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                    }
                    s.insert(
                        if not_action { "NotAction" } else { "Action" }.into(),
                        action,
                    );
                    if let Some((not, r)) = resource {
                        s.insert(if not { "NotResource" } else { "Resource" }.into(), r);
                    }
                    s.insert("Condition".into(), condition);
                    Value::Object(s)
                },
            )
    }

    fn arb_policy() -> impl Strategy<Value = Value> {
        prop::collection::vec(arb_statement(None), 0..5)
            .prop_map(|statements| json!({"Version": "2012-10-17", "Statement": statements}))
    }

    fn exercise(d: &PolicyDocument) {
        let _ = d.grants_full_admin();
        let public = d.public_statements();
        assert_eq!(public.is_empty(), !d.allows_public_access());
        let _ = d.denies_insecure_transport("s3");
        let _ = d.denies_insecure_transport("");
        let _ = d.grants_kms_decrypt_to_everyone();
        let _ = d.kms_wildcard_grantees("111122223333");
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_strings(text in any::<String>()) {
            if let Ok(d) = PolicyDocument::parse(&text) {
                exercise(&d);
            }
        }

        #[test]
        fn parse_never_panics_on_near_json(text in r#"[{}\[\]",:%0-9A-Fa-z*\\ ]{0,64}"#) {
            let _ = PolicyDocument::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_json_values(value in arb_json()) {
            let text = value.to_string();
            let from_text = PolicyDocument::parse(&text);
            let from_value = PolicyDocument::from_value(&value);
            prop_assert_eq!(&from_text, &from_value);
            prop_assert_eq!(PolicyDocument::parse(&percent_encode(&text)), from_value);
            if let Ok(d) = from_text {
                exercise(&d);
            }
        }

        #[test]
        fn parse_never_panics_on_policy_shaped_values(
            statements in prop::collection::vec(
                prop::collection::btree_map(
                    prop::sample::select(STATEMENT_ELEMENTS.to_vec()).prop_map(String::from),
                    prop_oneof![arb_json(), arb_principal(), string_or_list(action_word()), arb_condition(),
                        prop::sample::select(vec!["Allow", "Deny"]).prop_map(|e| json!(e))],
                    0..9),
                0..4),
        ) {
            let value = json!({"Statement": statements.into_iter().map(|m| Value::Object(m.into_iter().collect())).collect::<Vec<_>>()});
            if let Ok(d) = PolicyDocument::from_value(&value) {
                exercise(&d);
            }
        }

        #[test]
        fn mutated_policies_never_panic(
            policy in arb_policy(),
            which in any::<prop::sample::Index>(),
            element in prop::sample::select(STATEMENT_ELEMENTS.to_vec()),
            junk in arb_json(),
        ) {
            let mut policy = policy;
            if let Some(Value::Array(statements)) = policy.get_mut("Statement") {
                if !statements.is_empty() {
                    let i = which.index(statements.len());
                    if let Some(Value::Object(s)) = statements.get_mut(i) {
                        s.insert(element.to_string(), junk);
                    }
                }
            }
            if let Ok(d) = PolicyDocument::parse(&policy.to_string()) {
                exercise(&d);
            }
        }

        #[test]
        fn generated_policies_parse(policy in arb_policy()) {
            let d = PolicyDocument::from_value(&policy);
            prop_assert!(d.is_ok(), "{:?}", d);
        }

        #[test]
        fn adding_a_deny_never_adds_public_grants(
            policy in arb_policy(),
            deny in arb_statement(Some("Deny")),
            at in any::<prop::sample::Index>(),
        ) {
            let before = PolicyDocument::from_value(&policy).unwrap();
            let public_before = before.public_statements();
            let mut after = before.clone();
            after.statements.push(PolicyDocument::from_value(&json!({"Statement": deny})).unwrap().statements.remove(0));
            let public_after = after.public_statements();
            for grant in &public_after {
                prop_assert!(public_before.contains(grant), "{:?} not in {:?}", grant, public_before);
            }
            let mut inserted = before.clone();
            let deny = after.statements.pop().unwrap();
            inserted.statements.insert(at.index(before.statements.len() + 1), deny);
            prop_assert!(inserted.public_statements().len() <= public_before.len());
            prop_assert!(!inserted.grants_kms_decrypt_to_everyone() || before.grants_kms_decrypt_to_everyone());
        }

        #[test]
        fn literal_patterns_match_themselves(p in "[^*?]{0,40}") {
            prop_assert!(action_matches(&p, &p));
            prop_assert!(action_matches("*", &p));
            let upper = p.to_ascii_uppercase();
            prop_assert!(action_matches(&p, &upper));
        }

        #[test]
        fn wildcard_match_agrees_with_prefix_and_suffix(prefix in "[a-z0-9:]{0,8}", rest in "[a-z0-9:]{0,8}") {
            let text = format!("{prefix}{rest}");
            let star_prefix = format!("{prefix}*");
            let star_suffix = format!("*{rest}");
            prop_assert!(action_matches(&star_prefix, &text));
            prop_assert!(action_matches(&star_suffix, &text));
            let question = format!("{prefix}{}", "?".repeat(rest.chars().count()));
            prop_assert!(action_matches(&question, &text));
        }

        #[test]
        fn restricting_condition_makes_public_statement_private(
            principal in prop_oneof![Just(json!("*")), Just(json!({"AWS": "*"})), Just(json!({"AWS": ["arn:aws:iam::1:root", "*"]}))],
            not_principal in any::<bool>(),
            action in string_or_list(action_word()),
            other in arb_condition(),
            key in prop::sample::select(RESTRICTING_KEYS.to_vec()),
            upper in any::<bool>(),
            op in prop::sample::select(POSITIVE_OPERATORS.to_vec()),
            any_value in any::<bool>(),
            values in prop::collection::vec("[a-zA-Z0-9:/.-]{1,20}", 1..3),
            ip in (0u8..=255, 0u8..=255, 1u8..=32),
            use_ip in any::<bool>(),
        ) {
            let element = if not_principal { "NotPrincipal" } else { "Principal" };
            let mut statement = json!({"Effect": "Allow", "Action": action, "Condition": other});
            if let Value::Object(s) = &mut statement {
                s.insert(element.into(), principal);
            }
            let mut d = one(statement);
            d.statements[0].conditions.retain(|c| !c.restricts_caller());
            prop_assert!(d.allows_public_access());
            let condition = if use_ip {
                Condition { operator: "IpAddress".into(), key: "aws:SourceIp".into(),
                    values: vec![format!("{}.{}.0.0/{}", ip.0, ip.1, ip.2)] }
            } else {
                let key = if upper { key.to_ascii_uppercase() } else { key.to_string() };
                let operator = if any_value { format!("ForAnyValue:{op}") } else { op.to_string() };
                Condition { operator, key, values }
            };
            d.statements[0].conditions.push(condition);
            prop_assert!(d.public_statements().is_empty());
            prop_assert!(!d.allows_public_access());
            prop_assert!(!d.grants_kms_decrypt_to_everyone());
        }
    }
}
