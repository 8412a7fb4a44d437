//! Attestations: a person's signed statement for what no API can show (risk analysis done,
//! training delivered, contingency plan tested). An attested MANUAL control passes until it expires.

use crate::error::{toml_message, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::path::Path;

/// One attestation, as recorded in an attestations file or the scope file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// The MANUAL control it answers.
    pub control: String,
    /// Who attests (name and role).
    pub by: String,
    /// When the attested work was done or confirmed.
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    /// Where the evidence is (document, ticket, URL).
    pub evidence: String,
    /// Last day the attestation counts (yearly reviews are typical).
    #[serde(deserialize_with = "date")]
    pub expires: NaiveDate,
    /// Anything an auditor should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Attestation {
    /// Check what the file format cannot: dates in order, a signer and evidence.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.expires < self.date {
            return Err(format!(
                "attestation for `{}` expires before its date",
                self.control
            ));
        }
        if self.by.trim().is_empty() || self.evidence.trim().is_empty() {
            return Err(format!(
                "attestation for `{}` needs `by` and `evidence`",
                self.control
            ));
        }
        Ok(())
    }

    /// Whether it still counts on `today`.
    pub fn is_active(&self, today: NaiveDate) -> bool {
        self.date <= today && today <= self.expires
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<NaiveDate, D::Error> {
    crate::scope::date_from_toml(d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    attestation: Vec<Attestation>,
}

/// Parse an attestations TOML text (`[[attestation]]` tables); `path` names it in errors.
pub fn parse_attestations(text: &str, path: &str) -> Result<Vec<Attestation>> {
    let f: File = toml::from_str(text).map_err(|e| Error::Scope {
        path: path.into(),
        message: toml_message(&e, text),
    })?;
    for a in &f.attestation {
        if a.expires < a.date {
            return Err(Error::Scope {
                path: path.into(),
                message: format!("attestation for `{}` expires before its date", a.control),
            });
        }
        if a.by.trim().is_empty() || a.evidence.trim().is_empty() {
            return Err(Error::Scope {
                path: path.into(),
                message: format!("attestation for `{}` needs `by` and `evidence`", a.control),
            });
        }
    }
    Ok(f.attestation)
}

/// Load an attestations file.
pub fn load_attestations(path: &Path) -> Result<Vec<Attestation>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_attestations(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[attestation]]
control = "admin.risk_analysis"
by = "Jane Roe, Security Officer"
date = 2026-03-01
evidence = "risk/2026-risk-analysis.pdf"
expires = 2027-03-01
"#;

    #[test]
    fn parses_and_expires() {
        let a = parse_attestations(ONE, "a.toml").unwrap();
        assert!(a[0].is_active(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()));
        assert!(!a[0].is_active(NaiveDate::from_ymd_opt(2027, 3, 2).unwrap()));
    }

    #[test]
    fn bad_files_name_the_problem() {
        let e = parse_attestations(
            &ONE.replace("expires = 2027-03-01", "expires = 2025-01-01"),
            "a.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("expires before"), "{e}");
        let e = parse_attestations(&ONE.replace("by = ", "who = "), "att.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("att.toml") && e.contains("line"), "{e}");
    }
}
