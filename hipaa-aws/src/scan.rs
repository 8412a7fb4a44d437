//! One scan of one account: the shared SDK configuration, the regions, the ledger, and every
//! service collector, each started as soon as what it needs is known.

use crate::account;
use crate::collect;
use crate::config::ScanOptions;
use crate::ledger::Ledger;
use async_trait::async_trait;
use aws_types::SdkConfig;
use chrono::Utc;
use hipaa_core::evidence::{Fact, Provenance, Snapshot, SNAPSHOT_SCHEMA_VERSION};
use hipaa_core::services::org::evidence::OrganizationsEvidence;
use hipaa_core::{EvidenceSource, Progress};

/// Collects evidence from a live AWS account (or a local emulator) with read-only calls.
#[derive(Debug, Clone, Default)]
pub struct AwsSource {
    /// How to reach AWS.
    pub options: ScanOptions,
}

impl AwsSource {
    /// A source with these options.
    pub fn new(options: ScanOptions) -> Self {
        AwsSource { options }
    }
}

/// What every collector needs: the shared config, the scan's regions, the account and the ledger.
#[derive(Clone)]
pub(crate) struct Scan<'a> {
    pub config: SdkConfig,
    pub regions: Vec<String>,
    pub local_endpoint: Option<String>,
    pub ledger: Ledger<'a>,
    /// The account id (unknown until STS answers, and for the collectors started before it).
    pub account: Fact<String>,
    /// The partition (`aws` until STS answers).
    pub partition: String,
    /// In an organization scan: the account's Organizations evidence, from the management
    /// account's view (members cannot read their own parents or SCPs).
    pub organization: Option<std::sync::Arc<OrganizationsEvidence>>,
}

#[async_trait]
impl EvidenceSource for AwsSource {
    async fn collect(&self, progress: &dyn Progress) -> hipaa_core::Result<Snapshot> {
        let config = self.options.sdk_config().await?;
        check_credentials(&config).await?;
        let ledger = Ledger::new(self.options.concurrency, progress);
        Ok(self.collect_with(config, ledger).await)
    }
}

/// Without credentials every call would fail the same way: that is not an incomplete scan of an
/// account, it is no scan. (Expired or denied credentials still give ERROR findings.)
pub(crate) async fn check_credentials(config: &SdkConfig) -> Result<(), crate::Error> {
    match config.credentials_provider() {
        None => Err(crate::Error::Credentials(
            "no credentials provider is configured".into(),
        )),
        Some(p) => {
            use aws_credential_types::provider::ProvideCredentials;
            p.provide_credentials()
                .await
                .map(|_| ())
                .map_err(|e| crate::Error::Credentials(error_chain(&e)))
        }
    }
}

/// An error and every error beneath it, joined.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut detail = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        detail = format!("{detail}: {s}");
        src = s.source();
    }
    detail
}

impl AwsSource {
    /// Collect one account's evidence with this configuration (its credentials already
    /// checked), every call going through `ledger`.
    pub(crate) async fn collect_with(&self, config: SdkConfig, ledger: Ledger<'_>) -> Snapshot {
        // Boxed, so the callers' frames on a worker thread's stack stay small.
        Box::pin(self.collect_member(config, ledger, None)).await
    }

    /// [`AwsSource::collect_with`], with the account's Organizations evidence given (from an
    /// organization scan's view) instead of read.
    pub(crate) async fn collect_member(
        &self,
        config: SdkConfig,
        ledger: Ledger<'_>,
        organization: Option<OrganizationsEvidence>,
    ) -> Snapshot {
        let home = self.options.home_region(&config);
        let base = Scan {
            config,
            regions: vec![home.clone()],
            local_endpoint: self.options.endpoint_url.clone(),
            ledger,
            account: Fact::Unknown(hipaa_core::evidence::Unknown::new(
                hipaa_core::evidence::UnknownReason::NotCollected,
                "sts:GetCallerIdentity",
                "not yet read",
            )),
            partition: "aws".into(),
            organization: organization.map(std::sync::Arc::new),
        };
        // IAM is global and needs nothing else, so it starts at once. The regional collectors wait
        // for the account's region list (which regions exist and are enabled) and STS (the account
        // id names the account-level Block Public Access setting and the SCP targets, the
        // partition the ARNs and which listed regions are this account's).
        let regional = async {
            let ((account, partition), listed) =
                tokio::join!(account::identity(&base), account::regions(&base));
            let (requested, to_scan) =
                account::choose_regions(&self.options.regions, &listed, &partition, &home);
            let scan = Scan {
                regions: to_scan,
                account,
                partition,
                ..base.clone()
            };
            let services = collect::regional(&scan).await;
            (scan, requested, listed, services)
        };
        let (early, (scan, requested, listed, mut services)) =
            tokio::join!(Box::pin(collect::early(&base)), Box::pin(regional));
        collect::merge(&mut services, early);
        Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            taken_at: Utc::now(),
            provenance: Provenance::Live {
                endpoint: self.options.endpoint_url.clone(),
            },
            partition: scan.partition,
            account: scan.account,
            regions: requested,
            account_regions: listed,
            services,
            reads: base.ledger.log(),
        }
    }
}
