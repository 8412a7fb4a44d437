//! The dated list of HIPAA-eligible AWS services, shipped as data, and the SCP built from it.

use crate::error::{toml_message, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const BUNDLED: &str = include_str!("../data/hipaa-eligible-services.toml");
const BUNDLED_NAME: &str = "hipaa-eligible-services.toml";

/// AWS's list of services a BAA lets hold ePHI, as of a date, so findings can name the list they used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibleServices {
    /// Bumped on every refresh.
    pub version: u32,
    /// The date of the AWS page the list was taken from.
    #[serde(deserialize_with = "crate::scope::date_from_toml")]
    pub taken: NaiveDate,
    /// Where it came from.
    pub source: String,
    /// The live page to refresh it from.
    pub source_url: String,
    /// The eligible services.
    #[serde(rename = "service")]
    pub services: Vec<EligibleService>,
    /// Services that hold no ePHI but an SCP must never deny (IAM, STS, billing, support, …).
    pub always_allowed: Vec<AlwaysAllowed>,
}

/// One eligible service with its ARN namespaces and IAM action prefixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibleService {
    /// Service name as AWS lists it.
    pub name: String,
    /// The third field of its resource ARNs.
    pub arn_services: Vec<String>,
    /// Its IAM action prefixes.
    pub iam_prefixes: Vec<String>,
}

/// A service an eligible-only SCP must still allow, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlwaysAllowed {
    /// Service name.
    pub name: String,
    /// Its IAM action prefixes.
    pub iam_prefixes: Vec<String>,
    /// Why it may not be denied.
    pub reason: String,
}

impl EligibleServices {
    /// Parse a list; `path` names the file in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<EligibleServices> {
        let list: EligibleServices = toml::from_str(text).map_err(|e| Error::Catalog {
            source_name: path.into(),
            message: toml_message(&e, text),
        })?;
        let mut seen = BTreeSet::new();
        for p in list.iam_prefixes() {
            if !seen.insert(p) {
                return Err(Error::Catalog {
                    source_name: path.into(),
                    message: format!("IAM prefix `{p}` is listed twice"),
                });
            }
        }
        Ok(list)
    }

    /// The list shipped with this build (parsed once).
    pub fn bundled() -> Result<&'static EligibleServices> {
        static LIST: OnceLock<std::result::Result<EligibleServices, String>> = OnceLock::new();
        LIST.get_or_init(|| {
            EligibleServices::from_toml(BUNDLED, BUNDLED_NAME).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|message| Error::Catalog {
            source_name: BUNDLED_NAME.into(),
            message: message.clone(),
        })
    }

    /// The eligible service an ARN namespace belongs to.
    pub fn service_for_arn(&self, arn_service: &str) -> Option<&EligibleService> {
        self.services
            .iter()
            .find(|s| s.arn_services.iter().any(|a| a == arn_service))
    }

    /// Whether an SCP may allow this IAM action prefix (eligible or always allowed).
    pub fn allows_prefix(&self, prefix: &str) -> bool {
        self.iam_prefixes().any(|p| p.eq_ignore_ascii_case(prefix))
    }

    /// Every IAM prefix an eligible-only SCP allows, in file order.
    pub fn iam_prefixes(&self) -> impl Iterator<Item = &str> {
        self.services
            .iter()
            .flat_map(|s| s.iam_prefixes.iter())
            .chain(
                self.always_allowed
                    .iter()
                    .flat_map(|a| a.iam_prefixes.iter()),
            )
            .map(String::as_str)
    }

    /// A one-line label naming the list and its date.
    pub fn label(&self) -> String {
        format!(
            "HIPAA-eligible services list v{} of {}",
            self.version, self.taken
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_parses_and_answers() {
        let l = EligibleServices::bundled().unwrap();
        assert!(l.services.len() > 100);
        assert!(l.service_for_arn("s3").is_some());
        assert!(l.service_for_arn("dynamodb").is_some());
        assert!(l.allows_prefix("iam") && l.allows_prefix("sts"));
        assert!(l.service_for_arn("gamelift").is_none());
    }

    #[test]
    fn duplicate_prefixes_are_an_error() {
        let text = r#"
version = 1
taken = 2026-01-01
source = "x"
source_url = "x"
always_allowed = []
[[service]]
name = "A"
arn_services = ["a"]
iam_prefixes = ["a"]
[[service]]
name = "B"
arn_services = ["b"]
iam_prefixes = ["a"]
"#;
        let e = EligibleServices::from_toml(text, "list.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("list.toml") && e.contains("twice"), "{e}");
        let e = EligibleServices::from_toml("version = ", "list.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("list.toml"), "{e}");
    }
}
