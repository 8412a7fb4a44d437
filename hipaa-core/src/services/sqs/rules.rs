//! Amazon SQS rules: queues encrypt their messages (under a customer-managed key), and no queue
//! policy opens them to everyone or lets them be used over plain HTTP.

use super::evidence::{Queue, QueueEncryption};
use crate::aws::arn;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::kms::evidence::KeyManager;
use crate::services::kms::rules::find_key;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "sqs.encrypted",
            f: encrypted,
        },
        RuleFn {
            id: "sqs.kms_cmk",
            f: kms_cmk,
        },
        RuleFn {
            id: "sqs.not_public",
            f: not_public,
        },
        RuleFn {
            id: "sqs.tls_only",
            f: tls_only,
        },
    ]
}

const ATTRIBUTES: &str = "sqs:GetQueueAttributes";

fn each_queue(
    ctx: &Context<'_>,
    judge: impl Fn(&Queue) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.sqs, "SQS", "SQS"));
    each_listed(
        ctx,
        regions,
        "SQS queues",
        |r| &r.queues,
        |region, q| {
            let phi = PhiMark::of(&ctx.scope.phi, &q.tags);
            let res = Resource::regional(ctx, &q.arn, &q.name, "AwsSqsQueue", region, &phi);
            Outcome::from_result(res, phi, judge(q))
        },
    )
}

fn encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_queue(ctx, |q| {
        Ok(match &q.attributes.get()?.encryption {
            QueueEncryption::None => Verdict::fail(
                "server-side encryption is off: messages wait in the queue unencrypted",
            ),
            QueueEncryption::SqsManaged => {
                Verdict::pass("messages are encrypted at rest with SQS-managed keys (SSE-SQS)")
            }
            QueueEncryption::Kms(k) => Verdict::pass(format!(
                "messages are encrypted at rest with the KMS key `{k}` (SSE-KMS)"
            )),
        })
    })
}

/// A key reference as SQS accepts it (alias name, key id, alias ARN or key ARN) as a full ARN
/// in the queue's partition, region and account, so it can be looked up among the scanned keys.
fn key_arn(reference: &str, queue_arn: &str) -> Option<String> {
    if reference.starts_with("arn:") {
        return Some(reference.to_string());
    }
    let partition = queue_arn.split(':').nth(1).filter(|p| !p.is_empty())?;
    let (region, account) = (arn::region(queue_arn)?, arn::account(queue_arn)?);
    let resource = if reference.starts_with("alias/") {
        reference.to_string()
    } else {
        format!("key/{reference}")
    };
    Some(format!("arn:{partition}:kms:{region}:{account}:{resource}"))
}

fn kms_cmk(ctx: &Context<'_>) -> Vec<Outcome> {
    each_queue(ctx, |q| match &q.attributes.get()?.encryption {
        QueueEncryption::None => Ok(Verdict::fail(
            "server-side encryption is off, so no key of yours protects the messages",
        )),
        QueueEncryption::SqsManaged => Ok(Verdict::fail(
            "encrypted with SQS-managed keys (SSE-SQS): no key policy of yours limits who can decrypt the messages, and no key use shows in CloudTrail",
        )),
        QueueEncryption::Kms(k) => {
            let key = key_arn(k, &q.arn).ok_or_else(|| {
                Unknown::new(
                    UnknownReason::ParseError,
                    ATTRIBUTES,
                    format!("`{k}` is not a KMS key reference"),
                )
            })?;
            // `alias/aws/...` names only AWS-managed keys; no customer alias may start so.
            if arn::resource(&key).is_some_and(|r| r.starts_with("alias/aws/")) {
                return Ok(Verdict::fail(format!(
                    "encrypted with the AWS-managed key `{k}`, whose policy you cannot restrict"
                )));
            }
            let found = find_key(ctx, &key, ATTRIBUTES)?;
            Ok(match found.metadata.get()?.manager {
                KeyManager::Customer => Verdict::pass(format!(
                    "encrypted with the customer-managed key `{}`",
                    found.display_name()
                )),
                KeyManager::Aws => Verdict::fail(format!(
                    "encrypted with the AWS-managed key `{}`, whose policy you cannot restrict",
                    found.display_name()
                )),
            })
        }
    })
}

/// The queue policy, parsed; `None` when the queue has none.
fn policy(q: &Queue) -> Result<Option<PolicyDocument>, Unknown> {
    let Some(text) = &q.attributes.get()?.policy else {
        return Ok(None);
    };
    PolicyDocument::parse(text).map(Some).map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            ATTRIBUTES,
            format!("the queue policy does not parse: {}", e.message),
        )
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_queue(ctx, |q| {
        let Some(doc) = policy(q)? else {
            return Ok(Verdict::pass(
                "no queue policy: only the account's IAM policies grant access",
            ));
        };
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("the queue policy grants nothing to everyone")
        } else {
            let what: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the queue policy lets anyone use the queue in statement {}",
                what.join("; ")
            ))
        })
    })
}

fn tls_only(ctx: &Context<'_>) -> Vec<Outcome> {
    each_queue(ctx, |q| {
        let Some(doc) = policy(q)? else {
            return Ok(Verdict::fail(
                "the queue has no policy, so messages may be sent and received over plain HTTP",
            ));
        };
        Ok(if doc.denies_insecure_transport("sqs") {
            Verdict::pass("the queue policy denies requests with aws:SecureTransport = false")
        } else {
            Verdict::fail(
                "the queue policy does not deny sending and receiving with aws:SecureTransport = false",
            )
        })
    })
}
