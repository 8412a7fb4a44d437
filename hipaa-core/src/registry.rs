//! A framework's requirements as data: every standard and implementation specification with its
//! owner. The Security Rule in force is the bundled `hipaa-2013` framework
//! (`data/frameworks/hipaa-security-rule-2013.toml`, see [`crate::framework`]).

use crate::error::{Error, Result};
use crate::vocabulary::{Owner, Safeguard};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// One standard or implementation specification of a framework (45 CFR 164.308–164.316).
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
    /// For a revised rule: what changed from the baseline framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<String>,
    /// The page of the published text (Federal Register) the requirement is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The baseline framework's citations this requirement takes over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previously: Vec<String>,
    /// Only an attestation can answer it (an audit, a penetration test): no API shows it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attestation_only: bool,
    /// Why it stays MANUAL when no control's finding answers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_reason: Option<String>,
    /// Evidence beyond findings the report carries for it (network map, asset inventory).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<crate::framework::Artifact>,
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
    /// The requirements of the Security Rule in force (the bundled `hipaa-2013` framework).
    pub fn bundled() -> Result<&'static Registry> {
        let all = crate::framework::Framework::bundled_all()?;
        all.iter()
            .find(|f| f.id() == crate::framework::DEFAULT_FRAMEWORK)
            .map(|f| f.registry())
            .ok_or_else(|| Error::Registry {
                source_name: "bundled".into(),
                message: format!(
                    "no bundled framework has the id `{}`",
                    crate::framework::DEFAULT_FRAMEWORK
                ),
            })
    }

    /// A registry of these specs, with an index by citation; duplicates are refused.
    pub(crate) fn from_specs(
        version: String,
        specs: Vec<Spec>,
    ) -> std::result::Result<Registry, String> {
        let mut index = HashMap::new();
        for (i, s) in specs.iter().enumerate() {
            if index.insert(s.citation.clone(), i).is_some() {
                return Err(format!("duplicate citation `{}`", s.citation));
            }
        }
        Ok(Registry {
            version,
            specs,
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

    /// Where a citation sits in regulation order.
    pub fn position(&self, citation: &str) -> Option<usize> {
        self.index.get(citation).copied()
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
