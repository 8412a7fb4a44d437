//! The AWS evidence source: one scan of one account, every service collected concurrently.

mod backup;
mod governance;
mod iam;
mod kms;
mod logging;
#[cfg(test)]
mod mocks;
mod network;
mod s3;

use crate::config::ScanOptions;
use crate::ledger::Ledger;
use async_trait::async_trait;
use aws_types::SdkConfig;
use chrono::Utc;
use hipaa_core::evidence::network::{region_in_partition, AccountRegion};
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
#[derive(Clone)]
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
        let home = self.options.home_region(&config);
        let ledger = Ledger::new(self.options.concurrency, progress);
        let base = Scan {
            config,
            regions: vec![home.clone()],
            local_endpoint: self.options.endpoint_url.clone(),
            ledger,
        };
        // IAM is global and needs nothing else, so it starts at once. The regional collectors wait
        // for the account's region list (which regions exist and are enabled) and STS (the account
        // id names the account-level Block Public Access setting and the SCP targets, the
        // partition the ARNs and which listed regions are this account's).
        let regional = async {
            let ((account, partition), listed) =
                tokio::join!(identity(&base), network::account_regions(&base));
            let (requested, to_scan) =
                choose_regions(&self.options.regions, &listed, &partition, &home);
            let scan = Scan {
                regions: to_scan,
                ..base.clone()
            };
            let (s3, gov, kms, logging, backup, network) = tokio::join!(
                s3::collect(&scan, &account, &partition),
                governance::collect(&scan, &account, &partition),
                kms::collect(&scan),
                logging::collect(&scan),
                backup::collect(&scan),
                network::collect(&scan),
            );
            Regional {
                account,
                partition,
                requested,
                listed,
                s3,
                gov,
                kms,
                logging,
                backup,
                network,
            }
        };
        let (iam, r) = tokio::join!(iam::collect(&base), regional);
        let source = match &self.options.endpoint_url {
            Some(u) => format!("aws endpoint {u}"),
            None => "aws".to_string(),
        };
        Ok(Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            taken_at: Utc::now(),
            source,
            partition: r.partition,
            account: r.account,
            regions: r.requested,
            account_regions: r.listed,
            s3: r.s3,
            kms: r.kms,
            iam,
            agreements: r.gov.agreements,
            organizations: r.gov.organizations,
            inventory: r.gov.inventory,
            logging: r.logging,
            backup: r.backup,
            network: r.network,
            reads: base.ledger.log(),
        })
    }
}

/// What the regional half of a scan found.
struct Regional {
    account: Fact<String>,
    partition: String,
    requested: Vec<String>,
    listed: Fact<Vec<AccountRegion>>,
    s3: hipaa_core::evidence::s3::S3Evidence,
    gov: governance::Governance,
    kms: hipaa_core::evidence::kms::KmsEvidence,
    logging: Fact<Vec<hipaa_core::evidence::logging::LoggingRegion>>,
    backup: Fact<Vec<hipaa_core::evidence::backup::BackupRegion>>,
    network: Fact<Vec<hipaa_core::evidence::network::NetworkRegion>>,
}

/// The regions the snapshot reports (`requested`) and the ones actually read (`to_scan`).
///
/// Named regions are all reported, but one the account has not enabled is never called: its
/// facts stay unknown with the reason. With none named, every enabled region of the partition is
/// scanned; if the list is unknown, only the configured region is (and `scope.regions_scanned`
/// says so as ERROR).
fn choose_regions(
    named: &[String],
    listed: &Fact<Vec<AccountRegion>>,
    partition: &str,
    home: &str,
) -> (Vec<String>, Vec<String>) {
    let known = listed.known();
    if !named.is_empty() {
        let mut requested: Vec<String> = Vec::new();
        for r in named {
            if !requested.contains(r) {
                requested.push(r.clone());
            }
        }
        let disabled = |r: &String| {
            known.is_some_and(|l| l.iter().any(|a| &a.name == r && !a.opt_in.enabled()))
        };
        let to_scan = requested.iter().filter(|r| !disabled(r)).cloned().collect();
        return (requested, to_scan);
    }
    let enabled: Vec<String> = known
        .map(|l| {
            l.iter()
                .filter(|a| a.opt_in.enabled() && region_in_partition(&a.name, partition))
                .map(|a| a.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let chosen = if enabled.is_empty() {
        vec![home.to_string()]
    } else {
        enabled
    };
    (chosen.clone(), chosen)
}

/// Convert the SDK's timestamp to chrono.
pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<Utc>> {
    chrono::DateTime::<Utc>::from_timestamp(t.secs(), t.subsec_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipaa_core::evidence::network::RegionOptIn;
    use hipaa_core::evidence::{Unknown, UnknownReason};

    fn listed() -> Fact<Vec<AccountRegion>> {
        Fact::Known(
            [
                ("ap-east-1", RegionOptIn::NotOptedIn),
                ("cn-north-1", RegionOptIn::NotRequired),
                ("eu-south-2", RegionOptIn::OptedIn),
                ("us-east-1", RegionOptIn::NotRequired),
            ]
            .into_iter()
            .map(|(n, o)| AccountRegion {
                name: n.into(),
                opt_in: o,
            })
            .collect(),
        )
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_enabled_region_of_the_partition_by_default() {
        let (req, scan) = choose_regions(&[], &listed(), "aws", "us-east-1");
        assert_eq!(req, names(&["eu-south-2", "us-east-1"]));
        assert_eq!(scan, req);
    }

    #[test]
    fn named_regions_are_kept_but_disabled_ones_are_not_called() {
        let named = names(&["us-east-1", "ap-east-1", "us-east-1", "us-west-9"]);
        let (req, scan) = choose_regions(&named, &listed(), "aws", "us-east-1");
        assert_eq!(req, names(&["us-east-1", "ap-east-1", "us-west-9"]));
        assert_eq!(scan, names(&["us-east-1", "us-west-9"]));
    }

    #[test]
    fn an_unknown_region_list_scans_the_configured_region() {
        let unknown = Fact::Unknown(Unknown::new(
            UnknownReason::AccessDenied,
            "ec2:DescribeRegions",
            "denied",
        ));
        let (req, scan) = choose_regions(&[], &unknown, "aws", "eu-west-1");
        assert_eq!((req, scan), (names(&["eu-west-1"]), names(&["eu-west-1"])));
        let named = names(&["ap-east-1"]);
        let (_, scan) = choose_regions(&named, &unknown, "aws", "eu-west-1");
        assert_eq!(scan, named);
    }
}
