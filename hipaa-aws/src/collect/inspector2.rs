//! Amazon Inspector, per region: the scanned account's EC2, ECR and Lambda scan states
//! (`BatchGetAccountStatus`). Without the `detection` feature nothing is read and the section is
//! absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::inspector2::evidence::Inspector2Region;

#[cfg(not(feature = "detection"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<Inspector2Region>> {
    None
}

#[cfg(feature = "detection")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "detection")]
mod with_sdk {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_inspector2::types::{ErrorCode, State};
    use hipaa_core::evidence::{Fact, Unknown, UnknownReason};
    use hipaa_core::services::inspector2::evidence::ScanTypes;

    const STAGE: &str = "inspector2";
    const OP: &str = "inspector2:BatchGetAccountStatus";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Inspector2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_inspector2, &scan.config, region);
                let account = match scan.account.get() {
                    Ok(a) => account_status(l, &client, &region, a).await,
                    Err(u) => Err(u),
                };
                l.tick(STAGE);
                Inspector2Region {
                    account: account.into(),
                }
            })
            .await,
        )
    }

    /// The scanned account's entry of `BatchGetAccountStatus`. An account Inspector was never
    /// enabled for is listed with every scan type `DISABLED` (a fact); an account the answer
    /// reports as failed, or leaves out, is unknown.
    pub(super) async fn account_status(
        l: &Ledger<'_>,
        client: &aws_sdk_inspector2::Client,
        region: &str,
        account: &str,
    ) -> Result<ScanTypes, Unknown> {
        let out = l
            .must(
                OP,
                region,
                client
                    .batch_get_account_status()
                    .account_ids(account)
                    .send(),
            )
            .await?;
        if let Some(a) = out.accounts().iter().find(|a| a.account_id() == account) {
            let Some(rs) = a.resource_state() else {
                return Err(l.parse_error(OP, region, "the account's entry has no resource state"));
            };
            let state = |s: Option<&State>, what: &str| -> Fact<String> {
                match s {
                    Some(s) => Fact::Known(s.status().as_str().to_string()),
                    None => Fact::Unknown(l.parse_error(
                        OP,
                        region,
                        format!("the answer gives no {what} scanning state"),
                    )),
                }
            };
            return Ok(ScanTypes {
                ec2: state(rs.ec2(), "EC2"),
                ecr: state(rs.ecr(), "ECR"),
                lambda: state(rs.lambda(), "Lambda"),
            });
        }
        if let Some(f) = out
            .failed_accounts()
            .iter()
            .find(|f| f.account_id() == account)
        {
            let reason = match f.error_code() {
                ErrorCode::AccessDenied => UnknownReason::AccessDenied,
                _ => UnknownReason::ServiceError,
            };
            return Err(l.fail(
                OP,
                region,
                (
                    reason,
                    format!("{}: {}", f.error_code().as_str(), f.error_message()),
                ),
            ));
        }
        Err(l.parse_error(OP, region, "the answer does not list the scanned account"))
    }
}

#[cfg(all(test, feature = "detection"))]
mod tests {
    //! Recorded responses: moto answers `BatchGetAccountStatus` only for accounts enabled
    //! through it, so the other shapes of the real answer are covered here.
    use super::with_sdk::account_status;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_inspector2::operation::batch_get_account_status::BatchGetAccountStatusOutput;
    use aws_sdk_inspector2::types::{
        AccountState, ErrorCode, FailedAccount, ResourceState, State, Status,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    const ACCOUNT: &str = "123456789012";

    fn state(s: Status) -> State {
        State::builder()
            .status(s)
            .error_code(ErrorCode::AccountIsIsolated)
            .error_message("")
            .build()
            .unwrap()
    }

    fn answer(lambda: Option<Status>) -> BatchGetAccountStatusOutput {
        let mut rs = ResourceState::builder()
            .ec2(state(Status::Enabled))
            .ecr(state(Status::Disabled));
        if let Some(l) = lambda {
            rs = rs.lambda(state(l));
        }
        BatchGetAccountStatusOutput::builder()
            .accounts(
                AccountState::builder()
                    .account_id(ACCOUNT)
                    .state(state(Status::Enabled))
                    .resource_state(rs.build())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn each_scan_type_is_read() {
        let l = Ledger::new(4, &NoProgress);
        let ok = mock!(aws_sdk_inspector2::Client::batch_get_account_status)
            .match_requests(|r| r.account_ids() == [ACCOUNT.to_string()])
            .then_output(|| answer(Some(Status::Suspended)));
        let client = mocked_rules!(aws_sdk_inspector2, [&ok]);
        let t = account_status(&l, &client, "us-east-1", ACCOUNT)
            .await
            .unwrap();
        assert_eq!(t.ec2.known().map(String::as_str), Some("ENABLED"));
        assert_eq!(t.ecr.known().map(String::as_str), Some("DISABLED"));
        assert_eq!(t.lambda.known().map(String::as_str), Some("SUSPENDED"));
        assert!(l.log().failures.is_empty());

        // Lambda scanning left out (a region without it): that one state is a failed read.
        let partial = mock!(aws_sdk_inspector2::Client::batch_get_account_status)
            .then_output(|| answer(None));
        let client = mocked_rules!(aws_sdk_inspector2, [&partial]);
        let t = account_status(&l, &client, "us-east-1", ACCOUNT)
            .await
            .unwrap();
        assert_eq!(t.ec2.known().map(String::as_str), Some("ENABLED"));
        assert_eq!(
            t.lambda.get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }

    #[tokio::test]
    async fn failures_are_unknown() {
        let l = Ledger::new(4, &NoProgress);
        let failed =
            mock!(aws_sdk_inspector2::Client::batch_get_account_status).then_output(|| {
                BatchGetAccountStatusOutput::builder()
                    .set_accounts(Some(vec![]))
                    .failed_accounts(
                        FailedAccount::builder()
                            .account_id(ACCOUNT)
                            .error_code(ErrorCode::AccessDenied)
                            .error_message("not authorized")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            });
        let client = mocked_rules!(aws_sdk_inspector2, [&failed]);
        let u = account_status(&l, &client, "us-east-1", ACCOUNT)
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert!(u.detail.contains("not authorized"), "{}", u.detail);

        let silent =
            mock!(aws_sdk_inspector2::Client::batch_get_account_status).then_output(|| {
                BatchGetAccountStatusOutput::builder()
                    .set_accounts(Some(vec![]))
                    .build()
                    .unwrap()
            });
        let client = mocked_rules!(aws_sdk_inspector2, [&silent]);
        let u = account_status(&l, &client, "us-east-1", ACCOUNT)
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);

        let denied = mock!(aws_sdk_inspector2::Client::batch_get_account_status)
            .then_http_response(|| {
                json_error(403, "AccessDeniedException", "no", "application/json")
            });
        let client = mocked_rules!(aws_sdk_inspector2, [&denied]);
        let u = account_status(&l, &client, "us-east-1", ACCOUNT)
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
    }
}
