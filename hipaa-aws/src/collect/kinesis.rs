//! Amazon Kinesis Data Streams, per region: each stream's server-side encryption and tags. No
//! record is read. Without the `queues` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::kinesis::evidence::KinesisRegion;

#[cfg(not(feature = "queues"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<KinesisRegion>> {
    None
}

#[cfg(feature = "queues")]
pub(crate) use with_queues::collect;

#[cfg(feature = "queues")]
mod with_queues {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_kinesis::types::EncryptionType;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::kinesis::evidence::{DataStream, StreamEncryption};
    use std::collections::BTreeMap;

    const STAGE: &str = "kinesis";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<KinesisRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let c = client_in!(aws_sdk_kinesis, &scan.config, region);
                KinesisRegion {
                    streams: streams(l, &c, &region).await.into(),
                }
            })
            .await,
        )
    }

    async fn streams(
        l: &Ledger<'_>,
        client: &aws_sdk_kinesis::Client,
        region: &str,
    ) -> Result<Vec<DataStream>, Unknown> {
        const OP: &str = "kinesis:ListStreams";
        let listed = async {
            let mut pages = client.list_streams().into_paginator().send();
            // By ARN: an answer may repeat a summary across pages.
            let mut out: BTreeMap<String, String> = BTreeMap::new();
            while let Some(page) = l.page(OP, region, pages.next()).await? {
                for s in page.stream_summaries() {
                    if s.stream_arn().is_empty() || s.stream_name().is_empty() {
                        return Err(l.parse_error(OP, region, "a stream without a name or ARN"));
                    }
                    out.insert(s.stream_arn().to_string(), s.stream_name().to_string());
                }
                // Every listed name needs its summary (the ARN), or a stream would go unseen.
                if let Some(missing) = page
                    .stream_names()
                    .iter()
                    .find(|n| !out.values().any(|v| v == *n))
                {
                    return Err(l.parse_error(
                        OP,
                        region,
                        format!("stream `{missing}` is listed without its summary"),
                    ));
                }
            }
            Ok(out)
        }
        .await;
        l.tick(STAGE);
        let listed = listed?;
        l.plan(listed.len() as u64, STAGE);
        let mut out: Vec<DataStream> = stream::iter(listed)
            .map(|(arn, name)| async move {
                let (encryption, tags) =
                    tokio::join!(encryption(l, client, &arn), tags(l, client, &arn));
                l.tick(STAGE);
                DataStream {
                    name,
                    arn,
                    tags: tags.into(),
                    encryption: encryption.into(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.arn.cmp(&b.arn));
        Ok(out)
    }

    async fn encryption(
        l: &Ledger<'_>,
        client: &aws_sdk_kinesis::Client,
        arn: &str,
    ) -> Result<StreamEncryption, Unknown> {
        const OP: &str = "kinesis:DescribeStreamSummary";
        let o = l
            .must(
                OP,
                arn,
                client.describe_stream_summary().stream_arn(arn).send(),
            )
            .await?;
        let Some(s) = o.stream_description_summary() else {
            return Err(l.parse_error(OP, arn, "the answer has no stream description"));
        };
        match (s.encryption_type(), s.key_id().filter(|k| !k.is_empty())) {
            (Some(EncryptionType::None), _) => Ok(StreamEncryption::None),
            (Some(EncryptionType::Kms), Some(k)) => Ok(StreamEncryption::Kms(k.to_string())),
            (Some(EncryptionType::Kms), None) => {
                Err(l.parse_error(OP, arn, "KMS encryption without a key"))
            }
            (Some(other), _) => Err(l.parse_error(
                OP,
                arn,
                format!("unknown encryption type `{}`", other.as_str()),
            )),
            (None, _) => {
                Err(l.parse_error(OP, arn, "the answer does not give the encryption type"))
            }
        }
    }

    async fn tags(
        l: &Ledger<'_>,
        client: &aws_sdk_kinesis::Client,
        arn: &str,
    ) -> Result<Tags, Unknown> {
        const OP: &str = "kinesis:ListTagsForStream";
        let mut out = Tags::new();
        let mut start: Option<String> = None;
        loop {
            let o = l
                .must(
                    OP,
                    arn,
                    client
                        .list_tags_for_stream()
                        .stream_arn(arn)
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
                    return Err(l.parse_error(OP, arn, "more tags announced but none given"))
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: tags over two pages, and a description without its encryption
        //! type. moto answers the rest (tests/fixture/seed_queues.py).
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_kinesis::operation::describe_stream_summary::DescribeStreamSummaryOutput;
        use aws_sdk_kinesis::operation::list_streams::ListStreamsOutput;
        use aws_sdk_kinesis::operation::list_tags_for_stream::ListTagsForStreamOutput;
        use aws_sdk_kinesis::types::{StreamDescriptionSummary, StreamStatus, StreamSummary, Tag};
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        const ARN: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/device-readings";

        fn summary(encryption: Option<EncryptionType>) -> DescribeStreamSummaryOutput {
            let b = StreamDescriptionSummary::builder()
                .stream_name("device-readings")
                .stream_arn(ARN)
                .stream_status(StreamStatus::Active)
                .retention_period_hours(24)
                .stream_creation_timestamp(aws_smithy_types::DateTime::from_secs(0))
                .open_shard_count(1)
                .set_enhanced_monitoring(Some(vec![]))
                .set_encryption_type(encryption)
                .key_id("alias/aws/kinesis");
            DescribeStreamSummaryOutput::builder()
                .stream_description_summary(b.build().unwrap())
                .build()
        }

        #[tokio::test]
        async fn tags_over_pages_and_a_description_without_encryption() {
            let list = mock!(aws_sdk_kinesis::Client::list_streams).then_output(|| {
                ListStreamsOutput::builder()
                    .stream_names("device-readings")
                    .has_more_streams(false)
                    .stream_summaries(
                        StreamSummary::builder()
                            .stream_name("device-readings")
                            .stream_arn(ARN)
                            .stream_status(StreamStatus::Active)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            });
            let first = mock!(aws_sdk_kinesis::Client::list_tags_for_stream)
                .match_requests(|r| r.exclusive_start_tag_key().is_none())
                .then_output(|| {
                    ListTagsForStreamOutput::builder()
                        .tags(
                            Tag::builder()
                                .key("DataClass")
                                .value("PHI")
                                .build()
                                .unwrap(),
                        )
                        .has_more_tags(true)
                        .build()
                        .unwrap()
                });
            let second = mock!(aws_sdk_kinesis::Client::list_tags_for_stream)
                .match_requests(|r| r.exclusive_start_tag_key() == Some("DataClass"))
                .then_output(|| {
                    ListTagsForStreamOutput::builder()
                        .tags(Tag::builder().key("Team").value("devices").build().unwrap())
                        .has_more_tags(false)
                        .build()
                        .unwrap()
                });
            let kms = mock!(aws_sdk_kinesis::Client::describe_stream_summary)
                .then_output(|| summary(Some(EncryptionType::Kms)));
            let client = mocked_rules!(aws_sdk_kinesis, [&list, &first, &second, &kms]);
            let l = Ledger::new(4, &NoProgress);
            let got = streams(&l, &client, "us-east-1").await.unwrap();
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].tags.known().map(|t| t.len()), Some(2));
            assert_eq!(
                got[0].encryption.known(),
                Some(&StreamEncryption::Kms("alias/aws/kinesis".into()))
            );

            let silent = mock!(aws_sdk_kinesis::Client::describe_stream_summary)
                .then_output(|| summary(None));
            let client = mocked_rules!(aws_sdk_kinesis, [&list, &first, &second, &silent]);
            let l = Ledger::new(4, &NoProgress);
            let got = streams(&l, &client, "us-east-1").await.unwrap();
            let u = got[0].encryption.get().unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
        }
    }
}
