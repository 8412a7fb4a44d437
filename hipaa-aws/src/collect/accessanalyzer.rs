//! IAM Access Analyzer, per region: every analyzer (`ListAnalyzers`). Without the `detection`
//! feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::accessanalyzer::evidence::AccessAnalyzerRegion;

#[cfg(not(feature = "detection"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<AccessAnalyzerRegion>> {
    None
}

#[cfg(feature = "detection")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "detection")]
mod with_sdk {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use hipaa_core::evidence::Unknown;
    use hipaa_core::services::accessanalyzer::evidence::Analyzer;

    const STAGE: &str = "accessanalyzer";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<AccessAnalyzerRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_accessanalyzer, &scan.config, region);
                let analyzers = analyzers(l, &client, &region).await;
                l.tick(STAGE);
                AccessAnalyzerRegion {
                    analyzers: analyzers.into(),
                }
            })
            .await,
        )
    }

    /// Every analyzer of the region, of every type; one without a name or ARN is an answer we
    /// cannot read.
    pub(super) async fn analyzers(
        l: &Ledger<'_>,
        client: &aws_sdk_accessanalyzer::Client,
        region: &str,
    ) -> Result<Vec<Analyzer>, Unknown> {
        const OP: &str = "access-analyzer:ListAnalyzers";
        let mut pages = client.list_analyzers().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for a in page.analyzers() {
                if a.name().is_empty() || a.arn().is_empty() {
                    return Err(l.parse_error(OP, region, "an analyzer without its name or ARN"));
                }
                out.push(Analyzer {
                    name: a.name().to_string(),
                    arn: a.arn().to_string(),
                    kind: a.r#type().as_str().to_string(),
                    status: a.status().as_str().to_string(),
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

#[cfg(all(test, feature = "detection"))]
mod tests {
    //! Recorded responses: moto 5.2 has no Access Analyzer (the fixture answers `ListAnalyzers`
    //! from tests/fixture/moto_ext.py).
    use super::with_sdk::analyzers;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_accessanalyzer::operation::list_analyzers::ListAnalyzersOutput;
    use aws_sdk_accessanalyzer::types::{AnalyzerStatus, AnalyzerSummary, Type};
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    fn summary(name: &str, kind: Type) -> AnalyzerSummary {
        AnalyzerSummary::builder()
            .name(name)
            .arn(format!(
                "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/{name}"
            ))
            .r#type(kind)
            .status(AnalyzerStatus::Active)
            .created_at(aws_smithy_types::DateTime::from_secs(0))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn every_analyzer_is_listed() {
        let l = Ledger::new(4, &NoProgress);
        let listed = mock!(aws_sdk_accessanalyzer::Client::list_analyzers).then_output(|| {
            ListAnalyzersOutput::builder()
                .analyzers(summary("unused", Type::AccountUnusedAccess))
                .analyzers(summary("external", Type::Account))
                .build()
                .unwrap()
        });
        let client = mocked_rules!(aws_sdk_accessanalyzer, [&listed]);
        let got = analyzers(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(
            got.iter()
                .map(|a| (a.name.as_str(), a.kind.as_str(), a.status.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("external", "ACCOUNT", "ACTIVE"),
                ("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")
            ]
        );

        let denied =
            mock!(aws_sdk_accessanalyzer::Client::list_analyzers).then_http_response(|| {
                json_error(403, "AccessDeniedException", "no", "application/json")
            });
        let client = mocked_rules!(aws_sdk_accessanalyzer, [&denied]);
        let u = analyzers(&l, &client, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }
}
