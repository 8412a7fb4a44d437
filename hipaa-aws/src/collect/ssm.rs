//! AWS Systems Manager, per region: managed nodes (`DescribeInstanceInformation`) and their
//! patch states (`DescribeInstancePatchStates`). Nothing on the nodes is read. Without the
//! `detection` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::ssm::evidence::SsmRegion;

#[cfg(not(feature = "detection"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<SsmRegion>> {
    None
}

#[cfg(feature = "detection")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "detection")]
mod with_sdk {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use hipaa_core::evidence::{Fact, Unknown, UnknownReason};
    use hipaa_core::services::ssm::evidence::{ManagedInstance, PatchState};

    const STAGE: &str = "ssm";
    /// `DescribeInstancePatchStates` takes at most 50 ids a call.
    const IDS_PER_CALL: usize = 50;

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<SsmRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_ssm, &scan.config, region);
                let managed = managed_instances(l, &client, &region).await;
                l.tick(STAGE);
                let patch_states = match &managed {
                    Ok(nodes) => {
                        let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
                        patch_states(l, &client, &region, &ids).await.into()
                    }
                    Err(_) => Fact::Unknown(Unknown::new(
                        UnknownReason::NotCollected,
                        "ssm:DescribeInstancePatchStates",
                        "not read: the managed instances could not be listed",
                    )),
                };
                l.tick(STAGE);
                SsmRegion {
                    managed_instances: managed.into(),
                    patch_states,
                }
            })
            .await,
        )
    }

    /// Every managed node; one without its id or agent state is an answer we cannot read.
    pub(super) async fn managed_instances(
        l: &Ledger<'_>,
        client: &aws_sdk_ssm::Client,
        region: &str,
    ) -> Result<Vec<ManagedInstance>, Unknown> {
        const OP: &str = "ssm:DescribeInstanceInformation";
        let mut pages = client
            .describe_instance_information()
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for i in page.instance_information_list() {
                let (Some(id), Some(ping)) = (i.instance_id(), i.ping_status()) else {
                    return Err(l.parse_error(OP, region, "a node without its id or ping status"));
                };
                out.push(ManagedInstance {
                    id: id.to_string(),
                    ping_status: ping.as_str().to_string(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The patch states of `ids`, 50 at a time; nodes that never reported a patch scan are
    /// simply not in the answer. No ids, no call.
    pub(super) async fn patch_states(
        l: &Ledger<'_>,
        client: &aws_sdk_ssm::Client,
        region: &str,
        ids: &[String],
    ) -> Result<Vec<PatchState>, Unknown> {
        const OP: &str = "ssm:DescribeInstancePatchStates";
        let mut out = Vec::new();
        for chunk in ids.chunks(IDS_PER_CALL) {
            let mut pages = client
                .describe_instance_patch_states()
                .set_instance_ids(Some(chunk.to_vec()))
                .into_paginator()
                .send();
            while let Some(page) = l.page(OP, region, pages.next()).await? {
                for p in page.instance_patch_states() {
                    if p.instance_id().is_empty() {
                        return Err(l.parse_error(OP, region, "a patch state without its node id"));
                    }
                    out.push(PatchState {
                        instance_id: p.instance_id().to_string(),
                        missing: p.missing_count(),
                        failed: p.failed_count(),
                        installed_pending_reboot: p.installed_pending_reboot_count(),
                        installed_rejected: p.installed_rejected_count(),
                        critical_non_compliant: p.critical_non_compliant_count(),
                        security_non_compliant: p.security_non_compliant_count(),
                    });
                }
            }
        }
        out.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
        Ok(out)
    }
}

#[cfg(all(test, feature = "detection"))]
mod tests {
    //! Recorded responses: moto 5.2 implements neither call (the fixture answers them from
    //! tests/fixture/moto_ext.py).
    use super::with_sdk::{managed_instances, patch_states};
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationOutput;
    use aws_sdk_ssm::operation::describe_instance_patch_states::DescribeInstancePatchStatesOutput;
    use aws_sdk_ssm::types::{
        InstanceInformation, InstancePatchState, PatchOperationType, PingStatus,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    fn patch_state(id: &str, missing: i32) -> InstancePatchState {
        InstancePatchState::builder()
            .instance_id(id)
            .patch_group("")
            .baseline_id("pb-0123456789abcdef0")
            .operation_start_time(aws_smithy_types::DateTime::from_secs(0))
            .operation_end_time(aws_smithy_types::DateTime::from_secs(60))
            .operation(PatchOperationType::Scan)
            .missing_count(missing)
            .failed_count(0)
            .critical_non_compliant_count(1)
            .security_non_compliant_count(missing)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn nodes_and_their_patch_states() {
        let l = Ledger::new(4, &NoProgress);
        let nodes = mock!(aws_sdk_ssm::Client::describe_instance_information).then_output(|| {
            DescribeInstanceInformationOutput::builder()
                .instance_information_list(
                    InstanceInformation::builder()
                        .instance_id("i-0b")
                        .ping_status(PingStatus::ConnectionLost)
                        .build(),
                )
                .instance_information_list(
                    InstanceInformation::builder()
                        .instance_id("i-0a")
                        .ping_status(PingStatus::Online)
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_ssm, [&nodes]);
        let got = managed_instances(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(
            got.iter()
                .map(|n| (n.id.as_str(), n.ping_status.as_str()))
                .collect::<Vec<_>>(),
            vec![("i-0a", "Online"), ("i-0b", "ConnectionLost")]
        );

        let states = mock!(aws_sdk_ssm::Client::describe_instance_patch_states)
            .match_requests(|r| r.instance_ids() == ["i-0a".to_string(), "i-0b".to_string()])
            .then_output(|| {
                DescribeInstancePatchStatesOutput::builder()
                    .instance_patch_states(patch_state("i-0a", 3))
                    .build()
            });
        let client = mocked_rules!(aws_sdk_ssm, [&states]);
        let ids = vec!["i-0a".to_string(), "i-0b".to_string()];
        let got = patch_states(&l, &client, "us-east-1", &ids).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            (
                got[0].missing,
                got[0].critical_non_compliant,
                got[0].security_non_compliant
            ),
            (3, Some(1), Some(3))
        );
        assert!(got[0].non_compliant());
        // No managed node: nothing to ask.
        assert!(patch_states(&l, &client, "us-east-1", &[])
            .await
            .unwrap()
            .is_empty());
        assert_eq!(states.num_calls(), 1);
    }

    #[tokio::test]
    async fn unreadable_answers_are_unknown() {
        let l = Ledger::new(4, &NoProgress);
        let nameless =
            mock!(aws_sdk_ssm::Client::describe_instance_information).then_output(|| {
                DescribeInstanceInformationOutput::builder()
                    .instance_information_list(
                        InstanceInformation::builder().instance_id("i-0a").build(),
                    )
                    .build()
            });
        let client = mocked_rules!(aws_sdk_ssm, [&nameless]);
        let u = managed_instances(&l, &client, "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);

        let denied =
            mock!(aws_sdk_ssm::Client::describe_instance_information).then_http_response(|| {
                json_error(
                    400,
                    "AccessDeniedException",
                    "no",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked_rules!(aws_sdk_ssm, [&denied]);
        let u = managed_instances(&l, &client, "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);

        let throttled = mock!(aws_sdk_ssm::Client::describe_instance_patch_states)
            .then_http_response(|| {
                json_error(
                    400,
                    "ThrottlingException",
                    "slow down",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked_rules!(aws_sdk_ssm, [&throttled]);
        let u = patch_states(&l, &client, "us-east-1", &["i-0a".to_string()])
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::Throttled);
    }
}
