//! A resource property after the code's own functions are worked out: a plain value, a value
//! that stays open until apply (and why), or a reference to another resource of the code.

use crate::evidence::{Unknown, UnknownReason};

/// A property value of a resource in infrastructure code.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Not set.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Num(String),
    /// Text.
    Str(String),
    /// A list.
    List(Vec<Val>),
    /// A mapping, in the order written.
    Map(Vec<(String, Val)>),
    /// Known only once deployed; the text says why (`parameter `Key` has no default`).
    Open(String),
    /// An attribute of another resource of the code (its name, id or ARN): the value exists only
    /// after deploy, but which resource it names is known. `text` stands in for it with the
    /// right shape (`arn:aws:s3:::Bucket`), for policies and links.
    Ref {
        /// The logical id or address of the resource.
        target: String,
        /// The attribute (`Arn`, `id`), or `None` for CloudFormation's `Ref`.
        attr: Option<String>,
        /// The stand-in text.
        text: String,
    },
    /// Text built from the attributes of resources or the deploy's account and region: its shape
    /// is known (`text`), its exact value only after deploy.
    Sym {
        /// The stand-in text.
        text: String,
        /// What it was built from, for messages.
        from: Vec<String>,
    },
}

/// The null every missing key reads as.
pub static NULL: Val = Val::Null;

/// An unknown-until-apply fact about property `path`.
pub fn open(path: &str, why: impl Into<String>) -> Unknown {
    Unknown::new(UnknownReason::UnknownUntilApply, path, why)
}

fn wrong(path: &str, what: &str, v: &Val) -> Unknown {
    Unknown::new(
        UnknownReason::ParseError,
        path,
        format!("expected {what}, found {}", v.kind()),
    )
}

impl Val {
    /// The value under `key` of a mapping (null when absent or not a mapping).
    pub fn get(&self, key: &str) -> &Val {
        match self {
            Val::Map(m) => m.iter().find(|(k, _)| k == key).map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    /// The value at a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> &Val {
        path.iter().fold(self, |v, k| v.get(k))
    }

    /// Whether it is absent.
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "nothing",
            Val::Bool(_) => "a boolean",
            Val::Num(_) => "a number",
            Val::Str(_) => "text",
            Val::List(_) => "a list",
            Val::Map(_) => "a mapping",
            Val::Open(_) => "a value unknown until apply",
            Val::Ref { .. } | Val::Sym { .. } => "a value known after deploy",
        }
    }

    /// Why a value whose exact content is needed is not known before deploy, if it is not.
    pub fn why_open(&self) -> Option<String> {
        match self {
            Val::Open(why) => Some(why.clone()),
            Val::Ref { target, attr, .. } => Some(match attr {
                Some(a) => format!("it is `{target}.{a}`, known only after deploy"),
                None => format!("it is the id of `{target}`, known only after deploy"),
            }),
            Val::Sym { from, .. } => Some(format!(
                "it is built from {}, known only after deploy",
                from.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        }
    }

    /// Whether it is open only because Terraform computes it and nothing in the configuration
    /// sets it (an argument of a nested block left to the provider's default).
    pub fn is_computed_default(&self) -> bool {
        matches!(self, Val::Open(why) if why == super::terraform::COMPUTED)
    }

    /// Itself, or nothing when it is open only because Terraform computes a default no
    /// configuration sets (see [`Val::is_computed_default`]).
    pub fn unless_computed(&self) -> &Val {
        if self.is_computed_default() {
            &NULL
        } else {
            self
        }
    }

    /// The first open part anywhere inside (a list or mapping is open when any part is).
    pub fn first_open(&self) -> Option<&str> {
        match self {
            Val::Open(why) => Some(why),
            Val::List(items) => items.iter().find_map(Val::first_open),
            Val::Map(m) => m.iter().find_map(|(_, v)| v.first_open()),
            _ => None,
        }
    }

    /// Text whose exact value is needed: `None` when absent.
    pub fn text(&self, path: &str) -> Result<Option<String>, Unknown> {
        match self {
            Val::Null => Ok(None),
            Val::Str(s) | Val::Num(s) => Ok(Some(s.clone())),
            Val::Bool(b) => Ok(Some(b.to_string())),
            Val::List(_) | Val::Map(_) => Err(wrong(path, "text", self)),
            _ => Err(open(path, self.why_open().unwrap_or_default())),
        }
    }

    /// Text that names something (a key, a log group, a bucket): a reference to a resource of
    /// the code stands in by its shape, since only its presence or identity is judged.
    pub fn name(&self, path: &str) -> Result<Option<String>, Unknown> {
        match self {
            Val::Ref { text, .. } | Val::Sym { text, .. } => Ok(Some(text.clone())),
            other => other.text(path),
        }
    }

    /// A boolean (`true`, `"true"`, `"True"`); `None` when absent.
    pub fn boolean(&self, path: &str) -> Result<Option<bool>, Unknown> {
        match self {
            Val::Null => Ok(None),
            Val::Bool(b) => Ok(Some(*b)),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Val::Str(_) | Val::Num(_) | Val::List(_) | Val::Map(_) => {
                Err(wrong(path, "true or false", self))
            }
            _ => Err(open(path, self.why_open().unwrap_or_default())),
        }
    }

    /// A whole number; `None` when absent.
    pub fn int(&self, path: &str) -> Result<Option<i64>, Unknown> {
        match self {
            Val::Null => Ok(None),
            Val::Num(s) | Val::Str(s) => s
                .trim()
                .parse::<i64>()
                .or_else(|_| {
                    s.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                        .ok_or(())
                })
                .map(Some)
                .map_err(|()| wrong(path, "a whole number", self)),
            Val::Bool(_) | Val::List(_) | Val::Map(_) => Err(wrong(path, "a whole number", self)),
            _ => Err(open(path, self.why_open().unwrap_or_default())),
        }
    }

    /// The items of a list (none when absent); a single value counts as a list of one.
    pub fn items(&self, path: &str) -> Result<Vec<&Val>, Unknown> {
        match self {
            Val::Null => Ok(Vec::new()),
            Val::List(items) => Ok(items.iter().collect()),
            Val::Open(_) => Err(open(path, self.why_open().unwrap_or_default())),
            other => Ok(vec![other]),
        }
    }

    /// A mapping's entries (none when absent).
    pub fn entries(&self, path: &str) -> Result<&[(String, Val)], Unknown> {
        match self {
            Val::Null => Ok(&[]),
            Val::Map(m) => Ok(m),
            Val::Open(_) => Err(open(path, self.why_open().unwrap_or_default())),
            other => Err(wrong(path, "a mapping", other)),
        }
    }

    /// String tags from CloudFormation's `[{Key, Value}]` list or Terraform's `{key: value}`
    /// map; unknown when a key or value is.
    pub fn tags(&self, path: &str) -> Result<crate::evidence::Tags, Unknown> {
        let mut out = crate::evidence::Tags::new();
        match self {
            Val::Null => {}
            Val::Map(m) => {
                for (k, v) in m {
                    out.insert(
                        k.clone(),
                        v.text(&format!("{path}.{k}"))?.unwrap_or_default(),
                    );
                }
            }
            Val::List(items) => {
                for t in items {
                    let k = t
                        .get("Key")
                        .text(&format!("{path}.Key"))?
                        .unwrap_or_default();
                    let v = t
                        .get("Value")
                        .text(&format!("{path}.{k}"))?
                        .unwrap_or_default();
                    out.insert(k, v);
                }
            }
            other => {
                return Err(open(
                    path,
                    other
                        .why_open()
                        .unwrap_or_else(|| "the tags are not a list".into()),
                ))
            }
        }
        Ok(out)
    }

    /// A JSON document (a policy): a mapping as is, or text holding JSON. References to resources
    /// of the code stand in by their shape (`arn:aws:iam::account-at-deploy:role/Role`), which
    /// is all a policy analysis reads of them; any open part leaves the whole document open.
    pub fn json_text(&self, path: &str) -> Result<Option<String>, Unknown> {
        match self {
            Val::Null => Ok(None),
            Val::Str(s) => Ok(Some(s.clone())),
            Val::Map(_) | Val::List(_) => {
                if let Some(why) = self.first_open() {
                    return Err(open(path, why.to_string()));
                }
                Ok(Some(self.to_json().to_string()))
            }
            other => Err(open(
                path,
                other.why_open().unwrap_or_else(|| "not a document".into()),
            )),
        }
    }

    /// As JSON, stand-ins in place of references.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Val::Null => J::Null,
            Val::Bool(b) => J::Bool(*b),
            Val::Num(s) => serde_json::from_str::<J>(s).unwrap_or_else(|_| J::String(s.clone())),
            Val::Str(s) => J::String(s.clone()),
            Val::List(items) => J::Array(items.iter().map(Val::to_json).collect()),
            Val::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Val::Open(why) => J::String(format!("(unknown until apply: {why})")),
            Val::Ref { text, .. } | Val::Sym { text, .. } => J::String(text.clone()),
        }
    }

    /// A plain value from JSON (a Terraform plan's known values).
    pub fn from_json(j: &serde_json::Value) -> Val {
        use serde_json::Value as J;
        match j {
            J::Null => Val::Null,
            J::Bool(b) => Val::Bool(*b),
            J::Number(n) => Val::Num(n.to_string()),
            J::String(s) => Val::Str(s.clone()),
            J::Array(a) => Val::List(a.iter().map(Val::from_json).collect()),
            J::Object(o) => Val::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tell_absent_from_open() {
        let m = Val::Map(vec![
            ("A".into(), Val::Str("true".into())),
            ("N".into(), Val::Num("7".into())),
            ("O".into(), Val::Open("parameter `P` has no default".into())),
            (
                "R".into(),
                Val::Ref {
                    target: "Key".into(),
                    attr: Some("Arn".into()),
                    text: "arn:aws:kms:r:a:key/Key".into(),
                },
            ),
        ]);
        assert_eq!(m.get("A").boolean("A").unwrap(), Some(true));
        assert_eq!(m.get("Z").boolean("Z").unwrap(), None);
        assert_eq!(m.get("N").int("N").unwrap(), Some(7));
        let u = m.get("O").boolean("O").unwrap_err();
        assert_eq!(u.reason, UnknownReason::UnknownUntilApply);
        assert!(
            u.to_string()
                .contains("`O` is unknown until apply: parameter `P`"),
            "{u}"
        );
        assert!(m.get("R").text("R").is_err());
        assert_eq!(
            m.get("R").name("R").unwrap().as_deref(),
            Some("arn:aws:kms:r:a:key/Key")
        );
        assert_eq!(
            m.get("A").int("A").unwrap_err().reason,
            UnknownReason::ParseError
        );
        assert!(Val::List(vec![m.clone()]).json_text("P").is_err());
    }
}
