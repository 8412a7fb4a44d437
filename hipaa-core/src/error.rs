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
    /// Collecting evidence failed as a whole (bad configuration, no credentials).
    #[error("evidence source: {0}")]
    Source(String),
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
