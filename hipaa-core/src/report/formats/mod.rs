//! Machine formats for the tools around a compliance team: spreadsheets, code scanning,
//! Security Hub, SIEMs (OCSF) and CI test reports. Each is a pure function of a [`Report`].

mod asff;
pub(crate) mod csv;
mod junit;
mod ocsf;
mod sarif;

use super::Report;
use crate::vocabulary::Severity;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Every output format a report can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The stable report JSON.
    Json,
    /// Markdown for tickets and wikis.
    Markdown,
    /// Aligned terminal table.
    Table,
    /// One row per finding, spreadsheet-ready.
    Csv,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// OCSF Compliance Finding (class 2003) events, one JSON object per line.
    Ocsf,
    /// AWS Security Finding Format, ready for Security Hub `BatchImportFindings`.
    Asff,
    /// JUnit XML for CI test reports (FAIL is a failure, ERROR an error, never a pass).
    Junit,
    /// A self-contained HTML report for auditors (with the risk register).
    Html,
}

impl Format {
    /// Every format, in `--help` order.
    pub const ALL: [Format; 9] = [
        Format::Table,
        Format::Json,
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Sarif,
        Format::Ocsf,
        Format::Asff,
        Format::Junit,
    ];

    /// The lower-case name used on the command line and in bindings.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Sarif => "sarif",
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Junit => "junit",
            Format::Html => "html",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Asff => "asff.json",
            Format::Markdown => "md",
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Sarif => "sarif",
            Format::Ocsf => "ocsf.jsonl",
            Format::Junit => "xml",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.to_ascii_lowercase();
        let s = if s == "md" { "markdown".to_string() } else { s };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

impl Report {
    /// Render in any format (the table without colours).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json() + "\n",
            Format::Markdown => self.to_markdown(),
            Format::Table => self.to_table(&Default::default()),
            Format::Csv => csv::render(self),
            Format::Sarif => sarif::render(self),
            Format::Ocsf => ocsf::render(self),
            Format::Asff => asff::render(self),
            Format::Junit => junit::render(self),
            Format::Html => {
                let risks = crate::risk::RiskRegister::from_report(self, &Default::default());
                self.to_html(Some(&risks), None)
            }
        }
    }
}

/// SARIF's and Security Hub's numeric severity (CVSS-like, 0–10).
pub(crate) fn severity_score(s: Severity) -> f64 {
    match s {
        Severity::Critical => 9.5,
        Severity::High => 8.0,
        Severity::Medium => 5.5,
        Severity::Low => 3.0,
        Severity::Informational => 0.5,
    }
}

/// Escape text for XML attributes and content.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests;
