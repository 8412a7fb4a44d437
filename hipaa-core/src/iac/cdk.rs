//! A CDK cloud assembly (`cdk.out`): its `manifest.json` names each stack's template and
//! environment; nested stacks are templates of their own (`*.nested.template.json`), whose
//! parameters their parent stack passes; nested assemblies (CDK stages) are read too.

use super::cloudformation::{self, Deploy};
use super::names;
use super::node::{parse_json, Node};
use super::source::Source;
use super::value::Val;
use super::Options;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Assemblies nest (stages in stages) at most this deep.
const MAX_NESTING: usize = 8;

fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Template {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Every stack of a cloud assembly directory, nested stacks included. When the assembly holds
/// more than one template (or `several` inputs are read at once), logical ids carry their
/// stack's name (`Prod.Bucket`), since CDK gives the same construct the same id in every stack.
pub fn sources(dir: &Path, options: &Options, several: bool) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let qualify = several || templates(dir, 0) > 1;
    assembly(dir, options, 0, qualify, &mut out)?;
    if out.is_empty() {
        return Err(bad(dir, "the cloud assembly has no CloudFormation stack"));
    }
    Ok(out)
}

/// How many templates an assembly holds (stacks, nested stacks and nested assemblies).
fn templates(dir: &Path, depth: usize) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if p.is_dir() && depth < MAX_NESTING {
                templates(&p, depth + 1)
            } else {
                usize::from(name.ends_with(".template.json"))
            }
        })
        .sum()
}

fn assembly(
    dir: &Path,
    options: &Options,
    depth: usize,
    qualify: bool,
    out: &mut Vec<Source>,
) -> Result<()> {
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.is_file() {
        return Err(bad(
            dir,
            "not a CDK output directory: it has no `manifest.json` (run `cdk synth` first)",
        ));
    }
    let text = crate::audit::read_text(&manifest_path)?;
    let manifest = parse_json(text.trim_start()).map_err(|e| bad(&manifest_path, e.to_string()))?;
    let Some(artifacts) = manifest.get("artifacts") else {
        return Err(bad(
            &manifest_path,
            format!("{}: the manifest has no `artifacts`", manifest.pos),
        ));
    };
    for (id, _, a) in artifacts.entries() {
        let props = a.get("properties");
        match a.get("type").and_then(Node::as_str) {
            Some("aws:cloudformation:stack") => {
                let Some(file) = props
                    .and_then(|p| p.get("templateFile"))
                    .and_then(Node::as_str)
                else {
                    return Err(bad(
                        &manifest_path,
                        format!("{}: stack `{id}` names no `templateFile`", a.pos),
                    ));
                };
                let stack = props
                    .and_then(|p| p.get("stackName"))
                    .and_then(Node::as_str)
                    .unwrap_or(id)
                    .to_string();
                let (account, region) =
                    environment(a.get("environment").and_then(Node::as_str), options);
                let stack = Stack {
                    name: stack,
                    account,
                    region,
                    qualify,
                };
                stack_template(&dir.join(file), &stack, BTreeMap::new(), options, 0, out)?;
            }
            Some("cdk:cloud-assembly") if depth < MAX_NESTING => {
                if let Some(sub) = props
                    .and_then(|p| p.get("directoryName"))
                    .and_then(Node::as_str)
                {
                    assembly(&dir.join(sub), options, depth + 1, qualify, out)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `aws://123456789012/us-east-1`, with CDK's `unknown-account` and `unknown-region` for
/// environment-agnostic stacks; the caller's options fill what the stack leaves open.
fn environment(env: Option<&str>, options: &Options) -> (String, String) {
    let rest = env.and_then(|e| e.strip_prefix("aws://")).unwrap_or("");
    let (acct, region) = rest.split_once('/').unwrap_or(("", ""));
    let account = match acct {
        "" | "unknown-account" => options
            .account
            .clone()
            .unwrap_or_else(|| names::ACCOUNT_AT_DEPLOY.into()),
        a => a.to_string(),
    };
    let region = match region {
        "" | "unknown-region" => options
            .region
            .clone()
            .unwrap_or_else(|| names::REGION_AT_DEPLOY.into()),
        r => r.to_string(),
    };
    (account, region)
}

/// The file of a nested stack's template: named by the asset metadata the CDK CLI records,
/// else found by CDK's naming (`<Parent><Construct><hash>.nested.template.json`).
fn nested_template(parent: &Path, stack: &str, r: &Node) -> Option<String> {
    let meta = r.get("Metadata");
    if let Some(p) = meta
        .and_then(|m| m.get("aws:asset:path"))
        .and_then(Node::as_str)
    {
        return Some(p.to_string());
    }
    let path = meta
        .and_then(|m| m.get("aws:cdk:path"))
        .and_then(Node::as_str)?;
    let construct = path.split('/').rev().nth(1)?.strip_suffix(".NestedStack")?;
    let prefix = format!("{}{construct}", stack.replace(['/', '.', '-'], ""));
    let dir = parent.parent()?;
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(std::result::Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".nested.template.json"))
        .collect();
    found.sort();
    (found.len() == 1).then(|| found.remove(0))
}

/// A stack of the assembly: its name and where it deploys.
struct Stack {
    name: String,
    account: String,
    region: String,
    qualify: bool,
}

fn stack_template(
    file: &Path,
    stack: &Stack,
    params: BTreeMap<String, Val>,
    options: &Options,
    depth: usize,
    out: &mut Vec<Source>,
) -> Result<()> {
    let shown = file.display().to_string();
    let text = crate::audit::read_text(file)?;
    let doc = cloudformation::parse(&text, &shown)?;
    let deploy = Deploy {
        stack: stack.name.clone(),
        account: stack.account.clone(),
        region: stack.region.clone(),
        params,
        options,
        qualify: stack.qualify,
    };
    let source = cloudformation::source(&doc, &shown, &deploy)?;
    // Nested stacks: the template CDK wrote beside this one, with the parameters this one passes.
    let mut nested = Vec::new();
    if depth < MAX_NESTING {
        for (id, _, r) in doc.get("Resources").map(Node::entries).unwrap_or_default() {
            if r.get("Type").and_then(Node::as_str) != Some("AWS::CloudFormation::Stack") {
                continue;
            }
            let Some(asset) = nested_template(file, &stack.name, r) else {
                continue;
            };
            let asset = asset.as_str();
            let own = if stack.qualify {
                format!("{}.{id}", stack.name)
            } else {
                id.clone()
            };
            let passed = source
                .resources
                .iter()
                .find(|x| x.id == own)
                .map(|x| match x.props.get("Parameters") {
                    Val::Map(m) => m.iter().cloned().collect(),
                    _ => BTreeMap::new(),
                })
                .unwrap_or_default();
            let dir = file.parent().unwrap_or(Path::new("."));
            // The nested stack is known by its template's name (`ParentTables6DFAC984`).
            let name = asset.split('.').next().unwrap_or(id).to_string();
            nested.push((dir.join(asset), name, passed));
        }
    }
    out.push(source);
    for (path, name, passed) in nested {
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml" | "template")
        ) {
            continue;
        }
        let child = Stack {
            name,
            account: stack.account.clone(),
            region: stack.region.clone(),
            qualify: stack.qualify,
        };
        stack_template(&path, &child, passed, options, depth + 1, out)?;
    }
    Ok(())
}
