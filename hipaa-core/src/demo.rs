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
