//! The questions rules ask of a parsed policy: is it public, does it force TLS, does it grant
//! administrator access, who holds `kms:*`.

use super::document::{Condition, Effect, PolicyDocument, Principal, PublicGrant, Statement};

/// Keys that, compared positively against a concrete value, limit a statement to known callers.
pub(super) const RESTRICTING_KEYS: [&str; 12] = [
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
pub(super) const POSITIVE_OPERATORS: [&str; 5] = [
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

impl PolicyDocument {
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
    /// service (`*`, `<service>:*`) or every call that moves the service's data (see
    /// [`data_actions`]: `s3:GetObject` and `s3:PutObject`, `sqs:SendMessage` and
    /// `sqs:ReceiveMessage`, `sns:Publish`, `elasticfilesystem:ClientMount`), and whose only
    /// condition is `Bool`/`BoolIfExists` `aws:SecureTransport` = `false` (any further condition
    /// would narrow the deny). For `s3`, some `Resource` must also end in `*` so objects are
    /// included.
    pub fn denies_insecure_transport(&self, service: &str) -> bool {
        let service = service.trim();
        let is_s3 = service.eq_ignore_ascii_case("s3");
        let data = data_actions(service);
        self.statements.iter().any(|s| {
            s.effect == Effect::Deny
                && s.not_principal.is_none()
                && s.principal.as_ref().is_some_and(Principal::is_everyone)
                && !s.conditions.is_empty()
                && s.conditions
                    .iter()
                    .all(Condition::matches_insecure_transport)
                && (s.covers_whole_service(service)
                    || (!data.is_empty() && data.iter().all(|a| s.covers_action(a))))
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

/// Actions that use a KMS key for data: what another account must not hold without a condition.
pub const KMS_USE_ACTIONS: [&str; 7] = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:CreateGrant",
];

/// An Allow statement that lets principals outside the account act, so reports can say who.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CrossAccountGrant {
    /// The statement's `Sid`, or `#<index>` without one.
    pub statement: String,
    /// The other accounts named (12-digit ids), or `*` for any account.
    pub accounts: Vec<String>,
}

impl PolicyDocument {
    /// The Allow statements that grant `iam:PassRole` on every role, for the PassRole rule.
    ///
    /// A statement counts when its actions cover `iam:PassRole` (`iam:PassRole`, `iam:*`, `*`,
    /// `iam:Pass*`, or a `NotAction` that leaves it in) and its resources cover every role:
    /// `*`, an all-open ARN, `arn:<partition>:iam::<account or *>:role/*`, or any `NotResource`
    /// (everything but a few named resources). Conditions are not considered: a role that may
    /// be passed to any service or only to one is still every role.
    pub fn pass_role_on_every_role(&self) -> Vec<String> {
        self.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.effect == Effect::Allow
                    && s.covers_action("iam:PassRole")
                    && (!s.not_resource.is_empty()
                        || s.resource
                            .iter()
                            .any(|r| matches_every_resource(r) || matches_every_role(r)))
            })
            .map(|(index, s)| s.label(index))
            .collect()
    }

    /// The Allow statements that let principals of other accounts take one of `actions`
    /// without a condition that pins the caller down, for the cross-account key rule.
    ///
    /// Principals counted: `"*"`, `{"AWS": "*"}` and any `NotPrincipal` (as `*`), and AWS
    /// principals whose account (an ARN's account field or a bare 12-digit id) is not
    /// `account_id` (an ARN with a wildcard account counts as `*`). Service and federated principals are not accounts. A statement is
    /// restricted when one of its conditions restricts the caller (see
    /// [`Condition::restricts_caller`]) or is `Bool` `kms:GrantIsForAWSResource` = `true`.
    pub fn cross_account_grants(
        &self,
        account_id: &str,
        actions: &[&str],
    ) -> Vec<CrossAccountGrant> {
        let account_id = account_id.trim();
        let mut out = Vec::new();
        for (index, s) in self.statements.iter().enumerate() {
            if s.effect != Effect::Allow
                || !actions.iter().any(|a| s.covers_action(a))
                || s.conditions
                    .iter()
                    .any(|c| c.restricts_caller() || c.only_for_aws_resources())
            {
                continue;
            }
            let mut accounts: Vec<String> = Vec::new();
            let mut push = |a: String| {
                if !accounts.contains(&a) {
                    accounts.push(a);
                }
            };
            if s.not_principal.is_some() {
                push("*".to_string());
            }
            if let Some(p) = &s.principal {
                if p.any {
                    push("*".to_string());
                }
                for id in p.by_type.get("AWS").into_iter().flatten() {
                    match principal_account(id) {
                        Some(a) if a == account_id => {}
                        Some(a) => push(a.to_string()),
                        // `*`, or an ARN with a wildcard account: any account.
                        None if id.contains('*') => push("*".to_string()),
                        // A unique id (`AROA…`) left by a deleted principal names no account.
                        None => {}
                    }
                }
            }
            if !accounts.is_empty() {
                out.push(CrossAccountGrant {
                    statement: s.label(index),
                    accounts,
                });
            }
        }
        out
    }
}

impl Condition {
    /// `Bool` `kms:GrantIsForAWSResource` = `true`: grants only for AWS services acting for the
    /// caller, not for the caller's own use.
    fn only_for_aws_resources(&self) -> bool {
        let (qualifier, base, if_exists) = self.operator_parts();
        qualifier == SetQualifier::None
            && !if_exists
            && base.eq_ignore_ascii_case("Bool")
            && self
                .key
                .trim()
                .eq_ignore_ascii_case("kms:GrantIsForAWSResource")
            && !self.values.is_empty()
            && self
                .values
                .iter()
                .all(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

/// The account an AWS principal belongs to: a bare 12-digit id, or an IAM/STS ARN's account
/// field; `None` for `*` or an ARN whose account is a wildcard (any account).
fn principal_account(id: &str) -> Option<&str> {
    let id = id.trim();
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id);
    }
    let mut parts = id.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some(arn), Some(_), Some(_), Some(_), Some(account))
            if arn.eq_ignore_ascii_case("arn")
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(account)
        }
        _ => None,
    }
}

/// `arn:<partition>:iam::<account or *>:role/*`: every role of an account (or of all).
fn matches_every_role(pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.trim().splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        [arn, _, iam, "", account, rest]
            if arn.eq_ignore_ascii_case("arn")
                && iam.eq_ignore_ascii_case("iam")
                && (is_all_stars(account) || account.bytes().all(|b| b.is_ascii_digit()))
                && (rest.eq_ignore_ascii_case("role/*") || is_all_stars(rest))
    )
}

/// The calls that carry a service's data rather than its configuration: a TLS deny that covers
/// all of them keeps the data off plain HTTP even if it leaves other calls alone. Empty for
/// services where only a deny of every action counts.
fn data_actions(service: &str) -> &'static [&'static str] {
    match service.to_ascii_lowercase().as_str() {
        "s3" => &["s3:GetObject", "s3:PutObject"],
        "sqs" => &["sqs:SendMessage", "sqs:ReceiveMessage"],
        // Deliveries to subscribers are not governed by the topic policy; publishing is.
        "sns" => &["sns:Publish"],
        // A client that cannot mount reads and writes nothing.
        "elasticfilesystem" => &["elasticfilesystem:ClientMount"],
        _ => &[],
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
    crate::aws::glob::iam(pattern, text)
}

pub(super) fn is_all_stars(s: &str) -> bool {
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

pub(super) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

pub(super) fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix) {
        s.get(..cut)
    } else {
        None
    }
}
