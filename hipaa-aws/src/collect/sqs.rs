//! Amazon SQS, per region: each queue's encryption and policy (one `GetQueueAttributes` call)
//! and its tags. No message is read. Without the `queues` feature nothing is read and the
//! section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::sqs::evidence::SqsRegion;

#[cfg(not(feature = "queues"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<SqsRegion>> {
    None
}

#[cfg(feature = "queues")]
pub(crate) use with_queues::collect;

#[cfg(feature = "queues")]
mod with_queues {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_sqs::types::QueueAttributeName;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::sqs::evidence::{Queue, QueueAttributes, QueueEncryption};

    const STAGE: &str = "sqs";
    const ATTRIBUTES: &str = "sqs:GetQueueAttributes";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<SqsRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let c = client_in!(aws_sdk_sqs, &scan.config, region);
                SqsRegion {
                    queues: queues(l, &c, &region, &scan.partition).await.into(),
                }
            })
            .await,
        )
    }

    /// A queue's ARN from its URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`): the URL's
    /// last two path segments are the account and the name. `None` for any other shape.
    pub(super) fn queue_arn(url: &str, region: &str, partition: &str) -> Option<(String, String)> {
        let mut parts = url.trim_end_matches('/').rsplit('/');
        let name = parts.next().filter(|n| !n.is_empty())?;
        let account = parts
            .next()
            .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))?;
        Some((
            format!("arn:{partition}:sqs:{region}:{account}:{name}"),
            name.to_string(),
        ))
    }

    async fn queues(
        l: &Ledger<'_>,
        client: &aws_sdk_sqs::Client,
        region: &str,
        partition: &str,
    ) -> Result<Vec<Queue>, Unknown> {
        const OP: &str = "sqs:ListQueues";
        let listed = async {
            // Without MaxResults, ListQueues stops at 1,000 queues and gives no token.
            let mut pages = client
                .list_queues()
                .max_results(1000)
                .into_paginator()
                .send();
            let mut out = Vec::new();
            while let Some(page) = l.page(OP, region, pages.next()).await? {
                for url in page.queue_urls() {
                    let Some((arn, name)) = queue_arn(url, region, partition) else {
                        return Err(l.parse_error(
                            OP,
                            region,
                            format!("a queue URL without an account and name: `{url}`"),
                        ));
                    };
                    out.push((url.clone(), arn, name));
                }
            }
            Ok(out)
        }
        .await;
        l.tick(STAGE);
        let listed = listed?;
        l.plan(listed.len() as u64, STAGE);
        let mut out: Vec<Queue> = stream::iter(listed)
            .map(|(url, arn, name)| async move {
                let (attributes, tags) = tokio::join!(
                    attributes(l, client, &url, &name),
                    tags(l, client, &url, &name)
                );
                l.tick(STAGE);
                Queue {
                    url,
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

    /// Encryption and policy in one read.
    async fn attributes(
        l: &Ledger<'_>,
        client: &aws_sdk_sqs::Client,
        url: &str,
        name: &str,
    ) -> Result<QueueAttributes, Unknown> {
        let o = l
            .must(
                ATTRIBUTES,
                name,
                client
                    .get_queue_attributes()
                    .queue_url(url)
                    .attribute_names(QueueAttributeName::KmsMasterKeyId)
                    .attribute_names(QueueAttributeName::SqsManagedSseEnabled)
                    .attribute_names(QueueAttributeName::Policy)
                    .send(),
            )
            .await?;
        let empty = Default::default();
        let attrs = o.attributes().unwrap_or(&empty);
        let get =
            |k: QueueAttributeName| attrs.get(&k).map(String::as_str).filter(|v| !v.is_empty());
        let encryption = match (
            get(QueueAttributeName::KmsMasterKeyId),
            get(QueueAttributeName::SqsManagedSseEnabled),
        ) {
            (Some(key), _) => QueueEncryption::Kms(key.to_string()),
            (None, Some(v)) if v.eq_ignore_ascii_case("true") => QueueEncryption::SqsManaged,
            (None, Some(v)) if v.eq_ignore_ascii_case("false") => QueueEncryption::None,
            (None, Some(v)) => {
                return Err(l.parse_error(
                    ATTRIBUTES,
                    name,
                    format!("SqsManagedSseEnabled is `{v}`, not true or false"),
                ))
            }
            (None, None) => {
                return Err(l.parse_error(
                    ATTRIBUTES,
                    name,
                    "the answer gives neither KmsMasterKeyId nor SqsManagedSseEnabled",
                ))
            }
        };
        Ok(QueueAttributes {
            encryption,
            policy: get(QueueAttributeName::Policy).map(str::to_string),
        })
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_sqs::Client,
        url: &str,
        name: &str,
    ) -> Result<Tags, Unknown> {
        let o = l
            .must(
                "sqs:ListQueueTags",
                name,
                client.list_queue_tags().queue_url(url).send(),
            )
            .await?;
        Ok(o.tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a queue answer that leaves out its encryption, and a denied tag
        //! read. moto answers the rest (tests/fixture/seed_queues.py).
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput;
        use aws_sdk_sqs::operation::list_queue_tags::ListQueueTagsOutput;
        use aws_sdk_sqs::operation::list_queues::ListQueuesOutput;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/claims-intake";

        fn list() -> aws_smithy_mocks::Rule {
            mock!(aws_sdk_sqs::Client::list_queues)
                .then_output(|| ListQueuesOutput::builder().queue_urls(URL).build())
        }

        #[test]
        fn arns_come_from_queue_urls() {
            assert_eq!(
                queue_arn(URL, "us-east-1", "aws"),
                Some((
                    "arn:aws:sqs:us-east-1:123456789012:claims-intake".into(),
                    "claims-intake".into()
                ))
            );
            assert_eq!(
                queue_arn(
                    "http://127.0.0.1:5000/123456789012/q.fifo",
                    "eu-west-1",
                    "aws"
                )
                .map(|a| a.0),
                Some("arn:aws:sqs:eu-west-1:123456789012:q.fifo".into())
            );
            assert_eq!(
                queue_arn("https://sqs.us-east-1.amazonaws.com/q", "us-east-1", "aws"),
                None
            );
        }

        #[tokio::test]
        async fn attributes_in_one_read_and_failures_kept_apart() {
            let attrs = mock!(aws_sdk_sqs::Client::get_queue_attributes).then_output(|| {
                GetQueueAttributesOutput::builder()
                    .attributes(QueueAttributeName::KmsMasterKeyId, "alias/aws/sqs")
                    .attributes(QueueAttributeName::SqsManagedSseEnabled, "false")
                    .build()
            });
            let tags = mock!(aws_sdk_sqs::Client::list_queue_tags).then_output(|| {
                ListQueueTagsOutput::builder()
                    .tags("DataClass", "PHI")
                    .build()
            });
            let client = mocked_rules!(aws_sdk_sqs, [&list(), &attrs, &tags]);
            let l = Ledger::new(4, &NoProgress);
            let got = queues(&l, &client, "us-east-1", "aws").await.unwrap();
            assert_eq!(got.len(), 1);
            let a = got[0].attributes.known().unwrap();
            assert_eq!(a.encryption, QueueEncryption::Kms("alias/aws/sqs".into()));
            assert_eq!(a.policy, None);
            assert_eq!(
                got[0]
                    .tags
                    .known()
                    .and_then(|t| t.get("DataClass"))
                    .map(String::as_str),
                Some("PHI")
            );
            assert_eq!(l.log().calls.get(ATTRIBUTES), Some(&1));

            // An answer without either encryption attribute is a failed read, never "off".
            let silent = mock!(aws_sdk_sqs::Client::get_queue_attributes)
                .then_output(|| GetQueueAttributesOutput::builder().build());
            let denied = mock!(aws_sdk_sqs::Client::list_queue_tags).then_http_response(|| {
                crate::collect::mocks::json_error(
                    400,
                    "AccessDenied",
                    "denied",
                    "application/x-amz-json-1.0",
                )
            });
            let client = mocked_rules!(aws_sdk_sqs, [&list(), &silent, &denied]);
            let l = Ledger::new(4, &NoProgress);
            let got = queues(&l, &client, "us-east-1", "aws").await.unwrap();
            let u = got[0].attributes.clone().get().cloned().unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
            let u = got[0].tags.clone().get().cloned().unwrap_err();
            assert_eq!(u.reason, UnknownReason::AccessDenied);
        }
    }
}
