//! Option bags from JavaScript, checked and turned into the core's types.
//!
//! Every conversion happens in Rust so that every mistake, a wrong type included, is an error
//! with a stable `code`: a misspelt option is rejected (`endpointURL` silently ignored would send
//! a deploy gate to the real AWS account), never dropped.

use crate::error::{convert, Failure, Result};
use hipaa_core::audit::{FrameworkChoice, Inputs};
use hipaa_core::{Progress, Scope};
use napi::bindgen_prelude::{FnArgs, FromNapiValue, JsObjectValue, Object, Unknown};
use napi::threadsafe_function::{
    ThreadsafeFunction, ThreadsafeFunctionCallMode, UnknownReturnValue,
};
use napi::{Status, ValueType};
use napi_derive::napi;
use std::path::PathBuf;

/// The JavaScript progress callback, callable from the scan's threads; weak, so it never keeps
/// the process alive by itself.
type ProgressFn = ThreadsafeFunction<
    FnArgs<(f64, f64, String)>,
    UnknownReturnValue,
    FnArgs<(f64, f64, String)>,
    Status,
    false,
    true,
>;

/// How to reach AWS, what to scan and whom to tell about progress.
#[napi(object, object_to_js = false)]
pub struct ScanOptions {
    /// Named profile from `~/.aws/config` (default chain otherwise: env, profile, SSO, instance role).
    pub profile: Option<String>,
    /// Regions to scan for regional services (default: the scope's regions, else every region the account has enabled).
    pub regions: Option<Vec<String>>,
    /// Endpoint override for local servers (moto, LocalStack), e.g. `http://127.0.0.1:5000`.
    pub endpoint_url: Option<String>,
    /// The scope: an object with the scope file's fields, or the path of a TOML scope file.
    #[napi(ts_type = "ScopeFile | string")]
    pub scope: Option<serde_json::Value>,
    /// Called as the scan proceeds: `done` of `total` API reads finished in `stage`.
    #[napi(ts_type = "(done: number, total: number, stage: string) => void")]
    pub on_progress: Option<ProgressFn>,
    /// Attempts per call under the SDK's standard retry mode (default 5).
    pub max_attempts: Option<f64>,
    /// Calls in flight at once (default 32).
    pub concurrency: Option<f64>,
    /// Group findings by this framework: `hipaa-2013` (the rule in force, default) or
    /// `hipaa-nprm-2025` (the proposed rule: readiness only, never compliance).
    pub framework: Option<String>,
    /// A framework file of your own (TOML).
    pub framework_file: Option<String>,
}

/// Each option of [`ScanOptions`] and the JavaScript type it takes.
const SCAN_OPTIONS: &[(&str, Kind)] = &[
    ("profile", Kind::String),
    ("regions", Kind::Strings),
    ("endpointUrl", Kind::String),
    ("scope", Kind::Scope),
    ("onProgress", Kind::Function),
    ("maxAttempts", Kind::Number),
    ("concurrency", Kind::Number),
    ("framework", Kind::String),
    ("frameworkFile", Kind::String),
];

/// Which framework groups the findings (the CLI's `--framework` and `--framework-file`).
#[napi(object, object_to_js = false)]
pub struct FrameworkOptions {
    /// A bundled framework: `hipaa-2013` (default) or `hipaa-nprm-2025` (proposed rule, readiness only).
    pub framework: Option<String>,
    /// A framework file of your own (TOML).
    pub framework_file: Option<String>,
}

/// Each option of [`FrameworkOptions`] and the JavaScript type it takes.
const FRAMEWORK_OPTIONS: &[(&str, Kind)] =
    &[("framework", Kind::String), ("frameworkFile", Kind::String)];

/// The core's framework choice from an optional options object.
pub fn framework_arg(value: Option<Unknown<'_>>) -> Result<FrameworkChoice> {
    let what = "framework options";
    Ok(match value {
        Some(v) if check_options(&v, FRAMEWORK_OPTIONS, what)? => {
            let o = convert::<FrameworkOptions>(v, what)?;
            FrameworkChoice {
                id: o.framework,
                file: o.framework_file.map(PathBuf::from),
            }
        }
        _ => FrameworkChoice::default(),
    })
}

/// How strict the deploy gate is.
#[napi(object, object_to_js = false)]
pub struct GateOptions {
    /// Fail on FAIL findings at or above this severity (default `informational`: any failure).
    #[napi(ts_type = "Severity")]
    pub fail_on: Option<String>,
    /// Let an incomplete scan (some reads failed) pass when nothing fails, and give 3 when something does (default false).
    pub allow_incomplete: Option<bool>,
}

/// Each option of [`GateOptions`] and the JavaScript type it takes.
const GATE_OPTIONS: &[(&str, Kind)] = &[("failOn", Kind::String), ("allowIncomplete", Kind::Bool)];

/// What goes into an evidence bundle besides the snapshot.
#[napi(object, object_to_js = false)]
pub struct BundleOptions {
    /// The scope: an object with the scope file's fields, or the path of a TOML scope file (whose
    /// text is then included in the bundle as `scope.toml`).
    #[napi(ts_type = "ScopeFile | string")]
    pub scope: Option<serde_json::Value>,
    /// An attestations file (`[[attestation]]` tables): applied to the evaluation and included
    /// in the bundle as `attestations.toml`.
    pub attestations_file: Option<String>,
}

/// Each option of [`BundleOptions`] and the JavaScript type it takes.
const BUNDLE_OPTIONS: &[(&str, Kind)] =
    &[("scope", Kind::Scope), ("attestationsFile", Kind::String)];

/// What infrastructure code alone does not say, and the scope to judge it under.
#[napi(object, object_to_js = false)]
pub struct CodeOptions {
    /// The scope: an object with the scope file's fields, or the path of a TOML scope file.
    #[napi(ts_type = "ScopeFile | string")]
    pub scope: Option<serde_json::Value>,
    /// CloudFormation parameter values by name; a parameter without a default that is not given
    /// here is unknown until apply, and what depends on it is ERROR.
    #[napi(ts_type = "Record<string, string>")]
    pub parameters: Option<std::collections::HashMap<String, String>>,
    /// The region the code deploys to, where the code does not say.
    pub region: Option<String>,
    /// The account the code deploys to, where the code does not say.
    pub account: Option<String>,
    /// A bundled framework: `hipaa-2013` (default) or `hipaa-nprm-2025` (proposed rule, readiness only).
    pub framework: Option<String>,
    /// A framework file of your own (TOML).
    pub framework_file: Option<String>,
}

/// Each option of [`CodeOptions`] and the JavaScript type it takes.
const CODE_OPTIONS: &[(&str, Kind)] = &[
    ("scope", Kind::Scope),
    ("parameters", Kind::StringMap),
    ("region", Kind::String),
    ("account", Kind::String),
    ("framework", Kind::String),
    ("frameworkFile", Kind::String),
];

/// A checked `evaluateTemplate` or `evaluatePlan` call.
pub struct CodeRequest {
    /// The converter's options.
    pub options: hipaa_core::iac::Options,
    /// The scope.
    pub scope: ScopeInput,
    /// The framework the findings are grouped by.
    pub framework: FrameworkChoice,
}

impl CodeRequest {
    /// Check the options object.
    pub fn parse(value: Option<Unknown<'_>>) -> Result<CodeRequest> {
        let what = "template options";
        let given = match &value {
            Some(v) => check_options(v, CODE_OPTIONS, what)?,
            None => false,
        };
        let o = match value {
            Some(v) if given => convert::<CodeOptions>(v, what)?,
            _ => CodeOptions {
                scope: None,
                parameters: None,
                region: None,
                account: None,
                framework: None,
                framework_file: None,
            },
        };
        Ok(CodeRequest {
            options: hipaa_core::iac::Options {
                parameters: o.parameters.unwrap_or_default().into_iter().collect(),
                region: o.region,
                account: o.account,
                ..hipaa_core::iac::Options::default()
            },
            scope: ScopeInput::from_value(o.scope)?,
            framework: FrameworkChoice {
                id: o.framework,
                file: o.framework_file.map(PathBuf::from),
            },
        })
    }
}

/// The JavaScript type an option takes (`null` and `undefined` always mean "not set").
#[derive(Debug, Clone, Copy)]
enum Kind {
    String,
    Strings,
    StringMap,
    Number,
    Bool,
    Function,
    Scope,
}

impl Kind {
    fn accepts(self, v: Unknown<'_>) -> bool {
        let t = v.get_type().ok();
        match self {
            Kind::String => t == Some(ValueType::String),
            Kind::Strings => Vec::<String>::from_unknown(v).is_ok(),
            Kind::StringMap => {
                t == Some(ValueType::Object)
                    && std::collections::HashMap::<String, String>::from_unknown(v).is_ok()
            }
            Kind::Number => t == Some(ValueType::Number),
            Kind::Bool => t == Some(ValueType::Boolean),
            Kind::Function => t == Some(ValueType::Function),
            Kind::Scope => matches!(t, Some(ValueType::Object | ValueType::String)),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Strings => "an array of strings",
            Kind::StringMap => "an object of strings",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Function => "a function",
            Kind::Scope => "a scope object or the path of a scope file",
        }
    }
}

/// Check an option bag before napi converts it: nothing (`false`) or a plain object (`true`)
/// whose keys are all known and whose values have the right types.
fn check_options(value: &Unknown<'_>, known: &[(&str, Kind)], what: &str) -> Result<bool> {
    match value.get_type().map_err(|e| Failure::argument(what, &e))? {
        ValueType::Undefined | ValueType::Null => return Ok(false),
        ValueType::Object => {}
        _ => return Err(Failure::config(format!("{what} must be an object"))),
    }
    let obj: Object<'_> = convert(*value, what)?;
    for key in Object::keys(&obj).map_err(|e| Failure::argument(what, &e))? {
        let Some((_, kind)) = known.iter().find(|(name, _)| *name == key) else {
            let names: Vec<&str> = known.iter().map(|(name, _)| *name).collect();
            return Err(Failure::config(format!(
                "unknown option `{key}` in {what} (expected {})",
                names.join(", ")
            )));
        };
        let v: Unknown<'_> = obj
            .get_named_property(&key)
            .map_err(|e| Failure::argument(what, &e))?;
        let unset = matches!(v.get_type(), Ok(ValueType::Undefined | ValueType::Null));
        if !unset && !kind.accepts(v) {
            return Err(Failure::config(format!(
                "`{key}` must be {}",
                kind.expected()
            )));
        }
    }
    Ok(true)
}

/// A whole number of at least zero that fits the target type, from a JavaScript number.
fn whole<T: TryFrom<u64>>(v: Option<f64>, name: &str, default: T) -> Result<T> {
    let Some(v) = v else { return Ok(default) };
    let bad = || Failure::config(format!("`{name}` must be a whole number, got {v}"));
    if !v.is_finite() || v.fract() != 0.0 || !(0.0..=9.0e15).contains(&v) {
        return Err(bad());
    }
    T::try_from(v as u64).map_err(|_| bad())
}

/// Where the scope comes from.
#[derive(Debug, Clone)]
pub enum ScopeInput {
    /// No scope: the safe defaults.
    Default,
    /// A TOML scope file; extra catalogs are resolved against its folder.
    File(PathBuf),
    /// An object with the scope file's fields.
    Object(serde_json::Value),
}

impl ScopeInput {
    /// From the `scope` argument or option: nothing, a path, or an object.
    pub fn from_value(v: Option<serde_json::Value>) -> Result<ScopeInput> {
        match v {
            None | Some(serde_json::Value::Null) => Ok(ScopeInput::Default),
            Some(serde_json::Value::String(path)) => Ok(ScopeInput::File(PathBuf::from(path))),
            Some(v @ serde_json::Value::Object(_)) => Ok(ScopeInput::Object(v)),
            Some(_) => Err(Failure::config(
                "`scope` must be an object with the scope file's fields or the path of a scope file",
            )),
        }
    }

    /// From an optional JavaScript argument.
    pub fn from_arg(v: Option<Unknown<'_>>) -> Result<ScopeInput> {
        match v {
            None => Ok(ScopeInput::Default),
            Some(v) => ScopeInput::from_value(convert(v, "scope")?),
        }
    }

    /// Read and check the scope, keeping a scope file's text and folder (for the bundle and for
    /// extra catalogs).
    pub fn inputs(&self) -> Result<Inputs> {
        Ok(match self {
            ScopeInput::Default => Inputs::default(),
            ScopeInput::File(p) => Inputs::load(Some(p), None)?,
            ScopeInput::Object(v) => Inputs::from_scope(scope_from_object(v.clone())?, None),
        })
    }

    /// The scope and the engine it configures (disabled controls, severities, extra catalogs),
    /// grouping findings by the framework chosen.
    pub fn engine_with(&self, framework: &FrameworkChoice) -> Result<(Scope, hipaa_core::Engine)> {
        let inputs = self.inputs()?;
        let engine = inputs.engine_with(&[], framework)?;
        Ok((inputs.scope, engine))
    }
}

/// Name of a scope given as an object, in error messages.
const SCOPE_OBJECT: &str = "<scope object>";

/// A scope object is read with the file's rules (unknown keys rejected) and then given the core's
/// own checks, so an object and a file are judged alike.
fn scope_from_object(v: serde_json::Value) -> Result<Scope> {
    let bad = |m: String| Failure::bad_input(format!("scope file `{SCOPE_OBJECT}`: {m}"));
    let scope: Scope = serde_json::from_value(without_nulls(v)).map_err(|e| bad(e.to_string()))?;
    scope.validate(SCOPE_OBJECT)?;
    Ok(scope)
}

/// `null` and `undefined` object fields mean "not set", as an absent key does in a TOML file.
fn without_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(without_nulls).collect())
        }
        other => other,
    }
}

/// Progress reported to the JavaScript callbacks, if there are any: reads, and (in an
/// organization scan) accounts.
pub struct JsProgress(Option<ProgressFn>, Option<AccountFn>);

impl Progress for JsProgress {
    fn update(&self, done: u64, total: u64, stage: &str) {
        if let Some(f) = &self.0 {
            // Non-blocking: a slow callback never slows the scan; the result of a call is ignored.
            let _ = f.call(
                FnArgs::from((done as f64, total as f64, stage.to_string())),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }

    fn account(&self, account: &str, state: &str, done: u64, total: u64) {
        if let Some(f) = &self.1 {
            let _ = f.call(
                FnArgs::from((
                    account.to_string(),
                    state.to_string(),
                    done as f64,
                    total as f64,
                )),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }
}

/// The JavaScript per-account progress callback of an organization scan.
type AccountFn = ThreadsafeFunction<
    FnArgs<(String, String, f64, f64)>,
    UnknownReturnValue,
    FnArgs<(String, String, f64, f64)>,
    Status,
    false,
    true,
>;

/// How to reach every account of an organization (or the named ones), how hard to push, and
/// whom to tell about progress.
#[napi(object, object_to_js = false)]
pub struct OrganizationScanOptions {
    /// Named profile of the management (or delegated administrator) account.
    pub profile: Option<String>,
    /// Regions to scan in every account (default: the scope's regions, else every enabled region).
    pub regions: Option<Vec<String>>,
    /// Endpoint override for local servers (moto, LocalStack), e.g. `http://127.0.0.1:5000`.
    pub endpoint_url: Option<String>,
    /// The scope: an object with the scope file's fields (its `organization` table included), or the path of a TOML scope file.
    #[napi(ts_type = "ScopeFile | string")]
    pub scope: Option<serde_json::Value>,
    /// Called as reads finish, over every account: `done` of `total` reads, `stage` names the account.
    #[napi(ts_type = "(done: number, total: number, stage: string) => void")]
    pub on_progress: Option<ProgressFn>,
    /// Called when an account starts (`started`) and ends (`scanned` or `unreachable`); `done` of `total` accounts are finished.
    #[napi(
        ts_type = "(account: string, state: 'started' | 'scanned' | 'unreachable', done: number, total: number) => void"
    )]
    pub on_account: Option<AccountFn>,
    /// Attempts per call (default 5).
    pub max_attempts: Option<f64>,
    /// Calls in flight at once over every account together (default 32).
    pub concurrency: Option<f64>,
    /// Scan these accounts without AWS Organizations (as `hipaa scan --accounts`).
    pub accounts: Option<Vec<String>>,
    /// Only accounts under these OUs or roots and their children (as `--ou`).
    pub ous: Option<Vec<String>>,
    /// Accounts scanned at once (default 4).
    pub account_concurrency: Option<f64>,
    /// Scan one shard of the accounts, `I/N` (as `--shard`).
    pub shard: Option<String>,
    /// The SDK's retry mode: `standard` (default) or `adaptive` (client-side rate limiting).
    #[napi(ts_type = "'standard' | 'adaptive'")]
    pub retry_mode: Option<String>,
    /// Calls in flight per service of one account (default: an even share of `concurrency`).
    pub service_concurrency: Option<f64>,
    /// Group findings by this framework: `hipaa-2013` (the rule in force, default) or
    /// `hipaa-nprm-2025` (the proposed rule: readiness only, never compliance).
    pub framework: Option<String>,
    /// A framework file of your own (TOML).
    pub framework_file: Option<String>,
}

/// Each option of [`OrganizationScanOptions`] and the JavaScript type it takes.
const ORGANIZATION_OPTIONS: &[(&str, Kind)] = &[
    ("profile", Kind::String),
    ("regions", Kind::Strings),
    ("endpointUrl", Kind::String),
    ("scope", Kind::Scope),
    ("onProgress", Kind::Function),
    ("onAccount", Kind::Function),
    ("maxAttempts", Kind::Number),
    ("concurrency", Kind::Number),
    ("accounts", Kind::Strings),
    ("ous", Kind::Strings),
    ("accountConcurrency", Kind::Number),
    ("shard", Kind::String),
    ("retryMode", Kind::String),
    ("serviceConcurrency", Kind::Number),
    ("framework", Kind::String),
    ("frameworkFile", Kind::String),
];

/// A checked `scanOrganization` call, ready to run off the JavaScript thread.
pub struct OrganizationRequest {
    /// The adapter's options.
    pub options: hipaa_aws::OrganizationOptions,
    /// The scope, read when the request runs.
    pub scope: ScopeInput,
    /// The progress callbacks.
    pub progress: JsProgress,
    /// The framework findings are grouped by.
    pub framework: FrameworkChoice,
}

impl OrganizationRequest {
    /// Check the options object (on the JavaScript thread: it reads JavaScript values).
    pub fn parse(value: Option<Unknown<'_>>) -> Result<OrganizationRequest> {
        let what = "organization scan options";
        let given = match &value {
            Some(v) => check_options(v, ORGANIZATION_OPTIONS, what)?,
            None => false,
        };
        let o = match value {
            Some(v) if given => convert::<OrganizationScanOptions>(v, what)?,
            _ => OrganizationScanOptions {
                profile: None,
                regions: None,
                endpoint_url: None,
                scope: None,
                on_progress: None,
                on_account: None,
                max_attempts: None,
                concurrency: None,
                accounts: None,
                ous: None,
                account_concurrency: None,
                shard: None,
                retry_mode: None,
                service_concurrency: None,
                framework: None,
                framework_file: None,
            },
        };
        let defaults = hipaa_aws::OrganizationOptions::default();
        let retry_mode = match o.retry_mode.as_deref() {
            None => defaults.scan.retry_mode,
            Some(m) => m
                .parse()
                .map_err(|e: hipaa_aws::Error| Failure::from(hipaa_core::Error::from(e)))?,
        };
        let service_concurrency = match o.service_concurrency {
            None => None,
            Some(_) => Some(whole(o.service_concurrency, "serviceConcurrency", 0usize)?),
        };
        let shard = o
            .shard
            .map(|s| s.parse::<hipaa_core::organization::Shard>())
            .transpose()?;
        Ok(OrganizationRequest {
            options: hipaa_aws::OrganizationOptions {
                scan: hipaa_aws::ScanOptions {
                    profile: o.profile,
                    regions: o.regions.unwrap_or_default(),
                    endpoint_url: o.endpoint_url,
                    max_attempts: whole(o.max_attempts, "maxAttempts", defaults.scan.max_attempts)?,
                    concurrency: whole(o.concurrency, "concurrency", defaults.scan.concurrency)?,
                    retry_mode,
                    service_concurrency,
                },
                accounts: o.accounts,
                ous: o.ous.unwrap_or_default(),
                account_concurrency: whole(
                    o.account_concurrency,
                    "accountConcurrency",
                    defaults.account_concurrency,
                )?,
                shard,
            },
            scope: ScopeInput::from_value(o.scope)?,
            progress: JsProgress(o.on_progress, o.on_account),
            framework: FrameworkChoice {
                id: o.framework,
                file: o.framework_file.map(PathBuf::from),
            },
        })
    }

    /// Discover, scan every account and judge the organization; the scope is checked first.
    pub async fn scan(self) -> Result<hipaa_core::Report> {
        let (scope, engine) = self.scope.engine_with(&self.framework)?;
        Ok(hipaa_aws::scan_organization(&self.options, &scope, &engine, &self.progress).await?)
    }
}

/// A checked `scan` or `snapshot` call, ready to run off the JavaScript thread.
pub struct ScanRequest {
    /// The adapter's options.
    pub options: hipaa_aws::ScanOptions,
    /// The scope, read when the request runs.
    pub scope: ScopeInput,
    /// The progress callback.
    pub progress: JsProgress,
    /// The framework findings are grouped by.
    pub framework: FrameworkChoice,
}

impl ScanRequest {
    /// Check the options object (on the JavaScript thread: it reads JavaScript values).
    pub fn parse(value: Option<Unknown<'_>>) -> Result<ScanRequest> {
        let what = "scan options";
        let given = match &value {
            Some(v) => check_options(v, SCAN_OPTIONS, what)?,
            None => false,
        };
        let o = match value {
            Some(v) if given => convert::<ScanOptions>(v, what)?,
            _ => ScanOptions {
                profile: None,
                regions: None,
                endpoint_url: None,
                scope: None,
                on_progress: None,
                max_attempts: None,
                concurrency: None,
                framework: None,
                framework_file: None,
            },
        };
        let defaults = hipaa_aws::ScanOptions::default();
        Ok(ScanRequest {
            options: hipaa_aws::ScanOptions {
                profile: o.profile,
                regions: o.regions.unwrap_or_default(),
                endpoint_url: o.endpoint_url,
                max_attempts: whole(o.max_attempts, "maxAttempts", defaults.max_attempts)?,
                concurrency: whole(o.concurrency, "concurrency", defaults.concurrency)?,
                ..defaults
            },
            scope: ScopeInput::from_value(o.scope)?,
            progress: JsProgress(o.on_progress, None),
            framework: FrameworkChoice {
                id: o.framework,
                file: o.framework_file.map(PathBuf::from),
            },
        })
    }

    /// Collect the evidence.
    pub async fn snapshot(self) -> Result<hipaa_core::Snapshot> {
        let scope = self.scope.inputs()?.scope;
        Ok(hipaa_aws::snapshot(&self.options, &scope, &self.progress).await?)
    }

    /// Collect and evaluate; the scope, its catalogs and the framework are checked before any
    /// AWS call.
    pub async fn scan(self) -> Result<hipaa_core::Report> {
        let (scope, engine) = self.scope.engine_with(&self.framework)?;
        let (_, report) = hipaa_aws::scan(&self.options, &scope, &engine, &self.progress).await?;
        Ok(report)
    }
}

/// A checked `gate` call.
pub struct Gate {
    /// Threshold.
    pub fail_on: hipaa_core::Severity,
    /// Whether an incomplete scan may pass.
    pub allow_incomplete: bool,
}

impl Gate {
    /// Check the options object.
    pub fn parse(value: Option<Unknown<'_>>) -> Result<Gate> {
        let what = "gate options";
        let o = match value {
            Some(v) if check_options(&v, GATE_OPTIONS, what)? => convert::<GateOptions>(v, what)?,
            _ => GateOptions {
                fail_on: None,
                allow_incomplete: None,
            },
        };
        let fail_on = match o.fail_on {
            None => hipaa_core::Severity::Informational,
            Some(s) => s
                .parse()
                .map_err(|m: String| Failure::config(format!("`failOn`: {m}")))?,
        };
        Ok(Gate {
            fail_on,
            allow_incomplete: o.allow_incomplete.unwrap_or(false),
        })
    }
}

/// A checked `writeBundle` call: the scope, and the attestations file's path.
pub struct Bundle {
    /// Where the scope comes from.
    pub scope: ScopeInput,
    /// The attestations file, if any.
    pub attestations_file: Option<PathBuf>,
}

impl Bundle {
    /// Check the options object.
    pub fn parse(value: Option<Unknown<'_>>) -> Result<Bundle> {
        let what = "bundle options";
        let o = match value {
            Some(v) if check_options(&v, BUNDLE_OPTIONS, what)? => {
                convert::<BundleOptions>(v, what)?
            }
            _ => BundleOptions {
                scope: None,
                attestations_file: None,
            },
        };
        Ok(Bundle {
            scope: ScopeInput::from_value(o.scope)?,
            attestations_file: o.attestations_file.map(PathBuf::from),
        })
    }
}

/// Read a string argument, reporting a wrong type as a configuration error.
pub fn string_arg(v: Unknown<'_>, what: &str) -> Result<String> {
    if v.get_type().ok() != Some(ValueType::String) {
        return Err(Failure::config(format!("`{what}` must be a string")));
    }
    convert::<String>(v, what)
}
