//! SNS in infrastructure code: `AWS::SNS::Topic` with `AWS::SNS::TopicPolicy`; Terraform's
//! `aws_sns_topic` (its inline `policy`) with `aws_sns_topic_policy`. A topic the code does not
//! encrypt is not encrypted; a topic given no policy has the default one SNS writes, which lets
//! only the owning account use it.

use super::evidence::{SnsRegion, Topic, TopicAttributes};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::{any_of, by_region};

const TOPICS: &[&str] = &["AWS::SNS::Topic", "aws_sns_topic"];
const POLICIES: &[&str] = &["AWS::SNS::TopicPolicy", "aws_sns_topic_policy"];

/// The SNS section from every topic of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, TOPICS) {
        return;
    }
    let section = by_region(
        sources,
        || SnsRegion {
            topics: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Topic> = src.of(TOPICS).map(|r| topic(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.topics {
                l.extend(list);
            }
        },
    );
    out.services.sns = Some(section);
}

/// The policy SNS gives a topic created without one: the owning account only.
fn default_policy(arn: &str, account: &str) -> String {
    serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"
            ],
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}}
        }]
    })
    .to_string()
}

fn policy(src: &Source, r: &Res, arn: &str) -> Result<String, Unknown> {
    let (path, doc) = if src.is_cfn() {
        ("Topics", "PolicyDocument")
    } else {
        ("arn", "policy")
    };
    let policy = match src.attached(r, POLICIES, &[path], TOPICS, |_| None)?.last() {
        Some(p) => p.props.get(doc).json_text(doc)?,
        None if src.is_cfn() => None,
        None => r.props.get("policy").json_text("policy")?,
    };
    Ok(policy.unwrap_or_else(|| default_policy(arn, &src.account)))
}

fn topic(src: &Source, r: &Res, out: &mut Converted) -> Topic {
    let arn = src.arn(r);
    out.add(r, &arn);
    let key = if src.is_cfn() {
        "KmsMasterKeyId"
    } else {
        "kms_master_key_id"
    };
    let attributes = r.props.get(key).name(key).and_then(|kms_key_id| {
        Ok(TopicAttributes {
            kms_key_id,
            policy: policy(src, r, &arn)?,
        })
    });
    Topic {
        arn,
        name: r.id.clone(),
        tags: r.tags("Tags").into(),
        attributes: attributes.into(),
    }
}
