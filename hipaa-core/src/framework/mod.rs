//! Frameworks as data: a rule's requirements (standards and implementation specifications) and
//! which controls give evidence for each, one TOML file per framework.
//!
//! The bundled files are `hipaa-core/data/frameworks/*.toml` (found by the build script, so a
//! third framework is one more file); users add their own with [`Framework::from_file`]. The
//! 2013 Security Rule file's mapping is generated from the catalog's `citations` (see
//! [`mapping_toml`]); other frameworks map controls by hand. Loading checks everything it can
//! alone (duplicates, dangling standards, unknown requirements in the mapping), and
//! [`Framework::check_controls`] checks the control ids against a catalog.

mod file;
pub mod readiness;
#[cfg(test)]
mod tests;

use crate::catalog::{Catalog, Control};
use crate::error::{Error, Result};
use crate::registry::{Registry, Spec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use file::mapping_toml;

/// The bundled framework files, `(file name, text)`, found in `data/frameworks/` at build time.
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_frameworks.rs"));

/// The framework reports use when none is chosen: the Security Rule in force.
pub const DEFAULT_FRAMEWORK: &str = "hipaa-2013";

/// Whether a framework is law in force or a proposal that may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrameworkStatus {
    /// In force: a report under it speaks of compliance.
    Final,
    /// Proposed, not law: a report under it shows readiness only.
    Proposed,
}

/// Evidence a requirement asks for beyond findings, which the report then carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Artifact {
    /// The VPCs, subnets, gateways, peering, routes and endpoints around ePHI workloads.
    NetworkMap,
    /// Every resource the findings name, ranked by impact (the risk register's inventory).
    AssetInventory,
}

impl Artifact {
    /// The kebab-case name used in framework files.
    pub fn name(self) -> &'static str {
        match self {
            Artifact::NetworkMap => "network-map",
            Artifact::AssetInventory => "asset-inventory",
        }
    }
}

/// What a report says about the framework it was grouped by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkInfo {
    /// Stable id (`hipaa-2013`, `hipaa-nprm-2025`).
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Version of the text encoded (a date).
    pub version: String,
    /// Final or proposed.
    pub status: FrameworkStatus,
    /// What citations are prefixed with in other tools' formats (`45 CFR`).
    pub citation_prefix: String,
    /// For a proposed rule: the notice every output format carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
}

impl Default for FrameworkInfo {
    /// The Security Rule in force: what reports written before frameworks existed were grouped by.
    fn default() -> Self {
        FrameworkInfo {
            id: DEFAULT_FRAMEWORK.into(),
            name: "HIPAA Security Rule".into(),
            version: "2013-01-25".into(),
            status: FrameworkStatus::Final,
            citation_prefix: "45 CFR".into(),
            banner: None,
        }
    }
}

impl FrameworkInfo {
    /// Whether this is a proposed rule (readiness, not compliance).
    pub fn is_proposed(&self) -> bool {
        self.status == FrameworkStatus::Proposed
    }
}

/// One framework: its requirements in order and the controls that give evidence for each.
#[derive(Debug, Clone)]
pub struct Framework {
    info: FrameworkInfo,
    /// Where the text of the rule comes from (a citation of the published text).
    pub source: String,
    /// The framework whose citations `previously` names (`hipaa-2013`), if any.
    pub baseline: Option<String>,
    /// Whether catalog entries' `citations` name this framework's requirements.
    pub catalog_citations: bool,
    registry: Registry,
    /// Requirement citation → control ids, in requirement order, as the file maps them.
    mapping: BTreeMap<String, Vec<String>>,
    /// Controls the file leaves out on purpose → why no requirement maps them.
    unmapped: BTreeMap<String, String>,
    /// Control id → (line of its first mention, requirement), for error messages.
    mentions: Vec<(String, usize, String)>,
    source_name: String,
}

impl Framework {
    /// Parse and check a framework file's text; `source_name` names it in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Framework> {
        file::parse(text, source_name)
    }

    /// Read and parse a framework file of the user's.
    pub fn from_file(path: &Path) -> Result<Framework> {
        let text = crate::audit::read_text(path)?;
        Framework::parse(&text, &path.display().to_string())
    }

    /// Every bundled framework, parsed once, in file-name order.
    pub fn bundled_all() -> Result<&'static [Arc<Framework>]> {
        /// The bundled frameworks, or the file that failed and why.
        type Parsed = std::result::Result<Vec<Arc<Framework>>, (String, String)>;
        static CELL: OnceLock<Parsed> = OnceLock::new();
        CELL.get_or_init(|| {
            BUNDLED
                .iter()
                .map(|(name, text)| {
                    let source = format!("data/frameworks/{name}");
                    Framework::parse(text, &source)
                        .map(Arc::new)
                        .map_err(|e| (source, e.to_string()))
                })
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|(source_name, message)| Error::Registry {
            source_name: source_name.clone(),
            message: message.clone(),
        })
    }

    /// The bundled framework with this id.
    pub fn bundled(id: &str) -> Result<Arc<Framework>> {
        let all = Framework::bundled_all()?;
        all.iter()
            .find(|f| f.info.id == id)
            .cloned()
            .ok_or_else(|| {
                let ids: Vec<&str> = all.iter().map(|f| f.info.id.as_str()).collect();
                Error::Config(format!(
                    "unknown framework `{id}` (expected one of {}, or --framework-file PATH)",
                    ids.join(", ")
                ))
            })
    }

    /// The Security Rule in force, which the bundled catalog's citations name.
    pub fn default_bundled() -> Result<Arc<Framework>> {
        Framework::bundled(DEFAULT_FRAMEWORK)
    }

    /// Id, name, version, status and banner.
    pub fn info(&self) -> &FrameworkInfo {
        &self.info
    }

    /// Stable id.
    pub fn id(&self) -> &str {
        &self.info.id
    }

    /// The requirements, looked up by citation.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Every requirement in the framework's order.
    pub fn requirements(&self) -> &[Spec] {
        self.registry.specs()
    }

    /// The file or bundled name it was read from.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The requirements a control gives evidence for: with `catalog_citations`, the control's
    /// own `citations` first (in its order), then any the file adds; otherwise the file's.
    pub fn citations_for(&self, control: &Control) -> Vec<String> {
        let mut out: Vec<String> = if self.catalog_citations {
            control.citations.clone()
        } else {
            Vec::new()
        };
        for (citation, controls) in &self.mapping {
            if controls.iter().any(|c| c == &control.id) && !out.contains(citation) {
                out.push(citation.clone());
            }
        }
        let order = |c: &String| self.registry.position(c).unwrap_or(usize::MAX);
        if !self.catalog_citations {
            out.sort_by_key(order);
        }
        out
    }

    /// The requirements a control id gives evidence for, without its catalog entry (for saved
    /// reports): the file's mapping only.
    pub fn mapped_citations(&self, control_id: &str) -> Vec<String> {
        self.registry
            .specs()
            .iter()
            .filter(|s| {
                self.mapping
                    .get(&s.citation)
                    .is_some_and(|v| v.iter().any(|c| c == control_id))
            })
            .map(|s| s.citation.clone())
            .collect()
    }

    /// The controls of `catalog` that give evidence for a requirement, in catalog order.
    pub fn controls_for<'a>(&self, citation: &str, catalog: &'a Catalog) -> Vec<&'a Control> {
        let mapped = self.mapping.get(citation);
        catalog
            .controls()
            .iter()
            .filter(|c| {
                (self.catalog_citations && c.citations.iter().any(|x| x == citation))
                    || mapped.is_some_and(|m| m.iter().any(|x| x == &c.id))
            })
            .collect()
    }

    /// The mapping as the file states it: requirement → control ids.
    pub fn mapping(&self) -> &BTreeMap<String, Vec<String>> {
        &self.mapping
    }

    /// Controls the file deliberately maps to no requirement, each with its reason, so that a
    /// control left out by oversight can be told apart (and refused by the bundled data's test).
    pub fn unmapped(&self) -> &BTreeMap<String, String> {
        &self.unmapped
    }

    /// Whether some requirement asks for this artifact.
    pub fn wants(&self, artifact: Artifact) -> bool {
        self.requirements()
            .iter()
            .any(|s| s.artifacts.contains(&artifact))
    }

    /// Check the mapping against a catalog: every control id exists (an earlier id of a renamed
    /// control counts, with a notice), and with `catalog_citations` every citation a control
    /// lists is a requirement here.
    pub fn check_controls(&self, catalog: &Catalog) -> Result<()> {
        let err = |message: String| Error::Framework {
            source_name: self.source_name.clone(),
            message,
        };
        self.check_known(|id| catalog.resolve(id).is_some())?;
        if self.catalog_citations {
            for c in catalog.controls() {
                for cit in &c.citations {
                    if self.registry.get(cit).is_none() {
                        return Err(err(format!(
                            "control `{}` cites `{cit}`, which this framework does not define",
                            c.id
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Check that every control id the mapping names is known, naming the file and line of the
    /// first that is not.
    pub fn check_known(&self, known: impl Fn(&str) -> bool) -> Result<()> {
        match self.mentions.iter().find(|(id, _, _)| !known(id)) {
            None => Ok(()),
            Some((id, line, citation)) => Err(Error::Framework {
                source_name: self.source_name.clone(),
                message: format!("line {line}: `{citation}` names unknown control `{id}`"),
            }),
        }
    }

    /// Check that every `previously` citation exists in the baseline framework (a bundled one).
    pub fn check_baseline(&self) -> Result<()> {
        let Some(id) = &self.baseline else {
            return Ok(());
        };
        let base = Framework::bundled(id).map_err(|_| Error::Framework {
            source_name: self.source_name.clone(),
            message: format!("`baseline` names `{id}`, which is not a bundled framework"),
        })?;
        for s in self.requirements() {
            for p in &s.previously {
                if base.registry().get(p).is_none() {
                    return Err(Error::Framework {
                        source_name: self.source_name.clone(),
                        message: format!(
                            "`{}` says it was `{p}` before, which `{id}` does not define",
                            s.citation
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every requirement with the controls of `catalog` that give evidence for it.
    pub fn citation_index(&self, catalog: &Catalog) -> Vec<crate::registry::CitationEntry> {
        self.requirements()
            .iter()
            .map(|s| crate::registry::CitationEntry {
                spec: s.clone(),
                controls: self
                    .controls_for(&s.citation, catalog)
                    .into_iter()
                    .map(|c| c.id.clone())
                    .collect(),
            })
            .collect()
    }
}

/// The framework a front end's options name: a user's file (whose id must match `id` when both
/// are given), else the bundled one with `id`, else the default.
pub fn choose(id: Option<&str>, file: Option<&Path>) -> Result<Arc<Framework>> {
    match (id, file) {
        (_, Some(path)) => {
            let f = Framework::from_file(path)?;
            f.check_baseline()?;
            match id {
                Some(want) if want != f.id() => Err(Error::Config(format!(
                    "--framework `{want}` does not match the id `{}` of `{}`",
                    f.id(),
                    path.display()
                ))),
                _ => Ok(Arc::new(f)),
            }
        }
        (Some(id), None) => Framework::bundled(id),
        (None, None) => Framework::default_bundled(),
    }
}
