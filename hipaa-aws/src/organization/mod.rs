//! Organization scans: every account of an AWS Organization (or every named account) in one
//! run, each reached through the SDK's assume-role provider, each isolated (an account that cannot
//! be entered is ERROR, the others are still scanned), within shared limits, and streamed: an
//! account's snapshot is evaluated and dropped as soon as it is complete, so memory grows with
//! findings, not with evidence. What to do with the results is `hipaa_core::organization`'s.

mod discover;
mod member;

use crate::config::ScanOptions;
use crate::ledger::Ledger;
use crate::scan::{check_credentials, AwsSource};
use chrono::Utc;
use hipaa_core::organization::{AccountResult, AccountScan, Discovery, Plan, ScanFacts, Shard};
use hipaa_core::services::org::evidence::OrganizationView;
use hipaa_core::{Engine, Progress, Report, Scope};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// What an organization scan reads and how hard it pushes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationOptions {
    /// How to reach AWS; `concurrency` bounds the calls in flight over every account together.
    pub scan: ScanOptions,
    /// Scan these accounts without AWS Organizations (`--accounts`); `None`: every account of
    /// the caller's organization.
    pub accounts: Option<Vec<String>>,
    /// Only accounts under these OUs (and their children), with the scope file's `ous`.
    pub ous: Vec<String>,
    /// Accounts scanned at once.
    pub account_concurrency: usize,
    /// Scan only this shard's accounts (`--shard I/N`).
    pub shard: Option<Shard>,
}

/// Accounts at once by default: enough to keep `concurrency` calls busy on one machine, few
/// enough that the snapshots being collected at one time stay small.
pub const DEFAULT_ACCOUNT_CONCURRENCY: usize = 4;

impl Default for OrganizationOptions {
    fn default() -> Self {
        OrganizationOptions {
            scan: ScanOptions::default(),
            accounts: None,
            ous: Vec::new(),
            account_concurrency: DEFAULT_ACCOUNT_CONCURRENCY,
            shard: None,
        }
    }
}

impl OrganizationOptions {
    fn validate(&self) -> Result<(), crate::Error> {
        if self.account_concurrency == 0 {
            return Err(crate::Error::Config(
                "account concurrency must be at least 1".into(),
            ));
        }
        if let Some(ids) = &self.accounts {
            if ids.is_empty() {
                return Err(crate::Error::Config("`--accounts` names no account".into()));
            }
            if let Some(bad) = ids.iter().find(|a| !hipaa_core::scope::is_account_id(a)) {
                return Err(crate::Error::Config(format!(
                    "account id `{bad}` is not 12 digits"
                )));
            }
        }
        if let Some(bad) = self
            .ous
            .iter()
            .find(|o| !hipaa_core::scope::is_parent_id(o))
        {
            return Err(crate::Error::Config(format!(
                "`{bad}` is not an OU id (`ou-…`) or a root id (`r-…`)"
            )));
        }
        Ok(())
    }

    /// Calls in flight per service of one account: the scan's own setting, else an even share
    /// of `concurrency` among the accounts scanned at once (at least 2).
    fn service_limit(&self) -> usize {
        self.scan.service_concurrency.unwrap_or_else(|| {
            self.scan
                .concurrency
                .div_ceil(self.account_concurrency.max(1))
                .max(2)
        })
    }
}

/// What every account's scan shares (owned: each account is a task of its own).
pub(crate) struct Shared {
    pub engine: Engine,
    pub scope: Scope,
    /// The management account's view, when AWS Organizations was read and knows the organization.
    pub view: Option<OrganizationView>,
    pub source: AwsSource,
    /// The caller's configuration (and credentials).
    pub base: aws_types::SdkConfig,
    pub permits: Arc<Semaphore>,
    pub service_limit: Option<usize>,
    pub caller: Option<String>,
    pub partition: String,
}

/// Scan every account of the caller's organization (or the named accounts) and evaluate them
/// into one report. An account whose role cannot be assumed, or whose reads fail, gives ERROR
/// findings; the others are scanned all the same. Fails only when no account can be listed.
pub async fn scan_organization(
    options: &OrganizationOptions,
    scope: &Scope,
    engine: &Engine,
    progress: &dyn Progress,
) -> hipaa_core::Result<Report> {
    options.validate()?;
    let mut scan_options = options.scan.clone();
    if scan_options.regions.is_empty() {
        scan_options.regions = scope.regions.clone();
    }
    let base = scan_options.sdk_config().await?;
    check_credentials(&base).await?;
    // The caller's identity and the view take the same shared limits as every account.
    let permits = Arc::new(Semaphore::new(scan_options.concurrency));
    let view_ledger = Ledger::with_limits(permits.clone(), None, progress);
    let (caller, partition) = {
        let stub = crate::scan::Scan {
            config: base.clone(),
            regions: Vec::new(),
            local_endpoint: scan_options.endpoint_url.clone(),
            ledger: view_ledger.clone(),
            account: hipaa_core::Fact::Unknown(hipaa_core::Unknown::new(
                hipaa_core::UnknownReason::NotCollected,
                "sts:GetCallerIdentity",
                "not yet read",
            )),
            partition: "aws".into(),
            organization: None,
        };
        let (account, partition) = crate::account::identity(&stub).await;
        (account.known().cloned(), partition)
    };
    let view_taken_at = Utc::now();
    let (discovery, view, plan) = match &options.accounts {
        Some(ids) => (
            Discovery::Named,
            OrganizationView::not_read(
                "the accounts were named (`--accounts`); AWS Organizations was not read",
            ),
            Plan::named(ids, scope, options.shard),
        ),
        None => {
            let view = discover::view(&base, &partition, &view_ledger).await;
            if let Err(u) = view.accounts.get() {
                return Err(crate::Error::Credentials(format!(
                    "cannot list the organization's accounts (run the scan from the management account or a delegated administrator, or name them with --accounts): {u}"
                ))
                .into());
            }
            let plan = Plan::organization(&view, scope, &options.ous, options.shard);
            (Discovery::Organization, view, plan)
        }
    };
    let known = view.organization.known().is_some_and(|o| o.is_some());
    let shared = Arc::new(Shared {
        engine: engine.clone(),
        scope: scope.clone(),
        view: known.then(|| view.clone()),
        source: AwsSource::new(scan_options.clone()),
        base,
        permits,
        service_limit: Some(options.service_limit()),
        caller: caller.clone(),
        partition: partition.clone(),
    });
    let results = scan_members(shared, &plan, options.account_concurrency, progress).await?;
    let facts = ScanFacts {
        discovery,
        partition,
        caller,
        role_name: scope.organization.role_name.clone(),
        view,
        view_taken_at,
        view_reads: view_ledger.log(),
        shard: options.shard,
        source: hipaa_core::evidence::Provenance::Live {
            endpoint: scan_options.endpoint_url.clone(),
        }
        .label(),
    };
    engine.organization_report(facts, results, plan.skipped, scope, Utc::now())
}

/// Scan the plan's accounts, `at_once` at a time, each a task of its own (so its scan is polled
/// from the bottom of a worker's stack, not beneath this one), forwarding their progress.
/// Dropping the returned future aborts every account still running.
async fn scan_members(
    shared: Arc<Shared>,
    plan: &Plan,
    at_once: usize,
    progress: &dyn Progress,
) -> hipaa_core::Result<Vec<AccountResult>> {
    let (ticks, mut incoming) = tokio::sync::mpsc::unbounded_channel::<member::Tick>();
    let mut running = tokio::task::JoinSet::new();
    let mut names = std::collections::BTreeMap::new();
    let mut pending = plan.scan.iter();
    let count = plan.scan.len() as u64;
    let (mut done, mut total, mut finished) = (0u64, 0u64, 0u64);
    let mut results = Vec::with_capacity(plan.scan.len());
    loop {
        while running.len() < at_once.max(1) {
            let Some(m) = pending.next() else { break };
            progress.account(&m.id, "started", finished, count);
            let task = running.spawn(member::scan_member(
                shared.clone(),
                m.clone(),
                ticks.clone(),
            ));
            names.insert(task.id(), m.id.clone());
        }
        tokio::select! {
            Some(t) = incoming.recv() => {
                done += t.done;
                total += t.total;
                progress.update(done, total, &t.stage);
            }
            joined = running.join_next_with_id() => {
                let (id, result) = match joined {
                    None => break,
                    Some(Ok((id, r))) => (id, r),
                    Some(Err(e)) => {
                        let account = names.get(&e.id()).cloned().unwrap_or_default();
                        return Err(hipaa_core::Error::Source(format!(
                            "the scan of account `{account}` stopped: {e}"
                        )));
                    }
                };
                let account = names.remove(&id).unwrap_or_default();
                let result = result?;
                finished += 1;
                let state = match result.entry.scan {
                    AccountScan::Unreachable { .. } => "unreachable",
                    _ => "scanned",
                };
                progress.account(&account, state, finished, count);
                results.push(result);
            }
        }
    }
    while let Ok(t) = incoming.try_recv() {
        done += t.done;
        total += t.total;
        progress.update(done, total, &t.stage);
    }
    Ok(results)
}
