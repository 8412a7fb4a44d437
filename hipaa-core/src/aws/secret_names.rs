//! Environment variables as the scanner keeps them (names, never values), and whether a name
//! says the variable holds a credential, decided by the data in `secret_names.toml` beside this
//! file.
//!
//! Lambda's `ListFunctions` and ECS's `DescribeTaskDefinition` answer with every environment
//! variable's value. The collectors turn each variable into an [`EnvVar`] at once and drop the
//! value, so no value can reach the snapshot, a report, a log line or an error message.

use crate::evidence::{Unknown, UnknownReason};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// An environment variable of a function or container: its name and two yes/no facts about its
/// value, which is never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// Whether it has a non-empty value.
    pub has_value: bool,
    /// Whether the value points to Secrets Manager or Parameter Store (an ARN or a dynamic
    /// reference) rather than being the credential itself, as the collector saw it.
    pub secret_reference: bool,
}

/// The variable as the scanner keeps it. Only the shape of the value is looked at.
pub fn keep_name(name: &str, value: Option<&str>) -> EnvVar {
    let value = value.map(str::trim).unwrap_or_default();
    EnvVar {
        name: name.to_string(),
        has_value: !value.is_empty(),
        secret_reference: is_secret_reference(value),
    }
}

/// `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`,
/// `arn:<partition>:ssm:<region>:<account>:parameter/<name>`, or a CloudFormation dynamic
/// reference to either (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`).
fn is_secret_reference(value: &str) -> bool {
    if value.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(rest) = value.strip_prefix("{{resolve:") {
        return value.ends_with("}}")
            && ["secretsmanager:", "ssm-secure:", "ssm:"]
                .iter()
                .any(|p| rest.starts_with(p));
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, _region, account, resource] = parts.as_slice() else {
        return false;
    };
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    *arn == "arn"
        && partition.starts_with("aws")
        && account_ok
        && match *service {
            "secretsmanager" => resource.starts_with("secret:") && resource.len() > 7,
            "ssm" => resource.starts_with("parameter/") && resource.len() > 10,
            _ => false,
        }
}

/// `secret_names.toml`: which names look like they hold a credential.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretNames {
    contains: Vec<String>,
    pointer_suffixes: Vec<String>,
}

const SOURCE: &str = "aws/secret_names.toml";

fn data() -> Result<&'static SecretNames, Unknown> {
    static DATA: OnceLock<Result<SecretNames, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        let d: SecretNames =
            toml::from_str(include_str!("secret_names.toml")).map_err(|e| e.to_string())?;
        if d.contains.is_empty() {
            return Err("`contains` is empty".into());
        }
        Ok(d)
    })
    .as_ref()
    .map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            SOURCE,
            format!("the bundled list of secret names does not parse: {e}"),
        )
    })
}

/// Upper case, letters and digits only: `db-Password` is `DBPASSWORD`.
fn squashed(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Upper case with words split by `_`: `dbPasswordArn` and `db-password.arn` are
/// `DB_PASSWORD_ARN`.
fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        match c {
            '-' | '.' | ' ' => out.push('_'),
            c => out.push(c.to_ascii_uppercase()),
        }
    }
    out
}

/// Whether a variable's name says it holds a credential (`DB_PASSWORD`, `stripeApiKey`), but
/// not where one is kept (`DB_PASSWORD_SECRET_ARN`).
pub fn looks_secret(name: &str) -> Result<bool, Unknown> {
    let d = data()?;
    let flat = squashed(name);
    if !d.contains.iter().any(|f| flat.contains(&squashed(f))) {
        return Ok(false);
    }
    let words = snake(name);
    Ok(!d
        .pointer_suffixes
        .iter()
        .any(|s| words.ends_with(&snake(s))))
}

/// The names among `vars` that look like credentials and carry a value of their own (not a
/// Secrets Manager or Parameter Store reference), in the order given.
pub fn plaintext_secrets(vars: &[EnvVar]) -> Result<Vec<&str>, Unknown> {
    let mut out = Vec::new();
    for v in vars {
        if v.has_value && !v.secret_reference && looks_secret(&v.name)? {
            out.push(v.name.as_str());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_parses() {
        let d = data().unwrap();
        assert!(d.contains.len() >= 5);
        for f in ["PASSWORD", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY"] {
            assert!(d.contains.iter().any(|c| c == f), "{f} is missing");
        }
    }

    #[test]
    fn credential_names_look_secret() {
        for name in [
            "DB_PASSWORD",
            "dbPassword",
            "db-password",
            "STRIPE_API_KEY",
            "stripeApiKey",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "JWT_PRIVATE_KEY",
            "client_secret",
            "SQLSERVER_CONNECTION_STRING",
            "Passphrase",
        ] {
            assert!(looks_secret(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn ordinary_names_and_pointers_do_not() {
        for name in [
            "LOG_LEVEL",
            "TABLE_NAME",
            "AWS_REGION",
            "PORT",
            "DB_PASSWORD_SECRET_ARN",
            "dbPasswordArn",
            "API_KEY_PARAMETER",
            "SECRET_NAME",
            "SECRET_ID",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_TTL",
            "TOKEN_ENDPOINT",
            "PASSWORD_MIN_LENGTH",
        ] {
            assert!(!looks_secret(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn only_valued_non_reference_secrets_count() {
        let v = |name: &str, has_value, secret_reference| EnvVar {
            name: name.into(),
            has_value,
            secret_reference,
        };
        let vars = [
            v("DB_PASSWORD", true, false),
            v("API_TOKEN", true, true),
            v("EMPTY_SECRET", false, false),
            v("LOG_LEVEL", true, false),
        ];
        assert_eq!(plaintext_secrets(&vars).unwrap(), vec!["DB_PASSWORD"]);
    }
}
