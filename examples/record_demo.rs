//! Re-record the bundled demo snapshot (`hipaa-core/data/demo/snapshot.json`) from the moto fixture.
//!
//! `cargo run -p hipaa-e2e --example record_demo` — run it after changing `tests/fixture/seed.py` or
//! the collectors; the end-to-end test `bundled_demo_snapshot_matches_a_fresh_scan_of_the_fixture`
//! fails until the demo is re-recorded.

use hipaa_aws::{AwsSource, ScanOptions};
use hipaa_core::{EvidenceSource, NoProgress};
use hipaa_e2e::{fake_credentials, repo_root, Moto};

fn main() {
    fake_credentials();
    let moto = Moto::start();
    moto.seed(1);
    let options = ScanOptions {
        endpoint_url: Some(moto.url.clone()),
        regions: vec!["us-east-1".into(), "us-west-2".into()],
        ..ScanOptions::default()
    };
    let result = tokio::runtime::Runtime::new()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(AwsSource::new(options).collect(&NoProgress))
                .map_err(|e| e.to_string())
        });
    let mut snapshot = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scan failed: {e}");
            std::process::exit(1);
        }
    };
    if !snapshot.reads.failures.is_empty() {
        eprintln!(
            "refusing to record a demo with failed reads: {:#?}",
            snapshot.reads.failures
        );
        std::process::exit(1);
    }
    snapshot.provenance = hipaa_core::Provenance::Synthetic {
        label: "sample environment (moto fixture, tests/fixture/seed.py)".into(),
    };
    let path = repo_root().join("hipaa-core/data/demo/snapshot.json");
    if let Err(e) = std::fs::write(&path, snapshot.to_json() + "\n") {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    println!(
        "wrote {} ({} API reads)",
        path.display(),
        snapshot.reads.attempted()
    );
}
