//! Node bindings for `hipaa-core` and `hipaa-aws` (napi-rs): a thin layer that converts options
//! and results, and nothing else. Scans run on napi's tokio runtime, off the JavaScript thread;
//! evaluation, formats and the deploy gate are the core's own (`Engine`, `Report::to_json`,
//! `Report::gate`), so Node gets the same answers and exit codes as the `hipaa` command.

#![deny(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod classes;
mod data;
mod error;
mod options;
mod scope_file;
mod vocabulary;

use crate::audit::{BundleManifest, BundleVerification, Diff, RiskRegister, TrendPoint};
use crate::classes::{Report, Snapshot};
use crate::data::{CitationEntry, Control, GateResult};
use crate::error::{ErrorCode, Failure};
use crate::options::{
    framework_arg, string_arg, Bundle, Gate, OrganizationRequest, ScanRequest, ScopeInput,
};
use hipaa_core::{Catalog, Registry};
use napi::bindgen_prelude::{
    Array, ClassInstance, Env, FromNapiValue, JsValue, MaybeTypeTag, PromiseRaw, Unknown,
};
use napi_derive::napi;
use std::path::Path;

/// Scans run on napi's tokio runtime: give it worker stacks deep enough for them. If it cannot
/// be built here, napi builds its default one on first use.
#[napi_derive::module_init]
fn init() {
    if let Ok(rt) = hipaa_aws::runtime_builder().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(rt);
    }
}

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

/// Scan every account of the caller's AWS Organization (or the named `accounts`) into one
/// report: the library form of `hipaa scan --organization`. An account whose role cannot be
/// assumed is ERROR in the report, and the others are scanned all the same; `onAccount` hears of
/// each account as it starts and ends.
#[napi(
    js_name = "scanOrganization",
    ts_args_type = "options?: OrganizationScanOptions",
    ts_return_type = "Promise<Report>"
)]
pub fn scan_organization<'env>(
    env: &'env Env,
    options: Option<Unknown<'env>>,
) -> napi::Result<PromiseRaw<'env, Report>> {
    let request = OrganizationRequest::parse(options);
    settle(env, async move { request?.scan().await }, Report::new)
}

/// Merge organization reports of disjoint account sets into one (`hipaa merge`): the result does
/// not depend on their order or grouping. Reports holding the same account are refused unless
/// `prefer` (`newest` or `oldest`) says which wins; the organization controls are judged again
/// under `scope` (give the one the scans used). The result keeps the framework the reports were
/// grouped by (regroup it with `loadReport`'s `framework` option after writing it out).
#[napi(
    ts_args_type = "reports: Report[], scope?: ScopeFile | string, prefer?: 'newest' | 'oldest'"
)]
pub fn merge(
    reports: Unknown<'_>,
    scope: Option<Unknown<'_>>,
    prefer: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    use hipaa_core::organization::Prefer;
    let run = || -> Result<Report, Failure> {
        let prefer = match prefer {
            None => Prefer::Refuse,
            Some(v) => match error::convert::<Option<String>>(v, "prefer")?.as_deref() {
                None => Prefer::Refuse,
                Some("newest") => Prefer::Newest,
                Some("oldest") => Prefer::Oldest,
                Some(other) => {
                    return Err(Failure::config(format!(
                        "`prefer` must be `newest` or `oldest`, not `{other}`"
                    )))
                }
            },
        };
        let list = report_list(reports)?;
        let inputs: Vec<(String, hipaa_core::Report)> = list
            .into_iter()
            .enumerate()
            .map(|(i, r)| (format!("reports[{i}]"), r))
            .collect();
        // The merged findings keep the framework the reports were grouped by.
        let framework = hipaa_core::organization::framework_of(&inputs)?;
        let (scope, engine) = ScopeInput::from_arg(scope)?.engine_with(&framework)?;
        Ok(Report::new(hipaa_core::organization::merge_owned(
            &engine, &scope, inputs, prefer,
        )?))
    };
    run().map_err(Failure::into_napi)
}

/// The reports of a `Report[]` argument, copied out of their JavaScript objects.
fn report_list(reports: Unknown<'_>) -> Result<Vec<hipaa_core::Report>, Failure> {
    if !reports
        .is_array()
        .map_err(|e| Failure::argument("reports", &e))?
    {
        return Err(Failure::config("`reports` must be an array of Reports"));
    }
    let list: Array<'_> = error::convert(reports, "reports")?;
    let mut owned = Vec::with_capacity(list.len() as usize);
    for i in 0..list.len() {
        let item: Unknown<'_> = list
            .get(i)
            .map_err(|e| Failure::argument("reports", &e))?
            .ok_or_else(|| Failure::config(format!("`reports[{i}]` is missing")))?;
        owned.push(
            instance::<Report>(item, &format!("reports[{i}]"), A_REPORT)?
                .inner
                .clone(),
        );
    }
    Ok(owned)
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

/// Read a report file written by `report.format('json')` or `hipaa scan --format json`; with
/// `framework` or `frameworkFile`, its findings regrouped by that framework (`hipaa report
/// --framework`).
#[napi(ts_args_type = "path: string, options?: FrameworkOptions")]
pub fn load_report(
    path: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    let run = || -> Result<Report, Failure> {
        let path = string_arg(path, "path")?;
        let choice = framework_arg(options)?;
        Ok(Report::new(choice.regroup(
            hipaa_core::audit::load_report(Path::new(&path))?,
        )?))
    };
    run().map_err(Failure::into_napi)
}

/// Evaluate saved evidence under a scope (an object with the scope file's fields, or the path
/// of a scope file; default: the safe defaults), grouped by the framework `options` names.
#[napi(ts_args_type = "snapshot: Snapshot, scope?: ScopeFile | string, options?: FrameworkOptions")]
pub fn evaluate(
    snapshot: Unknown<'_>,
    scope: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    let run = || -> Result<Report, Failure> {
        let snapshot = instance::<Snapshot>(
            snapshot,
            "snapshot",
            "a Snapshot (from `snapshot()` or `loadSnapshot()`)",
        )?;
        let choice = framework_arg(options)?;
        let (scope, engine) = ScopeInput::from_arg(scope)?.engine_with(&choice)?;
        Ok(Report::new(engine.evaluate(&snapshot.inner, &scope)?))
    };
    run().map_err(Failure::into_napi)
}

/// Judge a CloudFormation template (YAML or JSON) or a CDK output directory (`cdk.out`) before
/// it is deployed, with the controls of a live scan; the report works with `gate()`.
#[napi(ts_args_type = "path: string, options?: CodeOptions")]
pub fn evaluate_template(
    path: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    evaluate_code(path, options, hipaa_core::iac::load_template)
}

/// Judge a Terraform plan (`terraform show -json PLANFILE`) before it is applied, with the
/// controls of a live scan; the report works with `gate()`.
#[napi(ts_args_type = "path: string, options?: CodeOptions")]
pub fn evaluate_plan(
    path: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Report, ErrorCode> {
    evaluate_code(path, options, hipaa_core::iac::load_plan)
}

fn evaluate_code(
    path: Unknown<'_>,
    options: Option<Unknown<'_>>,
    load: fn(&Path, &hipaa_core::iac::Options) -> hipaa_core::Result<hipaa_core::Snapshot>,
) -> napi::Result<Report, ErrorCode> {
    let run = || -> Result<Report, Failure> {
        let path = string_arg(path, "path")?;
        let request = crate::options::CodeRequest::parse(options)?;
        let (scope, engine) = request.scope.engine_with(&request.framework)?;
        let snapshot = load(Path::new(&path), &request.options)?;
        Ok(Report::new(engine.evaluate(&snapshot, &scope)?))
    };
    run().map_err(Failure::into_napi)
}

/// The bundled sample environment's report (recorded from the project's moto fixture), grouped
/// by the framework `options` names.
#[napi(ts_args_type = "options?: FrameworkOptions")]
pub fn demo(options: Option<Unknown<'_>>) -> napi::Result<Report, ErrorCode> {
    let run = || -> Result<Report, Failure> {
        let choice = framework_arg(options)?;
        Ok(Report::new(hipaa_core::demo::report_under(&choice)?))
    };
    run().map_err(Failure::into_napi)
}

/// The bundled control catalog.
#[napi]
pub fn controls() -> napi::Result<Vec<Control>, ErrorCode> {
    let catalog = bundled().map_err(Failure::into_napi)?.1;
    Ok(catalog.controls().iter().map(Into::into).collect())
}

/// Every requirement of a framework (default: the HIPAA Security Rule, 45 CFR 164.308–164.316)
/// with the controls that answer it (`hipaa citations --framework`).
#[napi(ts_args_type = "options?: FrameworkOptions")]
pub fn citations(options: Option<Unknown<'_>>) -> napi::Result<Vec<CitationEntry>, ErrorCode> {
    let run = || -> Result<Vec<CitationEntry>, Failure> {
        let catalog = bundled()?.1;
        let framework = framework_arg(options)?.load()?;
        framework.check_controls(&catalog)?;
        Ok(framework
            .citation_index(&catalog)
            .iter()
            .map(Into::into)
            .collect())
    };
    run().map_err(Failure::into_napi)
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

/// The deploy gate: exit code 4 when the scan is incomplete (unless `allowIncomplete`), else 3
/// when a FAIL is at or above `failOn` (default: any), else 0 — the `hipaa` command's codes, so a
/// script can `process.exit(gate(report).exitCode)`.
#[napi(ts_args_type = "report: Report, options?: GateOptions")]
pub fn gate(
    report: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<GateResult, ErrorCode> {
    let run = || -> Result<GateResult, Failure> {
        let report = instance::<Report>(report, "report", A_REPORT)?;
        let g = Gate::parse(options)?;
        Ok((&report.inner.gate(g.fail_on, g.allow_incomplete)).into())
    };
    run().map_err(Failure::into_napi)
}

/// What a `report` argument must be, in error messages.
const A_REPORT: &str = "a Report (from `scan()`, `evaluate()`, `loadReport()` or `demo()`)";

/// What changed between two reports of the same estate (`hipaa diff`): new failures, fixes,
/// failures still open, findings newly ERROR, and waivers expiring within 30 days of the new one.
#[napi(ts_args_type = "old: Report, current: Report")]
pub fn diff(old: Unknown<'_>, current: Unknown<'_>) -> napi::Result<Diff, ErrorCode> {
    let run = || -> Result<Diff, Failure> {
        let old = instance::<Report>(old, "old", A_REPORT)?;
        let current = instance::<Report>(current, "current", A_REPORT)?;
        Ok((&hipaa_core::progress::diff(&old.inner, &current.inner)).into())
    };
    run().map_err(Failure::into_napi)
}

/// Pass rate per safeguard and failure count of each report, oldest first (`hipaa trend`).
#[napi(ts_args_type = "reports: Report[]")]
pub fn trend(reports: Unknown<'_>) -> napi::Result<Vec<TrendPoint>, ErrorCode> {
    let run = || -> Result<Vec<TrendPoint>, Failure> {
        let owned = report_list(reports)?;
        Ok(hipaa_core::progress::trend(&owned)
            .iter()
            .map(Into::into)
            .collect())
    };
    run().map_err(Failure::into_napi)
}

/// The core's risk register for a report, due dates from the scope's `remediation_days`.
fn risk_register(
    report: Unknown<'_>,
    scope: Option<Unknown<'_>>,
) -> Result<hipaa_core::risk::RiskRegister, Failure> {
    let report = instance::<Report>(report, "report", A_REPORT)?;
    let scope = ScopeInput::from_arg(scope)?.inputs()?.scope;
    Ok(hipaa_core::risk::RiskRegister::from_report(
        &report.inner,
        &scope.remediation_days,
    ))
}

/// The risk register (`hipaa risks`): assets ranked by impact and every FAIL or ERROR finding as
/// a risk with likelihood, impact, score and a due date from the scope's `remediation_days`
/// (default: 7/30/90/180/365 days by severity).
#[napi(
    js_name = "riskRegister",
    ts_args_type = "report: Report, scope?: ScopeFile | string"
)]
pub fn risk_register_of(
    report: Unknown<'_>,
    scope: Option<Unknown<'_>>,
) -> napi::Result<RiskRegister, ErrorCode> {
    risk_register(report, scope)
        .map(|r| (&r).into())
        .map_err(Failure::into_napi)
}

/// The risk register's risks as CSV (the remediation plan), as `hipaa risks --format csv` writes it.
#[napi(ts_args_type = "report: Report, scope?: ScopeFile | string")]
pub fn risks_csv(
    report: Unknown<'_>,
    scope: Option<Unknown<'_>>,
) -> napi::Result<String, ErrorCode> {
    risk_register(report, scope)
        .map(|r| r.risks_csv())
        .map_err(Failure::into_napi)
}

/// Evaluate a snapshot and write the evidence bundle for the audit file (`hipaa bundle`): one zip
/// with the report (JSON and HTML), the snapshot, the risk register, the catalog and registry,
/// the scope file and attestations file when given, and a SHA-256 manifest.
#[napi(ts_args_type = "path: string, snapshot: Snapshot, options?: BundleOptions")]
pub fn write_bundle(
    path: Unknown<'_>,
    snapshot: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<BundleManifest, ErrorCode> {
    let run = || -> Result<BundleManifest, Failure> {
        let path = string_arg(path, "path")?;
        let snapshot = instance::<Snapshot>(
            snapshot,
            "snapshot",
            "a Snapshot (from `snapshot()` or `loadSnapshot()`)",
        )?;
        let o = Bundle::parse(options)?;
        let mut inputs = o.scope.inputs()?;
        if let Some(p) = &o.attestations_file {
            inputs.add_attestations_file(p)?;
        }
        let engine = inputs.engine(&[])?;
        let manifest =
            hipaa_core::audit::write_bundle(&inputs, &engine, &snapshot.inner, Path::new(&path))?
                .manifest;
        Ok((&manifest).into())
    };
    run().map_err(Failure::into_napi)
}

/// Check an evidence bundle (`hipaa verify`): the manifest against its digest and every file
/// against the manifest. A changed file is `ok: false` naming it; a file that is no longer a
/// readable bundle is a `HIPAA_BAD_INPUT` error naming the path.
#[napi(ts_args_type = "path: string")]
pub fn verify_bundle(path: Unknown<'_>) -> napi::Result<BundleVerification, ErrorCode> {
    let run = || -> Result<BundleVerification, Failure> {
        let path = string_arg(path, "path")?;
        Ok((&hipaa_core::bundle::verify_bundle(Path::new(&path))?).into())
    };
    run().map_err(Failure::into_napi)
}
