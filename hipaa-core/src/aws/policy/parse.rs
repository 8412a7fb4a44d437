//! Reading policy documents: JSON or IAM's URL-encoded JSON, checked against IAM's grammar.

use super::document::{Condition, Effect, PolicyDocument, PolicyParseError, Principal, Statement};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The principal types IAM accepts inside a `Principal` or `NotPrincipal` object.
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

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

pub(super) const STATEMENT_ELEMENTS: [&str; 9] = [
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
