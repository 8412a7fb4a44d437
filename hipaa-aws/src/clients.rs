//! Every SDK client the scanner builds, built here: from the shared config, with the
//! interceptors each must carry ([`crate::wellformed::WellFormedXml`]).
//!
//! A test below fails when a client is built anywhere else, so a new collector cannot skip them.

/// The config builder of an `aws_sdk_*` crate from the shared config, interceptors attached.
macro_rules! builder {
    ($sdk:ident, $config:expr) => {
        $sdk::config::Builder::from($config).interceptor(crate::wellformed::WellFormedXml)
    };
}
pub(crate) use builder;

/// A client of an `aws_sdk_*` crate from the shared config, interceptors attached.
macro_rules! client {
    ($sdk:ident, $config:expr) => {
        $sdk::Client::from_conf(crate::clients::builder!($sdk, $config).build())
    };
}
pub(crate) use client;

/// A client of an `aws_sdk_*` crate for one region, interceptors attached.
macro_rules! client_in {
    ($sdk:ident, $config:expr, $region:expr) => {
        $sdk::Client::from_conf(
            crate::clients::builder!($sdk, $config)
                .region($sdk::config::Region::new($region.to_string()))
                .build(),
        )
    };
}
pub(crate) use client_in;

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn clients_are_built_only_through_these_macros() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        assert!(files.len() > 10, "no sources under {}", src.display());
        let mut offenders = Vec::new();
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            // This file, and the mocks, whose clients answer from recorded rules.
            if name == "clients.rs" || name == "mocks.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                // A config can only come from a builder: ban the builders and `Client::new`.
                if line.contains("Client::new(")
                    || line.contains("config::Builder::from(")
                    || line.contains("Config::builder(")
                {
                    offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "build clients with clients::client!/client_in!/builder!, so they carry the interceptors:\n{}",
            offenders.join("\n")
        );
    }
}
