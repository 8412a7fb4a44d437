//! Amazon Kinesis Data Streams rules: streams encrypt their records with KMS.

use super::evidence::{DataStream, StreamEncryption};
use crate::evidence::Unknown;
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "kinesis.kms_encryption",
        f: kms_encryption,
    }]
}

fn each_stream(
    ctx: &Context<'_>,
    judge: impl Fn(&DataStream) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.kinesis, "Kinesis", "Kinesis"));
    each_listed(
        ctx,
        regions,
        "Kinesis data streams",
        |r| &r.streams,
        |region, s| {
            let phi = PhiMark::of(&ctx.scope.phi, &s.tags);
            let res = Resource::regional(ctx, &s.arn, &s.name, "AwsKinesisStream", region, &phi);
            Outcome::from_result(res, phi, judge(s))
        },
    )
}

fn kms_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_stream(ctx, |s| {
        Ok(match s.encryption.get()? {
            StreamEncryption::None => Verdict::fail(
                "server-side encryption is off: records are stored unencrypted for the whole retention period",
            ),
            StreamEncryption::Kms(k) => Verdict::pass(format!(
                "records are encrypted at rest with the KMS key `{k}`"
            )),
        })
    })
}
