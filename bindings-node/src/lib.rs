//! Node bindings for `hipaa-core` and `hipaa-aws` (napi-rs): a thin layer that converts options
//! and results, and nothing else. Scans run on napi's tokio runtime, off the JavaScript thread;
//! evaluation, formats and the deploy gate are the core's own (`Engine`, `Report::to_json`,
//! `Report::gate`), so Node gets the same answers and exit codes as the `hipaa` command.

#![deny(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod classes;
mod data;
mod error;
mod options;
mod scope_file;
mod vocabulary;

use crate::classes::{Report, Snapshot};
use crate::data::{CitationEntry, Control, GateResult};
use crate::error::{ErrorCode, Failure};
use crate::options::{string_arg, Gate, ScanRequest, ScopeInput};
use hipaa_core::{citation_index, Catalog, Registry};
use napi::bindgen_prelude::{ClassInstance, Env, FromNapiValue, MaybeTypeTag, PromiseRaw, Unknown};
use napi_derive::napi;
use std::path::Path;

/// Settle a promise with the outcome of work done off the JavaScript thread: a class instance,
/// or an `Error` carrying its `code`.
fn settle<'env, T, V>(
    env: &'env Env,
    work: impl std::future::Future<Output = Result<T, Failure>> + Send + 'static,
    wrap: fn(T) -> V,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: napi::bindgen_prelude::ToNapiValue + 'static,
{
    env.spawn_future_with_callback(async move { Ok(work.await) }, move |env, outcome| {
        outcome.map(wrap).map_err(|f| f.into_js(env))
    })
}

/// Scan an AWS account (read-only) and evaluate it: the library form of `hipaa scan`.
/// A read that fails is not an error: it makes findings ERROR and the report incomplete.
#[napi(
    ts_args_type = "options?: ScanOptions",
    ts_return_type = "Promise<Report>"
)]
pub fn scan<'env>(
    env: &'env Env,
    options: Option<Unknown<'env>>,
) -> napi::Result<PromiseRaw<'env, Report>> {
    let request = ScanRequest::parse(options);
    settle(env, async move { request?.scan().await }, Report::new)
}

/// Collect the evidence only, to save (`JSON.stringify(snapshot)`) and evaluate later.
#[napi(
    ts_args_type = "options?: ScanOptions",
    ts_return_type = "Promise<Snapshot>"
)]
pub fn snapshot<'env>(
    env: &'env Env,
    options: Option<Unknown<'env>>,
) -> napi::Result<PromiseRaw<'env, Snapshot>> {
    let request = ScanRequest::parse(options);
    settle(env, async move { request?.snapshot().await }, Snapshot::new)
}

/// Read a snapshot file written by `snapshot()` or `hipaa snapshot`.
#[napi(ts_args_type = "path: string")]
pub fn load_snapshot(path: Unknown<'_>) -> napi::Result<Snapshot, ErrorCode> {
    let path = string_arg(path, "path").map_err(Failure::into_napi)?;
    hipaa_core::Snapshot::load(Path::new(&path))
        .map(Snapshot::new)
        .map_err(|e| Failure::from(e).into_napi())
}

/// Read a report file written by `report.format('json')` or `hipaa scan --format json`.
#[napi(ts_args_type = "path: string")]
pub fn load_report(path: Unknown<'_>) -> napi::Result<Report, ErrorCode> {
    let path = string_arg(path, "path").map_err(Failure::into_napi)?;
    let text = std::fs::read_to_string(&path).map_err(|source| {
        Failure::from(hipaa_core::Error::Io {
            path: path.clone(),
            source,
        })
        .into_napi()
    })?;
    hipaa_core::Report::from_json(&text, &path)
        .map(Report::new)
        .map_err(|e| Failure::from(e).into_napi())
}

/// Evaluate saved evidence under a scope (an object with the scope file's fields, or the path
/// of a scope file; default: the safe defaults).
#[napi(ts_args_type = "snapshot: Snapshot, scope?: ScopeFile | string")]
pub fn evaluate(
    snapshot: Unknown<'_>,
    scope: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    let run = || -> Result<Report, Failure> {
        let snapshot = instance::<Snapshot>(
            snapshot,
            "snapshot",
            "a Snapshot (from `snapshot()` or `loadSnapshot()`)",
        )?;
        let (scope, engine) = ScopeInput::from_arg(scope)?.engine()?;
        Ok(Report::new(engine.evaluate(&snapshot.inner, &scope)?))
    };
    run().map_err(Failure::into_napi)
}

/// The bundled sample environment's report (recorded from the project's moto fixture).
#[napi]
pub fn demo() -> napi::Result<Report, ErrorCode> {
    hipaa_core::demo::report()
        .map(Report::new)
        .map_err(|e| Failure::from(e).into_napi())
}

/// The bundled control catalog.
#[napi]
pub fn controls() -> napi::Result<Vec<Control>, ErrorCode> {
    let catalog = bundled().map_err(Failure::into_napi)?.1;
    Ok(catalog.controls().iter().map(Into::into).collect())
}

/// Every HIPAA Security Rule spec (45 CFR 164.308–164.316) with the controls that answer it.
#[napi]
pub fn citations() -> napi::Result<Vec<CitationEntry>, ErrorCode> {
    let (registry, catalog) = bundled().map_err(Failure::into_napi)?;
    Ok(citation_index(registry, &catalog)
        .iter()
        .map(Into::into)
        .collect())
}

/// An instance of one of this package's classes, or a configuration error saying what was expected.
fn instance<'env, T: 'static + MaybeTypeTag>(
    value: Unknown<'env>,
    what: &str,
    expected: &str,
) -> Result<ClassInstance<'env, T>, Failure> {
    ClassInstance::<T>::from_unknown(value)
        .map_err(|_| Failure::config(format!("`{what}` must be {expected}")))
}

fn bundled() -> Result<(&'static Registry, Catalog), Failure> {
    let registry = Registry::bundled()?;
    Ok((registry, Catalog::bundled(registry)?))
}

/// The deploy gate: exit code 3 when a FAIL is at or above `failOn` (default: any), else 4 when
/// the scan is incomplete (unless `allowIncomplete`), else 0 — the `hipaa` command's codes, so a
/// script can `process.exit(gate(report).exitCode)`.
#[napi(ts_args_type = "report: Report, options?: GateOptions")]
pub fn gate(
    report: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<GateResult, ErrorCode> {
    let run = || -> Result<GateResult, Failure> {
        let report = instance::<Report>(
            report,
            "report",
            "a Report (from `scan()`, `evaluate()`, `loadReport()` or `demo()`)",
        )?;
        let g = Gate::parse(options)?;
        Ok((&report.inner.gate(g.fail_on, g.allow_incomplete)).into())
    };
    run().map_err(Failure::into_napi)
}
