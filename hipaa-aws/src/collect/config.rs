//! AWS Config: configuration recorders and whether they are recording, per region.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use aws_sdk_config::types::RecordingStrategyType;
use hipaa_core::evidence::{Fact, Regional, Unknown, UnknownReason};
use hipaa_core::services::config::evidence::{ConfigRecorder, ConfigRegion};
use std::collections::HashMap;

const STAGE: &str = "config";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<ConfigRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let client = client_in!(aws_sdk_config, &scan.config, region);
            let out = ConfigRegion {
                recorders: config_recorders(l, &client, &region).await,
            };
            l.tick(STAGE);
            out
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// AWS Config, GuardDuty, Security Hub
// ---------------------------------------------------------------------------------------------

async fn config_recorders(
    ledger: &Ledger<'_>,
    client: &aws_sdk_config::Client,
    region: &str,
) -> Fact<Vec<ConfigRecorder>> {
    const STATUS_OP: &str = "config:DescribeConfigurationRecorderStatus";
    let (recorders, statuses) = tokio::join!(
        ledger.must(
            "config:DescribeConfigurationRecorders",
            region,
            client.describe_configuration_recorders().send()
        ),
        ledger.must(
            STATUS_OP,
            region,
            client.describe_configuration_recorder_status().send()
        ),
    );
    let recorders = match recorders {
        Ok(r) => r,
        Err(u) => return Fact::Unknown(u),
    };
    // The SDK reads a missing `recording` as false: that can only fail a control, never pass it.
    let statuses: Result<HashMap<String, bool>, Unknown> = statuses.map(|s| {
        s.configuration_recorders_status()
            .iter()
            .filter_map(|s| Some((s.name()?.to_string(), s.recording())))
            .collect()
    });
    let mut out: Vec<ConfigRecorder> = recorders
        .configuration_recorders()
        .iter()
        .filter_map(|r| {
            let name = r.name()?.to_string();
            let group = r.recording_group();
            let all_supported = group.is_some_and(|g| {
                g.all_supported()
                    || g.recording_strategy().and_then(|s| s.use_only())
                        == Some(&RecordingStrategyType::AllSupportedResourceTypes)
            });
            let include_global = group.is_some_and(|g| g.include_global_resource_types());
            let recording = match &statuses {
                Err(u) => Fact::Unknown(u.clone()),
                Ok(m) => match m.get(&name) {
                    Some(on) => Fact::Known(*on),
                    None => Fact::Unknown(ledger.fail(
                        STATUS_OP,
                        &name,
                        (
                            UnknownReason::ParseError,
                            "no status for this recorder".into(),
                        ),
                    )),
                },
            };
            Some(ConfigRecorder {
                name,
                all_supported,
                include_global,
                recording,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Fact::Known(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_smithy_mocks::mock;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn recorder_status_is_matched_by_name() {
        use aws_sdk_config::operation::describe_configuration_recorder_status::DescribeConfigurationRecorderStatusOutput;
        use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
        use aws_sdk_config::types::{ConfigurationRecorder, ConfigurationRecorderStatus};
        let recorders = mock!(aws_sdk_config::Client::describe_configuration_recorders)
            .then_output(|| {
                DescribeConfigurationRecordersOutput::builder()
                    .configuration_recorders(ConfigurationRecorder::builder().name("b").build())
                    .configuration_recorders(ConfigurationRecorder::builder().name("a").build())
                    .build()
            });
        let statuses = mock!(aws_sdk_config::Client::describe_configuration_recorder_status)
            .then_output(|| {
                DescribeConfigurationRecorderStatusOutput::builder()
                    .configuration_recorders_status(
                        ConfigurationRecorderStatus::builder()
                            .name("a")
                            .recording(false)
                            .build(),
                    )
                    .build()
            });
        let client = mocked_rules!(aws_sdk_config, [&recorders, &statuses]);
        let ledger = Ledger::new(4, &NoProgress);
        let out = config_recorders(&ledger, &client, "us-east-1").await;
        let out = out.known().unwrap();
        assert_eq!(out[0].name, "a");
        assert_eq!(out[0].recording, Fact::Known(false));
        // No recording group: not every type is recorded.
        assert!(!out[0].all_supported && !out[0].include_global);
        assert_eq!(
            out[1].recording.get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }
}
