//! One-call entry points shared by the CLI and the bindings, so none of them re-implements a scan.

use crate::{AwsSource, ScanOptions};
use hipaa_core::{Engine, EvidenceSource, Progress, Report, Scope, Snapshot};

/// Collect the evidence of one account (regions from `options`, else from the scope).
pub async fn snapshot(
    options: &ScanOptions,
    scope: &Scope,
    progress: &dyn Progress,
) -> hipaa_core::Result<Snapshot> {
    let mut options = options.clone();
    if options.regions.is_empty() {
        options.regions = scope.regions.clone();
    }
    AwsSource::new(options).collect(progress).await
}

/// Collect and evaluate: the library form of `hipaa scan`.
pub async fn scan(
    options: &ScanOptions,
    scope: &Scope,
    engine: &Engine,
    progress: &dyn Progress,
) -> hipaa_core::Result<(Snapshot, Report)> {
    let snapshot = snapshot(options, scope, progress).await?;
    let report = engine.evaluate(&snapshot, scope)?;
    Ok((snapshot, report))
}
