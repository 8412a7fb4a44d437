//! Where evidence comes from: the AWS adapter, a saved snapshot, or anything else that implements the trait.

use crate::error::Result;
use crate::evidence::Snapshot;
use async_trait::async_trait;
use std::path::PathBuf;

/// Told about collection progress; the CLI draws a bar, bindings call back into Python or Node.
pub trait Progress: Send + Sync {
    /// `done` of `total` units finished in `stage` (`total` may grow as listings reveal work).
    fn update(&self, done: u64, total: u64, stage: &str);

    /// An organization scan started one account (`state` is `started`) or finished it
    /// (`scanned` or `unreachable`); `done` of `total` accounts are finished.
    fn account(&self, _account: &str, _state: &str, _done: u64, _total: u64) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: u64, _: u64, _: &str) {}
}

/// Produces a snapshot of evidence; implemented by the AWS adapter and by [`SnapshotFile`].
#[async_trait]
pub trait EvidenceSource: Send + Sync {
    /// Collect the evidence. A failed read is recorded as an unknown fact, not returned as an error;
    /// an error here means nothing could be collected at all (bad configuration, unreadable file).
    async fn collect(&self, progress: &dyn Progress) -> Result<Snapshot>;
}

/// A snapshot saved earlier by `hipaa snapshot`.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    /// Path to the JSON file.
    pub path: PathBuf,
}

#[async_trait]
impl EvidenceSource for SnapshotFile {
    async fn collect(&self, progress: &dyn Progress) -> Result<Snapshot> {
        progress.update(0, 1, "loading snapshot");
        let s = Snapshot::load(&self.path)?;
        progress.update(1, 1, "loading snapshot");
        Ok(s)
    }
}
