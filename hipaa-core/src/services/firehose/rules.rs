//! Amazon Data Firehose rules: records a Firehose stream holds are encrypted at rest, by its own
//! server-side encryption or, for a stream that reads a Kinesis data stream, by that stream's.

use super::evidence::{DeliveryStream, StreamSource};
use crate::aws::arn;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::kinesis::evidence::{DataStream, StreamEncryption};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "firehose.kms_encryption",
        f: kms_encryption,
    }]
}

fn each_delivery_stream(
    ctx: &Context<'_>,
    judge: impl Fn(&DeliveryStream) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.firehose, "Firehose", "Firehose"));
    each_listed(
        ctx,
        regions,
        "Firehose streams",
        |r| &r.delivery_streams,
        |region, s| {
            let phi = PhiMark::of(&ctx.scope.phi, &s.tags);
            let res = Resource::regional(
                ctx,
                &s.arn,
                &s.name,
                "AwsKinesisFirehoseDeliveryStream",
                region,
                &phi,
            );
            Outcome::from_result(res, phi, judge(s))
        },
    )
}

/// The scanned Kinesis data stream a Firehose stream reads, or why it cannot be judged.
fn source_stream<'a>(ctx: &Context<'a>, source: &str) -> Result<&'a DataStream, Unknown> {
    let not_scanned =
        |why: String| Unknown::new(UnknownReason::NotCollected, "kinesis:ListStreams", why);
    let Some(region) = arn::region(source) else {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            "firehose:DescribeDeliveryStream",
            format!("`{source}` is not a Kinesis stream ARN"),
        ));
    };
    let Some(kinesis) = ctx
        .snapshot
        .services
        .kinesis
        .as_ref()
        .and_then(|k| k.get(region))
    else {
        return Err(not_scanned(format!(
            "Kinesis streams in {region} were not scanned, so source stream `{source}` cannot be checked"
        )));
    };
    kinesis
        .streams
        .get()?
        .iter()
        .find(|s| s.arn == source)
        .ok_or_else(|| {
            not_scanned(format!(
                "source stream `{source}` is not among the scanned Kinesis streams of {region}"
            ))
        })
}

fn kms_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_delivery_stream(ctx, |d| {
        let config = d.config.get()?;
        if let StreamSource::KinesisStream(source) = &config.source {
            // Firehose keeps no copy of what it reads from a data stream: the records rest there.
            let s = source_stream(ctx, source)?;
            return Ok(match s.encryption.get()? {
                StreamEncryption::Kms(k) => Verdict::pass(format!(
                    "reads the Kinesis stream `{}`, which keeps the records encrypted with the KMS key `{k}`",
                    s.name
                )),
                StreamEncryption::None => Verdict::fail(format!(
                    "reads the Kinesis stream `{}`, which keeps the records unencrypted",
                    s.name
                )),
            });
        }
        let Some(sse) = &config.encryption else {
            return Ok(Verdict::fail(
                "server-side encryption is off: records buffered in the stream are stored unencrypted",
            ));
        };
        Ok(match sse.status.as_str() {
            "ENABLED" => match (sse.key_type.as_deref(), sse.key_arn.as_deref()) {
                (Some("CUSTOMER_MANAGED_CMK"), Some(k)) => Verdict::pass(format!(
                    "records are encrypted at rest with the customer-managed KMS key `{k}`"
                )),
                _ => Verdict::pass("records are encrypted at rest with an AWS-owned KMS key"),
            },
            "ENABLING" => Verdict::fail(
                "server-side encryption is being turned on: records written until it is on are not encrypted",
            ),
            other => Verdict::fail(format!(
                "server-side encryption is {}: records buffered in the stream are stored unencrypted",
                other.to_ascii_lowercase().replace('_', " ")
            )),
        })
    })
}
