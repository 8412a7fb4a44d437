//! Data Firehose in infrastructure code: `AWS::KinesisFirehose::DeliveryStream` and Terraform's
//! `aws_kinesis_firehose_delivery_stream`: where the records come from (a Kinesis stream of the
//! code is linked by its stand-in ARN) and server-side encryption, which is off unless the code
//! turns it on.

use super::evidence::{
    DeliveryStream, DeliveryStreamConfig, FirehoseRegion, ServerSideEncryption, StreamSource,
};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const STREAMS: &[&str] = &[
    "AWS::KinesisFirehose::DeliveryStream",
    "aws_kinesis_firehose_delivery_stream",
];

/// The Firehose section from every Firehose stream of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, STREAMS) {
        return;
    }
    let section = by_region(
        sources,
        || FirehoseRegion {
            delivery_streams: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<DeliveryStream> =
                src.of(STREAMS).map(|r| delivery_stream(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.delivery_streams {
                l.extend(list);
            }
        },
    );
    out.services.firehose = Some(section);
}

/// The first block of a Terraform nested block list (or a CloudFormation mapping as is).
fn block<'a>(v: &'a Val, path: &str) -> Result<&'a Val, Unknown> {
    Ok(match v {
        Val::List(_) => v.items(path)?.first().copied().unwrap_or(&Val::Null),
        other => other,
    })
}

fn config(src: &Source, r: &Res) -> Result<DeliveryStreamConfig, Unknown> {
    let p = &r.props;
    if src.is_cfn() {
        let kind = p.get("DeliveryStreamType").text("DeliveryStreamType")?;
        let source = match kind.as_deref() {
            None | Some("DirectPut") => StreamSource::DirectPut,
            Some("KinesisStreamAsSource") => {
                let path = "KinesisStreamSourceConfiguration.KinesisStreamARN";
                let arn = p
                    .at(&["KinesisStreamSourceConfiguration", "KinesisStreamARN"])
                    .name(path)?
                    .ok_or_else(|| open(path, "the source stream is not named"))?;
                StreamSource::KinesisStream(arn)
            }
            Some(other) => StreamSource::Other(other.to_string()),
        };
        let e = p.get("DeliveryStreamEncryptionConfigurationInput");
        let encryption = match e {
            Val::Null => None,
            e => Some(ServerSideEncryption {
                status: "ENABLED".into(),
                key_type: e.get("KeyType").text("KeyType")?,
                key_arn: e.get("KeyARN").name("KeyARN")?,
            }),
        };
        return Ok(DeliveryStreamConfig { source, encryption });
    }
    let ks = block(p.get("kinesis_source_configuration"), "kinesis_source_configuration")?;
    let source = match ks {
        Val::Null if p.get("msk_source_configuration").items("msk_source_configuration")?.is_empty() => {
            StreamSource::DirectPut
        }
        Val::Null => StreamSource::Other("MSKAsSource".into()),
        ks => {
            let path = "kinesis_source_configuration.kinesis_stream_arn";
            StreamSource::KinesisStream(
                ks.get("kinesis_stream_arn")
                    .name(path)?
                    .ok_or_else(|| open(path, "the source stream is not named"))?,
            )
        }
    };
    let sse = block(p.get("server_side_encryption"), "server_side_encryption")?;
    let encryption = match sse.get("enabled").boolean("server_side_encryption.enabled")? {
        Some(true) => Some(ServerSideEncryption {
            status: "ENABLED".into(),
            key_type: Some(
                sse.get("key_type")
                    .text("server_side_encryption.key_type")?
                    .unwrap_or_else(|| "AWS_OWNED_CMK".into()),
            ),
            key_arn: sse.get("key_arn").name("server_side_encryption.key_arn")?,
        }),
        _ => None,
    };
    Ok(DeliveryStreamConfig { source, encryption })
}

fn delivery_stream(src: &Source, r: &Res, out: &mut Converted) -> DeliveryStream {
    let arn = src.arn(r);
    out.add(r, &arn);
    DeliveryStream {
        name: r.id.clone(),
        arn,
        tags: r.tags("Tags").into(),
        config: config(src, r).into(),
    }
}
