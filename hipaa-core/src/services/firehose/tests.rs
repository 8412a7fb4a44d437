//! Firehose rule tests, and the compliant Firehose stream other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::services::kinesis::evidence::StreamEncryption;
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ID: &str = "firehose.kms_encryption";

fn delivery(s: &mut Snapshot) -> &mut DeliveryStream {
    &mut known(&mut at(&mut s.services.firehose, "us-east-1").delivery_streams)[0]
}

fn config(s: &mut Snapshot) -> &mut DeliveryStreamConfig {
    known(&mut delivery(s).config)
}

fn sse(status: &str, key_type: &str, key_arn: Option<&str>) -> Option<ServerSideEncryption> {
    Some(ServerSideEncryption {
        status: status.into(),
        key_type: Some(key_type.into()),
        key_arn: key_arn.map(str::to_string),
    })
}

#[test]
fn direct_put_streams_need_server_side_encryption() {
    let s = snapshot_with(vec![]);
    let o = only(&s, ID, Pass);
    assert_eq!(o.resource.kind, "AwsKinesisFirehoseDeliveryStream");
    assert_eq!(o.resource.id, "claims-export");
    assert_eq!(o.resource.phi, Some(true));
    assert!(o.message.contains("customer-managed KMS key"), "{}", o.message);

    let mut s = snapshot_with(vec![]);
    config(&mut s).encryption = sse("ENABLED", "AWS_OWNED_CMK", None);
    assert!(only(&s, ID, Pass).message.contains("AWS-owned"));
    config(&mut s).encryption = None;
    assert!(only(&s, ID, Fail).message.contains("off"));
    config(&mut s).encryption = sse("DISABLED", "AWS_OWNED_CMK", None);
    assert!(only(&s, ID, Fail).message.contains("is disabled"));
    config(&mut s).encryption = sse("ENABLING_FAILED", "CUSTOMER_MANAGED_CMK", Some("arn:k"));
    assert!(only(&s, ID, Fail).message.contains("enabling failed"));
    config(&mut s).encryption = sse("ENABLING", "CUSTOMER_MANAGED_CMK", Some("arn:k"));
    assert!(only(&s, ID, Fail).message.contains("being turned on"));
    // Another source type is judged by the stream's own encryption too.
    config(&mut s).source = StreamSource::Other("MSKAsSource".into());
    config(&mut s).encryption = None;
    only(&s, ID, Fail);
}

#[test]
fn streams_reading_kinesis_are_judged_by_the_source_stream() {
    let source = format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/device-readings");
    let mut s = snapshot_with(vec![]);
    config(&mut s).source = StreamSource::KinesisStream(source.clone());
    config(&mut s).encryption = None;
    assert!(only(&s, ID, Pass).message.contains("Kinesis stream `device-readings`"));
    known(&mut at(&mut s.services.kinesis, "us-east-1").streams)[0].encryption =
        Fact::Known(StreamEncryption::None);
    assert!(only(&s, ID, Fail).message.contains("unencrypted"));
    known(&mut at(&mut s.services.kinesis, "us-east-1").streams)[0].encryption =
        denied("kinesis:DescribeStreamSummary");
    only(&s, ID, Error);
    at(&mut s.services.kinesis, "us-east-1").streams = denied("kinesis:ListStreams");
    only(&s, ID, Error);
    // A source the scan did not list, or in a region it did not read.
    let mut s = snapshot_with(vec![]);
    config(&mut s).source =
        StreamSource::KinesisStream(format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/other"));
    assert!(only(&s, ID, Error).message.contains("not among the scanned"));
    config(&mut s).source =
        StreamSource::KinesisStream(format!("arn:aws:kinesis:eu-west-1:{ACCOUNT}:stream/x"));
    assert!(only(&s, ID, Error).message.contains("not scanned"));
    config(&mut s).source = StreamSource::KinesisStream("stream/x".into());
    only(&s, ID, Error);
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = snapshot_with(vec![]);
    delivery(&mut s).config = denied("firehose:DescribeDeliveryStream");
    only(&s, ID, Error);
    at(&mut s.services.firehose, "us-east-1").delivery_streams =
        denied("firehose:ListDeliveryStreams");
    only(&s, ID, Error);
    at(&mut s.services.firehose, "us-east-1").delivery_streams = Fact::Known(vec![]);
    only(&s, ID, NotApplicable);
    s.services.firehose = None;
    only(&s, ID, Error);
}

#[test]
fn firehose_streams_are_classified_and_not_expected_in_backup_plans() {
    let s = snapshot_with(vec![]);
    let classified: Vec<String> = outcomes(&s, "scope.resources_classified")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(classified.iter().any(|a| a.contains(":firehose:")), "{classified:?}");
    let backup: Vec<String> = outcomes(&s, "backup.phi_resources_covered")
        .into_iter()
        .map(|o| o.resource.arn)
        .collect();
    assert!(!backup.iter().any(|a| a.contains(":firehose:")), "{backup:?}");
}

/// The compliant Firehose streams of one region: `claims-export`, PHI-tagged, written to
/// directly, encrypted under a customer-managed key.
pub fn delivery_streams(region: &str) -> Fact<Vec<DeliveryStream>> {
    Fact::Known(vec![DeliveryStream {
        name: "claims-export".into(),
        arn: format!("arn:aws:firehose:{region}:{ACCOUNT}:deliverystream/claims-export"),
        tags: Fact::Known(phi_tags()),
        config: Fact::Known(DeliveryStreamConfig {
            source: StreamSource::DirectPut,
            encryption: Some(ServerSideEncryption {
                status: "ENABLED".into(),
                key_type: Some("CUSTOMER_MANAGED_CMK".into()),
                key_arn: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            }),
        }),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<FirehoseRegion> {
    [(
        "us-east-1".to_string(),
        FirehoseRegion {
            delivery_streams: delivery_streams("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
