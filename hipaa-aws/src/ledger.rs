//! Every API read goes through here: counted, bounded by a semaphore, and classified on failure.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use hipaa_core::evidence::{ReadFailure, ReadLog, Unknown, UnknownReason};
use hipaa_core::Progress;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Shared by all collectors of one scan.
#[derive(Clone)]
pub(crate) struct Ledger<'a> {
    inner: Arc<Inner>,
    progress: &'a dyn Progress,
}

struct Inner {
    calls: Mutex<BTreeMap<String, u64>>,
    failures: Mutex<Vec<ReadFailure>>,
    /// Calls in flight, shared by every account of an organization scan.
    permits: Arc<Semaphore>,
    /// Calls in flight per service of this account, when limited.
    per_service: Option<usize>,
    services: Mutex<BTreeMap<String, Arc<Semaphore>>>,
    done: AtomicU64,
    total: AtomicU64,
}

impl<'a> Ledger<'a> {
    pub(crate) fn new(concurrency: usize, progress: &'a dyn Progress) -> Self {
        Ledger::with_limits(Arc::new(Semaphore::new(concurrency)), None, progress)
    }

    /// A ledger whose calls take a slot of `permits` (shared with other accounts' ledgers) and,
    /// with `per_service`, one of that many slots of their service in this account.
    pub(crate) fn with_limits(
        permits: Arc<Semaphore>,
        per_service: Option<usize>,
        progress: &'a dyn Progress,
    ) -> Self {
        Ledger {
            inner: Arc::new(Inner {
                calls: Mutex::new(BTreeMap::new()),
                failures: Mutex::new(Vec::new()),
                permits,
                per_service,
                services: Mutex::new(BTreeMap::new()),
                done: AtomicU64::new(0),
                total: AtomicU64::new(0),
            }),
            progress,
        }
    }

    /// The slots of `op`'s service in this account, when services are limited.
    fn service_slots(&self, op: &str) -> Option<Arc<Semaphore>> {
        let limit = self.inner.per_service?;
        let service = op.split(':').next().unwrap_or(op);
        let mut map = self.inner.services.lock().ok()?;
        Some(
            map.entry(service.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(limit)))
                .clone(),
        )
    }

    /// Wait for a slot of `op`'s service (first, so no shared slot is held while waiting), then
    /// for a shared one; both are released when the guard drops.
    async fn slot(&self, op: &str) -> Slot<'_> {
        let service = match self.service_slots(op) {
            Some(s) => s.acquire_owned().await.ok(),
            None => None,
        };
        let shared = self.inner.permits.acquire().await.ok();
        Slot {
            _service: service,
            _shared: shared,
        }
    }

    /// Announce `n` more units of work.
    pub(crate) fn plan(&self, n: u64, stage: &str) {
        let total = self.inner.total.fetch_add(n, Ordering::Relaxed) + n;
        self.progress
            .update(self.inner.done.load(Ordering::Relaxed), total, stage);
    }

    /// Mark one unit done.
    pub(crate) fn tick(&self, stage: &str) {
        let done = self.inner.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.progress
            .update(done, self.inner.total.load(Ordering::Relaxed), stage);
    }

    /// Await `work`, then mark one unit of `stage` done.
    pub(crate) async fn ticked<T>(&self, stage: &str, work: impl Future<Output = T>) -> T {
        let out = work.await;
        self.tick(stage);
        out
    }

    /// Count one call the SDK makes by itself (a credentials provider's), holding its slots
    /// while it runs; the caller judges the answer.
    pub(crate) async fn counted<T>(&self, op: &str, call: impl Future<Output = T>) -> T {
        let _slot = self.slot(op).await;
        self.count(op);
        call.await
    }

    /// Run one API call. `absent` lists error codes that mean "not configured" (a fact: `Ok(None)`).
    pub(crate) async fn read<T, E, F>(
        &self,
        op: &str,
        resource: &str,
        absent: &[&str],
        call: F,
    ) -> Result<Option<T>, Unknown>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let result = {
            let _slot = self.slot(op).await;
            self.count(op);
            call.await
        };
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let code = e.code().unwrap_or_default().to_string();
                if !code.is_empty() && absent.contains(&code.as_str()) {
                    return Ok(None);
                }
                Err(self.fail(op, resource, classify(&e)))
            }
        }
    }

    /// Like [`Ledger::read`] for calls with no "not configured" answer.
    pub(crate) async fn must<T, E, F>(
        &self,
        op: &str,
        resource: &str,
        call: F,
    ) -> Result<T, Unknown>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match self.read(op, resource, &[], call).await? {
            Some(v) => Ok(v),
            None => Err(self.fail(
                op,
                resource,
                (UnknownReason::ServiceError, "no response".into()),
            )),
        }
    }

    /// Record a failure found after the call (e.g. an unparsable answer).
    pub(crate) fn fail(
        &self,
        op: &str,
        resource: &str,
        (reason, detail): (UnknownReason, String),
    ) -> Unknown {
        if let Ok(mut f) = self.inner.failures.lock() {
            f.push(ReadFailure {
                operation: op.into(),
                resource: resource.into(),
                reason,
                detail: detail.clone(),
                account: None,
            });
        }
        Unknown::new(reason, op, detail)
    }

    /// Record an answer that could not be read (a field every real answer has is missing).
    pub(crate) fn parse_error(&self, op: &str, resource: &str, why: impl Into<String>) -> Unknown {
        self.fail(op, resource, (UnknownReason::ParseError, why.into()))
    }

    fn count(&self, op: &str) {
        if let Ok(mut c) = self.inner.calls.lock() {
            *c.entry(op.to_string()).or_insert(0) += 1;
        }
    }

    /// Count one page of a paginated call (the paginator makes the request itself).
    pub(crate) async fn page<T, E>(
        &self,
        op: &str,
        resource: &str,
        next: impl Future<Output = Option<Result<T, SdkError<E, HttpResponse>>>>,
    ) -> Result<Option<T>, Unknown>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let r = {
            let _slot = self.slot(op).await;
            next.await
        };
        match r {
            None => Ok(None),
            Some(Ok(v)) => {
                self.count(op);
                Ok(Some(v))
            }
            Some(Err(e)) => {
                self.count(op);
                Err(self.fail(op, resource, classify(&e)))
            }
        }
    }

    /// Every page of a call that pages by a token of its own (no SDK paginator), one counted
    /// call each; an answer that hands back the token it was given is broken, not endless.
    pub(crate) async fn token_pages<O, E, Fut>(
        &self,
        op: &str,
        resource: &str,
        call: impl Fn(Option<String>) -> Fut,
        next: impl Fn(&O) -> Option<&str>,
    ) -> Result<Vec<O>, Unknown>
    where
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self.must(op, resource, call(token.clone())).await?;
            let following = next(&page).filter(|t| !t.is_empty()).map(str::to_string);
            out.push(page);
            match following {
                Some(t) if token.as_deref() == Some(t.as_str()) => {
                    return Err(self.parse_error(op, resource, "the same page token twice"))
                }
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// The ledger as recorded in the snapshot.
    pub(crate) fn log(&self) -> ReadLog {
        let calls = self
            .inner
            .calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default();
        let mut failures = self
            .inner
            .failures
            .lock()
            .map(|f| f.clone())
            .unwrap_or_default();
        failures.sort_by(|a, b| (&a.operation, &a.resource).cmp(&(&b.operation, &b.resource)));
        ReadLog { calls, failures }
    }
}

/// The slots one call holds while it runs.
struct Slot<'s> {
    _service: Option<tokio::sync::OwnedSemaphorePermit>,
    _shared: Option<tokio::sync::SemaphorePermit<'s>>,
}

/// Map an SDK error to an unknown-fact reason and a detail (the service's code and message only).
pub(crate) fn classify<E>(e: &SdkError<E, HttpResponse>) -> (UnknownReason, String)
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match e {
        SdkError::DispatchFailure(d) => {
            let what = if d.is_timeout() {
                "timed out"
            } else if d.is_io() {
                "connection failed"
            } else {
                "request could not be sent"
            };
            (
                UnknownReason::Unreachable,
                format!("{what}: {}", source_chain(e)),
            )
        }
        SdkError::TimeoutError(_) => (UnknownReason::Unreachable, "timed out".into()),
        SdkError::ResponseError(_) => (
            UnknownReason::ParseError,
            format!("unreadable response: {}", source_chain(e)),
        ),
        SdkError::ConstructionFailure(_) => (
            UnknownReason::ServiceError,
            format!("request could not be built: {}", source_chain(e)),
        ),
        // No error code: a server failure or throttling by its HTTP status, else an answer we
        // could not read.
        _ if e.code().is_none() => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let reason = match status {
                Some(429) => UnknownReason::Throttled,
                Some(s) if s >= 500 => UnknownReason::ServiceError,
                _ => UnknownReason::ParseError,
            };
            let detail = match status {
                Some(s) if reason != UnknownReason::ParseError => {
                    format!("HTTP {s} without an error code: {}", source_chain(e))
                }
                _ => format!("unexpected response: {}", source_chain(e)),
            };
            (reason, detail)
        }
        _ => {
            let code = e.code().unwrap_or("Unknown");
            let msg = e.message().unwrap_or("");
            let reason = match code {
                "AccessDenied"
                | "AccessDeniedException"
                | "UnauthorizedOperation"
                | "AuthorizationError"
                | "UnauthorizedAccess"
                | "InvalidClientTokenId"
                | "UnrecognizedClientException"
                | "ExpiredToken"
                | "ExpiredTokenException"
                | "SignatureDoesNotMatch"
                | "InvalidAccessKeyId"
                | "AllAccessDisabled" => UnknownReason::AccessDenied,
                "Throttling"
                | "ThrottlingException"
                | "TooManyRequestsException"
                | "SlowDown"
                | "RequestLimitExceeded"
                | "RequestThrottled"
                | "RequestThrottledException"
                | "LimitExceededException" => UnknownReason::Throttled,
                "OptInRequired" | "InvalidRegion" | "AuthFailure.RegionDisabled" => {
                    UnknownReason::RegionDisabled
                }
                _ => UnknownReason::ServiceError,
            };
            let detail = if msg.is_empty() {
                code.to_string()
            } else {
                format!("{code}: {msg}")
            };
            (reason, detail)
        }
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    type E = SdkError<GetBucketPolicyError, Response>;

    fn service(code: Option<&str>, status: u16) -> E {
        let mut meta = ErrorMetadata::builder().message("from the service");
        if let Some(c) = code {
            meta = meta.code(c);
        }
        let raw = Response::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        SdkError::service_error(GetBucketPolicyError::generic(meta.build()), raw)
    }

    #[test]
    fn service_errors_are_classified_by_code() {
        for (code, want) in [
            ("AccessDenied", UnknownReason::AccessDenied),
            ("AccessDeniedException", UnknownReason::AccessDenied),
            ("ExpiredToken", UnknownReason::AccessDenied),
            ("SlowDown", UnknownReason::Throttled),
            ("ThrottlingException", UnknownReason::Throttled),
            ("OptInRequired", UnknownReason::RegionDisabled),
            ("InternalError", UnknownReason::ServiceError),
        ] {
            let (reason, detail) = classify(&service(Some(code), 403));
            assert_eq!(reason, want, "{code}");
            assert!(detail.starts_with(code), "{detail}");
        }
    }

    #[test]
    fn answers_without_an_error_code_are_classified_by_status() {
        assert_eq!(classify(&service(None, 200)).0, UnknownReason::ParseError);
        assert_eq!(classify(&service(None, 404)).0, UnknownReason::ParseError);
        assert_eq!(classify(&service(None, 500)).0, UnknownReason::ServiceError);
        assert_eq!(classify(&service(None, 503)).0, UnknownReason::ServiceError);
        assert_eq!(classify(&service(None, 429)).0, UnknownReason::Throttled);
    }

    #[test]
    fn transport_failures_are_unreachable() {
        let e: E = SdkError::dispatch_failure(ConnectorError::io("connection refused".into()));
        assert_eq!(classify(&e).0, UnknownReason::Unreachable);
        let e: E = SdkError::timeout_error("slow");
        assert_eq!(classify(&e).0, UnknownReason::Unreachable);
    }

    #[tokio::test]
    async fn one_service_of_an_account_gets_at_most_its_slots() {
        use std::sync::atomic::AtomicUsize;
        let shared = Arc::new(Semaphore::new(8));
        let ledger = Ledger::with_limits(shared.clone(), Some(2), &hipaa_core::NoProgress);
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let call = |op: &'static str| {
            let (now, peak, ledger) = (now.clone(), peak.clone(), ledger.clone());
            async move {
                ledger
                    .must(op, "", async {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(n, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        Ok::<(), E>(())
                    })
                    .await
            }
        };
        futures::future::join_all((0..10).map(|_| call("s3:GetBucketPolicy"))).await;
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        // Another service of the same account is not held back by it.
        peak.store(0, Ordering::SeqCst);
        let mixed = (0..6).map(|i| {
            call(if i % 2 == 0 {
                "s3:GetBucketAcl"
            } else {
                "kms:GetKeyPolicy"
            })
        });
        futures::future::join_all(mixed).await;
        assert_eq!(peak.load(Ordering::SeqCst), 4);
        assert_eq!(shared.available_permits(), 8);
    }

    #[tokio::test]
    async fn not_configured_codes_are_facts_and_failures_are_logged() {
        let ledger = Ledger::new(4, &hipaa_core::NoProgress);
        let absent = ledger
            .read("s3:GetBucketPolicy", "b", &["NoSuchBucketPolicy"], async {
                Err::<(), E>(service(Some("NoSuchBucketPolicy"), 404))
            })
            .await;
        assert_eq!(absent, Ok(None));
        let denied = ledger
            .read("s3:GetBucketPolicy", "c", &["NoSuchBucketPolicy"], async {
                Err::<(), E>(service(Some("AccessDenied"), 403))
            })
            .await;
        assert_eq!(denied.unwrap_err().reason, UnknownReason::AccessDenied);
        let ok = ledger
            .must("s3:GetBucketPolicy", "d", async { Ok::<u8, E>(7) })
            .await;
        assert_eq!(ok, Ok(7));
        let log = ledger.log();
        assert_eq!(log.calls["s3:GetBucketPolicy"], 3);
        assert_eq!(log.failures.len(), 1);
        assert_eq!(log.failures[0].resource, "c");
    }
}
