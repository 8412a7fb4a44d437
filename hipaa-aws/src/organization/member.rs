//! One member account of an organization scan: its credentials (the SDK's own assume-role
//! provider, refreshed by the SDK's identity cache for long scans), its snapshot, and its result
//! for the organization report, after which the snapshot is dropped.

use super::Shared;
use crate::ledger::{classify, Ledger};
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::{
    error::CredentialsError, future, ProvideCredentials, SharedCredentialsProvider,
};
use aws_credential_types::Credentials;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_types::SdkConfig;
use hipaa_core::evidence::UnknownReason;
use hipaa_core::organization::{AccountResult, Member};
use hipaa_core::Progress;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// The SDK's assume-role provider, with the credentials it already gave for the up-front check
/// handed out once, so entering an account costs one `AssumeRole`; every later request for
/// credentials (the identity cache's refresh before they expire) goes to the provider.
#[derive(Debug)]
struct Primed {
    first: Mutex<Option<Credentials>>,
    provider: AssumeRoleProvider,
}

impl ProvideCredentials for Primed {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let first = self.first.lock().ok().and_then(|mut f| f.take());
        match first {
            Some(c) => future::ProvideCredentials::ready(Ok(c)),
            None => self.provider.provide_credentials(),
        }
    }
}

/// Why `AssumeRole` failed: STS's own error when the provider kept it, else the chain's text.
fn why(e: &CredentialsError) -> (UnknownReason, String) {
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(sdk) = s.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>() {
            return classify(sdk);
        }
        src = s.source();
    }
    let text = crate::scan::error_chain(e);
    let reason = if text.contains("AccessDenied") || text.contains("not authorized") {
        UnknownReason::AccessDenied
    } else {
        UnknownReason::ServiceError
    };
    (reason, text)
}

/// Credentials for `role_arn`, or why the role cannot be assumed (one `sts:AssumeRole` read).
async fn assume(
    base: &SdkConfig,
    role_arn: &str,
    shared: &Shared,
    ledger: &Ledger<'_>,
) -> Result<SdkConfig, (UnknownReason, String)> {
    let org = &shared.scope.organization;
    let mut builder = AssumeRoleProvider::builder(role_arn)
        .session_name(org.session_name.clone())
        .configure(base);
    if let Some(x) = &org.external_id {
        builder = builder.external_id(x.clone());
    }
    let provider = builder.build().await;
    let first = ledger
        .counted("sts:AssumeRole", provider.provide_credentials())
        .await;
    match first {
        Ok(c) => Ok(base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(Primed {
                first: Mutex::new(Some(c)),
                provider,
            }))
            .build()),
        Err(e) => Err(why(&e)),
    }
}

/// Progress of one account's scan, sent to the organization scan as increments (so a bar shows
/// the whole organization).
pub(crate) struct Tick {
    /// Units finished since the last tick.
    pub done: u64,
    /// Units announced since the last tick.
    pub total: u64,
    /// `ACCOUNT stage`.
    pub stage: String,
}

/// One account's progress, as [`Tick`]s on a channel.
struct Share {
    account: String,
    ticks: UnboundedSender<Tick>,
    done: AtomicU64,
    total: AtomicU64,
}

impl Progress for Share {
    fn update(&self, done: u64, total: u64, stage: &str) {
        let dd = done.saturating_sub(self.done.swap(done, Ordering::Relaxed));
        let dt = total.saturating_sub(self.total.swap(total, Ordering::Relaxed));
        // The organization scan may be gone (cancelled): then nobody is listening.
        let _ = self.ticks.send(Tick {
            done: dd,
            total: dt,
            stage: format!("{} {stage}", self.account),
        });
    }
}

/// Scan one account and reduce it to its result; the snapshot never leaves this function. Owns
/// everything it uses, so each account is a task of its own.
pub(crate) async fn scan_member(
    shared: Arc<Shared>,
    member: Member,
    ticks: UnboundedSender<Tick>,
) -> hipaa_core::Result<AccountResult> {
    let share = Share {
        account: member.id.clone(),
        ticks,
        done: AtomicU64::new(0),
        total: AtomicU64::new(0),
    };
    let ledger = Ledger::with_limits(shared.permits.clone(), shared.service_limit, &share);
    let base = &shared.base;
    let (config, via) = if shared.caller.as_deref() == Some(member.id.as_str()) {
        (base.clone(), "the caller's credentials".to_string())
    } else {
        let role_arn = format!(
            "arn:{}:iam::{}:role/{}",
            shared.partition, member.id, shared.scope.organization.role_name
        );
        match assume(base, &role_arn, &shared, &ledger).await {
            Ok(c) => (c, format!("role `{role_arn}`")),
            Err((reason, detail)) => {
                return shared.engine.unreachable_member(
                    &member,
                    &role_arn,
                    reason,
                    &detail,
                    &shared.partition,
                    &shared.scope,
                    chrono::Utc::now(),
                )
            }
        }
    };
    let organization = shared.view.as_ref().map(|v| v.evidence_for(&member.id));
    let snapshot = Box::pin(shared.source.collect_member(config, ledger, organization)).await;
    let result =
        shared
            .engine
            .evaluate_member(&snapshot, &member, &via, &shared.scope, chrono::Utc::now());
    drop(snapshot);
    result
}
