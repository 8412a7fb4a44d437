//! The HIPAA Security Rule as data: every standard and implementation specification with its owner.

use crate::error::{toml_message, Error, Result};
use crate::vocabulary::{Owner, Safeguard};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

const BUNDLED: &str = include_str!("../data/hipaa-security-rule.toml");

/// Whether a spec is a standard or one of its implementation specifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecKind {
    /// A standard (always required).
    Standard,
    /// An implementation specification under a standard.
    Implementation,
}

/// Required specs must be met; addressable ones met or documented as not reasonable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// Must be implemented.
    Required,
    /// Implement, or document why an alternative is reasonable.
    Addressable,
}

/// One standard or implementation specification of 45 CFR 164.308–164.316.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Citation such as `164.312(a)(2)(iv)`.
    pub citation: String,
    /// Short title.
    pub title: String,
    /// Safeguard family.
    pub safeguard: Safeguard,
    /// Standard or implementation specification.
    pub kind: SpecKind,
    /// The standard this belongs to (itself for a standard).
    pub standard: String,
    /// Required or addressable.
    pub requirement: Requirement,
    /// Who meets it under the shared-responsibility model.
    pub owner: Owner,
    /// Why that owner.
    pub owner_reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    version: String,
    spec: Vec<Spec>,
}

/// The Security Rule registry, looked up by citation.
#[derive(Debug, Clone)]
pub struct Registry {
    /// Version of the rule text encoded (date of the last amendment).
    pub version: String,
    specs: Vec<Spec>,
    index: HashMap<String, usize>,
}

impl Registry {
    /// The registry bundled with this crate, parsed once.
    pub fn bundled() -> Result<&'static Registry> {
        static CELL: OnceLock<std::result::Result<Registry, String>> = OnceLock::new();
        CELL.get_or_init(|| Registry::parse(BUNDLED, "bundled").map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|m| Error::Registry {
                source_name: "bundled".into(),
                message: m.clone(),
            })
    }

    /// Parse and validate a registry TOML text.
    pub fn parse(text: &str, source_name: &str) -> Result<Registry> {
        let err = |message: String| Error::Registry {
            source_name: source_name.to_string(),
            message,
        };
        let file: RegistryFile = toml::from_str(text).map_err(|e| err(toml_message(&e, text)))?;
        let mut index = HashMap::new();
        for (i, s) in file.spec.iter().enumerate() {
            if index.insert(s.citation.clone(), i).is_some() {
                return Err(err(format!("duplicate citation `{}`", s.citation)));
            }
        }
        for s in &file.spec {
            match index.get(&s.standard).map(|&i| &file.spec[i]) {
                Some(std) if std.kind == SpecKind::Standard => {}
                _ => {
                    return Err(err(format!(
                        "`{}` names `{}` as its standard, which is not a standard",
                        s.citation, s.standard
                    )))
                }
            }
        }
        Ok(Registry {
            version: file.version,
            specs: file.spec,
            index,
        })
    }

    /// Every spec in regulation order.
    pub fn specs(&self) -> &[Spec] {
        &self.specs
    }

    /// The spec with this citation.
    pub fn get(&self, citation: &str) -> Option<&Spec> {
        self.index.get(citation).map(|&i| &self.specs[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_registry_loads_and_covers_every_section() {
        let r = Registry::bundled().map_err(|e| e.to_string());
        let r = match r {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        for section in ["164.308", "164.310", "164.312", "164.314", "164.316"] {
            assert!(
                r.specs().iter().any(|s| s.citation.starts_with(section)),
                "{section} missing"
            );
        }
        for c in [
            "164.308(a)(1)(ii)(A)",
            "164.310(a)(1)",
            "164.312(a)(2)(iv)",
            "164.312(e)(2)(ii)",
            "164.314(a)(1)",
            "164.316(b)(2)(iii)",
        ] {
            assert!(r.get(c).is_some(), "{c} missing");
        }
        assert!(r.specs().len() >= 60, "only {} specs", r.specs().len());
    }

    #[test]
    fn physical_facility_controls_are_inherited_from_aws() {
        let r = Registry::bundled().ok();
        assert_eq!(
            r.and_then(|r| r.get("164.310(a)(1)")).map(|s| s.owner),
            Some(Owner::Aws)
        );
    }

    #[test]
    fn malformed_registry_names_the_line() {
        let e = Registry::parse("version = \"x\"\n[[spec]]\ncitation = 5\n", "t.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn dangling_standard_is_rejected() {
        let t = r#"version = "x"
[[spec]]
citation = "164.312(d)"
title = "t"
safeguard = "technical"
kind = "implementation"
standard = "164.312(z)"
requirement = "required"
owner = "shared"
owner_reason = "r"
"#;
        assert!(Registry::parse(t, "t").is_err());
    }
}

/// One spec with the controls that answer it: what `hipaa citations` and the bindings list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationEntry {
    /// The spec.
    #[serde(flatten)]
    pub spec: Spec,
    /// Ids of the catalog controls citing it.
    pub controls: Vec<String>,
}

/// Every spec in regulation order with the controls of `catalog` that answer it.
pub fn citation_index(
    registry: &Registry,
    catalog: &crate::catalog::Catalog,
) -> Vec<CitationEntry> {
    registry
        .specs()
        .iter()
        .map(|s| CitationEntry {
            spec: s.clone(),
            controls: catalog
                .answering(&s.citation)
                .map(|c| c.id.clone())
                .collect(),
        })
        .collect()
}
