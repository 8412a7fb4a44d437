//! TEMPORARY STUB — replaced by the full policy analysis module.
use serde::Serialize;
use serde_json::Value;
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyParseError {
    pub message: String,
}
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicGrant {
    pub statement: String,
    pub actions: Vec<String>,
}
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    st: Vec<Value>,
}
fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => vec![],
    }
}
fn public(s: &Value) -> bool {
    match s.get("Principal") {
        Some(Value::String(p)) => p == "*",
        Some(Value::Object(m)) => m
            .get("AWS")
            .map(|v| list(Some(v)).iter().any(|x| x == "*"))
            .unwrap_or(false),
        _ => false,
    }
}
impl PolicyDocument {
    pub fn parse(text: &str) -> Result<Self, PolicyParseError> {
        let v: Value = serde_json::from_str(text).map_err(|e| PolicyParseError {
            message: e.to_string(),
        })?;
        let st = match v.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(o @ Value::Object(_)) => vec![o.clone()],
            _ => {
                return Err(PolicyParseError {
                    message: "no Statement".into(),
                })
            }
        };
        Ok(PolicyDocument { st })
    }
    fn allows(&self) -> impl Iterator<Item = &Value> {
        self.st
            .iter()
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
    }
    pub fn grants_full_admin(&self) -> bool {
        self.allows().any(|s| {
            list(s.get("Action")).iter().any(|a| a == "*")
                && list(s.get("Resource")).iter().any(|a| a == "*")
        })
    }
    pub fn public_statements(&self) -> Vec<PublicGrant> {
        self.allows()
            .enumerate()
            .filter(|(_, s)| public(s) && s.get("Condition").is_none())
            .map(|(i, s)| PublicGrant {
                statement: format!("#{i}"),
                actions: list(s.get("Action")),
            })
            .collect()
    }
    pub fn allows_public_access(&self) -> bool {
        !self.public_statements().is_empty()
    }
    pub fn denies_insecure_transport(&self, _service: &str) -> bool {
        self.st.iter().any(|s| {
            s.get("Effect").and_then(Value::as_str) == Some("Deny")
                && s.to_string().contains("aws:SecureTransport")
        })
    }
    pub fn grants_kms_decrypt_to_everyone(&self) -> bool {
        !self.public_statements().is_empty()
    }
    pub fn kms_wildcard_grantees(&self, account_id: &str) -> Vec<String> {
        let root = format!("arn:aws:iam::{account_id}:root");
        self.allows()
            .filter(|s| {
                list(s.get("Action"))
                    .iter()
                    .any(|a| a == "kms:*" || a == "*")
            })
            .flat_map(|s| match s.get("Principal") {
                Some(Value::Object(m)) => list(m.get("AWS")),
                Some(Value::String(p)) => vec![p.clone()],
                _ => vec![],
            })
            .filter(|p| p != &root && p != account_id)
            .collect()
    }
}
