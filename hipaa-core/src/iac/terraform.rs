//! A Terraform plan (`terraform show -json PLANFILE`) into resources: each managed resource the
//! plan creates, updates or keeps, with its planned attributes (`after`), the attributes
//! Terraform computes at apply (`after_unknown`) open, and the configuration's `references`
//! telling which resource an attribute points at even when its value is computed. Instances of
//! `count` and `for_each` keep their index or key, so a policy of `aws_s3_bucket_policy.p["a"]`
//! goes with the bucket `aws_s3_bucket.b["a"]`.

use super::names;
use super::node::{Node, Value};
use super::source::{Dialect, Res, Source};
use super::value::Val;
use super::Options;
use crate::error::{Error, Result};
use crate::evidence::Location;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Whether a parsed JSON document is a Terraform plan.
pub fn is_plan(doc: &Node) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("resource_changes").is_some() || doc.get("planned_values").is_some())
}

fn bad(path: &str, n: &Node, message: impl std::fmt::Display) -> Error {
    Error::Template {
        path: path.to_string(),
        message: format!("{}: {message}", n.pos),
    }
}

/// A plain value from the plan's JSON.
fn plain(n: &Node) -> Val {
    match &n.value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(s) => Val::Num(s.clone()),
        Value::String(s) => Val::Str(s.clone()),
        Value::Seq(items) => Val::List(items.iter().map(plain).collect()),
        Value::Map(m) => Val::Map(m.iter().map(|(k, _, v)| (k.clone(), plain(v))).collect()),
    }
}

/// The resources of a plan.
pub fn source(doc: &Node, path: &str, options: &Options) -> Result<Source> {
    let version = doc
        .get("format_version")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let major = version.split('.').next().unwrap_or_default();
    if major != "0" && major != "1" {
        let at = doc.get("format_version").unwrap_or(doc);
        return Err(bad(
            path,
            at,
            format!("unsupported plan `format_version` `{version}` (this build reads 0.x and 1.x)"),
        ));
    }
    let config = doc.get("configuration");
    let region = options
        .region
        .clone()
        .or_else(|| provider_region(doc))
        .unwrap_or_else(|| names::REGION_AT_DEPLOY.into());
    let account = options
        .account
        .clone()
        .or_else(|| caller_account(doc))
        .unwrap_or_else(|| names::ACCOUNT_AT_DEPLOY.into());
    let mut modules: BTreeMap<String, &Node> = BTreeMap::new();
    let mut dirs: BTreeMap<String, String> = BTreeMap::new();
    if let Some(root) = config.and_then(|c| c.get("root_module")) {
        index_modules(root, String::new(), String::new(), &mut modules, &mut dirs);
    }
    let here = Path::new(path).parent().unwrap_or(Path::new(""));
    let mut finder = TfFinder::default();
    let changes = match doc.get("resource_changes") {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => items.as_slice(),
        Some(other) => return Err(bad(path, other, "`resource_changes` must be a list")),
        None => &[],
    };
    let mut out = Vec::new();
    for rc in changes {
        if rc.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let (Some(address), Some(kind), Some(name)) = (
            rc.get("address").and_then(Node::as_str),
            rc.get("type").and_then(Node::as_str),
            rc.get("name").and_then(Node::as_str),
        ) else {
            return Err(bad(
                path,
                rc,
                "a resource change without `address`, `type` or `name`",
            ));
        };
        let Some(change) = rc.get("change") else {
            return Err(bad(
                path,
                rc,
                format!("resource change `{address}` has no `change`"),
            ));
        };
        let actions: Vec<&str> = match change.get("actions") {
            Some(Node {
                value: Value::Seq(a),
                ..
            }) => a.iter().filter_map(Node::as_str).collect(),
            _ => Vec::new(),
        };
        if actions.iter().all(|a| *a == "delete") && !actions.is_empty() {
            continue;
        }
        let module_address = rc
            .get("module_address")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let base = if module_address.is_empty() {
            format!("{kind}.{name}")
        } else {
            format!("{module_address}.{kind}.{name}")
        };
        let key = rc.get("index").map(|i| match &i.value {
            Value::String(s) => format!("\"{s}\""),
            Value::Number(n) => n.clone(),
            _ => String::new(),
        });
        let module_path = strip_keys(&module_address);
        let expressions = modules
            .get(&module_path)
            .and_then(|m| m.get("resources"))
            .and_then(|list| match &list.value {
                Value::Seq(items) => items.iter().find(|r| {
                    r.get("address").and_then(Node::as_str) == Some(&format!("{kind}.{name}"))
                        && r.get("mode").and_then(Node::as_str) != Some("data")
                }),
                _ => None,
            })
            .and_then(|r| r.get("expressions"));
        let mut refs = BTreeMap::new();
        let mut raw = BTreeMap::new();
        let mut configured = BTreeSet::new();
        if let Some(e) = expressions {
            for (k, _, _) in e.entries() {
                configured.insert(k.clone());
            }
            collect_refs(e, String::new(), &module_address, &mut refs, &mut raw);
        }
        let after = change.get("after");
        let unknown = change.get("after_unknown");
        let place = names::Place {
            partition: &options.partition,
            region: &region,
            account: &account,
        };
        let mut props = merge(
            after,
            unknown,
            "",
            &Refs {
                to: &refs,
                raw: &raw,
            },
            &place,
        );
        // An argument the configuration does not set, which the provider computes at apply, is
        // the provider's (AWS's) default: it reads as not set, so each service applies that
        // default, rather than as a value the code leaves open.
        if let Val::Map(m) = &mut props {
            for (k, v) in m.iter_mut() {
                if matches!(v, Val::Open(_)) && !configured.contains(k) && !refs.contains_key(k) {
                    *v = Val::Null;
                }
            }
        }
        let location = dirs
            .get(&module_path)
            .and_then(|d| finder.find(&tidy(&here.join(d)), kind, name))
            .or_else(|| {
                Some(Location {
                    file: path.to_string(),
                    line: rc.pos.line,
                    column: rc.pos.column,
                })
            });
        out.push(Res {
            id: address.to_string(),
            kind: kind.to_string(),
            props,
            location,
            maybe: None,
            base,
            key,
            refs,
            configured,
        });
    }
    Ok(Source {
        dialect: Dialect::Terraform,
        file: path.to_string(),
        region,
        account,
        partition: options.partition.clone(),
        resources: out,
    })
}

/// `module.a["x"].module.b[0]` → `module.a.module.b`.
fn strip_keys(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every module of the configuration by path (`module.phi`), and where its source lives.
fn index_modules<'a>(
    m: &'a Node,
    path: String,
    dir: String,
    out: &mut BTreeMap<String, &'a Node>,
    dirs: &mut BTreeMap<String, String>,
) {
    out.insert(path.clone(), m);
    dirs.insert(path.clone(), dir.clone());
    if let Some(calls) = m.get("module_calls") {
        for (name, _, call) in calls.entries() {
            let Some(child) = call.get("module") else {
                continue;
            };
            let p = if path.is_empty() {
                format!("module.{name}")
            } else {
                format!("{path}.module.{name}")
            };
            // Only local modules (`./…`, `../…`) have their source beside the plan.
            let src = call
                .get("source")
                .and_then(Node::as_str)
                .unwrap_or_default();
            let d = if src.starts_with("./") || src.starts_with("../") {
                if dir.is_empty() {
                    src.to_string()
                } else {
                    format!("{dir}/{src}")
                }
            } else {
                "\u{0}".to_string()
            };
            if out.len() < 10_000 {
                index_modules(child, p, d, out, dirs);
            }
        }
    }
}

/// The attributes' references, by attribute path (`bucket`, `rule.apply_….kms_master_key_id`),
/// as resource addresses in the referring module instance (`module.phi.aws_s3_bucket.b`).
fn collect_refs(
    e: &Node,
    path: String,
    module: &str,
    out: &mut BTreeMap<String, Vec<String>>,
    raw: &mut BTreeMap<String, Vec<String>>,
) {
    for (k, _, v) in e.entries() {
        let here = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        if let Some(Node {
            value: Value::Seq(list),
            ..
        }) = v.get("references")
        {
            raw.insert(
                here.clone(),
                list.iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect(),
            );
            let mut targets: Vec<String> = Vec::new();
            for r in list.iter().filter_map(Node::as_str) {
                if let Some(t) = resource_ref(r, module) {
                    if !targets.contains(&t) {
                        targets.push(t);
                    }
                }
            }
            // The most specific form (`aws_s3_bucket.b[0]`) first.
            targets.sort_by_key(|t| std::cmp::Reverse(t.len()));
            if !targets.is_empty() {
                out.insert(here.clone(), targets);
            }
        }
        match &v.value {
            Value::Seq(blocks) => {
                for b in blocks {
                    collect_refs(b, here.clone(), module, out, raw);
                }
            }
            Value::Map(_) if v.get("references").is_none() && v.get("constant_value").is_none() => {
                collect_refs(v, here.clone(), module, out, raw)
            }
            _ => {}
        }
    }
}

/// `aws_s3_bucket.b.id` → `module.m.aws_s3_bucket.b`; `aws_s3_bucket.b[0]` keeps its index;
/// variables, locals, data sources, `each`, `count` and module outputs are not resources.
fn resource_ref(r: &str, module: &str) -> Option<String> {
    let first = r.split(['.', '[']).next()?;
    if matches!(
        first,
        "var" | "local" | "data" | "each" | "count" | "path" | "terraform" | "self" | "module"
    ) {
        return None;
    }
    let mut parts = r.splitn(3, '.');
    let (ty, name) = (parts.next()?, parts.next()?);
    // `name[0]` or `name["k"]` keeps the index; a trailing attribute is dropped.
    let name = match name.find('[') {
        Some(i) => {
            let end = r.find(']').map_or(r.len(), |e| e + 1);
            let start = r.find('[').unwrap_or(r.len());
            format!("{}{}", &name[..i], r.get(start..end).unwrap_or_default())
        }
        None => name.to_string(),
    };
    Some(if module.is_empty() {
        format!("{ty}.{name}")
    } else {
        format!("{module}.{ty}.{name}")
    })
}

/// Planned values with computed parts open (or, where the configuration names a resource, a
/// reference to it).
/// What the configuration's references say about an attribute: the resources it links to, and
/// every reference as written (for the reason a value is open).
struct Refs<'a> {
    to: &'a BTreeMap<String, Vec<String>>,
    raw: &'a BTreeMap<String, Vec<String>>,
}

fn merge(
    after: Option<&Node>,
    unknown: Option<&Node>,
    path: &str,
    refs: &Refs<'_>,
    at: &names::Place<'_>,
) -> Val {
    if let Some(Node {
        value: Value::Bool(true),
        ..
    }) = unknown
    {
        return computed(path, refs, at);
    }
    match (after.map(|n| &n.value), unknown.map(|n| &n.value)) {
        (Some(Value::Map(m)), u) => {
            let mut out: Vec<(String, Val)> = m
                .iter()
                .map(|(k, _, v)| {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    (
                        k.clone(),
                        merge(Some(v), unknown.and_then(|u| u.get(k)), &p, refs, at),
                    )
                })
                .collect();
            if let Some(Value::Map(um)) = u {
                for (k, _, v) in um {
                    if !out.iter().any(|(e, _)| e == k) {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        out.push((k.clone(), merge(None, Some(v), &p, refs, at)));
                    }
                }
            }
            Val::Map(out)
        }
        (Some(Value::Seq(items)), u) => {
            let us: &[Node] = match u {
                Some(Value::Seq(x)) => x,
                _ => &[],
            };
            Val::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| merge(Some(v), us.get(i), path, refs, at))
                    .collect(),
            )
        }
        (Some(_), _) => after.map_or(Val::Null, plain),
        (None, Some(Value::Map(um))) => Val::Map(
            um.iter()
                .map(|(k, _, v)| {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    (k.clone(), merge(None, Some(v), &p, refs, at))
                })
                .collect(),
        ),
        (None, Some(Value::Seq(us))) => Val::List(
            us.iter()
                .map(|v| merge(None, Some(v), path, refs, at))
                .collect(),
        ),
        (None, _) => Val::Null,
    }
}

/// A value Terraform computes at apply: a reference when the configuration names the resource
/// it comes from, open otherwise.
fn computed(path: &str, refs: &Refs<'_>, at: &names::Place<'_>) -> Val {
    let raw = refs.raw.get(path).map(Vec::as_slice).unwrap_or_default();
    // A value that is exactly another resource's attribute links to it.
    let direct = raw.len() <= 2
        && raw
            .iter()
            .all(|r| !r.contains("each.") && !r.contains("count."));
    if let Some(t) = refs.to.get(path).and_then(|t| t.first()).filter(|_| direct) {
        let ty = t.rsplit('.').nth(1).unwrap_or_default();
        let attr = path.rsplit('.').next().unwrap_or(path);
        let text = if attr.ends_with("arn") || attr.ends_with("_arn") {
            names::arn(ty, t, at)
        } else {
            t.clone()
        };
        return Val::Ref {
            target: t.clone(),
            attr: Some(attr.to_string()),
            text,
        };
    }
    if let Some(d) = raw.iter().find(|r| r.starts_with("data.")) {
        let name = d.splitn(4, '.').take(3).collect::<Vec<_>>().join(".");
        return Val::Open(format!(
            "it comes from data source `{name}`, which Terraform reads only at apply"
        ));
    }
    if let Some(r) = raw.iter().max_by_key(|r| r.len()) {
        return Val::Open(format!(
            "it depends on `{r}`, which Terraform computes at apply"
        ));
    }
    Val::Open(COMPUTED.into())
}

/// Why a value is open when nothing in the configuration sets it: the provider computes it at
/// apply, which for a nested block's argument is the provider's (AWS's) default.
pub(crate) const COMPUTED: &str = "Terraform computes it at apply";

/// The region the `aws` provider is configured with, when the plan says.
fn provider_region(doc: &Node) -> Option<String> {
    let cfg = doc.get("configuration")?.get("provider_config")?;
    let aws = cfg.get("aws").or_else(|| {
        cfg.entries()
            .iter()
            .find(|(k, _, _)| k.starts_with("aws"))
            .map(|(_, _, v)| v)
    })?;
    let region = aws.get("expressions")?.get("region")?;
    if let Some(v) = region.get("constant_value").and_then(Node::as_str) {
        return Some(v.to_string());
    }
    // `region = var.region`: the variable's value is in the plan.
    let r = match &region.get("references")?.value {
        Value::Seq(items) => items.first()?.as_str()?,
        _ => return None,
    };
    let var = r.strip_prefix("var.")?;
    doc.get("variables")?
        .get(var)?
        .get("value")?
        .as_str()
        .map(str::to_string)
}

/// The account from a `aws_caller_identity` data source the plan already read.
fn caller_account(doc: &Node) -> Option<String> {
    let root = doc.get("prior_state")?.get("values")?.get("root_module")?;
    let Value::Seq(items) = &root.get("resources")?.value else {
        return None;
    };
    items
        .iter()
        .find(|r| r.get("type").and_then(Node::as_str) == Some("aws_caller_identity"))
        .and_then(|r| {
            r.get("values")?
                .get("account_id")?
                .as_str()
                .map(str::to_string)
        })
}

/// A path without its `.` parts (`plans/./modules/phi` → `plans/modules/phi`).
fn tidy(p: &Path) -> std::path::PathBuf {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Finds `resource "TYPE" "NAME"` in the `.tf` files of a module directory.
#[derive(Default)]
struct TfFinder {
    files: BTreeMap<std::path::PathBuf, Vec<(String, String)>>,
}

impl TfFinder {
    fn find(&mut self, dir: &Path, kind: &str, name: &str) -> Option<Location> {
        if dir.to_string_lossy().contains('\u{0}') {
            return None;
        }
        let files = self.files.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut list: Vec<(String, String)> = std::fs::read_dir(dir)
                .map(|rd| {
                    rd.filter_map(std::result::Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
                        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 8 << 20))
                        .filter_map(|p| {
                            Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            list.sort();
            list
        });
        for (file, text) in files.iter() {
            for (i, line) in text.lines().enumerate() {
                let t = line.trim_start();
                let Some(rest) = t.strip_prefix("resource") else {
                    continue;
                };
                let words: Vec<&str> = rest
                    .split('"')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .collect();
                if words.len() >= 2 && words[0] == kind && words[1] == name {
                    return Some(Location {
                        file: file.clone(),
                        line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        column: u32::try_from(line.len() - t.len() + 1).unwrap_or(1),
                    });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_module_addresses_with_their_index() {
        assert_eq!(
            resource_ref("aws_s3_bucket.b.id", "module.m"),
            Some("module.m.aws_s3_bucket.b".into())
        );
        assert_eq!(
            resource_ref("aws_s3_bucket.b[0].id", ""),
            Some("aws_s3_bucket.b[0]".into())
        );
        assert_eq!(
            resource_ref("aws_s3_bucket.b[\"k\"]", ""),
            Some("aws_s3_bucket.b[\"k\"]".into())
        );
        assert_eq!(resource_ref("var.x", ""), None);
        assert_eq!(
            resource_ref("data.aws_iam_policy_document.p.json", ""),
            None
        );
        assert_eq!(
            strip_keys("module.a[\"x]\"].module.b[0]"),
            "module.a.module.b"
        );
    }

    #[test]
    fn unsupported_versions_and_shapes_are_named() {
        let o = Options::default();
        let doc = super::super::node::parse_json(
            "{\"format_version\": \"2.0\", \"resource_changes\": []}",
        )
        .unwrap();
        let e = source(&doc, "p.json", &o).unwrap_err().to_string();
        assert!(
            e.contains("unsupported plan `format_version` `2.0`") && e.contains("line 1"),
            "{e}"
        );
        let doc = super::super::node::parse_json(
            "{\"format_version\": \"1.2\", \"resource_changes\": [{\"mode\": \"managed\"}]}",
        )
        .unwrap();
        let e = source(&doc, "p.json", &o).unwrap_err().to_string();
        assert!(e.contains("without `address`"), "{e}");
    }
}
