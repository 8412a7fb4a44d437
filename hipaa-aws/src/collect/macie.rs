//! Amazon Macie, per region: the account's Macie session (`GetMacieSession`). Without the
//! `detection` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::macie::evidence::MacieRegion;

#[cfg(not(feature = "detection"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<MacieRegion>> {
    None
}

#[cfg(feature = "detection")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "detection")]
mod with_sdk {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_smithy_runtime_api::client::result::SdkError;
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    use hipaa_core::evidence::Unknown;
    use hipaa_core::services::macie::evidence::MacieSession;

    const STAGE: &str = "macie";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<MacieRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_macie2, &scan.config, region);
                let session = session(l, &client, &region).await;
                l.tick(STAGE);
                MacieRegion {
                    session: session.into(),
                }
            })
            .await,
        )
    }

    /// `GetMacieSession`; "not enabled" is a fact (`None`). Macie says it with
    /// `AccessDeniedException` "Macie is not enabled", a code it also uses for missing
    /// permissions, so the message decides; `ResourceNotFoundException` (no session) means the
    /// same.
    pub(super) async fn session(
        l: &Ledger<'_>,
        client: &aws_sdk_macie2::Client,
        region: &str,
    ) -> Result<Option<MacieSession>, Unknown> {
        const OP: &str = "macie2:GetMacieSession";
        let call = async {
            match client.get_macie_session().send().await {
                Ok(o) => Ok(Some(o)),
                Err(e) if not_enabled(&e) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let Some(o) = l.must(OP, region, call).await? else {
            return Ok(None);
        };
        let status = o
            .status()
            .ok_or_else(|| l.parse_error(OP, region, "no status in the answer"))?;
        Ok(Some(MacieSession {
            status: status.as_str().to_string(),
        }))
    }

    fn not_enabled<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
        match e.code() {
            Some("ResourceNotFoundException") => true,
            Some("AccessDeniedException") => e
                .message()
                .is_some_and(|m| m.to_ascii_lowercase().contains("not enabled")),
            _ => false,
        }
    }
}

#[cfg(all(test, feature = "detection"))]
mod tests {
    use super::with_sdk::session;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_macie2::operation::get_macie_session::GetMacieSessionOutput;
    use aws_sdk_macie2::types::MacieStatus;
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn session_answers() {
        let l = Ledger::new(4, &NoProgress);
        let on = mock!(aws_sdk_macie2::Client::get_macie_session).then_output(|| {
            GetMacieSessionOutput::builder()
                .status(MacieStatus::Paused)
                .build()
        });
        let client = mocked_rules!(aws_sdk_macie2, [&on]);
        let s = session(&l, &client, "us-east-1").await.unwrap().unwrap();
        assert_eq!(s.status, "PAUSED");

        // Real AWS: 401 AccessDeniedException "Macie is not enabled." (moto: ResourceNotFound).
        for (status, code, msg) in [
            (401, "AccessDeniedException", "Macie is not enabled."),
            (
                404,
                "ResourceNotFoundException",
                "The request failed because the specified resource doesn't exist.",
            ),
        ] {
            let off = mock!(aws_sdk_macie2::Client::get_macie_session)
                .then_http_response(move || json_error(status, code, msg, "application/json"));
            let client = mocked_rules!(aws_sdk_macie2, [&off]);
            assert_eq!(session(&l, &client, "us-east-1").await, Ok(None), "{code}");
        }
        assert!(l.log().failures.is_empty());

        // The same code for a missing permission is not "not enabled".
        let denied = mock!(aws_sdk_macie2::Client::get_macie_session).then_http_response(|| {
            json_error(
                403,
                "AccessDeniedException",
                "User is not authorized to perform: macie2:GetMacieSession",
                "application/json",
            )
        });
        let client = mocked_rules!(aws_sdk_macie2, [&denied]);
        let u = session(&l, &client, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);

        let blank = mock!(aws_sdk_macie2::Client::get_macie_session)
            .then_output(|| GetMacieSessionOutput::builder().build());
        let client = mocked_rules!(aws_sdk_macie2, [&blank]);
        let u = session(&l, &client, "us-east-1").await.unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);
    }
}
