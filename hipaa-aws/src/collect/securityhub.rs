//! AWS Security Hub: the subscription and its enabled standards, per region.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use hipaa_core::evidence::{Fact, Regional, Unknown, UnknownReason};
use hipaa_core::services::securityhub::evidence::{
    standards_not_recorded, EnabledStandard, SecurityHub, SecurityHubRegion,
};

const STAGE: &str = "securityhub";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<SecurityHubRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let client = client_in!(aws_sdk_securityhub, &scan.config, region);
            let hub = security_hub(l, &client, &region).await;
            // Standards exist only on an enabled hub: not read elsewhere (the rules decide from
            // the hub first).
            let standards = match &hub {
                Fact::Known(Some(_)) => enabled_standards(l, &client, &region).await.into(),
                _ => standards_not_recorded(),
            };
            let out = SecurityHubRegion { hub, standards };
            l.tick(STAGE);
            out
        })
        .await,
    )
}

/// `DescribeHub`; "not subscribed" is a fact (`None`). Security Hub answers it with
/// `InvalidAccessException`, a code it also documents for missing permissions, so the message
/// decides: only "… is not subscribed to AWS Security Hub" means not enabled.
async fn security_hub(
    ledger: &Ledger<'_>,
    client: &aws_sdk_securityhub::Client,
    region: &str,
) -> Fact<Option<SecurityHub>> {
    const OP: &str = "securityhub:DescribeHub";
    let call = async {
        match client.describe_hub().send().await {
            Ok(o) => Ok(Some(o)),
            Err(e) if not_subscribed(&e) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let r = ledger.must(OP, region, call).await;
    Fact::from(r.and_then(|o| {
        let Some(o) = o else { return Ok(None) };
        let arn = o.hub_arn().filter(|a| !a.is_empty()).ok_or_else(|| {
            ledger.fail(
                OP,
                region,
                (UnknownReason::ParseError, "no hub ARN in the answer".into()),
            )
        })?;
        Ok(Some(SecurityHub {
            arn: arn.to_string(),
            subscribed_at: non_empty(o.subscribed_at()),
        }))
    }))
}

/// `GetEnabledStandards`, every page; a subscription without its standard's ARN or status is an
/// answer we cannot read.
async fn enabled_standards(
    ledger: &Ledger<'_>,
    client: &aws_sdk_securityhub::Client,
    region: &str,
) -> Result<Vec<EnabledStandard>, Unknown> {
    const OP: &str = "securityhub:GetEnabledStandards";
    let mut pages = client.get_enabled_standards().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = ledger.page(OP, region, pages.next()).await? {
        for s in page.standards_subscriptions() {
            let (Some(arn), Some(status)) = (s.standards_arn(), s.standards_status()) else {
                return Err(ledger.parse_error(
                    OP,
                    region,
                    "a standards subscription without its ARN or status",
                ));
            };
            out.push(EnabledStandard {
                arn: arn.to_string(),
                status: status.as_str().to_string(),
            });
        }
    }
    out.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(out)
}

fn not_subscribed<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.code() == Some("InvalidAccessException")
        && e.message()
            .is_some_and(|m| m.to_ascii_lowercase().contains("not subscribed"))
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_smithy_mocks::mock;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use hipaa_core::NoProgress;

    /// Security Hub's "not subscribed" answer (REST-JSON: the code is in a header).
    fn security_hub_error(code: &'static str, message: &str) -> HttpResponse {
        let body = format!(r#"{{"Code":"{code}","Message":"{message}"}}"#);
        let mut r = HttpResponse::new(StatusCode::try_from(401).unwrap(), SdkBody::from(body));
        r.headers_mut().insert("content-type", "application/json");
        r.headers_mut().insert("x-amzn-errortype", code);
        r
    }

    #[tokio::test]
    async fn security_hub_answers() {
        use aws_sdk_securityhub::operation::describe_hub::DescribeHubOutput;
        let ledger = Ledger::new(4, &NoProgress);

        let enabled = mock!(aws_sdk_securityhub::Client::describe_hub).then_output(|| {
            DescribeHubOutput::builder()
                .hub_arn("arn:aws:securityhub:us-east-1:123456789012:hub/default")
                .subscribed_at("2024-01-01T00:00:00.000Z")
                .build()
        });
        let client = mocked_rules!(aws_sdk_securityhub, [&enabled]);
        let hub = security_hub(&ledger, &client, "us-east-1").await;
        assert_eq!(
            hub,
            Fact::Known(Some(SecurityHub {
                arn: "arn:aws:securityhub:us-east-1:123456789012:hub/default".into(),
                subscribed_at: Some("2024-01-01T00:00:00.000Z".into()),
            }))
        );

        // The same code for a missing permission is not "not enabled".
        let no_permission =
            mock!(aws_sdk_securityhub::Client::describe_hub).then_http_response(|| {
                security_hub_error(
                    "InvalidAccessException",
                    "The account does not have permission to perform this action",
                )
            });
        let client = mocked_rules!(aws_sdk_securityhub, [&no_permission]);
        let u = security_hub(&ledger, &client, "us-east-1")
            .await
            .get()
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ServiceError);
        assert!(
            u.detail.starts_with("InvalidAccessException"),
            "{}",
            u.detail
        );

        let denied = mock!(aws_sdk_securityhub::Client::describe_hub).then_http_response(|| {
            let mut r = security_hub_error("AccessDeniedException", "User is not authorized");
            *r.status_mut() = StatusCode::try_from(403).unwrap();
            r
        });
        let client = mocked_rules!(aws_sdk_securityhub, [&denied]);
        let u = security_hub(&ledger, &client, "us-east-1")
            .await
            .get()
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }

    #[tokio::test]
    async fn enabled_standards_are_read() {
        use aws_sdk_securityhub::operation::get_enabled_standards::GetEnabledStandardsOutput;
        use aws_sdk_securityhub::types::{StandardsStatus, StandardsSubscription};
        let ledger = Ledger::new(4, &NoProgress);
        const FSBP: &str = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";
        let ok = mock!(aws_sdk_securityhub::Client::get_enabled_standards).then_output(|| {
            GetEnabledStandardsOutput::builder()
                .standards_subscriptions(
                    StandardsSubscription::builder()
                        .standards_subscription_arn("arn:aws:securityhub:us-east-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0")
                        .standards_arn(FSBP)
                        .standards_status(StandardsStatus::Ready)
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_securityhub, [&ok]);
        let got = enabled_standards(&ledger, &client, "us-east-1")
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![EnabledStandard {
                arn: FSBP.into(),
                status: "READY".into()
            }]
        );

        // A subscription without its status: a failed read, never "no standard".
        let odd = mock!(aws_sdk_securityhub::Client::get_enabled_standards).then_output(|| {
            GetEnabledStandardsOutput::builder()
                .standards_subscriptions(
                    StandardsSubscription::builder().standards_arn(FSBP).build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_securityhub, [&odd]);
        let u = enabled_standards(&ledger, &client, "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);

        let denied =
            mock!(aws_sdk_securityhub::Client::get_enabled_standards).then_http_response(|| {
                let mut r = security_hub_error("AccessDeniedException", "User is not authorized");
                *r.status_mut() = StatusCode::try_from(403).unwrap();
                r
            });
        let client = mocked_rules!(aws_sdk_securityhub, [&denied]);
        let u = enabled_standards(&ledger, &client, "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }
}
