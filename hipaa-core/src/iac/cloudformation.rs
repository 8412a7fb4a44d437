//! A CloudFormation template (YAML or JSON) into resources with worked-out properties.

use super::intrinsics::Scope;
use super::names::Place;
use super::node::{parse_json, parse_yaml, Node, Value};
use super::source::{Dialect, Res, Source};
use super::value::Val;
use super::Options;
use crate::error::{Error, Result};
use crate::evidence::Location;
use std::collections::BTreeMap;

/// Where a template deploys and what its parameters are, beyond the template itself.
pub struct Deploy<'a> {
    /// The stack's name.
    pub stack: String,
    /// The account, when known (a CDK environment), else the stand-in.
    pub account: String,
    /// The region, when known, else the stand-in.
    pub region: String,
    /// Parameter values given from outside (by the caller, or a parent stack).
    pub params: BTreeMap<String, Val>,
    /// The caller's options.
    pub options: &'a Options,
    /// Whether logical ids carry the stack's name (`Prod.Bucket`): one load holds several stacks.
    pub qualify: bool,
}

/// Parse a template's text; JSON when it starts with `{`, YAML otherwise.
pub fn parse(text: &str, path: &str) -> Result<Node> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let parsed = if trimmed.starts_with('{') {
        parse_json(trimmed)
            .map_err(|e| {
                // Positions count from the trimmed text; put back the lines trimmed off.
                let skipped = text.len() - trimmed.len();
                let lines = u32::try_from(text[..skipped].matches('\n').count()).unwrap_or(0);
                super::node::SyntaxError {
                    pos: super::node::Pos {
                        line: e.pos.line + lines,
                        column: e.pos.column,
                    },
                    message: e.message,
                }
            })
            // YAML flow style also starts with `{`: a document that is YAML but not JSON is read
            // as YAML; one that is neither is reported as JSON.
            .or_else(|json| parse_yaml(text).map_err(|_| json))
    } else {
        parse_yaml(text)
    };
    parsed.map_err(|e| Error::Template {
        path: path.to_string(),
        message: format!("{e}"),
    })
}

fn bad(path: &str, n: &Node, message: impl std::fmt::Display) -> Error {
    Error::Template {
        path: path.to_string(),
        message: format!("{}: {message}", n.pos),
    }
}

/// Whether a parsed document looks like a CloudFormation template.
pub fn is_template(doc: &Node) -> bool {
    doc.get("Resources").is_some() || doc.get("AWSTemplateFormatVersion").is_some()
}

/// The resources of a parsed template.
pub fn source(doc: &Node, path: &str, deploy: &Deploy<'_>) -> Result<Source> {
    if !matches!(doc.value, Value::Map(_)) {
        return Err(bad(
            path,
            doc,
            format!("a template is a mapping, not {}", doc.kind()),
        ));
    }
    let resources = match doc.get("Resources") {
        None => return Err(bad(path, doc, "the template has no `Resources` section")),
        Some(r) if !matches!(r.value, Value::Map(_)) => {
            return Err(bad(
                path,
                r,
                format!("`Resources` must be a mapping, not {}", r.kind()),
            ))
        }
        Some(r) if r.entries().is_empty() => {
            return Err(bad(
                path,
                r,
                "`Resources` is empty: a template needs at least one resource",
            ))
        }
        Some(r) => r,
    };
    let mut kinds = BTreeMap::new();
    for (id, _, r) in resources.entries() {
        let Some(kind) = r.get("Type").and_then(Node::as_str) else {
            return Err(bad(path, r, format!("resource `{id}` has no `Type`")));
        };
        kinds.insert(id.clone(), kind.to_string());
    }
    let place = Place {
        partition: &deploy.options.partition,
        region: &deploy.region,
        account: &deploy.account,
    };
    let params = parameters(doc, path, deploy)?;
    let mut scope = Scope::new(
        params,
        doc.get("Mappings"),
        doc.get("Conditions"),
        kinds.clone(),
        place,
        deploy.stack.clone(),
    );
    scope.prefix = deploy.qualify.then(|| deploy.stack.clone());
    scope.properties = resources
        .entries()
        .iter()
        .filter_map(|(id, _, r)| Some((id.clone(), r.get("Properties")?)))
        .collect();
    if let Some(t) = doc.get("Transform") {
        let names: Vec<String> = match &t.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => t.as_str().map(str::to_string).into_iter().collect(),
        };
        for name in names.iter().filter(|n| *n != "AWS::LanguageExtensions") {
            crate::notice::say(format!(
                "template `{path}` uses the transform `{name}`: what it expands at deploy (such as `AWS::Serverless::*` resources) is not judged; judge the processed template (`aws cloudformation get-template --template-stage Processed`, or `sam build` output) too"
            ));
        }
    }
    let mut out = Vec::new();
    for (id, pos, r) in resources.entries() {
        let maybe = match r.get("Condition").and_then(Node::as_str) {
            None => None,
            Some(c) => match scope.condition(c) {
                Ok(true) => None,
                Ok(false) => continue,
                Err(why) => Some(format!(
                    "whether it is created depends on condition `{c}`: {why}"
                )),
            },
        };
        let props = match r.get("Properties") {
            Some(p) => scope.eval(p).unwrap_or(Val::Null),
            None => Val::Null,
        };
        let props = match props {
            Val::Map(_) | Val::Null => props,
            Val::Open(why) => Val::Open(why),
            other => {
                return Err(bad(
                    path,
                    r,
                    format!(
                        "the properties of `{id}` are {}, not a mapping",
                        other.kind()
                    ),
                ))
            }
        };
        out.push(Res {
            id: scope.id(id),
            kind: kinds.get(id).cloned().unwrap_or_default(),
            props,
            location: Some(Location {
                file: path.to_string(),
                line: pos.line,
                column: pos.column,
            }),
            maybe,
            base: scope.id(id),
            key: None,
            refs: BTreeMap::new(),
            configured: Default::default(),
        });
    }
    Ok(Source {
        dialect: Dialect::CloudFormation,
        file: path.to_string(),
        region: deploy.region.clone(),
        account: deploy.account.clone(),
        partition: deploy.options.partition.clone(),
        resources: out,
    })
}

/// Parameter values: the caller's, else the default, else open.
fn parameters(doc: &Node, path: &str, deploy: &Deploy<'_>) -> Result<BTreeMap<String, Val>> {
    let mut out = BTreeMap::new();
    let Some(section) = doc.get("Parameters") else {
        return Ok(out);
    };
    for (name, _, p) in section.entries() {
        let ty = p.get("Type").and_then(Node::as_str).unwrap_or("String");
        let given = deploy.params.get(name).cloned().or_else(|| {
            deploy
                .options
                .parameters
                .get(name)
                .map(|v| Val::Str(v.clone()))
        });
        let value = if ty.starts_with("AWS::SSM::Parameter::Value") {
            Val::Open(format!(
                "parameter `{name}` is read from Systems Manager at deploy"
            ))
        } else {
            match given {
                Some(v) => v,
                None => match p.get("Default") {
                    None => Val::Open(format!("parameter `{name}` has no default")),
                    Some(d) => match &d.value {
                        Value::String(s) | Value::Number(s) => Val::Str(s.clone()),
                        Value::Bool(b) => Val::Str(b.to_string()),
                        Value::Seq(items) => Val::List(
                            items
                                .iter()
                                .map(|i| Val::Str(i.as_str().unwrap_or_default().to_string()))
                                .collect(),
                        ),
                        _ => {
                            return Err(bad(
                                path,
                                d,
                                format!("the default of parameter `{name}` is {}", d.kind()),
                            ))
                        }
                    },
                },
            }
        };
        let is_list = ty.starts_with("List<") || ty == "CommaDelimitedList";
        let value = match value {
            Val::Str(s) if is_list => Val::List(
                s.split(',')
                    .map(|x| Val::Str(x.trim().to_string()))
                    .collect(),
            ),
            Val::Str(s) if ty == "Number" => Val::Num(s),
            v => v,
        };
        out.insert(name.clone(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(o: &Options) -> Deploy<'_> {
        Deploy {
            stack: "s".into(),
            account: "a".into(),
            region: "r".into(),
            params: BTreeMap::new(),
            options: o,
            qualify: false,
        }
    }

    #[test]
    fn bad_templates_name_the_line_and_problem() {
        let o = Options::default();
        let cases = [
            ("a: [1\n", "line 2"),
            ("Parameters: {}\n", "no `Resources`"),
            ("Resources: []\n", "must be a mapping"),
            ("Resources: {}\n", "is empty"),
            ("Resources:\n  B:\n    Properties: {}\n", "line 3"),
            ("\n\n{\"Resources\": }", "line 3"),
            ("- 1\n", "a template is a mapping"),
        ];
        for (text, want) in cases {
            let e = parse(text, "t.yaml")
                .and_then(|d| source(&d, "t.yaml", &deploy(&o)))
                .unwrap_err();
            let m = e.to_string();
            assert!(
                m.starts_with("template `t.yaml`: ") && m.contains(want),
                "{text:?}: {m}"
            );
        }
    }

    #[test]
    fn conditions_and_parameters_decide_what_exists() {
        let o = Options {
            parameters: [("Given".to_string(), "x".to_string())].into(),
            ..Options::default()
        };
        let doc = parse(
            "Parameters:\n  Env: {Type: String, Default: dev}\n  Open: {Type: String}\n  Given: {Type: String}\n  L: {Type: CommaDelimitedList, Default: 'a, b'}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n  Maybe: !Equals [!Ref Open, x]\nResources:\n  Gone: {Type: 'AWS::S3::Bucket', Condition: Prod}\n  Maybe: {Type: 'AWS::S3::Bucket', Condition: Maybe, Properties: {BucketName: !Ref Given, Tags: !Ref L}}\n",
            "t.yaml",
        )
        .unwrap();
        let s = source(&doc, "t.yaml", &deploy(&o)).unwrap();
        assert_eq!(s.resources.len(), 1);
        let r = &s.resources[0];
        assert!(r
            .maybe
            .as_deref()
            .unwrap()
            .contains("parameter `Open` has no default"));
        assert_eq!(r.props.get("BucketName"), &Val::Str("x".into()));
        assert_eq!(
            r.props.get("Tags"),
            &Val::List(vec![Val::Str("a".into()), Val::Str("b".into())])
        );
        assert_eq!(r.location.as_ref().unwrap().line, 11);
    }
}
