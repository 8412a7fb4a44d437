//! Amazon SNS, per region: each topic's encryption key and policy (one `GetTopicAttributes`
//! call) and its tags. No message is read. Without the `queues` feature nothing is read and the
//! section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::sns::evidence::SnsRegion;

#[cfg(not(feature = "queues"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<SnsRegion>> {
    None
}

#[cfg(feature = "queues")]
pub(crate) use with_queues::collect;

#[cfg(feature = "queues")]
mod with_queues {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::sns::evidence::{Topic, TopicAttributes};

    const STAGE: &str = "sns";
    const ATTRIBUTES: &str = "sns:GetTopicAttributes";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<SnsRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let c = client_in!(aws_sdk_sns, &scan.config, region);
                SnsRegion {
                    topics: topics(l, &c, &region).await.into(),
                }
            })
            .await,
        )
    }

    async fn topics(
        l: &Ledger<'_>,
        client: &aws_sdk_sns::Client,
        region: &str,
    ) -> Result<Vec<Topic>, Unknown> {
        const OP: &str = "sns:ListTopics";
        let listed = async {
            let mut pages = client.list_topics().into_paginator().send();
            let mut out = Vec::new();
            while let Some(page) = l.page(OP, region, pages.next()).await? {
                for t in page.topics() {
                    let Some(arn) = t.topic_arn() else {
                        return Err(l.parse_error(OP, region, "a topic without an ARN"));
                    };
                    out.push(arn.to_string());
                }
            }
            Ok(out)
        }
        .await;
        l.tick(STAGE);
        let listed = listed?;
        l.plan(listed.len() as u64, STAGE);
        let mut out: Vec<Topic> = stream::iter(listed)
            .map(|arn| async move {
                let (attributes, tags) =
                    tokio::join!(attributes(l, client, &arn), tags(l, client, &arn));
                l.tick(STAGE);
                let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
                Topic {
                    arn,
                    name,
                    tags: tags.into(),
                    attributes: attributes.into(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.arn.cmp(&b.arn));
        Ok(out)
    }

    /// Encryption key and policy in one read; every topic has a policy, so an answer without
    /// one is a failed read.
    async fn attributes(
        l: &Ledger<'_>,
        client: &aws_sdk_sns::Client,
        arn: &str,
    ) -> Result<TopicAttributes, Unknown> {
        let o = l
            .must(
                ATTRIBUTES,
                arn,
                client.get_topic_attributes().topic_arn(arn).send(),
            )
            .await?;
        let Some(attrs) = o.attributes() else {
            return Err(l.parse_error(ATTRIBUTES, arn, "the answer has no attributes"));
        };
        let Some(policy) = attrs.get("Policy").filter(|p| !p.is_empty()) else {
            return Err(l.parse_error(ATTRIBUTES, arn, "the answer has no topic policy"));
        };
        Ok(TopicAttributes {
            kms_key_id: attrs
                .get("KmsMasterKeyId")
                .filter(|k| !k.is_empty())
                .cloned(),
            policy: policy.clone(),
        })
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_sns::Client,
        arn: &str,
    ) -> Result<Tags, Unknown> {
        let o = l
            .must(
                "sns:ListTagsForResource",
                arn,
                client.list_tags_for_resource().resource_arn(arn).send(),
            )
            .await?;
        Ok(o.tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect())
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: an answer without the topic policy. moto answers the rest
        //! (tests/fixture/seed_queues.py).
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_sns::operation::get_topic_attributes::GetTopicAttributesOutput;
        use aws_sdk_sns::operation::list_tags_for_resource::ListTagsForResourceOutput;
        use aws_sdk_sns::operation::list_topics::ListTopicsOutput;
        use aws_sdk_sns::types::Topic as SdkTopic;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        const ARN: &str = "arn:aws:sns:us-east-1:123456789012:lab-results";

        #[tokio::test]
        async fn a_topic_without_its_policy_is_a_failed_read() {
            let list = mock!(aws_sdk_sns::Client::list_topics).then_output(|| {
                ListTopicsOutput::builder()
                    .topics(SdkTopic::builder().topic_arn(ARN).build())
                    .build()
            });
            let tags = mock!(aws_sdk_sns::Client::list_tags_for_resource)
                .then_output(|| ListTagsForResourceOutput::builder().build());
            let full = mock!(aws_sdk_sns::Client::get_topic_attributes).then_output(|| {
                GetTopicAttributesOutput::builder()
                    .attributes("Policy", r#"{"Version":"2012-10-17","Statement":[]}"#)
                    .attributes("KmsMasterKeyId", "alias/aws/sns")
                    .build()
            });
            let client = mocked_rules!(aws_sdk_sns, [&list, &tags, &full]);
            let l = Ledger::new(4, &NoProgress);
            let got = topics(&l, &client, "us-east-1").await.unwrap();
            assert_eq!(got[0].name, "lab-results");
            let a = got[0].attributes.known().unwrap();
            assert_eq!(a.kms_key_id.as_deref(), Some("alias/aws/sns"));
            assert_eq!(got[0].tags.known().map(|t| t.len()), Some(0));

            let bare = mock!(aws_sdk_sns::Client::get_topic_attributes).then_output(|| {
                GetTopicAttributesOutput::builder()
                    .attributes("TopicArn", ARN)
                    .build()
            });
            let client = mocked_rules!(aws_sdk_sns, [&list, &tags, &bare]);
            let l = Ledger::new(4, &NoProgress);
            let got = topics(&l, &client, "us-east-1").await.unwrap();
            let u = got[0].attributes.get().unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
        }
    }
}
