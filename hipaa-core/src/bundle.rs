//! The evidence bundle: one zip for the audit file with the report (JSON and HTML), the raw
//! evidence, the catalog and registry used, the scope and attestations, and a manifest of
//! SHA-256 digests so any later change is detected and named.

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::evidence::Snapshot;
use crate::registry::Registry;
use crate::report::Report;
use crate::risk::RiskRegister;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

/// The manifest's format name; bumped on incompatible changes.
pub const BUNDLE_FORMAT: &str = "hipaa-evidence-bundle/1";

/// What goes into a bundle.
pub struct BundleInput<'a> {
    /// The evaluated report.
    pub report: &'a Report,
    /// The evidence it was evaluated from.
    pub snapshot: &'a Snapshot,
    /// The catalog in force.
    pub catalog: &'a Catalog,
    /// The HIPAA registry.
    pub registry: &'a Registry,
    /// The scope file's text, when one was used.
    pub scope_text: Option<&'a str>,
    /// The attestations file's text, when one was used.
    pub attestations_text: Option<&'a str>,
    /// The risk register (included as CSV and in the HTML).
    pub risks: &'a RiskRegister,
}

/// One file of the bundle and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path inside the zip.
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The bundle's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// When the bundle was written.
    pub created_at: DateTime<Utc>,
    /// Tool name and version.
    pub tool: String,
    /// HIPAA registry version.
    pub registry_version: String,
    /// Controls in force.
    pub controls_in_force: usize,
    /// Account evaluated.
    pub account: Option<String>,
    /// Every file but the manifest and its digest.
    pub files: Vec<ManifestEntry>,
}

/// The result of checking a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// True when nothing changed.
    pub ok: bool,
    /// Whether `manifest.json` still matches `manifest.sha256`.
    pub manifest_intact: bool,
    /// Files whose content differs from the manifest (or cannot be read).
    pub changed: Vec<String>,
    /// Files listed in the manifest but absent.
    pub missing: Vec<String>,
    /// Files present but not in the manifest.
    pub unexpected: Vec<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Report {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Write a bundle to `path`; returns its manifest.
pub fn write_bundle(input: &BundleInput<'_>, path: &Path) -> Result<Manifest> {
    let r = input.report;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("report.json".into(), r.to_json().into_bytes()),
        (
            "report.html".into(),
            r.to_html(Some(input.risks), None).into_bytes(),
        ),
        (
            "snapshot.json".into(),
            input.snapshot.to_json().into_bytes(),
        ),
        ("risks.csv".into(), input.risks.risks_csv().into_bytes()),
        ("assets.csv".into(), input.risks.assets_csv().into_bytes()),
        (
            "catalog.json".into(),
            serde_json::to_vec_pretty(&input.catalog.enabled().collect::<Vec<_>>())
                .unwrap_or_default(),
        ),
        (
            "registry.json".into(),
            serde_json::to_vec_pretty(input.registry.specs()).unwrap_or_default(),
        ),
    ];
    if let Some(s) = input.scope_text {
        files.push(("scope.toml".into(), s.as_bytes().to_vec()));
    }
    if let Some(a) = input.attestations_text {
        files.push(("attestations.toml".into(), a.as_bytes().to_vec()));
    }
    let manifest = Manifest {
        format: BUNDLE_FORMAT.into(),
        created_at: Utc::now(),
        tool: format!("{} {}", r.tool.name, r.tool.version),
        registry_version: input.registry.version.clone(),
        controls_in_force: r.tool.controls_in_force,
        account: r.account.clone(),
        files: files
            .iter()
            .map(|(p, b)| ManifestEntry {
                path: p.clone(),
                sha256: sha256_hex(b),
                bytes: b.len() as u64,
            })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    let digest = format!("{}  manifest.json\n", sha256_hex(&manifest_bytes));
    files.push(("manifest.json".into(), manifest_bytes));
    files.push(("manifest.sha256".into(), digest.into_bytes()));

    let file = std::fs::File::create(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), opts)
            .map_err(|e| io_err(path, e))?;
        zip.write_all(bytes).map_err(|e| io_err(path, e))?;
    }
    zip.finish().map_err(|e| io_err(path, e))?;
    Ok(manifest)
}

/// Check a bundle: the manifest against its digest, every file against the manifest.
pub fn verify_bundle(path: &Path) -> Result<Verification> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| io_err(path, format!("not a readable zip: {e}")))?;
    let mut contents: BTreeMap<String, std::result::Result<Vec<u8>, String>> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => return Err(io_err(path, format!("entry {i}: {e}"))),
        };
        let name = entry
            .name()
            .map(|n| n.to_string())
            .map_err(|e| io_err(path, format!("entry {i}: {e}")))?;
        let mut buf = Vec::new();
        let read = entry
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|e| e.to_string());
        contents.insert(name, read);
    }
    let manifest_bytes = match contents.get("manifest.json") {
        Some(Ok(b)) => b.clone(),
        _ => {
            return Err(io_err(
                path,
                "`manifest.json` is missing or unreadable: not a hipaa evidence bundle",
            ))
        }
    };
    let recorded = match contents.get("manifest.sha256") {
        Some(Ok(b)) => String::from_utf8_lossy(b)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let manifest_intact = recorded == sha256_hex(&manifest_bytes);
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        // A manifest that no longer matches its digest and no longer parses was changed.
        Err(_) if !manifest_intact => {
            return Ok(Verification {
                ok: false,
                manifest_intact,
                changed: vec!["manifest.json".into()],
                missing: vec![],
                unexpected: vec![],
            })
        }
        Err(e) => {
            return Err(io_err(
                path,
                format!("`manifest.json` is not a bundle manifest: {e}"),
            ))
        }
    };
    let mut v = Verification {
        ok: false,
        manifest_intact,
        changed: vec![],
        missing: vec![],
        unexpected: vec![],
    };
    for entry in &manifest.files {
        match contents.get(&entry.path) {
            None => v.missing.push(entry.path.clone()),
            Some(Err(_)) => v.changed.push(entry.path.clone()),
            Some(Ok(b)) if sha256_hex(b) != entry.sha256 || b.len() as u64 != entry.bytes => {
                v.changed.push(entry.path.clone())
            }
            Some(Ok(_)) => {}
        }
    }
    for name in contents.keys() {
        if name != "manifest.json"
            && name != "manifest.sha256"
            && !manifest.files.iter().any(|e| &e.path == name)
        {
            v.unexpected.push(name.clone());
        }
    }
    if !manifest_intact {
        v.changed.push("manifest.json".into());
    }
    v.ok =
        manifest_intact && v.changed.is_empty() && v.missing.is_empty() && v.unexpected.is_empty();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_bundle(dir: &Path) -> std::path::PathBuf {
        let snapshot = crate::demo::snapshot().unwrap();
        let report = crate::demo::report().unwrap();
        let registry = Registry::bundled().unwrap();
        let catalog = Catalog::bundled(registry).unwrap();
        let risks = RiskRegister::from_report(&report, &Default::default());
        let path = dir.join("bundle.zip");
        let input = BundleInput {
            report: &report,
            snapshot: &snapshot,
            catalog: &catalog,
            registry,
            scope_text: Some(crate::demo::scope_text()),
            attestations_text: None,
            risks: &risks,
        };
        let m = write_bundle(&input, &path).unwrap();
        assert!(m.files.iter().any(|f| f.path == "snapshot.json"));
        path
    }

    /// Rewrite one entry of a zip with one byte changed (a valid zip, different content).
    fn tamper(src: &Path, dst: &Path, victim: &str) {
        let mut a = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
        for i in 0..a.len() {
            let mut e = a.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            if name == victim {
                buf[10] ^= 0x01;
            }
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&buf).unwrap();
        }
        w.finish().unwrap();
    }

    #[test]
    fn a_fresh_bundle_verifies_and_one_changed_byte_is_named() {
        let dir = std::env::temp_dir().join(format!("hipaa-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = demo_bundle(&dir);
        let v = verify_bundle(&path).unwrap();
        assert!(v.ok, "{v:?}");
        let bad = dir.join("tampered.zip");
        tamper(&path, &bad, "report.json");
        let v = verify_bundle(&bad).unwrap();
        assert!(!v.ok);
        assert_eq!(v.changed, vec!["report.json".to_string()]);
        tamper(&path, &bad, "manifest.json");
        let v = verify_bundle(&bad).unwrap();
        assert!(!v.ok && !v.manifest_intact && v.changed.contains(&"manifest.json".to_string()));
        // A raw byte flipped inside the zip (CRC no longer matches) is caught too.
        let mut raw = std::fs::read(&path).unwrap();
        let at = raw.len() / 3;
        raw[at] ^= 0xff;
        std::fs::write(&bad, &raw).unwrap();
        match verify_bundle(&bad) {
            Ok(v) => assert!(!v.ok, "{v:?}"),
            Err(e) => assert!(e.to_string().contains("tampered.zip")),
        }
        assert!(verify_bundle(&dir.join("nope.zip")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
