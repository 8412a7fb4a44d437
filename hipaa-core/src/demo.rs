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

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo as first recorded, in snapshot schema 1: kept so old snapshot files stay readable.
    const V1: &str = include_str!("../tests/data/snapshot-v1.json");

    /// `HIPAA_BLESS_DEMO=1 cargo test -p hipaa-core demo` rewrites the bundled demo from the v1
    /// copy; otherwise the test checks that the bundled file is that conversion, byte for byte.
    #[test]
    fn bundled_demo_is_schema_2_and_the_v1_copy_evaluates_identically() {
        let v1 = Snapshot::from_json(V1, "snapshot-v1.json").expect("v1 loads");
        let converted = v1.to_json();
        if std::env::var_os("HIPAA_BLESS_DEMO").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/snapshot.json");
            std::fs::write(path, &converted).expect("write demo");
            return;
        }
        assert!(V1.contains("\"schema_version\": 1"));
        assert!(
            SNAPSHOT.contains("\"schema_version\": 2"),
            "demo is not schema 2"
        );
        assert_eq!(
            converted, SNAPSHOT,
            "re-bless: HIPAA_BLESS_DEMO=1 cargo test -p hipaa-core demo"
        );

        let v2 = snapshot().expect("v2 loads");
        let engine = crate::Engine::bundled().expect("engine");
        let scope = scope().expect("scope");
        let at = v1.taken_at;
        let a = engine.evaluate_at(&v1, &scope, at).expect("v1 evaluates");
        let b = engine.evaluate_at(&v2, &scope, at).expect("v2 evaluates");
        let json = |r: &crate::Report| serde_json::to_value(&r.findings).expect("findings json");
        assert_eq!(json(&a), json(&b));
        assert!(!a.findings.is_empty());
    }
}
