//! Amazon ElastiCache, per region: Valkey and Redis OSS replication groups, cache clusters that
//! belong to no group, and the tags of each. No cache is connected to. Without the `databases`
//! feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::elasticache::evidence::ElastiCacheRegion;

#[cfg(not(feature = "databases"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<ElastiCacheRegion>> {
    None
}

#[cfg(feature = "databases")]
pub(crate) use with_databases::collect;

#[cfg(feature = "databases")]
mod with_databases {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
    use hipaa_core::services::elasticache::evidence::Cache;

    const STAGE: &str = "elasticache";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<ElastiCacheRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(2, STAGE);
                let client = client_in!(aws_sdk_elasticache, &scan.config, region);
                let (groups, clusters) = tokio::join!(
                    l.ticked(STAGE, replication_groups(l, &client, &region)),
                    l.ticked(STAGE, cache_clusters(l, &client, &region)),
                );
                let (groups, clusters) = tokio::join!(
                    with_tags(l, &client, groups),
                    with_tags(l, &client, clusters)
                );
                ElastiCacheRegion {
                    replication_groups: groups.into(),
                    cache_clusters: clusters.into(),
                }
            })
            .await,
        )
    }

    /// The tags are not part of the descriptions: unknown until `with_tags` reads them.
    fn unread() -> Fact<Tags> {
        Fact::Unknown(Unknown::new(
            UnknownReason::NotCollected,
            "elasticache:ListTagsForResource",
            "the tags were not read",
        ))
    }

    async fn replication_groups(
        l: &Ledger<'_>,
        client: &aws_sdk_elasticache::Client,
        region: &str,
    ) -> Result<Vec<Cache>, Unknown> {
        const OP: &str = "elasticache:DescribeReplicationGroups";
        let mut pages = client.describe_replication_groups().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for g in page.replication_groups() {
                let (Some(id), Some(arn)) = (g.replication_group_id(), g.arn()) else {
                    return Err(l.parse_error(OP, region, "a replication group without id or ARN"));
                };
                let mut user_groups = g.user_group_ids().to_vec();
                user_groups.sort();
                out.push(Cache {
                    id: id.to_string(),
                    arn: arn.to_string(),
                    // Only Valkey and Redis OSS have replication groups; older answers omit it.
                    engine: g.engine().unwrap_or("redis").to_string(),
                    at_rest_encryption: g.at_rest_encryption_enabled(),
                    transit_encryption: g.transit_encryption_enabled(),
                    transit_encryption_mode: g
                        .transit_encryption_mode()
                        .map(|m| m.as_str().to_string()),
                    auth_token: g.auth_token_enabled(),
                    user_groups,
                    snapshot_retention_days: g.snapshot_retention_limit(),
                    kms_key_id: g.kms_key_id().map(str::to_string),
                    tags: unread(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Cache clusters outside any replication group; members are judged with their group.
    async fn cache_clusters(
        l: &Ledger<'_>,
        client: &aws_sdk_elasticache::Client,
        region: &str,
    ) -> Result<Vec<Cache>, Unknown> {
        const OP: &str = "elasticache:DescribeCacheClusters";
        let mut pages = client.describe_cache_clusters().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for c in page.cache_clusters() {
                if c.replication_group_id().is_some() {
                    continue;
                }
                let (Some(id), Some(arn), Some(engine)) =
                    (c.cache_cluster_id(), c.arn(), c.engine())
                else {
                    return Err(l.parse_error(
                        OP,
                        region,
                        "a cache cluster without id, ARN or engine",
                    ));
                };
                out.push(Cache {
                    id: id.to_string(),
                    arn: arn.to_string(),
                    engine: engine.to_string(),
                    at_rest_encryption: c.at_rest_encryption_enabled(),
                    transit_encryption: c.transit_encryption_enabled(),
                    transit_encryption_mode: c
                        .transit_encryption_mode()
                        .map(|m| m.as_str().to_string()),
                    auth_token: c.auth_token_enabled(),
                    user_groups: Vec::new(),
                    snapshot_retention_days: c.snapshot_retention_limit(),
                    kms_key_id: None,
                    tags: unread(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// One tag read per cache, bounded like every other fan-out.
    async fn with_tags(
        l: &Ledger<'_>,
        client: &aws_sdk_elasticache::Client,
        caches: Result<Vec<Cache>, Unknown>,
    ) -> Result<Vec<Cache>, Unknown> {
        const OP: &str = "elasticache:ListTagsForResource";
        let caches = caches?;
        l.plan(caches.len() as u64, STAGE);
        let mut out: Vec<Cache> = stream::iter(caches)
            .map(|mut c| async move {
                let r = l
                    .must(
                        OP,
                        &c.arn,
                        client.list_tags_for_resource().resource_name(&c.arn).send(),
                    )
                    .await;
                c.tags = r
                    .map(|o| {
                        o.tag_list()
                            .iter()
                            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                            .collect::<Tags>()
                    })
                    .into();
                l.tick(STAGE);
                c
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a group member is left to its group, a Memcached cluster is kept,
        //! and a denied tag read leaves the tags unknown.
        use super::*;
        use crate::collect::mocks::mocked_rules;
        use aws_sdk_elasticache::operation::describe_cache_clusters::DescribeCacheClustersOutput;
        use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroupsOutput;
        use aws_sdk_elasticache::operation::list_tags_for_resource::ListTagsForResourceError;
        use aws_sdk_elasticache::operation::list_tags_for_resource::ListTagsForResourceOutput;
        use aws_sdk_elasticache::types::{
            CacheCluster, ReplicationGroup, Tag, TransitEncryptionMode,
        };
        use aws_smithy_mocks::mock;
        use aws_smithy_types::error::ErrorMetadata;
        use hipaa_core::NoProgress;

        const GROUP: &str = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:ehr";

        #[tokio::test]
        async fn groups_clusters_and_tags() {
            let groups = mock!(aws_sdk_elasticache::Client::describe_replication_groups)
                .then_output(|| {
                    DescribeReplicationGroupsOutput::builder()
                        .replication_groups(
                            ReplicationGroup::builder()
                                .replication_group_id("ehr")
                                .arn(GROUP)
                                .engine("valkey")
                                .at_rest_encryption_enabled(true)
                                .transit_encryption_enabled(true)
                                .transit_encryption_mode(TransitEncryptionMode::Preferred)
                                .user_group_ids("ehr-users")
                                .snapshot_retention_limit(5)
                                .build(),
                        )
                        .build()
                });
            let clusters =
                mock!(aws_sdk_elasticache::Client::describe_cache_clusters).then_output(|| {
                    DescribeCacheClustersOutput::builder()
                        .cache_clusters(
                            CacheCluster::builder()
                                .cache_cluster_id("ehr-001")
                                .replication_group_id("ehr")
                                .arn("arn:aws:elasticache:us-east-1:123456789012:cluster:ehr-001")
                                .engine("valkey")
                                .build(),
                        )
                        .cache_clusters(
                            CacheCluster::builder()
                                .cache_cluster_id("lookup")
                                .arn("arn:aws:elasticache:us-east-1:123456789012:cluster:lookup")
                                .engine("memcached")
                                .transit_encryption_enabled(false)
                                .build(),
                        )
                        .build()
                });
            let tags = mock!(aws_sdk_elasticache::Client::list_tags_for_resource)
                .match_requests(|r| r.resource_name() == Some(GROUP))
                .then_output(|| {
                    ListTagsForResourceOutput::builder()
                        .tag_list(Tag::builder().key("DataClass").value("PHI").build())
                        .build()
                });
            let denied =
                mock!(aws_sdk_elasticache::Client::list_tags_for_resource).then_error(|| {
                    ListTagsForResourceError::generic(
                        ErrorMetadata::builder()
                            .code("AccessDenied")
                            .message("no")
                            .build(),
                    )
                });
            let client = mocked_rules!(aws_sdk_elasticache, [&groups, &clusters, &tags, &denied]);
            let l = Ledger::new(4, &NoProgress);
            let g = with_tags(
                &l,
                &client,
                replication_groups(&l, &client, "us-east-1").await,
            )
            .await
            .unwrap();
            assert_eq!(g.len(), 1);
            assert_eq!(g[0].transit_encryption_mode.as_deref(), Some("preferred"));
            assert_eq!(g[0].user_groups, ["ehr-users"]);
            assert_eq!(
                g[0].tags
                    .known()
                    .and_then(|t| t.get("DataClass"))
                    .map(String::as_str),
                Some("PHI")
            );
            let c = with_tags(&l, &client, cache_clusters(&l, &client, "us-east-1").await)
                .await
                .unwrap();
            assert_eq!(c.len(), 1, "the group member is judged with its group");
            assert_eq!(c[0].id, "lookup");
            assert_eq!(c[0].at_rest_encryption, None);
            assert_eq!(
                c[0].tags.clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
        }
    }
}
