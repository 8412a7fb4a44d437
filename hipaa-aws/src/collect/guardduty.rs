//! Amazon GuardDuty: detectors and their status, per region.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Regional, Unknown, UnknownReason};
use hipaa_core::services::guardduty::evidence::{Detector, DetectorFeature, GuardDutyRegion};

const STAGE: &str = "guardduty";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<GuardDutyRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let client = client_in!(aws_sdk_guardduty, &scan.config, region);
            let out = GuardDutyRegion {
                detectors: detectors(l, &client, &region).await,
            };
            l.tick(STAGE);
            out
        })
        .await,
    )
}

async fn detectors(
    ledger: &Ledger<'_>,
    client: &aws_sdk_guardduty::Client,
    region: &str,
) -> Fact<Vec<Detector>> {
    let ids = async {
        let mut pages = client.list_detectors().into_paginator().send();
        let mut ids = Vec::new();
        while let Some(page) = ledger
            .page("guardduty:ListDetectors", region, pages.next())
            .await?
        {
            ids.extend(page.detector_ids().iter().cloned());
        }
        Ok::<_, Unknown>(ids)
    };
    let ids = match ids.await {
        Ok(ids) => ids,
        Err(u) => return Fact::Unknown(u),
    };
    let mut out: Vec<Detector> = stream::iter(ids)
        .map(|id| async move {
            const OP: &str = "guardduty:GetDetector";
            let r = ledger
                .must(OP, &id, client.get_detector().detector_id(&id).send())
                .await;
            let (status, features) = match r {
                Ok(o) => {
                    let status = o.status().map(|s| s.as_str().to_string()).ok_or_else(|| {
                        ledger.fail(
                            OP,
                            &id,
                            (UnknownReason::ParseError, "no status in the answer".into()),
                        )
                    });
                    (status, features(ledger, &id, o.features()))
                }
                Err(u) => (Err(u.clone()), Err(u)),
            };
            Detector {
                id,
                status: status.into(),
                features: features.into(),
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Fact::Known(out)
}

/// The protection plans of one `GetDetector` answer; a feature without a name or status is
/// an answer we cannot read.
fn features(
    ledger: &Ledger<'_>,
    id: &str,
    list: &[aws_sdk_guardduty::types::DetectorFeatureConfigurationResult],
) -> Result<Vec<DetectorFeature>, Unknown> {
    list.iter()
        .map(|f| match (f.name(), f.status()) {
            (Some(name), Some(status)) => Ok(DetectorFeature {
                name: name.as_str().to_string(),
                status: status.as_str().to_string(),
            }),
            _ => Err(ledger.parse_error(
                "guardduty:GetDetector",
                id,
                "a feature without its name or status",
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! Recorded responses: detectors are listed, then each one's status is read.
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_smithy_mocks::mock;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn each_detector_is_read() {
        use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
        use aws_sdk_guardduty::operation::list_detectors::ListDetectorsOutput;
        let listed = mock!(aws_sdk_guardduty::Client::list_detectors)
            .then_output(|| ListDetectorsOutput::builder().detector_ids("d1").build());
        use aws_sdk_guardduty::types::{
            DetectorFeatureConfigurationResult, DetectorFeatureResult, FeatureStatus,
        };
        let got = mock!(aws_sdk_guardduty::Client::get_detector).then_output(|| {
            GetDetectorOutput::builder()
                .status(aws_sdk_guardduty::types::DetectorStatus::Enabled)
                .features(
                    DetectorFeatureConfigurationResult::builder()
                        .name(DetectorFeatureResult::S3DataEvents)
                        .status(FeatureStatus::Enabled)
                        .build(),
                )
                .features(
                    DetectorFeatureConfigurationResult::builder()
                        .name(DetectorFeatureResult::RdsLoginEvents)
                        .status(FeatureStatus::Disabled)
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_guardduty, [&listed, &got]);
        let l = Ledger::new(4, &NoProgress);
        let out = detectors(&l, &client, "us-east-1").await;
        let d = &out.known().unwrap()[0];
        assert_eq!(
            (d.id.as_str(), d.status.known().map(String::as_str)),
            ("d1", Some("ENABLED"))
        );
        let features = d.features.known().unwrap();
        assert_eq!(
            features
                .iter()
                .map(|f| (f.name.as_str(), f.status.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("S3_DATA_EVENTS", "ENABLED"),
                ("RDS_LOGIN_EVENTS", "DISABLED")
            ]
        );
        // One GetDetector answers both the status and the plans.
        assert_eq!(got.num_calls(), 1);

        // A feature whose name the answer left out is a failed read, never "off".
        let odd = mock!(aws_sdk_guardduty::Client::get_detector).then_output(|| {
            GetDetectorOutput::builder()
                .status(aws_sdk_guardduty::types::DetectorStatus::Enabled)
                .features(
                    DetectorFeatureConfigurationResult::builder()
                        .status(FeatureStatus::Enabled)
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_guardduty, [&listed, &odd]);
        let out = detectors(&l, &client, "us-east-1").await;
        let d = &out.known().unwrap()[0];
        assert_eq!(d.status.known().map(String::as_str), Some("ENABLED"));
        assert_eq!(
            d.features.get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }
}
