//! The crate's one error type: every way user input or bundled data can be wrong.

use thiserror::Error;

/// What went wrong, naming the file (or bundled data set) and the problem.
#[derive(Debug, Error)]
pub enum Error {
    /// The bundled HIPAA registry is malformed (a packaging bug, caught by tests).
    #[error("hipaa registry `{source_name}`: {message}")]
    Registry {
        /// Where the registry came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A framework file is malformed, or its mapping names controls or requirements that do not exist.
    #[error("framework `{source_name}`: {message}")]
    Framework {
        /// File or bundled name.
        source_name: String,
        /// What is wrong, with the line number when known.
        message: String,
    },
    /// A control catalog is malformed or inconsistent.
    #[error("control catalog `{source_name}`: {message}")]
    Catalog {
        /// File or bundled name.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A scope file is malformed.
    #[error("scope file `{path}`: {message}")]
    Scope {
        /// File path.
        path: String,
        /// What is wrong, with the line number when known.
        message: String,
    },
    /// A snapshot file is malformed or of an unsupported version.
    #[error("snapshot `{path}`: {message}")]
    Snapshot {
        /// File path.
        path: String,
        /// What is wrong, with the line number when known.
        message: String,
    },
    /// Infrastructure code (a CloudFormation template, a CDK output directory or a Terraform
    /// plan) is malformed or of an unsupported version.
    #[error("template `{path}`: {message}")]
    Template {
        /// File or directory path.
        path: String,
        /// What is wrong, with the line and column when known.
        message: String,
    },
    /// A report file is malformed or of an unsupported version.
    #[error("report `{path}`: {message}")]
    Report {
        /// File path.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A check was registered for a control the catalog does not have, or the reverse.
    #[error("check `{control_id}`: {message}")]
    Check {
        /// The control id.
        control_id: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error("cannot access `{path}`: {source}")]
    Io {
        /// File path.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The options or arguments of a call are invalid (endpoint URL, region name, concurrency).
    #[error("configuration: {0}")]
    Config(String),
    /// Collecting evidence failed as a whole (no credentials), so not one read could be judged.
    #[error("evidence source: {0}")]
    Source(String),
}

/// Which of four kinds a failure is, so the CLI and both bindings classify it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The call itself is wrong: an option, argument or value the caller can fix.
    Configuration,
    /// A scope, snapshot, report, catalog or attestations file is unreadable or malformed.
    BadInput,
    /// The scan could not run at all: no AWS credentials, so nothing could be collected.
    AwsAccess,
    /// Bundled data is malformed: a packaging bug, never the caller's doing.
    Internal,
}

impl ErrorKind {
    /// The stable code both bindings expose (`err.code` in Node, `e.code` in Python).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Configuration => "HIPAA_CONFIG",
            ErrorKind::BadInput => "HIPAA_BAD_INPUT",
            ErrorKind::AwsAccess => "HIPAA_AWS_ACCESS",
            ErrorKind::Internal => "HIPAA_INTERNAL",
        }
    }
}

impl Error {
    /// Which kind of failure this is, decided here once for every front end.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Registry { .. } => ErrorKind::Internal,
            // Extra catalogs and attestations come from the user; a catalog entry whose check no
            // rule decides is a mistake in that user catalog.
            Error::Catalog { .. }
            | Error::Framework { .. }
            | Error::Scope { .. }
            | Error::Snapshot { .. }
            | Error::Template { .. }
            | Error::Report { .. }
            | Error::Check { .. }
            | Error::Io { .. } => ErrorKind::BadInput,
            Error::Config(_) => ErrorKind::Configuration,
            Error::Source(_) => ErrorKind::AwsAccess,
        }
    }

    /// The input or stage that failed (`scope`, `snapshot`, `template`, `report`, `catalog`, `check`,
    /// `io`, `registry`, `framework`, `config`, `aws`), for bindings that name it beside the kind.
    pub fn subject(&self) -> &'static str {
        match self {
            Error::Registry { .. } => "registry",
            Error::Catalog { .. } => "catalog",
            Error::Framework { .. } => "framework",
            Error::Scope { .. } => "scope",
            Error::Snapshot { .. } => "snapshot",
            Error::Template { .. } => "template",
            Error::Report { .. } => "report",
            Error::Check { .. } => "check",
            Error::Io { .. } => "io",
            Error::Config(_) => "config",
            Error::Source(_) => "aws",
        }
    }

    /// The file or bundled data set the error names, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Registry { source_name, .. }
            | Error::Catalog { source_name, .. }
            | Error::Framework { source_name, .. } => Some(source_name),
            Error::Scope { path, .. }
            | Error::Snapshot { path, .. }
            | Error::Template { path, .. }
            | Error::Report { path, .. }
            | Error::Io { path, .. } => Some(path),
            Error::Check { .. } | Error::Config(_) | Error::Source(_) => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turn a TOML error into "line N, column M: message" using the source text.
pub(crate) fn toml_message(err: &toml::de::Error, text: &str) -> String {
    let msg = err.message().trim().to_string();
    match err.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let upto = &text[..offset.min(text.len())];
    let line = upto.matches('\n').count() + 1;
    let col = upto
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_one_kind_and_code() {
        let io = || std::io::Error::other("gone");
        let cases = [
            (
                Error::Registry {
                    source_name: "r".into(),
                    message: "m".into(),
                },
                ErrorKind::Internal,
            ),
            (
                Error::Catalog {
                    source_name: "c".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Scope {
                    path: "s".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Snapshot {
                    path: "s".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Template {
                    path: "t".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Report {
                    path: "r".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Check {
                    control_id: "x".into(),
                    message: "m".into(),
                },
                ErrorKind::BadInput,
            ),
            (
                Error::Io {
                    path: "p".into(),
                    source: io(),
                },
                ErrorKind::BadInput,
            ),
            (Error::Config("bad url".into()), ErrorKind::Configuration),
            (Error::Source("no credentials".into()), ErrorKind::AwsAccess),
        ];
        for (e, kind) in cases {
            assert_eq!(e.kind(), kind, "{e}");
            assert!(e.kind().code().starts_with("HIPAA_"));
        }
        assert_eq!(Error::Config("x".into()).to_string(), "configuration: x");
    }
}
