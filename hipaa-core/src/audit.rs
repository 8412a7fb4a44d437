//! The use cases every front end shares, written once: read the user's scope and attestations,
//! build the engine they configure, evaluate and write the evidence bundle, read a saved report.
//!
//! The CLI, the Python package and the Node package each call these, so a scope file, an
//! attestations file or a report means the same thing whichever door it came in by.

use crate::bundle::{BundleInput, Manifest};
use crate::risk::RiskRegister;
use crate::{attest, bundle, Engine, Error, Report, Result, Scope, Snapshot};
use std::path::{Path, PathBuf};

/// The scope as the user gave it, with the text of the files it came from, for the bundle.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The scope, with the attestations file's entries already added.
    pub scope: Scope,
    /// The folder `controls.extra_catalogs` resolve against (the scope file's), if any.
    pub base_dir: Option<PathBuf>,
    /// The scope file's own text, when the scope came from a file.
    pub scope_text: Option<String>,
    /// The attestations file's own text, when one was given.
    pub attestations_text: Option<String>,
}

impl Inputs {
    /// A scope built in code (already validated), with no file behind it.
    pub fn from_scope(scope: Scope, base_dir: Option<PathBuf>) -> Inputs {
        Inputs {
            scope,
            base_dir,
            ..Inputs::default()
        }
    }

    /// Read the scope file (default: the safe defaults) and add the attestations file's entries.
    pub fn load(scope: Option<&Path>, attestations: Option<&Path>) -> Result<Inputs> {
        let mut inputs = match scope {
            Some(p) => {
                let text = read_text(p)?;
                Inputs {
                    scope: Scope::from_toml(&text, &p.display().to_string())?,
                    base_dir: p.parent().map(Path::to_path_buf),
                    scope_text: Some(text),
                    attestations_text: None,
                }
            }
            None => Inputs::default(),
        };
        if let Some(p) = attestations {
            inputs.add_attestations_file(p)?;
        }
        Ok(inputs)
    }

    /// Add the entries of an attestations file (`[[attestation]]` tables) and keep its text.
    pub fn add_attestations_file(&mut self, path: &Path) -> Result<()> {
        let text = read_text(path)?;
        let extra = attest::parse_attestations(&text, &path.display().to_string())?;
        self.scope.attestations.extend(extra);
        self.attestations_text = Some(text);
        Ok(())
    }

    /// The bundled engine adjusted by the scope's `[controls]` settings and any extra catalogs.
    pub fn engine(&self, extra_catalogs: &[PathBuf]) -> Result<Engine> {
        let mut engine = Engine::for_scope(&self.scope, self.base_dir.as_deref())?;
        for c in extra_catalogs {
            let registry = engine.registry();
            engine.catalog_mut().extend_from_file(c, registry)?;
        }
        Ok(engine)
    }

    /// [`Inputs::engine`], grouping findings by the framework the options name (a bundled id
    /// such as `hipaa-nprm-2025`, or a file of the user's; default: the rule in force).
    pub fn engine_with(
        &self,
        extra_catalogs: &[PathBuf],
        framework: &FrameworkChoice,
    ) -> Result<Engine> {
        let mut engine = self.engine(extra_catalogs)?;
        if !framework.is_default() {
            engine.set_framework(framework.load()?)?;
        }
        Ok(engine)
    }
}

/// Which framework a front end's options name: `--framework ID` and/or `--framework-file PATH`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameworkChoice {
    /// A bundled framework id (`hipaa-2013`, `hipaa-nprm-2025`).
    pub id: Option<String>,
    /// A framework file of the user's.
    pub file: Option<PathBuf>,
}

impl FrameworkChoice {
    /// Neither option given.
    pub fn is_default(&self) -> bool {
        self.id.is_none() && self.file.is_none()
    }

    /// The framework named (the rule in force when neither option is given).
    pub fn load(&self) -> Result<std::sync::Arc<crate::Framework>> {
        crate::framework::choose(self.id.as_deref(), self.file.as_deref())
    }

    /// A saved report grouped by the framework named; unchanged when neither option is given.
    pub fn regroup(&self, report: Report) -> Result<Report> {
        if self.is_default() {
            return Ok(report);
        }
        let framework = self.load()?;
        let bundled = crate::Registry::bundled().and_then(crate::Catalog::bundled)?;
        framework.check_known(|id| {
            bundled.resolve(id).is_some() || report.findings.iter().any(|f| f.control_id == id)
        })?;
        Ok(report.regroup(&framework))
    }
}

/// What writing a bundle produced: the report it holds and its manifest.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// The report evaluated for the bundle.
    pub report: Report,
    /// The manifest written into the zip.
    pub manifest: Manifest,
}

/// Evaluate `snapshot` under `inputs` and write the evidence bundle zip to `out`.
pub fn write_bundle(
    inputs: &Inputs,
    engine: &Engine,
    snapshot: &Snapshot,
    out: &Path,
) -> Result<Bundled> {
    let report = engine.evaluate(snapshot, &inputs.scope)?;
    let risks = RiskRegister::from_report(&report, &inputs.scope.remediation_days);
    let input = BundleInput {
        report: &report,
        snapshot,
        catalog: engine.catalog(),
        registry: engine.framework().registry(),
        scope_text: inputs.scope_text.as_deref(),
        attestations_text: inputs.attestations_text.as_deref(),
        risks: &risks,
    };
    let manifest = bundle::write_bundle(&input, out)?;
    Ok(Bundled { report, manifest })
}

/// Read a report written as JSON (`hipaa scan --format json`, `report.save`, `JSON.stringify`).
pub fn load_report(path: &Path) -> Result<Report> {
    let text = read_text(path)?;
    Report::from_json(&text, &path.display().to_string())
}

/// A file the caller named, or an I/O error naming it.
pub fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let too_large = || {
        io(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "the file is over the {} MiB limit for inputs (scope, snapshot, report, catalog, attestations)",
                MAX_INPUT_BYTES >> 20
            ),
        ))
    };
    let file = std::fs::File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.len() > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    // Read one byte past the limit, so a file that grows while it is read is refused too.
    let mut text = String::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(text)
}

/// The largest input file read (512 MiB): far above any real snapshot (a 10,000-bucket account
/// records about 40 MB), and low enough that a wrong path to a disk image fails at once.
pub const MAX_INPUT_BYTES: u64 = 512 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// A scratch directory of one test, removed when the test ends (passing or not).
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let d = std::env::temp_dir().join(format!("hipaa-audit-{}-{name}", std::process::id()));
            std::fs::create_dir_all(&d).expect("tmp");
            Scratch(d)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn defaults_when_no_files_are_named() {
        let i = Inputs::load(None, None).expect("defaults");
        assert!(i.scope_text.is_none() && i.attestations_text.is_none());
        assert!(i.base_dir.is_none());
    }

    #[test]
    fn files_are_read_once_and_their_text_kept_for_the_bundle() {
        let scratch = Scratch::new("kept");
        let d = scratch.0.clone();
        let scope = d.join("scope.toml");
        let att = d.join("attestations.toml");
        std::fs::write(&scope, "regions = [\"us-east-1\"]\n").expect("write");
        std::fs::write(
            &att,
            "[[attestation]]\ncontrol = \"admin.risk_analysis\"\nby = \"CISO\"\ndate = 2026-01-10\nevidence = \"grc/ra.pdf\"\nexpires = 2099-01-10\n",
        )
        .expect("write");
        let i = Inputs::load(Some(&scope), Some(&att)).expect("loads");
        assert_eq!(i.scope.regions, vec!["us-east-1".to_string()]);
        assert_eq!(i.scope.attestations.len(), 1);
        assert_eq!(i.base_dir.as_deref(), Some(d.as_path()));
        assert!(i
            .scope_text
            .as_deref()
            .is_some_and(|t| t.contains("us-east-1")));
        assert!(i.attestations_text.is_some());

        let snapshot = crate::demo::snapshot().expect("demo");
        let engine = i.engine(&[]).expect("engine");
        let out = d.join("bundle.zip");
        let b = write_bundle(&i, &engine, &snapshot, &out).expect("bundle");
        assert!(!b.report.findings.is_empty());
        assert!(b.manifest.files.iter().any(|f| f.path == "scope.toml"));
        assert!(b
            .manifest
            .files
            .iter()
            .any(|f| f.path == "attestations.toml"));
        assert!(crate::bundle::verify_bundle(&out).expect("verify").ok);
    }

    #[test]
    fn missing_and_malformed_files_are_bad_input_naming_the_file() {
        let scratch = Scratch::new("bad");
        let d = &scratch.0;
        let missing = d.join("nope.toml");
        let e = Inputs::load(Some(&missing), None).expect_err("missing");
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("nope.toml"), "{e}");

        let report = d.join("report.json");
        std::fs::write(&report, "{\"findings\": 3").expect("write");
        let e = load_report(&report).expect_err("malformed");
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("report.json"), "{e}");
    }
}
