//! CloudFormation's intrinsic functions and conditions, worked out as far as a template alone
//! allows: a parameter with a default, a mapping, a condition on known values give plain values;
//! a parameter without a default, an imported value, an availability zone or a condition that
//! depends on them gives a value open until apply, saying why; `Ref` and `Fn::GetAtt` on the
//! template's own resources give references with stand-in text.

use super::names::{cfn_get_att, cfn_ref, Place};
use super::node::{Node, Value};
use super::value::Val;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Everything a template's functions can read.
pub struct Scope<'a> {
    /// Parameter values (a default, a value given by the caller, or open).
    pub params: BTreeMap<String, Val>,
    /// The `Mappings` section.
    pub mappings: Option<&'a Node>,
    /// The `Conditions` section.
    pub conditions: Option<&'a Node>,
    /// Resource types by logical id.
    pub resources: BTreeMap<String, String>,
    /// Stand-ins for the deploy's account, region and partition.
    pub place: Place<'a>,
    /// The stack's name (a stand-in for `AWS::StackName`).
    pub stack: String,
    /// Resource properties, for the attributes that repeat one (`Fn::GetAtt Vpc.CidrBlock`).
    pub properties: BTreeMap<String, &'a Node>,
    /// Put before every logical id when one load holds several stacks (`Prod.Bucket`), so the
    /// same construct in two stacks stays two resources.
    pub prefix: Option<String>,
    mirrors: RefCell<usize>,
    decided: RefCell<BTreeMap<String, Result<bool, String>>>,
    deciding: RefCell<Vec<String>>,
}

fn text_of(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) | Val::Num(s) => Some(s.clone()),
        Val::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Scope<'a> {
    /// A scope over a template's sections.
    pub fn new(
        params: BTreeMap<String, Val>,
        mappings: Option<&'a Node>,
        conditions: Option<&'a Node>,
        resources: BTreeMap<String, String>,
        place: Place<'a>,
        stack: String,
    ) -> Scope<'a> {
        Scope {
            params,
            mappings,
            conditions,
            resources,
            place,
            stack,
            properties: BTreeMap::new(),
            prefix: None,
            mirrors: RefCell::new(0),
            decided: RefCell::new(BTreeMap::new()),
            deciding: RefCell::new(Vec::new()),
        }
    }

    /// A logical id as resources of this load are known (with the stack before it, when needed).
    pub fn id(&self, logical: &str) -> String {
        match &self.prefix {
            Some(p) => format!("{p}.{logical}"),
            None => logical.to_string(),
        }
    }

    /// A value with its functions worked out; `None` for `AWS::NoValue` (the key is dropped).
    pub fn eval(&self, n: &Node) -> Option<Val> {
        Some(match &n.value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(s) => Val::Num(s.clone()),
            Value::String(s) => Val::Str(s.clone()),
            Value::Seq(items) => Val::List(items.iter().filter_map(|i| self.eval(i)).collect()),
            Value::Map(entries) => {
                if let [(k, _, arg)] = entries.as_slice() {
                    if k == "Ref" || k.starts_with("Fn::") {
                        return self.function(k, arg);
                    }
                }
                Val::Map(
                    entries
                        .iter()
                        .filter_map(|(k, _, v)| self.eval(v).map(|v| (k.clone(), v)))
                        .collect(),
                )
            }
        })
    }

    fn function(&self, name: &str, arg: &Node) -> Option<Val> {
        let args: &[Node] = match &arg.value {
            Value::Seq(items) => items,
            _ => std::slice::from_ref(arg),
        };
        Some(match name {
            "Ref" => return self.reference(arg.as_str().unwrap_or_default()),
            "Fn::GetAtt" => self.get_att(args),
            "Fn::Join" => self.join(args),
            "Fn::Sub" => self.sub(args),
            "Fn::Select" => self.select(args),
            "Fn::Split" => self.split(args),
            "Fn::If" => return self.when(args),
            "Fn::FindInMap" => self.find_in_map(args),
            "Fn::Base64" => return self.eval(arg),
            "Fn::GetAZs" => Val::Open("it lists the deploy region's availability zones".into()),
            "Fn::Cidr" => Val::Open("`Fn::Cidr` divides an address range at deploy".into()),
            "Fn::ImportValue" => Val::Open(match self.eval(arg).as_ref().and_then(text_of) {
                Some(n) => format!("it is imported from another stack's export `{n}`"),
                None => "it is imported from another stack's export".into(),
            }),
            "Fn::Transform" => Val::Open("a macro produces it at deploy".into()),
            "Fn::ToJsonString" => match self.eval(arg) {
                Some(v) => match v.first_open() {
                    Some(why) => Val::Open(why.to_string()),
                    None => Val::Str(v.to_json().to_string()),
                },
                None => Val::Null,
            },
            "Fn::Length" => match self.eval(arg) {
                Some(Val::List(items)) => Val::Num(items.len().to_string()),
                Some(v) => Val::Open(
                    v.why_open()
                        .unwrap_or_else(|| "`Fn::Length` needs a list".into()),
                ),
                None => Val::Null,
            },
            other => Val::Open(format!(
                "the template uses `{other}`, which this converter does not work out"
            )),
        })
    }

    fn reference(&self, name: &str) -> Option<Val> {
        let place = &self.place;
        let sym = |text: &str| Val::Sym {
            text: text.to_string(),
            from: vec![name.to_string()],
        };
        Some(match name {
            "AWS::NoValue" => return None,
            "AWS::AccountId" => sym(place.account),
            "AWS::Region" => sym(place.region),
            "AWS::Partition" => sym(place.partition),
            "AWS::URLSuffix" => sym("amazonaws.com"),
            "AWS::StackName" => sym(&self.stack),
            "AWS::StackId" => sym(&format!(
                "arn:{}:cloudformation:{}:{}:stack/{}/id",
                place.partition, place.region, place.account, self.stack
            )),
            "AWS::NotificationARNs" => {
                Val::Open("the stack's notification topics are set at deploy".into())
            }
            _ => {
                if let Some(v) = self.params.get(name) {
                    return Some(v.clone());
                }
                match self.resources.get(name) {
                    Some(kind) => Val::Ref {
                        target: self.id(name),
                        attr: None,
                        text: cfn_ref(kind, &self.id(name), place),
                    },
                    None => Val::Open(format!(
                        "`{name}` is not a parameter or resource of this template"
                    )),
                }
            }
        })
    }

    fn get_att(&self, args: &[Node]) -> Val {
        let (res, attr) = match args {
            [r, a] => (
                r.as_str().unwrap_or_default().to_string(),
                self.eval(a).as_ref().and_then(text_of).unwrap_or_default(),
            ),
            _ => return Val::Open("`Fn::GetAtt` needs a resource and an attribute".into()),
        };
        match self.resources.get(&res) {
            None => Val::Open(format!("`{res}` is not a resource of this template")),
            Some(kind)
                if kind.starts_with("Custom::")
                    || kind == "AWS::CloudFormation::CustomResource"
                    || kind == "AWS::CloudFormation::Stack" =>
            {
                Val::Open(format!("`{res}.{attr}` is computed by `{kind}` at deploy"))
            }
            Some(kind) => {
                if let Some(v) = self.mirrored(kind, &res, &attr) {
                    return v;
                }
                Val::Ref {
                    text: cfn_get_att(kind, &self.id(&res), &attr, &self.place),
                    target: self.id(&res),
                    attr: Some(attr),
                }
            }
        }
    }

    /// An attribute that is one of the resource's own properties, when the template sets it to
    /// a plain value (a VPC's `CidrBlock`).
    fn mirrored(&self, kind: &str, res: &str, attr: &str) -> Option<Val> {
        const MIRRORS: &[(&str, &str)] = &[
            ("AWS::EC2::VPC", "CidrBlock"),
            ("AWS::EC2::Subnet", "CidrBlock"),
        ];
        if !MIRRORS.contains(&(kind, attr)) {
            return None;
        }
        let node = self.properties.get(res)?.get(attr)?;
        // A property that refers back to its own attribute must not loop.
        if *self.mirrors.borrow() > 8 {
            return None;
        }
        *self.mirrors.borrow_mut() += 1;
        let v = self.eval(node);
        *self.mirrors.borrow_mut() -= 1;
        v.filter(|v| matches!(v, Val::Str(_)))
    }

    /// Text put together from parts: plain when every part is, open when any part is, known in
    /// shape only when some part is a reference.
    fn concat(parts: Vec<Val>, sep: &str) -> Val {
        let mut text = Vec::new();
        let mut from = Vec::new();
        for p in parts {
            match p {
                Val::Null => text.push(String::new()),
                Val::Str(s) | Val::Num(s) => text.push(s),
                Val::Bool(b) => text.push(b.to_string()),
                Val::Ref {
                    target,
                    attr,
                    text: t,
                } => {
                    from.push(match attr {
                        Some(a) => format!("{target}.{a}"),
                        None => target,
                    });
                    text.push(t);
                }
                Val::Sym { text: t, from: f } => {
                    from.extend(f);
                    text.push(t);
                }
                Val::Open(why) => return Val::Open(why),
                other @ (Val::List(_) | Val::Map(_)) => {
                    return Val::Open(format!("text cannot be made of {}", other.kind()))
                }
            }
        }
        let text = text.join(sep);
        if from.is_empty() {
            Val::Str(text)
        } else {
            from.dedup();
            Val::Sym { text, from }
        }
    }

    fn join(&self, args: &[Node]) -> Val {
        let [sep, list] = args else {
            return Val::Open("`Fn::Join` needs a delimiter and a list".into());
        };
        let sep = sep.as_str().unwrap_or_default();
        match self.eval(list) {
            Some(Val::List(items)) => Self::concat(items, sep),
            Some(Val::Open(why)) => Val::Open(why),
            _ => Val::Open("`Fn::Join` needs a list".into()),
        }
    }

    fn sub(&self, args: &[Node]) -> Val {
        let (template, vars) = match args {
            [t] => (t, None),
            [t, v] => (t, Some(v)),
            _ => return Val::Open("`Fn::Sub` needs text and optional variables".into()),
        };
        let Some(template) = template.as_str() else {
            return Val::Open("`Fn::Sub` needs text".into());
        };
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            parts.push(Val::Str(rest[..start].to_string()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                parts.push(Val::Str(rest[start..].to_string()));
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                parts.push(Val::Str(format!("${{{literal}}}")));
                continue;
            }
            let name = name.trim();
            if let Some(v) = vars.and_then(|v| v.get(name)) {
                parts.push(self.eval(v).unwrap_or(Val::Null));
                continue;
            }
            match name.split_once('.') {
                Some((r, a)) if self.resources.contains_key(r) => {
                    let n = |s: &str| Node {
                        value: Value::String(s.to_string()),
                        pos: Default::default(),
                    };
                    parts.push(self.get_att(&[n(r), n(a)]));
                }
                _ => parts.push(self.reference(name).unwrap_or(Val::Null)),
            }
        }
        parts.push(Val::Str(rest.to_string()));
        Self::concat(parts, "")
    }

    fn select(&self, args: &[Node]) -> Val {
        let [index, list] = args else {
            return Val::Open("`Fn::Select` needs an index and a list".into());
        };
        let index = match self.eval(index).map(|v| v.int("Fn::Select")) {
            Some(Ok(Some(i))) => i,
            Some(Err(u)) => return Val::Open(u.detail),
            _ => return Val::Open("`Fn::Select` needs a whole-number index".into()),
        };
        match self.eval(list) {
            Some(Val::List(items)) => usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| {
                    Val::Open(format!("`Fn::Select` index {index} is outside the list"))
                }),
            Some(v) => Val::Open(
                v.why_open()
                    .unwrap_or_else(|| "`Fn::Select` needs a list".into()),
            ),
            None => Val::Null,
        }
    }

    fn split(&self, args: &[Node]) -> Val {
        let [sep, text] = args else {
            return Val::Open("`Fn::Split` needs a delimiter and text".into());
        };
        let sep = sep.as_str().unwrap_or_default();
        match self.eval(text) {
            Some(Val::Str(s)) if !sep.is_empty() => {
                Val::List(s.split(sep).map(|p| Val::Str(p.to_string())).collect())
            }
            Some(v) => Val::Open(
                v.why_open()
                    .unwrap_or_else(|| "`Fn::Split` needs text".into()),
            ),
            None => Val::Null,
        }
    }

    fn when(&self, args: &[Node]) -> Option<Val> {
        let [cond, yes, no] = args else {
            return Some(Val::Open(
                "`Fn::If` needs a condition and two values".into(),
            ));
        };
        let name = cond.as_str().unwrap_or_default();
        match self.condition(name) {
            Ok(true) => self.eval(yes),
            Ok(false) => self.eval(no),
            Err(why) => {
                // When both branches agree, the condition does not matter.
                let (a, b) = (self.eval(yes), self.eval(no));
                if a == b && a.as_ref().is_none_or(|v| v.first_open().is_none()) {
                    return a;
                }
                Some(Val::Open(format!(
                    "it depends on condition `{name}`: {why}"
                )))
            }
        }
    }

    fn find_in_map(&self, args: &[Node]) -> Val {
        let keys: Vec<Val> = args
            .iter()
            .take(3)
            .map(|a| self.eval(a).unwrap_or(Val::Null))
            .collect();
        let default = args
            .get(3)
            .and_then(|d| d.get("DefaultValue"))
            .and_then(|d| self.eval(d));
        let mut names = Vec::new();
        for k in &keys {
            match text_of(k) {
                Some(t) => names.push(t),
                None => {
                    return default.unwrap_or_else(|| {
                        Val::Open(format!(
                            "`Fn::FindInMap` looks up a key known only at deploy ({})",
                            k.why_open().unwrap_or_default()
                        ))
                    })
                }
            }
        }
        let found = match (self.mappings, names.as_slice()) {
            (Some(m), [a, b, c]) => m.get(a).and_then(|x| x.get(b)).and_then(|x| x.get(c)),
            _ => None,
        };
        match found {
            Some(n) => self.eval(n).unwrap_or(Val::Null),
            None => default.unwrap_or_else(|| {
                Val::Open(format!(
                    "mapping entry {} is not in the template",
                    quoted(&names)
                ))
            }),
        }
    }

    /// Whether a named condition holds, or why that is known only at deploy.
    pub fn condition(&self, name: &str) -> Result<bool, String> {
        if let Some(d) = self.decided.borrow().get(name) {
            return d.clone();
        }
        if self.deciding.borrow().iter().any(|n| n == name) {
            return Err(format!("condition `{name}` refers to itself"));
        }
        let Some(node) = self.conditions.and_then(|c| c.get(name)) else {
            return Err(format!("condition `{name}` is not defined"));
        };
        self.deciding.borrow_mut().push(name.to_string());
        let r = self.decide(node);
        self.deciding.borrow_mut().pop();
        self.decided
            .borrow_mut()
            .insert(name.to_string(), r.clone());
        r
    }

    fn decide(&self, n: &Node) -> Result<bool, String> {
        let entries = n.entries();
        let [(f, _, arg)] = entries else {
            return match &n.value {
                Value::Bool(b) => Ok(*b),
                _ => Err("a condition must be a condition function".into()),
            };
        };
        let args: &[Node] = match &arg.value {
            Value::Seq(items) => items,
            _ => std::slice::from_ref(arg),
        };
        match f.as_str() {
            "Condition" => self.condition(arg.as_str().unwrap_or_default()),
            "Fn::Not" => args
                .first()
                .map_or(Err("`Fn::Not` needs a condition".into()), |c| {
                    self.decide(c).map(|b| !b)
                }),
            "Fn::And" | "Fn::Or" => {
                let and = f == "Fn::And";
                let mut open = None;
                for c in args {
                    match self.decide(c) {
                        Ok(b) if b != and => return Ok(b),
                        Ok(_) => {}
                        Err(why) => {
                            open.get_or_insert(why);
                        }
                    }
                }
                open.map_or(Ok(and), Err)
            }
            "Fn::Equals" => {
                let [a, b] = args else {
                    return Err("`Fn::Equals` needs two values".into());
                };
                let (a, b) = (
                    self.eval(a).unwrap_or(Val::Null),
                    self.eval(b).unwrap_or(Val::Null),
                );
                match (text_of(&a), text_of(&b)) {
                    (Some(x), Some(y)) => Ok(x == y),
                    _ if a == b && a.first_open().is_none() && !matches!(a, Val::Open(_)) => {
                        Ok(true)
                    }
                    _ => Err(a
                        .why_open()
                        .or_else(|| b.why_open())
                        .unwrap_or_else(|| "it compares values known only at deploy".into())),
                }
            }
            other => Err(format!("`{other}` is not a condition function")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::names::{ACCOUNT_AT_DEPLOY, REGION_AT_DEPLOY};
    use crate::iac::node::parse_yaml;

    fn scope<'a>(t: &'a Node) -> Scope<'a> {
        let mut params = BTreeMap::new();
        params.insert("Env".to_string(), Val::Str("prod".into()));
        params.insert(
            "Key".to_string(),
            Val::Open("parameter `Key` has no default".into()),
        );
        let resources = t
            .get("Resources")
            .map(|r| {
                r.entries()
                    .iter()
                    .map(|(k, _, v)| {
                        (
                            k.clone(),
                            v.get("Type")
                                .and_then(Node::as_str)
                                .unwrap_or_default()
                                .to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Scope::new(
            params,
            t.get("Mappings"),
            t.get("Conditions"),
            resources,
            Place {
                partition: "aws",
                region: REGION_AT_DEPLOY,
                account: ACCOUNT_AT_DEPLOY,
            },
            "stack".into(),
        )
    }

    #[test]
    fn functions_resolve_or_say_why_not() {
        let t = parse_yaml(
            r#"
Mappings:
  M: { prod: { days: 90 } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasKey: !Not [!Equals [!Ref Key, '']]
  Both: !And [!Condition IsProd, !Condition HasKey]
  Loop: !Condition Loop
Resources:
  B: { Type: 'AWS::S3::Bucket' }
  C: { Type: 'Custom::Thing' }
  X:
    Type: AWS::S3::BucketPolicy
    Properties:
      Arn: !GetAtt B.Arn
      Sub: !Sub 'arn:${AWS::Partition}:s3:::${B}/*'
      Lit: !Sub '${!Literal}-${Env}'
      Days: !FindInMap [M, !Ref Env, days]
      If: !If [IsProd, yes, no]
      Open: !If [HasKey, !Ref Key, !Ref AWS::NoValue]
      Same: !If [HasKey, same, same]
      Imp: !ImportValue shared-key
      Custom: !GetAtt C.Out
      Sel: !Select [1, !Split [',', 'a,b,c']]
      Join: !Join [':', [a, !Ref Env]]
      None: !Ref AWS::NoValue
      List: [a, !Ref AWS::NoValue, b]
"#,
        )
        .unwrap();
        let s = scope(&t);
        let p = s
            .eval(
                t.get("Resources")
                    .unwrap()
                    .get("X")
                    .unwrap()
                    .get("Properties")
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(
            p.get("Arn"),
            &Val::Ref {
                target: "B".into(),
                attr: Some("Arn".into()),
                text: "arn:aws:s3:::B".into()
            }
        );
        assert!(matches!(p.get("Sub"), Val::Sym { text, .. } if text == "arn:aws:s3:::B/*"));
        assert_eq!(p.get("Lit"), &Val::Str("${Literal}-prod".into()));
        assert_eq!(p.get("Days"), &Val::Num("90".into()));
        assert_eq!(p.get("If"), &Val::Str("yes".into()));
        assert!(
            matches!(p.get("Open"), Val::Open(w) if w.contains("condition `HasKey`") && w.contains("parameter `Key`")),
            "{:?}",
            p.get("Open")
        );
        assert_eq!(p.get("Same"), &Val::Str("same".into()));
        assert!(matches!(p.get("Imp"), Val::Open(w) if w.contains("`shared-key`")));
        assert!(matches!(p.get("Custom"), Val::Open(_)));
        assert_eq!(p.get("Sel"), &Val::Str("b".into()));
        assert_eq!(p.get("Join"), &Val::Str("a:prod".into()));
        assert_eq!(p.get("None"), &Val::Null);
        assert_eq!(
            p.get("List"),
            &Val::List(vec![Val::Str("a".into()), Val::Str("b".into())])
        );
        assert_eq!(s.condition("IsProd"), Ok(true));
        assert!(s.condition("Both").is_err());
        assert!(s.condition("Loop").unwrap_err().contains("itself"));
    }
}
