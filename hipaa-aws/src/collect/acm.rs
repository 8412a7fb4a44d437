//! AWS Certificate Manager, per region: every certificate of every key type from
//! `ListCertificates` (by default it lists only RSA 1024 and 2048 ones, so every type is asked for),
//! each one's tags, and for the certificates ACM renews, their renewal state from
//! `DescribeCertificate`. Certificate bodies and keys are never read. Without the `transit`
//! feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::acm::evidence::AcmRegion;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<AcmRegion>> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region, to_chrono};
    use aws_sdk_acm::types::{Filters, KeyAlgorithm};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::acm::evidence::{Certificate, Renewal};

    const STAGE: &str = "acm";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<AcmRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_acm, &scan.config, region);
                let certificates = l.ticked(STAGE, certificates(l, &client, &region)).await;
                AcmRegion {
                    certificates: certificates.into(),
                }
            })
            .await,
        )
    }

    pub(super) async fn certificates(
        l: &Ledger<'_>,
        client: &aws_sdk_acm::Client,
        region: &str,
    ) -> Result<Vec<Certificate>, Unknown> {
        const OP: &str = "acm:ListCertificates";
        let every_type: Vec<KeyAlgorithm> = KeyAlgorithm::values()
            .iter()
            .map(|k| KeyAlgorithm::from(*k))
            .collect();
        let mut pages = client
            .list_certificates()
            .includes(Filters::builder().set_key_types(Some(every_type)).build())
            .into_paginator()
            .send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for c in page.certificate_summary_list() {
                let Some(arn) = c.certificate_arn() else {
                    return Err(l.parse_error(OP, region, "a certificate without an ARN"));
                };
                listed.push(Certificate {
                    arn: arn.to_string(),
                    domain: c.domain_name().map(str::to_string),
                    status: c.status().map(|s| s.as_str().to_string()),
                    kind: c.r#type().map(|t| t.as_str().to_string()),
                    key_algorithm: c.key_algorithm().map(|k| k.as_str().to_string()),
                    not_after: c.not_after().and_then(to_chrono),
                    in_use: c.in_use(),
                    tags: Fact::Known(Tags::new()),
                    renewal: None,
                });
            }
        }
        let mut out: Vec<Certificate> = stream::iter(listed)
            .map(|mut c| async move {
                let renews = c.kind.as_deref() != Some("IMPORTED");
                let (tags, renewal) = tokio::join!(tags(l, client, &c.arn), async {
                    if renews {
                        Some(renewal(l, client, &c.arn).await)
                    } else {
                        None
                    }
                });
                c.tags = tags.into();
                c.renewal = renewal.map(Into::into);
                c
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.arn.cmp(&b.arn));
        Ok(out)
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_acm::Client,
        arn: &str,
    ) -> Result<Tags, Unknown> {
        const OP: &str = "acm:ListTagsForCertificate";
        let o = l
            .must(
                OP,
                arn,
                client
                    .list_tags_for_certificate()
                    .certificate_arn(arn)
                    .send(),
            )
            .await?;
        Ok(o.tags()
            .iter()
            .map(|t| {
                (
                    t.key().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect())
    }

    async fn renewal(
        l: &Ledger<'_>,
        client: &aws_sdk_acm::Client,
        arn: &str,
    ) -> Result<Option<Renewal>, Unknown> {
        const OP: &str = "acm:DescribeCertificate";
        let o = l
            .must(
                OP,
                arn,
                client.describe_certificate().certificate_arn(arn).send(),
            )
            .await?;
        let Some(cert) = o.certificate() else {
            return Err(l.parse_error(OP, arn, "the answer has no certificate"));
        };
        Ok(cert.renewal_summary().map(|r| Renewal {
            status: r.renewal_status().as_str().to_string(),
            reason: r.renewal_status_reason().map(|x| x.as_str().to_string()),
        }))
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a failed managed renewal (moto never starts one) and a denied tag read.
        use super::*;
        use crate::collect::mocks::{json_error, mocked_rules};
        use aws_sdk_acm::operation::describe_certificate::DescribeCertificateOutput;
        use aws_sdk_acm::operation::list_certificates::ListCertificatesOutput;
        use aws_sdk_acm::types::{
            CertificateDetail, CertificateStatus, CertificateSummary, CertificateType,
            FailureReason, RenewalStatus, RenewalSummary,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn a_failed_renewal_is_read_and_a_denied_tag_read_stays_unknown() {
            const ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/c-1";
            let list = mock!(aws_sdk_acm::Client::list_certificates).then_output(|| {
                ListCertificatesOutput::builder()
                    .certificate_summary_list(
                        CertificateSummary::builder()
                            .certificate_arn(ARN)
                            .domain_name("portal.example.com")
                            .status(CertificateStatus::Issued)
                            .r#type(CertificateType::AmazonIssued)
                            .key_algorithm(KeyAlgorithm::Rsa2048)
                            .in_use(true)
                            .not_after(aws_smithy_types::DateTime::from_secs(1_800_000_000))
                            .build(),
                    )
                    .build()
            });
            let describe = mock!(aws_sdk_acm::Client::describe_certificate).then_output(|| {
                DescribeCertificateOutput::builder()
                    .certificate(
                        CertificateDetail::builder()
                            .certificate_arn(ARN)
                            .renewal_summary(
                                RenewalSummary::builder()
                                    .renewal_status(RenewalStatus::Failed)
                                    .renewal_status_reason(FailureReason::NoAvailableContacts)
                                    .set_domain_validation_options(Some(vec![]))
                                    .updated_at(aws_smithy_types::DateTime::from_secs(
                                        1_790_000_000,
                                    ))
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
            let tags =
                mock!(aws_sdk_acm::Client::list_tags_for_certificate).then_http_response(|| {
                    json_error(
                        400,
                        "AccessDeniedException",
                        "denied",
                        "application/x-amz-json-1.1",
                    )
                });
            let client = mocked_rules!(aws_sdk_acm, [&list, &describe, &tags]);
            let l = Ledger::new(4, &NoProgress);
            let got = certificates(&l, &client, "us-east-1").await.unwrap();
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].key_algorithm.as_deref(), Some("RSA_2048"));
            let renewal = got[0]
                .renewal
                .clone()
                .unwrap()
                .get()
                .unwrap()
                .clone()
                .unwrap();
            assert_eq!(renewal.status, "FAILED");
            assert_eq!(renewal.reason.as_deref(), Some("NO_AVAILABLE_CONTACTS"));
            assert_eq!(
                got[0].tags.clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
        }
    }
}
