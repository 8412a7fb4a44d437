//! The control catalog: each control's facts as data, validated against the HIPAA registry at load.

use crate::error::{toml_message, Error, Result};
use crate::registry::Registry;
use crate::vocabulary::{Category, Owner, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// How a control is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// A rule over collected evidence decides it.
    Automated,
    /// Only a human attestation can show it (MANUAL until attested).
    Manual,
    /// AWS meets it; the customer inherits it (INHERITED).
    Inherited,
    /// A rule over the whole organization decides it, once per organization scan (every
    /// account's results and the management account's view); an account scan does not judge it.
    Organization,
}

impl CheckKind {
    /// Whether a rule decides it (automated or organization-wide), so a failure needs a fix.
    pub fn is_decided_by_rule(self) -> bool {
        matches!(self, CheckKind::Automated | CheckKind::Organization)
    }
}

/// How to fix a failing control, in the forms engineers use.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    /// Console steps.
    pub console: String,
    /// An AWS CLI snippet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    /// A Terraform snippet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform: Option<String>,
}

/// One control: everything about it except the code that decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Stable id, `service.what_it_checks`.
    pub id: String,
    /// Earlier ids of this control: scope files, waivers, attestations and saved reports that
    /// use one still work, with a warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// One-line title phrased as the good state.
    pub title: String,
    /// Theme.
    pub category: Category,
    /// HIPAA citations it answers.
    pub citations: Vec<String>,
    /// Who must act.
    pub owner: Owner,
    /// Severity of a failure.
    pub severity: Severity,
    /// The kind of resource findings are about (`AwsS3Bucket`, `AwsAccount`, …).
    pub resource_kind: String,
    /// How it is decided.
    pub check: CheckKind,
    /// Why it matters for ePHI.
    pub rationale: String,
    /// How to fix it.
    pub remediation: Remediation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    control: Vec<Control>,
}

/// All controls in force, in a stable order, looked up by id.
#[derive(Debug, Clone)]
pub struct Catalog {
    controls: Vec<Control>,
    index: HashMap<String, usize>,
    /// Earlier id → current id.
    aliases: HashMap<String, String>,
    disabled: BTreeSet<String>,
}

impl Catalog {
    /// A catalog with no controls, to extend from files.
    pub fn empty() -> Catalog {
        Catalog {
            controls: Vec::new(),
            index: HashMap::new(),
            aliases: HashMap::new(),
            disabled: BTreeSet::new(),
        }
    }

    /// The catalog bundled with the crate, validated against `registry`.
    pub fn bundled(registry: &Registry) -> Result<Catalog> {
        let mut cat = Catalog::empty();
        for (name, text) in crate::services::CATALOGS {
            cat.extend_from_toml(text, name, registry)?;
        }
        Ok(cat)
    }

    /// Add the controls of an extra catalog file (TOML text), validating each one.
    pub fn extend_from_toml(
        &mut self,
        text: &str,
        source_name: &str,
        registry: &Registry,
    ) -> Result<()> {
        let err = |message: String| Error::Catalog {
            source_name: source_name.to_string(),
            message,
        };
        let file: CatalogFile = toml::from_str(text).map_err(|e| err(toml_message(&e, text)))?;
        for c in file.control {
            validate(&c, registry).map_err(|m| err(format!("control `{}`: {m}", c.id)))?;
            if self.index.contains_key(&c.id) || self.aliases.contains_key(&c.id) {
                return Err(err(format!("duplicate control id `{}`", c.id)));
            }
            for old in &c.renamed_from {
                if self.index.contains_key(old) || self.aliases.contains_key(old) {
                    return Err(err(format!(
                        "control `{}`: `renamed_from` names `{old}`, which is already a control id",
                        c.id
                    )));
                }
                self.aliases.insert(old.clone(), c.id.clone());
            }
            self.index.insert(c.id.clone(), self.controls.len());
            self.controls.push(c);
        }
        Ok(())
    }

    /// Add the controls of an extra catalog file on disk.
    pub fn extend_from_file(&mut self, path: &std::path::Path, registry: &Registry) -> Result<()> {
        let text = crate::audit::read_text(path)?;
        self.extend_from_toml(&text, &path.display().to_string(), registry)
    }

    /// Change a control's severity (a local risk decision).
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> Result<()> {
        let i = self.position(id)?;
        self.controls[i].severity = severity;
        Ok(())
    }

    /// Turn a control off; it produces no findings.
    pub fn disable(&mut self, id: &str) -> Result<()> {
        let i = self.position(id)?;
        let id = self.controls[i].id.clone();
        self.disabled.insert(id);
        Ok(())
    }

    /// Whether a control is turned off.
    pub fn is_disabled(&self, id: &str) -> bool {
        self.disabled.contains(id)
    }

    /// The bundled catalog's current id for an id that may be an earlier one (for reports saved
    /// before a rename); `None` when `id` is not an earlier id.
    pub fn bundled_rename(id: &str) -> Option<&'static str> {
        static CELL: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
        CELL.get_or_init(|| {
            Registry::bundled()
                .and_then(Catalog::bundled)
                .map(|c| c.aliases)
                .unwrap_or_default()
        })
        .get(id)
        .map(String::as_str)
    }

    /// Every control, enabled or not, in catalog order.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    /// The enabled controls, in catalog order.
    pub fn enabled(&self) -> impl Iterator<Item = &Control> {
        self.controls
            .iter()
            .filter(|c| !self.disabled.contains(&c.id))
    }

    /// The enabled controls an account scan judges: every kind but the organization-wide ones.
    pub fn enabled_for_account(&self) -> impl Iterator<Item = &Control> {
        self.enabled()
            .filter(|c| c.check != CheckKind::Organization)
    }

    /// The control with this id (current ids only; see [`Catalog::resolve`] for earlier ones).
    pub fn get(&self, id: &str) -> Option<&Control> {
        self.index.get(id).map(|&i| &self.controls[i])
    }

    /// The control a user-supplied id names: a current id, or an earlier one listed in a
    /// control's `renamed_from` (noted once per process, see [`crate::notice`]).
    pub fn resolve(&self, id: &str) -> Option<&Control> {
        if let Some(c) = self.get(id) {
            return Some(c);
        }
        let new = self.aliases.get(id)?;
        crate::notice::renamed(id, new);
        self.get(new)
    }

    /// The current id for `id`: itself, or the control it was renamed to.
    pub fn canonical_id<'a>(&'a self, id: &'a str) -> &'a str {
        match self.aliases.get(id) {
            Some(new) => {
                crate::notice::renamed(id, new);
                new
            }
            None => id,
        }
    }

    /// Controls that cite this spec or one of its implementation specifications.
    pub fn answering<'a>(&'a self, citation: &'a str) -> impl Iterator<Item = &'a Control> + 'a {
        self.controls
            .iter()
            .filter(move |c| c.citations.iter().any(|x| x == citation))
    }

    fn position(&self, id: &str) -> Result<usize> {
        let id = self.canonical_id(id);
        self.index.get(id).copied().ok_or_else(|| Error::Catalog {
            source_name: "settings".into(),
            message: format!("unknown control id `{id}`"),
        })
    }
}

fn validate(c: &Control, registry: &Registry) -> std::result::Result<(), String> {
    let id_ok = !c.id.is_empty()
        && c.id.contains('.')
        && c.id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '.');
    if !id_ok {
        return Err("id must be lower-case `service.name` (letters, digits, `_`)".into());
    }
    for (field, value) in [
        ("title", &c.title),
        ("rationale", &c.rationale),
        ("resource_kind", &c.resource_kind),
        ("remediation.console", &c.remediation.console),
    ] {
        if value.trim().is_empty() {
            return Err(format!("`{field}` is empty"));
        }
    }
    if c.citations.is_empty() {
        return Err("`citations` is empty".into());
    }
    for cit in &c.citations {
        if registry.get(cit).is_none() {
            return Err(format!("unknown citation `{cit}`"));
        }
    }
    if c.check.is_decided_by_rule()
        && c.remediation.cli.is_none()
        && c.remediation.terraform.is_none()
    {
        return Err(
            "an automated control needs `remediation.cli` or `remediation.terraform`".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> &'static Registry {
        Registry::bundled().unwrap()
    }

    const ONE: &str = r#"
[[control]]
id = "x.one"
title = "t"
category = "logging"
citations = ["164.312(b)"]
owner = "customer"
severity = "low"
resource_kind = "AwsAccount"
check = "manual"
rationale = "r"
remediation = { console = "c" }
"#;

    #[test]
    fn bundled_catalog_is_valid() {
        let c = Catalog::bundled(reg()).unwrap();
        assert!(c.controls().len() >= 20);
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let mut c = Catalog::bundled(reg()).unwrap();
        c.extend_from_toml(ONE, "extra.toml", reg()).unwrap();
        let e = c
            .extend_from_toml(ONE, "extra.toml", reg())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("duplicate control id `x.one`") && e.contains("extra.toml"),
            "{e}"
        );
    }

    #[test]
    fn unknown_citation_is_rejected() {
        let bad = ONE.replace("164.312(b)", "164.999(z)");
        let e = Catalog::bundled(reg())
            .unwrap()
            .extend_from_toml(&bad, "e.toml", reg())
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown citation `164.999(z)`"), "{e}");
    }

    #[test]
    fn missing_field_names_the_line() {
        let bad = ONE.replace("severity = \"low\"\n", "");
        let e = Catalog::bundled(reg())
            .unwrap()
            .extend_from_toml(&bad, "e.toml", reg())
            .unwrap_err()
            .to_string();
        assert!(e.contains("severity") && e.contains("line"), "{e}");
    }

    #[test]
    fn severity_override_and_disable() {
        let mut c = Catalog::bundled(reg()).unwrap();
        c.set_severity("s3.versioning", Severity::Critical).unwrap();
        assert_eq!(c.get("s3.versioning").unwrap().severity, Severity::Critical);
        c.disable("s3.replication").unwrap();
        assert!(c.enabled().all(|x| x.id != "s3.replication"));
        assert!(c.disable("nope.nope").is_err());
    }
}
