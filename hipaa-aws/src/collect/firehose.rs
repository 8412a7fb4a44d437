//! Amazon Data Firehose, per region: each Firehose stream's source and server-side encryption
//! (one `DescribeDeliveryStream` call) and its tags. No record is read. Without the `queues`
//! feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::firehose::evidence::FirehoseRegion;

#[cfg(not(feature = "queues"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<FirehoseRegion>> {
    None
}

#[cfg(feature = "queues")]
pub(crate) use with_queues::collect;

#[cfg(feature = "queues")]
mod with_queues {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_firehose::types::DeliveryStreamType;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::firehose::evidence::{
        DeliveryStream, DeliveryStreamConfig, ServerSideEncryption, StreamSource,
    };

    const STAGE: &str = "firehose";
    const DESCRIBE: &str = "firehose:DescribeDeliveryStream";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<FirehoseRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let c = client_in!(aws_sdk_firehose, &scan.config, region);
                let account = scan.account.known().map(String::as_str);
                FirehoseRegion {
                    delivery_streams: delivery_streams(l, &c, &region, &scan.partition, account)
                        .await
                        .into(),
                }
            })
            .await,
        )
    }

    async fn names(
        l: &Ledger<'_>,
        client: &aws_sdk_firehose::Client,
        region: &str,
    ) -> Result<Vec<String>, Unknown> {
        const OP: &str = "firehose:ListDeliveryStreams";
        let mut out: Vec<String> = Vec::new();
        loop {
            let o = l
                .must(
                    OP,
                    region,
                    client
                        .list_delivery_streams()
                        .limit(1000)
                        .set_exclusive_start_delivery_stream_name(out.last().cloned())
                        .send(),
                )
                .await?;
            let before = out.len();
            out.extend(o.delivery_stream_names().iter().cloned());
            if !o.has_more_delivery_streams() {
                return Ok(out);
            }
            if out.len() == before {
                return Err(l.parse_error(OP, region, "more streams announced but none given"));
            }
        }
    }

    async fn delivery_streams(
        l: &Ledger<'_>,
        client: &aws_sdk_firehose::Client,
        region: &str,
        partition: &str,
        account: Option<&str>,
    ) -> Result<Vec<DeliveryStream>, Unknown> {
        let listed = names(l, client, region).await;
        l.tick(STAGE);
        let listed = listed?;
        l.plan(listed.len() as u64, STAGE);
        let mut out: Vec<DeliveryStream> = stream::iter(listed)
            .map(|name| async move {
                let (described, tags) =
                    tokio::join!(describe(l, client, &name), tags(l, client, &name));
                l.tick(STAGE);
                let arn = match &described {
                    Ok((arn, _)) => arn.clone(),
                    // The ARN as AWS writes it, for a stream whose description failed.
                    Err(_) => format!(
                        "arn:{partition}:firehose:{region}:{}:deliverystream/{name}",
                        account.unwrap_or_default()
                    ),
                };
                DeliveryStream {
                    name,
                    arn,
                    tags: tags.into(),
                    config: described.map(|(_, c)| c).into(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The stream's ARN and what it says about its source and encryption.
    async fn describe(
        l: &Ledger<'_>,
        client: &aws_sdk_firehose::Client,
        name: &str,
    ) -> Result<(String, DeliveryStreamConfig), Unknown> {
        let o = l
            .must(
                DESCRIBE,
                name,
                client
                    .describe_delivery_stream()
                    .delivery_stream_name(name)
                    .send(),
            )
            .await?;
        let Some(d) = o.delivery_stream_description() else {
            return Err(l.parse_error(DESCRIBE, name, "the answer has no stream description"));
        };
        if d.delivery_stream_arn().is_empty() {
            return Err(l.parse_error(DESCRIBE, name, "the description has no ARN"));
        }
        let source = match d.delivery_stream_type() {
            DeliveryStreamType::DirectPut => StreamSource::DirectPut,
            DeliveryStreamType::KinesisStreamAsSource => {
                let Some(arn) = d
                    .source()
                    .and_then(|s| s.kinesis_stream_source_description())
                    .and_then(|k| k.kinesis_stream_arn())
                else {
                    return Err(l.parse_error(
                        DESCRIBE,
                        name,
                        "a stream reading Kinesis without the source stream's ARN",
                    ));
                };
                StreamSource::KinesisStream(arn.to_string())
            }
            other if other.as_str().is_empty() => {
                return Err(l.parse_error(DESCRIBE, name, "the description has no stream type"))
            }
            other => StreamSource::Other(other.as_str().to_string()),
        };
        let encryption = match d.delivery_stream_encryption_configuration() {
            None => None,
            Some(e) => {
                let Some(status) = e.status() else {
                    return Err(l.parse_error(
                        DESCRIBE,
                        name,
                        "an encryption setting without its status",
                    ));
                };
                Some(ServerSideEncryption {
                    status: status.as_str().to_string(),
                    key_type: e.key_type().map(|k| k.as_str().to_string()),
                    key_arn: e.key_arn().map(str::to_string),
                })
            }
        };
        Ok((
            d.delivery_stream_arn().to_string(),
            DeliveryStreamConfig { source, encryption },
        ))
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_firehose::Client,
        name: &str,
    ) -> Result<Tags, Unknown> {
        const OP: &str = "firehose:ListTagsForDeliveryStream";
        let mut out = Tags::new();
        let mut start: Option<String> = None;
        loop {
            let o = l
                .must(
                    OP,
                    name,
                    client
                        .list_tags_for_delivery_stream()
                        .delivery_stream_name(name)
                        .limit(50)
                        .set_exclusive_start_tag_key(start.clone())
                        .send(),
                )
                .await?;
            for t in o.tags() {
                out.insert(
                    t.key().to_string(),
                    t.value().unwrap_or_default().to_string(),
                );
            }
            let last = o.tags().last().map(|t| t.key().to_string());
            match (o.has_more_tags(), last) {
                (false, _) => return Ok(out),
                (true, Some(k)) if start.as_ref() != Some(&k) => start = Some(k),
                (true, _) => {
                    return Err(l.parse_error(OP, name, "more tags announced but none given"))
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: names over two pages, an encryption setting without its status,
        //! and a denied description (the stream keeps its ARN). moto answers the rest
        //! (tests/fixture/seed_queues.py).
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_firehose::operation::describe_delivery_stream::DescribeDeliveryStreamOutput;
        use aws_sdk_firehose::operation::list_delivery_streams::ListDeliveryStreamsOutput;
        use aws_sdk_firehose::operation::list_tags_for_delivery_stream::ListTagsForDeliveryStreamOutput;
        use aws_sdk_firehose::types::{
            DeliveryStreamDescription, DeliveryStreamEncryptionConfiguration, DeliveryStreamStatus,
        };
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        fn description(
            name: &str,
            sse: Option<DeliveryStreamEncryptionConfiguration>,
        ) -> DescribeDeliveryStreamOutput {
            DescribeDeliveryStreamOutput::builder()
                .delivery_stream_description(
                    DeliveryStreamDescription::builder()
                        .delivery_stream_name(name)
                        .delivery_stream_arn(format!(
                            "arn:aws:firehose:us-east-1:123456789012:deliverystream/{name}"
                        ))
                        .delivery_stream_status(DeliveryStreamStatus::Active)
                        .delivery_stream_type(DeliveryStreamType::DirectPut)
                        .version_id("1")
                        .set_delivery_stream_encryption_configuration(sse)
                        .set_destinations(Some(vec![]))
                        .has_more_destinations(false)
                        .build()
                        .unwrap(),
                )
                .build()
        }

        #[tokio::test]
        async fn pages_of_names_and_answers_that_leave_things_out() {
            let first = mock!(aws_sdk_firehose::Client::list_delivery_streams)
                .match_requests(|r| r.exclusive_start_delivery_stream_name().is_none())
                .then_output(|| {
                    ListDeliveryStreamsOutput::builder()
                        .delivery_stream_names("a")
                        .has_more_delivery_streams(true)
                        .build()
                        .unwrap()
                });
            let second = mock!(aws_sdk_firehose::Client::list_delivery_streams)
                .match_requests(|r| r.exclusive_start_delivery_stream_name() == Some("a"))
                .then_output(|| {
                    ListDeliveryStreamsOutput::builder()
                        .delivery_stream_names("b")
                        .has_more_delivery_streams(false)
                        .build()
                        .unwrap()
                });
            let tags =
                mock!(aws_sdk_firehose::Client::list_tags_for_delivery_stream).then_output(|| {
                    ListTagsForDeliveryStreamOutput::builder()
                        .set_tags(Some(vec![]))
                        .has_more_tags(false)
                        .build()
                        .unwrap()
                });
            // `a` has an encryption setting without a status; `b` cannot be described.
            let a = mock!(aws_sdk_firehose::Client::describe_delivery_stream)
                .match_requests(|r| r.delivery_stream_name() == Some("a"))
                .then_output(|| {
                    description(
                        "a",
                        Some(DeliveryStreamEncryptionConfiguration::builder().build()),
                    )
                });
            let b = mock!(aws_sdk_firehose::Client::describe_delivery_stream)
                .match_requests(|r| r.delivery_stream_name() == Some("b"))
                .then_http_response(|| {
                    crate::collect::mocks::json_error(
                        400,
                        "AccessDeniedException",
                        "denied",
                        "application/x-amz-json-1.1",
                    )
                });
            let client = mocked_rules!(aws_sdk_firehose, [&first, &second, &tags, &a, &b]);
            let l = Ledger::new(4, &NoProgress);
            let got = delivery_streams(&l, &client, "us-east-1", "aws", Some("123456789012"))
                .await
                .unwrap();
            assert_eq!(got.len(), 2);
            assert_eq!(
                got[0].config.get().unwrap_err().reason,
                UnknownReason::ParseError
            );
            assert_eq!(
                got[1].config.get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
            assert_eq!(
                got[1].arn,
                "arn:aws:firehose:us-east-1:123456789012:deliverystream/b"
            );
            assert_eq!(l.log().calls.get("firehose:ListDeliveryStreams"), Some(&2));
        }
    }
}
