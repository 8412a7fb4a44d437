//! The bundled sample environment: a snapshot recorded from the moto fixture, so anyone can try the tool.

use crate::error::Result;
use crate::evidence::Snapshot;
use crate::scope::Scope;

const SNAPSHOT: &str = include_str!("../data/demo/snapshot.json");
const SCOPE: &str = include_str!("../data/demo/scope.toml");

/// The recorded evidence of the sample environment.
pub fn snapshot() -> Result<Snapshot> {
    Snapshot::from_json(SNAPSHOT, "bundled demo snapshot")
}

/// The sample environment's scope file (BAA recorded, one waiver).
pub fn scope() -> Result<Scope> {
    Scope::from_toml(SCOPE, "bundled demo scope")
}

/// The text of the sample scope file, to show users what one looks like.
pub fn scope_text() -> &'static str {
    SCOPE
}

/// The sample environment's report, evaluated as of the time the evidence was recorded,
/// so the demo gives the same answer on every run and every day.
pub fn report() -> Result<crate::Report> {
    let snapshot = snapshot()?;
    crate::Engine::bundled()?.evaluate_at(&snapshot, &scope()?, snapshot.taken_at)
}

/// [`report`] grouped by the framework a front end's options name (evaluated under it, so a
/// framework that asks for a network map gets one).
pub fn report_under(framework: &crate::audit::FrameworkChoice) -> Result<crate::Report> {
    if framework.is_default() {
        return report();
    }
    let snapshot = snapshot()?;
    let mut engine = crate::Engine::bundled()?;
    engine.set_framework(framework.load()?)?;
    engine.evaluate_at(&snapshot, &scope()?, snapshot.taken_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo as first recorded, in snapshot schema 1: kept so old snapshot files stay readable.
    const V1: &str = include_str!("../tests/data/snapshot-v1.json");

    /// The bundled demo is re-recorded from the moto fixture (`cargo run -p hipaa-e2e --example
    /// record_demo`; the end-to-end suite checks it matches a fresh scan). Here: it is schema 2
    /// and complete.
    #[test]
    fn bundled_demo_is_schema_2_and_complete() {
        assert!(
            SNAPSHOT.contains("\"schema_version\": 2"),
            "demo is not schema 2"
        );
        let s = snapshot().expect("demo loads");
        assert!(s.reads.failures.is_empty(), "{:#?}", s.reads.failures);
        assert!(s.reads.attempted() > 100);
    }

    /// A schema-1 file still loads, converts to schema 2 losslessly, and every control whose
    /// evidence it predates is ERROR on it, never PASS.
    #[test]
    fn the_v1_copy_still_loads_and_what_it_lacks_is_error() {
        assert!(V1.contains("\"schema_version\": 1"));
        let v1 = Snapshot::from_json(V1, "snapshot-v1.json").expect("v1 loads");
        let again = Snapshot::from_json(&v1.to_json(), "converted.json").expect("v2 loads");
        assert_eq!(again, v1);
        let engine = crate::Engine::bundled().expect("engine");
        let report = engine
            .evaluate_at(&v1, &scope().expect("scope"), v1.taken_at)
            .expect("v1 evaluates");
        for id in [
            "ec2.sg_no_ssh_from_internet",
            "ec2.default_sg_closed",
            "ec2.ebs_encryption_by_default",
            "ec2.ebs_volume_encrypted",
        ] {
            let of: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.control_id == id)
                .collect();
            assert!(!of.is_empty(), "no {id} finding");
            assert!(
                of.iter().all(|f| f.status == crate::Status::Error),
                "{id}: {of:#?}"
            );
        }
        // What v1 did record is still judged.
        assert!(report
            .findings
            .iter()
            .any(|f| f.control_id == "s3.default_encryption" && f.status == crate::Status::Pass));
    }
}
