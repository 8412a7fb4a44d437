//! The AWS evidence source: one scan of one account, every service collected concurrently.

mod backup;
mod governance;
mod iam;
mod kms;
mod logging;
mod s3;

use crate::config::ScanOptions;
use crate::ledger::Ledger;
use async_trait::async_trait;
use aws_types::SdkConfig;
use chrono::Utc;
use hipaa_core::evidence::{Fact, Snapshot, SNAPSHOT_SCHEMA_VERSION};
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

/// What every collector needs: the shared config, the scan's regions and the ledger.
pub(crate) struct Scan<'a> {
    pub config: SdkConfig,
    pub regions: Vec<String>,
    pub local_endpoint: Option<String>,
    pub ledger: Ledger<'a>,
}

/// The account id and partition, from STS.
async fn identity(scan: &Scan<'_>) -> (Fact<String>, String) {
    let ledger = &scan.ledger;
    ledger.plan(1, "identity");
    let sts = aws_sdk_sts::Client::new(&scan.config);
    let identity = ledger
        .must(
            "sts:GetCallerIdentity",
            "",
            sts.get_caller_identity().send(),
        )
        .await;
    ledger.tick("identity");
    match identity {
        Ok(out) => {
            let partition = out
                .arn()
                .and_then(|a| a.split(':').nth(1))
                .unwrap_or("aws")
                .to_string();
            match out.account() {
                Some(a) => (Fact::Known(a.to_string()), partition),
                None => {
                    let u = ledger.fail(
                        "sts:GetCallerIdentity",
                        "",
                        (
                            hipaa_core::UnknownReason::ParseError,
                            "no account in the answer".into(),
                        ),
                    );
                    (Fact::Unknown(u), partition)
                }
            }
        }
        Err(u) => (Fact::Unknown(u), "aws".to_string()),
    }
}

#[async_trait]
impl EvidenceSource for AwsSource {
    async fn collect(&self, progress: &dyn Progress) -> hipaa_core::Result<Snapshot> {
        let config = self.options.sdk_config().await?;
        // Without credentials every call would fail the same way: that is not an incomplete scan
        // of an account, it is no scan. (Expired or denied credentials still give ERROR findings.)
        match config.credentials_provider() {
            None => {
                return Err(crate::Error::Credentials(
                    "no credentials provider is configured".into(),
                )
                .into())
            }
            Some(p) => {
                use aws_credential_types::provider::ProvideCredentials;
                if let Err(e) = p.provide_credentials().await {
                    let mut detail = e.to_string();
                    let mut src = std::error::Error::source(&e);
                    while let Some(s) = src {
                        detail = format!("{detail}: {s}");
                        src = s.source();
                    }
                    return Err(crate::Error::Credentials(detail).into());
                }
            }
        }
        let regions = self.options.scan_regions(&config);
        let ledger = Ledger::new(self.options.concurrency, progress);
        let scan = Scan {
            config,
            regions,
            local_endpoint: self.options.endpoint_url.clone(),
            ledger,
        };
        // KMS, IAM, logging and backup need no account id, so they start at once; S3 waits for STS (the account
        // id names the account-level Block Public Access setting, the partition the bucket ARNs).
        // Organizations needs the account id too (its parents and SCPs).
        let after_identity = async {
            let (account, partition) = identity(&scan).await;
            let (s3, gov) = tokio::join!(
                s3::collect(&scan, &account, &partition),
                governance::collect(&scan, &account, &partition)
            );
            (account, partition, s3, gov)
        };
        let ((account, partition, s3, gov), kms, iam, logging, backup) = tokio::join!(
            after_identity,
            kms::collect(&scan),
            iam::collect(&scan),
            logging::collect(&scan),
            backup::collect(&scan),
        );
        let source = match &self.options.endpoint_url {
            Some(u) => format!("aws endpoint {u}"),
            None => "aws".to_string(),
        };
        Ok(Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            taken_at: Utc::now(),
            source,
            partition,
            account,
            regions: scan.regions.clone(),
            s3,
            kms,
            iam,
            agreements: gov.agreements,
            organizations: gov.organizations,
            inventory: gov.inventory,
            logging,
            backup,
            reads: scan.ledger.log(),
        })
    }
}

/// Convert the SDK's timestamp to chrono.
pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<Utc>> {
    chrono::DateTime::<Utc>::from_timestamp(t.secs(), t.subsec_nanos())
}
