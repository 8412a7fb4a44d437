//! SQS in infrastructure code: `AWS::SQS::Queue` with `AWS::SQS::QueuePolicy`; Terraform's
//! `aws_sqs_queue` (its inline `policy`) with `aws_sqs_queue_policy`. A queue the code says
//! nothing about encrypting gets SSE-SQS, as SQS creates every new queue since 2022; a queue
//! without a policy has none.

use super::evidence::{Queue, QueueAttributes, QueueEncryption, SqsRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::{any_of, by_region};

const QUEUES: &[&str] = &["AWS::SQS::Queue", "aws_sqs_queue"];
const POLICIES: &[&str] = &["AWS::SQS::QueuePolicy", "aws_sqs_queue_policy"];

/// The SQS section from every queue of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, QUEUES) {
        return;
    }
    let section = by_region(
        sources,
        || SqsRegion {
            queues: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Queue> = src.of(QUEUES).map(|r| queue(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.queues {
                l.extend(list);
            }
        },
    );
    out.services.sqs = Some(section);
}

/// A queue's name when the code fixes it, for links by literal name or URL.
fn queue_name(r: &Res) -> Option<String> {
    match r.props.get(if r.kind.contains("::") { "QueueName" } else { "name" }) {
        crate::iac::value::Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn encryption(src: &Source, r: &Res) -> Result<QueueEncryption, Unknown> {
    let p = &r.props;
    let (key, managed) = if src.is_cfn() {
        ("KmsMasterKeyId", "SqsManagedSseEnabled")
    } else {
        ("kms_master_key_id", "sqs_managed_sse_enabled")
    };
    if let Some(k) = p.get(key).name(key)? {
        return Ok(QueueEncryption::Kms(k));
    }
    Ok(match p.get(managed).boolean(managed)? {
        Some(false) => QueueEncryption::None,
        _ => QueueEncryption::SqsManaged,
    })
}

fn policy(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    let (path, doc) = if src.is_cfn() {
        ("Queues", "PolicyDocument")
    } else {
        ("queue_url", "policy")
    };
    // A separate policy resource replaces the queue's own.
    if let Some(p) = src.attached(r, POLICIES, &[path], QUEUES, queue_name)?.last() {
        return p.props.get(doc).json_text(doc);
    }
    if src.is_cfn() {
        Ok(None)
    } else {
        r.props.get("policy").json_text("policy")
    }
}

fn queue(src: &Source, r: &Res, out: &mut Converted) -> Queue {
    let arn = src.arn(r);
    out.add(r, &arn);
    let attributes = encryption(src, r).and_then(|encryption| {
        Ok(QueueAttributes {
            encryption,
            policy: policy(src, r)?,
        })
    });
    Queue {
        url: format!("https://sqs.{}.amazonaws.com/{}/{}", src.region, src.account, r.id),
        arn,
        name: r.id.clone(),
        tags: r.tags("Tags").into(),
        attributes: attributes.into(),
    }
}
