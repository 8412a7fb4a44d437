//! The framework file format: a `[framework]` header, `[[requirement]]` entries in order, and
//! the controls of each requirement, inline (`controls = [...]`) or in a `[mapping]` table, and
//! an `[unmapped]` table of controls deliberately left out, each with its reason.

use super::{Artifact, Framework, FrameworkInfo, FrameworkStatus};
use crate::catalog::Catalog;
use crate::error::{line_col, toml_message, Error, Result};
use crate::registry::{Registry, Requirement, Spec, SpecKind};
use crate::vocabulary::{Owner, Safeguard};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    framework: Header,
    #[serde(default)]
    requirement: Vec<RawRequirement>,
    #[serde(default)]
    mapping: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    unmapped: BTreeMap<Spanned<String>, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    name: String,
    version: String,
    status: FrameworkStatus,
    source: String,
    citation_prefix: String,
    #[serde(default)]
    banner: Option<String>,
    #[serde(default)]
    catalog_citations: bool,
    #[serde(default)]
    baseline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    citation: Spanned<String>,
    title: String,
    safeguard: Safeguard,
    kind: SpecKind,
    standard: String,
    requirement: Requirement,
    owner: Owner,
    owner_reason: String,
    #[serde(default)]
    changes: Option<String>,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    previously: Vec<String>,
    #[serde(default)]
    attestation_only: bool,
    #[serde(default)]
    manual_reason: Option<String>,
    #[serde(default)]
    artifacts: Vec<Artifact>,
    #[serde(default)]
    controls: Vec<Spanned<String>>,
}

pub(super) fn parse(text: &str, source_name: &str) -> Result<Framework> {
    let err = |message: String| Error::Framework {
        source_name: source_name.to_string(),
        message,
    };
    let line = |offset: usize| line_col(text, offset).0;
    let raw: RawFile = toml::from_str(text).map_err(|e| err(toml_message(&e, text)))?;
    let h = raw.framework;
    let id_ok = !h.id.is_empty()
        && h.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(err(format!(
            "framework id `{}` must be lower-case letters, digits and `-`",
            h.id
        )));
    }
    for (field, value) in [
        ("name", &h.name),
        ("version", &h.version),
        ("source", &h.source),
        ("citation_prefix", &h.citation_prefix),
    ] {
        if value.trim().is_empty() {
            return Err(err(format!("`framework.{field}` is empty")));
        }
    }
    if h.status == FrameworkStatus::Proposed && h.banner.as_deref().is_none_or(str::is_empty) {
        return Err(err(
            "a proposed framework needs a `banner`: every report under it must say it is not law"
                .into(),
        ));
    }
    if raw.requirement.is_empty() {
        return Err(err("the file has no `[[requirement]]` entries".into()));
    }

    let mut specs = Vec::with_capacity(raw.requirement.len());
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut mapping: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut mentions = Vec::new();
    for r in raw.requirement {
        let at = line(r.citation.span().start);
        let citation = r.citation.into_inner();
        if lines.insert(citation.clone(), at).is_some() {
            return Err(err(format!(
                "line {at}: requirement `{citation}` is listed twice"
            )));
        }
        for (field, value) in [("title", &r.title), ("owner_reason", &r.owner_reason)] {
            if value.trim().is_empty() {
                return Err(err(format!(
                    "line {at}: `{citation}` has an empty `{field}`"
                )));
            }
        }
        if r.attestation_only && r.manual_reason.is_none() {
            return Err(err(format!(
                "line {at}: `{citation}` is `attestation_only` but gives no `manual_reason`"
            )));
        }
        let mut seen = BTreeSet::new();
        for c in r.controls {
            let cline = line(c.span().start);
            let id = c.into_inner();
            if !seen.insert(id.clone()) {
                return Err(err(format!(
                    "line {cline}: `{citation}` lists control `{id}` twice"
                )));
            }
            mentions.push((id.clone(), cline, citation.clone()));
            mapping.entry(citation.clone()).or_default().push(id);
        }
        specs.push(Spec {
            citation,
            title: r.title,
            safeguard: r.safeguard,
            kind: r.kind,
            standard: r.standard,
            requirement: r.requirement,
            owner: r.owner,
            owner_reason: r.owner_reason,
            changes: r.changes,
            page: r.page,
            previously: r.previously,
            attestation_only: r.attestation_only,
            manual_reason: r.manual_reason,
            artifacts: r.artifacts,
        });
    }
    for s in &specs {
        let ok = specs
            .iter()
            .any(|p| p.citation == s.standard && p.kind == SpecKind::Standard);
        if !ok {
            let at = lines.get(&s.citation).copied().unwrap_or(0);
            return Err(err(format!(
                "line {at}: `{}` names `{}` as its standard, which is not a standard here",
                s.citation, s.standard
            )));
        }
    }
    for (key, controls) in raw.mapping {
        let at = line(key.span().start);
        let citation = key.into_inner();
        if !lines.contains_key(&citation) {
            return Err(err(format!(
                "line {at}: the mapping names unknown requirement `{citation}`"
            )));
        }
        let list = mapping.entry(citation.clone()).or_default();
        for c in controls {
            let cline = line(c.span().start);
            let id = c.into_inner();
            if list.contains(&id) {
                return Err(err(format!(
                    "line {cline}: `{citation}` lists control `{id}` twice"
                )));
            }
            mentions.push((id.clone(), cline, citation.clone()));
            list.push(id);
        }
    }
    mapping.retain(|_, v| !v.is_empty());
    let mut unmapped = BTreeMap::new();
    for (key, reason) in raw.unmapped {
        let at = line(key.span().start);
        let id = key.into_inner();
        if reason.trim().is_empty() {
            return Err(err(format!(
                "line {at}: `[unmapped]` gives no reason for control `{id}`"
            )));
        }
        if let Some((citation, _)) = mapping.iter().find(|(_, v)| v.contains(&id)) {
            return Err(err(format!(
                "line {at}: control `{id}` is in `[unmapped]` but `{citation}` maps it"
            )));
        }
        mentions.push((id.clone(), at, "[unmapped]".to_string()));
        unmapped.insert(id, reason);
    }
    let registry = Registry::from_specs(h.version.clone(), specs).map_err(err)?;
    Ok(Framework {
        info: FrameworkInfo {
            id: h.id,
            name: h.name,
            version: h.version,
            status: h.status,
            citation_prefix: h.citation_prefix,
            banner: h.banner,
        },
        source: h.source,
        baseline: h.baseline,
        catalog_citations: h.catalog_citations,
        registry,
        mapping,
        unmapped,
        mentions,
        source_name: source_name.to_string(),
    })
}

/// The first line of the generated part of a file whose mapping comes from the catalog.
pub(crate) const GENERATED_MARKER: &str =
    "# --- Generated from the control catalog's `citations`: do not edit below this line. ---";

/// The `[mapping]` section of a framework whose catalog entries cite its requirements: every
/// requirement in order with the catalog's controls citing it (catalog order), wrapped at 100
/// columns. Written after [`GENERATED_MARKER`] by `UPDATE_FRAMEWORKS=1`.
pub fn mapping_toml(framework: &Framework, catalog: &Catalog) -> String {
    let mut o = format!(
        "{GENERATED_MARKER}\n# Regenerate after adding or changing a control:\n#   UPDATE_FRAMEWORKS=1 cargo test -p hipaa-core frameworks\n\n[mapping]\n"
    );
    for s in framework.requirements() {
        let ids: Vec<String> = catalog
            .controls()
            .iter()
            .filter(|c| c.citations.iter().any(|x| x == &s.citation))
            .map(|c| format!("\"{}\"", c.id))
            .collect();
        let one_line = format!("\"{}\" = [{}]", s.citation, ids.join(", "));
        if one_line.len() <= 100 {
            o.push_str(&one_line);
            o.push('\n');
        } else {
            o.push_str(&format!("\"{}\" = [\n", s.citation));
            for id in &ids {
                o.push_str(&format!("  {id},\n"));
            }
            o.push_str("]\n");
        }
    }
    o
}

/// `text` with everything from [`GENERATED_MARKER`] on replaced by `generated` (appended when the
/// marker is absent).
#[cfg(test)]
pub(crate) fn with_generated(text: &str, generated: &str) -> String {
    let head = match text.find(GENERATED_MARKER) {
        Some(i) => &text[..i],
        None => text,
    };
    format!("{}\n\n{generated}", head.trim_end())
}
