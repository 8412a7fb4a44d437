//! Amazon SNS rules: topics encrypt the messages they hold with KMS, and no topic policy opens
//! them to everyone or lets messages be published over plain HTTP.

use super::evidence::Topic;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "sns.kms_encryption",
            f: kms_encryption,
        },
        RuleFn {
            id: "sns.not_public",
            f: not_public,
        },
        RuleFn {
            id: "sns.tls_only",
            f: tls_only,
        },
    ]
}

fn each_topic(
    ctx: &Context<'_>,
    judge: impl Fn(&Topic) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.sns, "SNS", "SNS"));
    each_listed(
        ctx,
        regions,
        "SNS topics",
        |r| &r.topics,
        |region, t| {
            let phi = PhiMark::of(&ctx.scope.phi, &t.tags);
            let res = Resource::regional(ctx, &t.arn, &t.name, "AwsSnsTopic", region, &phi);
            Outcome::from_result(res, phi, judge(t))
        },
    )
}

fn kms_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_topic(ctx, |t| {
        Ok(match &t.attributes.get()?.kms_key_id {
            None => Verdict::fail(
                "server-side encryption is off: messages are stored unencrypted until every subscriber has them",
            ),
            Some(k) => Verdict::pass(format!(
                "messages are encrypted at rest with the KMS key `{k}`"
            )),
        })
    })
}

fn policy(t: &Topic) -> Result<PolicyDocument, Unknown> {
    PolicyDocument::parse(&t.attributes.get()?.policy).map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            "sns:GetTopicAttributes",
            format!("the topic policy does not parse: {}", e.message),
        )
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_topic(ctx, |t| {
        let public = policy(t)?.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("the topic policy grants nothing to everyone")
        } else {
            let what: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the topic policy lets anyone use the topic in statement {}",
                what.join("; ")
            ))
        })
    })
}

fn tls_only(ctx: &Context<'_>) -> Vec<Outcome> {
    each_topic(ctx, |t| {
        Ok(if policy(t)?.denies_insecure_transport("sns") {
            Verdict::pass("the topic policy denies publishing with aws:SecureTransport = false")
        } else {
            Verdict::fail(
                "the topic policy does not deny publishing with aws:SecureTransport = false, so messages may be published over plain HTTP",
            )
        })
    })
}
