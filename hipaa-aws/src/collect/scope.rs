//! Resource Groups Tagging API: every tagged resource of every service, region by region, which
//! decides scope (what holds ePHI, which services are in use).

use crate::clients::client_in;
use crate::regional::each_region;
use crate::scan::Scan;
use hipaa_core::evidence::{Regional, Tags, Unknown, UnknownReason};
use hipaa_core::services::scope::evidence::{TaggedResource, TaggingRegion};

const STAGE: &str = "tagging";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<TaggingRegion>> {
    let out = each_region(scan, |region| async move {
        let l = &scan.ledger;
        l.plan(1, STAGE);
        let client = client_in!(aws_sdk_resourcegroupstagging, &scan.config, &region);
        let mut pages = client
            .get_resources()
            .resources_per_page(100)
            .into_paginator()
            .send();
        let mut list = Vec::new();
        let r: Result<(), Unknown> = async {
            while let Some(page) = l.page("tag:GetResources", &region, pages.next()).await? {
                for m in page.resource_tag_mapping_list() {
                    // An entry without its ARN could be the PHI resource: the region is unknown.
                    let Some(arn) = m.resource_arn() else {
                        return Err(l.fail(
                            "tag:GetResources",
                            &region,
                            (
                                UnknownReason::ParseError,
                                "a resource without an ARN".into(),
                            ),
                        ));
                    };
                    list.push(TaggedResource {
                        arn: arn.to_string(),
                        tags: m
                            .tags()
                            .iter()
                            .map(|t| (t.key().to_string(), t.value().to_string()))
                            .collect::<Tags>(),
                    });
                }
            }
            Ok(())
        }
        .await;
        l.tick(STAGE);
        list.sort_by(|a, b| a.arn.cmp(&b.arn));
        TaggingRegion {
            resources: r.map(|()| list).into(),
        }
    })
    .await;
    Some(out)
}
