//! Kinesis rule tests, and the compliant stream other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ID: &str = "kinesis.kms_encryption";

fn stream(s: &mut Snapshot) -> &mut DataStream {
    &mut known(&mut at(&mut s.services.kinesis, "us-east-1").streams)[0]
}

#[test]
fn kinesis_kms_encryption() {
    let s = snapshot_with(vec![]);
    let o = only(&s, ID, Pass);
    assert_eq!(o.resource.kind, "AwsKinesisStream");
    assert_eq!(o.resource.id, "device-readings");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("alias/k1"), "{}", o.message);
    let mut s = snapshot_with(vec![]);
    stream(&mut s).encryption = Fact::Known(StreamEncryption::None);
    assert!(only(&s, ID, Fail).message.contains("off"));
    stream(&mut s).encryption = denied("kinesis:DescribeStreamSummary");
    only(&s, ID, Error);
    // Unknown tags: judged, PHI mark unknown.
    let mut s = snapshot_with(vec![]);
    stream(&mut s).tags = denied("kinesis:ListTagsForStream");
    assert_eq!(only(&s, ID, Pass).resource.phi, None);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kinesis, "us-east-1").streams = denied("kinesis:ListStreams");
    only(&s, ID, Error);
    at(&mut s.services.kinesis, "us-east-1").streams = Fact::Known(vec![]);
    only(&s, ID, NotApplicable);
    s.services.kinesis = None;
    only(&s, ID, Error);
}

#[test]
fn streams_are_classified_and_not_expected_in_backup_plans() {
    let s = snapshot_with(vec![]);
    let classified: Vec<String> = outcomes(&s, "scope.resources_classified")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(classified.iter().any(|a| a.contains(":kinesis:")), "{classified:?}");
    let backup: Vec<String> = outcomes(&s, "backup.phi_resources_covered")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(!backup.iter().any(|a| a.contains(":kinesis:")), "{backup:?}");
}

/// The compliant streams of one region: `device-readings`, PHI-tagged, encrypted under
/// `alias/k1`.
pub fn streams(region: &str) -> Fact<Vec<DataStream>> {
    Fact::Known(vec![DataStream {
        name: "device-readings".into(),
        arn: format!("arn:aws:kinesis:{region}:{ACCOUNT}:stream/device-readings"),
        tags: Fact::Known(phi_tags()),
        encryption: Fact::Known(StreamEncryption::Kms("alias/k1".into())),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<KinesisRegion> {
    [(
        "us-east-1".to_string(),
        KinesisRegion {
            streams: streams("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
