//! Scanning and evaluation: one module-wide tokio runtime, the GIL released while Rust works,
//! progress reported to a Python callable.

use crate::errors::{core_error, internal};
use crate::report::PyReport;
use crate::scope::PyScope;
use crate::snapshot::PySnapshot;
use hipaa_aws::ScanOptions;
use hipaa_core::audit::FrameworkChoice;
use hipaa_core::{Engine, NoProgress, Progress, Report};
use pyo3::prelude::*;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How often a blocking call wakes up to let Python handle signals (Ctrl-C, a kernel interrupt).
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// The one runtime every call of the module uses (shared with `scan_async`'s awaitables).
fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Reports progress to a Python callable `(done, total, stage)`.
///
/// The callable runs on a runtime worker thread with the GIL held. If it raises, it is not called
/// again, the scan is cancelled at once, and the caller gets the callable's exception.
struct Callback {
    callable: Py<PyAny>,
    error: Mutex<Option<PyErr>>,
    failed: Notify,
}

impl Callback {
    fn take_error(&self) -> PyErr {
        self.error
            .lock()
            .ok()
            .and_then(|mut e| e.take())
            .unwrap_or_else(|| internal("the progress callback failed"))
    }
}

impl Progress for Callback {
    fn update(&self, done: u64, total: u64, stage: &str) {
        let already_failed = self.error.lock().map(|e| e.is_some()).unwrap_or(true);
        if already_failed {
            return;
        }
        let result = Python::attach(|py| self.callable.call1(py, (done, total, stage)).map(|_| ()));
        if let Err(e) = result {
            if let Ok(mut slot) = self.error.lock() {
                *slot = Some(e);
            }
            self.failed.notify_one();
        }
    }
}

/// Run `work` with progress going to `callback` (if any), stopping early if the callback raises.
async fn with_progress<T, F, Fut>(callback: Option<Arc<Callback>>, work: F) -> PyResult<T>
where
    F: FnOnce(Arc<dyn Progress>) -> Fut,
    Fut: Future<Output = hipaa_core::Result<T>>,
{
    match callback {
        None => work(Arc::new(NoProgress)).await.map_err(core_error),
        Some(cb) => {
            let progress: Arc<dyn Progress> = cb.clone();
            tokio::select! {
                r = work(progress) => match r {
                    // The scan may finish before the cancellation is seen: the error still wins.
                    Ok(_) if cb.error.lock().map(|e| e.is_some()).unwrap_or(false) => Err(cb.take_error()),
                    r => r.map_err(core_error),
                },
                _ = cb.failed.notified() => Err(cb.take_error()),
            }
        }
    }
}

/// Block on `fut` with the GIL released, waking regularly so Python can deliver signals;
/// on KeyboardInterrupt (or any signal handler's exception) the task is cancelled.
fn block_on<T: Send + 'static>(
    py: Python<'_>,
    fut: impl Future<Output = PyResult<T>> + Send + 'static,
) -> PyResult<T> {
    let rt = runtime();
    let mut handle = rt.spawn(fut);
    loop {
        // The timer is created inside `block_on`, where the runtime's reactor is current.
        let waited = py.detach(|| {
            rt.block_on(async { tokio::time::timeout(SIGNAL_CHECK, &mut handle).await })
        });
        match waited {
            Ok(Ok(result)) => return result,
            Ok(Err(join)) => return Err(internal(format!("the scan task failed: {join}"))),
            Err(_still_running) => {
                if let Err(e) = py.check_signals() {
                    handle.abort();
                    return Err(e);
                }
            }
        }
    }
}

/// Everything one scan needs, owned, so it can move into a task.
struct Job {
    options: ScanOptions,
    scope: PyScope,
    callback: Option<Arc<Callback>>,
}

impl Job {
    #[allow(clippy::too_many_arguments)]
    fn new(
        profile: Option<String>,
        regions: Option<Vec<String>>,
        endpoint_url: Option<String>,
        scope: Option<PyScope>,
        progress: Option<Py<PyAny>>,
        max_attempts: u32,
        concurrency: usize,
    ) -> Job {
        Job {
            options: ScanOptions {
                profile,
                regions: regions.unwrap_or_default(),
                endpoint_url,
                max_attempts,
                concurrency,
                ..ScanOptions::default()
            },
            scope: scope.unwrap_or_else(PyScope::default_scope),
            callback: progress.map(|callable| {
                Arc::new(Callback {
                    callable,
                    error: Mutex::new(None),
                    failed: Notify::new(),
                })
            }),
        }
    }

    async fn snapshot(self) -> PyResult<PySnapshot> {
        let Job {
            options,
            scope,
            callback,
        } = self;
        let snapshot = with_progress(callback, move |p| async move {
            hipaa_aws::snapshot(&options, &scope.inner, p.as_ref()).await
        })
        .await?;
        Ok(PySnapshot::new(snapshot))
    }

    /// The engine is built before collecting, so a bad extra catalog fails fast.
    async fn scan(self, engine: Engine) -> PyResult<(PySnapshot, PyReport)> {
        let scope = self.scope.clone();
        let snapshot = self.snapshot().await?;
        let report = engine
            .evaluate(&snapshot.inner, &scope.inner)
            .map_err(core_error)?;
        Ok((snapshot, PyReport::new(report)))
    }
}

/// Collect and evaluate (the library form of `hipaa scan`). Returns the evidence and the report.
#[pyfunction]
#[pyo3(signature = (*, profile=None, regions=None, endpoint_url=None, scope=None, progress=None, max_attempts=5, concurrency=32, framework=None, framework_file=None))]
#[allow(clippy::too_many_arguments)]
pub fn scan(
    py: Python<'_>,
    profile: Option<String>,
    regions: Option<Vec<String>>,
    endpoint_url: Option<String>,
    scope: Option<PyScope>,
    progress: Option<Py<PyAny>>,
    max_attempts: u32,
    concurrency: usize,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<(PySnapshot, PyReport)> {
    let job = Job::new(
        profile,
        regions,
        endpoint_url,
        scope,
        progress,
        max_attempts,
        concurrency,
    );
    let engine = job.scope.engine_for(&FrameworkChoice {
        id: framework,
        file: framework_file,
    })?;
    block_on(py, job.scan(engine))
}

/// `scan` as an awaitable for asyncio.
#[pyfunction]
#[pyo3(signature = (*, profile=None, regions=None, endpoint_url=None, scope=None, progress=None, max_attempts=5, concurrency=32, framework=None, framework_file=None))]
#[allow(clippy::too_many_arguments)]
pub fn scan_async<'py>(
    py: Python<'py>,
    profile: Option<String>,
    regions: Option<Vec<String>>,
    endpoint_url: Option<String>,
    scope: Option<PyScope>,
    progress: Option<Py<PyAny>>,
    max_attempts: u32,
    concurrency: usize,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let job = Job::new(
        profile,
        regions,
        endpoint_url,
        scope,
        progress,
        max_attempts,
        concurrency,
    );
    let engine = job.scope.engine_for(&FrameworkChoice {
        id: framework,
        file: framework_file,
    })?;
    pyo3_async_runtimes::tokio::future_into_py(py, job.scan(engine))
}

/// Collect evidence only (the library form of `hipaa snapshot`).
#[pyfunction]
#[pyo3(signature = (*, profile=None, regions=None, endpoint_url=None, scope=None, progress=None, max_attempts=5, concurrency=32))]
#[allow(clippy::too_many_arguments)]
pub fn snapshot(
    py: Python<'_>,
    profile: Option<String>,
    regions: Option<Vec<String>>,
    endpoint_url: Option<String>,
    scope: Option<PyScope>,
    progress: Option<Py<PyAny>>,
    max_attempts: u32,
    concurrency: usize,
) -> PyResult<PySnapshot> {
    let job = Job::new(
        profile,
        regions,
        endpoint_url,
        scope,
        progress,
        max_attempts,
        concurrency,
    );
    block_on(py, job.snapshot())
}

/// Evaluate saved evidence under a scope (the library form of `hipaa evaluate`).
#[pyfunction]
#[pyo3(signature = (snapshot, scope=None, *, framework=None, framework_file=None))]
pub fn evaluate(
    py: Python<'_>,
    snapshot: PySnapshot,
    scope: Option<PyScope>,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<PyReport> {
    let scope = scope.unwrap_or_else(PyScope::default_scope);
    let engine = scope.engine_for(&FrameworkChoice {
        id: framework,
        file: framework_file,
    })?;
    let evaluated: hipaa_core::Result<Report> =
        py.detach(|| engine.evaluate(&snapshot.inner, &scope.inner));
    Ok(PyReport::new(evaluated.map_err(core_error)?))
}

/// Scan every account of the caller's AWS Organization (or the named `accounts`) into one report:
/// the library form of `hipaa scan --organization` (`--accounts`, `--ou`, `--shard`).
#[pyfunction]
#[pyo3(signature = (*, profile=None, regions=None, endpoint_url=None, scope=None, progress=None, max_attempts=5, concurrency=32, accounts=None, ous=None, account_concurrency=None, shard=None, retry_mode="standard", service_concurrency=None, framework=None, framework_file=None))]
#[allow(clippy::too_many_arguments)]
pub fn scan_organization(
    py: Python<'_>,
    profile: Option<String>,
    regions: Option<Vec<String>>,
    endpoint_url: Option<String>,
    scope: Option<PyScope>,
    progress: Option<Py<PyAny>>,
    max_attempts: u32,
    concurrency: usize,
    accounts: Option<Vec<String>>,
    ous: Option<Vec<String>>,
    account_concurrency: Option<usize>,
    shard: Option<String>,
    retry_mode: &str,
    service_concurrency: Option<usize>,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<PyReport> {
    let Job {
        mut options,
        scope,
        callback,
    } = Job::new(
        profile,
        regions,
        endpoint_url,
        scope,
        progress,
        max_attempts,
        concurrency,
    );
    let engine = scope.engine_for(&FrameworkChoice {
        id: framework,
        file: framework_file,
    })?;
    options.retry_mode = retry_mode
        .parse()
        .map_err(|e: hipaa_aws::Error| core_error(e.into()))?;
    options.service_concurrency = service_concurrency;
    let shard = shard
        .map(|s| s.parse::<hipaa_core::organization::Shard>())
        .transpose()
        .map_err(core_error)?;
    let options = hipaa_aws::OrganizationOptions {
        scan: options,
        accounts,
        ous: ous.unwrap_or_default(),
        account_concurrency: account_concurrency.unwrap_or(hipaa_aws::DEFAULT_ACCOUNT_CONCURRENCY),
        shard,
    };
    block_on(py, async move {
        let report = with_progress(callback, move |p| async move {
            hipaa_aws::scan_organization(&options, &scope.inner, &engine, p.as_ref()).await
        })
        .await?;
        Ok(PyReport::new(report))
    })
}

/// Merge organization reports of disjoint account sets into one (`hipaa merge`); the
/// organization controls are judged again under `scope`. `prefer` (`newest` or `oldest`) says
/// which report wins an account two of them hold; without it, overlapping reports are refused.
#[pyfunction]
#[pyo3(signature = (reports, scope=None, prefer=None, *, framework=None, framework_file=None))]
pub fn merge<'py>(
    py: Python<'py>,
    reports: Vec<Bound<'py, PyReport>>,
    scope: Option<PyScope>,
    prefer: Option<&str>,
    framework: Option<String>,
    framework_file: Option<PathBuf>,
) -> PyResult<PyReport> {
    use hipaa_core::organization::Prefer;
    let prefer = match prefer {
        None => Prefer::Refuse,
        Some("newest") => Prefer::Newest,
        Some("oldest") => Prefer::Oldest,
        Some(other) => {
            return Err(crate::errors::argument_error(format!(
                "prefer must be `newest` or `oldest`, not `{other}`"
            )))
        }
    };
    let scope = scope.unwrap_or_else(PyScope::default_scope);
    let inputs: Vec<(String, Report)> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("reports[{i}]"), r.get().inner.as_ref().clone()))
        .collect();
    let mut choice = FrameworkChoice {
        id: framework,
        file: framework_file,
    };
    if choice.is_default() {
        choice = hipaa_core::organization::framework_of(&inputs).map_err(core_error)?;
    }
    let engine = scope.engine_for(&choice)?;
    let merged =
        py.detach(|| hipaa_core::organization::merge_owned(&engine, &scope.inner, inputs, prefer));
    Ok(PyReport::new(merged.map_err(core_error)?))
}
