//! Kinesis Data Streams in infrastructure code: `AWS::Kinesis::Stream` (`StreamEncryption`) and
//! Terraform's `aws_kinesis_stream` (`encryption_type`, `kms_key_id`). A stream the code does not
//! encrypt is not encrypted.

use super::evidence::{DataStream, KinesisRegion, StreamEncryption};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::open;
use crate::iac::{any_of, by_region};

const STREAMS: &[&str] = &["AWS::Kinesis::Stream", "aws_kinesis_stream"];

/// The Kinesis section from every data stream of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, STREAMS) {
        return;
    }
    let section = by_region(
        sources,
        || KinesisRegion {
            streams: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<DataStream> = src.of(STREAMS).map(|r| stream(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.streams {
                l.extend(list);
            }
        },
    );
    out.services.kinesis = Some(section);
}

fn encryption(src: &Source, r: &Res) -> Result<StreamEncryption, Unknown> {
    let p = &r.props;
    let (kind, key) = if src.is_cfn() {
        let e = p.get("StreamEncryption");
        (
            e.get("EncryptionType").text("StreamEncryption.EncryptionType")?,
            e.get("KeyId").name("StreamEncryption.KeyId")?,
        )
    } else {
        (
            p.get("encryption_type").text("encryption_type")?,
            p.get("kms_key_id").name("kms_key_id")?,
        )
    };
    match (kind.as_deref(), key) {
        (Some("KMS"), Some(k)) => Ok(StreamEncryption::Kms(k)),
        (Some("KMS"), None) => Err(open("kms_key_id", "encryption is KMS but no key is named")),
        _ => Ok(StreamEncryption::None),
    }
}

fn stream(src: &Source, r: &Res, out: &mut Converted) -> DataStream {
    let arn = src.arn(r);
    out.add(r, &arn);
    DataStream {
        name: r.id.clone(),
        arn,
        tags: r.tags("Tags").into(),
        encryption: encryption(src, r).into(),
    }
}
