//! AWS Artifact: the agreements the account accepted (the BAA among them), read from the
//! partition's global region.

use crate::clients::client_in;
use crate::regional::{global_region, to_chrono};
use crate::scan::Scan;
use hipaa_core::evidence::{Fact, Unknown};
use hipaa_core::services::baa::evidence::{Agreement, Artifact};

const STAGE: &str = "artifact";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Artifact> {
    let client = client_in!(
        aws_sdk_artifact,
        &scan.config,
        global_region(&scan.partition)
    );
    Some(Artifact {
        agreements: agreements(scan, &client).await,
    })
}

async fn agreements(scan: &Scan<'_>, client: &aws_sdk_artifact::Client) -> Fact<Vec<Agreement>> {
    let l = &scan.ledger;
    l.plan(1, STAGE);
    let mut pages = client.list_customer_agreements().into_paginator().send();
    let mut out = Vec::new();
    let r: Result<(), Unknown> = async {
        while let Some(page) = l
            .page("artifact:ListCustomerAgreements", "", pages.next())
            .await?
        {
            for a in page.customer_agreements() {
                out.push(Agreement {
                    id: a.id().unwrap_or_default().to_string(),
                    name: a.name().unwrap_or_default().to_string(),
                    arn: a.arn().unwrap_or_default().to_string(),
                    state: a
                        .state()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    kind: a
                        .r#type()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    account: a.aws_account_id().map(str::to_string),
                    organization_arn: a.organization_arn().map(str::to_string),
                    effective_start: a.effective_start().and_then(to_chrono),
                    effective_end: a.effective_end().and_then(to_chrono),
                });
            }
        }
        Ok(())
    }
    .await;
    l.tick(STAGE);
    r.map(|()| out).into()
}

#[cfg(test)]
mod tests {
    //! Recorded responses: AWS Artifact has no moto implementation outside tests/fixture/moto_ext.py.
    use super::*;
    use crate::collect::mocks::{json_error, mocked, scan};
    use crate::ledger::Ledger;
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn artifact_agreements_are_read_and_a_denied_read_stays_unknown() {
        use aws_sdk_artifact::operation::list_customer_agreements::ListCustomerAgreementsOutput;
        use aws_sdk_artifact::types::{
            AgreementType, CustomerAgreementState, CustomerAgreementSummary,
        };
        let listed = mock!(aws_sdk_artifact::Client::list_customer_agreements).then_output(|| {
            ListCustomerAgreementsOutput::builder()
                .customer_agreements(
                    CustomerAgreementSummary::builder()
                        .id("customer-agreement-aaaaaaaaaaaaaaaa")
                        .name("AWS Business Associate Addendum")
                        .arn("arn:aws:artifact::123456789012:customer-agreement/customer-agreement-aaaaaaaaaaaaaaaa")
                        .aws_account_id("123456789012")
                        .state(CustomerAgreementState::Active)
                        .r#type(AgreementType::Default)
                        .effective_start(aws_smithy_types::DateTime::from_secs(1_768_435_200))
                        .build(),
                )
                .build()
                .unwrap()
        });
        let client = mocked!(aws_sdk_artifact, &listed);
        let s = scan(Ledger::new(4, &NoProgress));
        let got = agreements(&s, &client).await;
        let list = got.get().unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].is_baa() && list[0].is_active());
        assert_eq!(list[0].account.as_deref(), Some("123456789012"));
        assert_eq!(
            list[0]
                .effective_start
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-01-15")
        );

        let denied =
            mock!(aws_sdk_artifact::Client::list_customer_agreements).then_http_response(|| {
                json_error(
                    403,
                    "AccessDeniedException",
                    "not authorized to perform artifact:ListCustomerAgreements",
                    "application/json",
                )
            });
        let client = mocked!(aws_sdk_artifact, &denied);
        let s = scan(Ledger::new(4, &NoProgress));
        let u = agreements(&s, &client).await.get().unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(u.operation, "artifact:ListCustomerAgreements");
        assert_eq!(s.ledger.log().failures.len(), 1);
    }
}
