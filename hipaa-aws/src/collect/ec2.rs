//! Amazon EC2: instances and where they run, per region (placement and tags only; no instance
//! data is read). Without the `ec2` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::ec2::evidence::Ec2Region;

#[cfg(not(feature = "ec2"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<Ec2Region>> {
    None
}

#[cfg(feature = "ec2")]
pub(crate) use with_ec2::collect;

#[cfg(feature = "ec2")]
mod with_ec2 {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::ec2::evidence::Instance;

    const STAGE: &str = "ec2";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Ec2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_ec2, &scan.config, region);
                Ec2Region {
                    instances: l.ticked(STAGE, instances(l, &client, &region)).await.into(),
                }
            })
            .await,
        )
    }

    fn tags(list: &[aws_sdk_ec2::types::Tag]) -> Tags {
        list.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect()
    }

    async fn instances(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Instance>, Unknown> {
        const OP: &str = "ec2:DescribeInstances";
        let mut pages = client.describe_instances().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for i in page.reservations().iter().flat_map(|r| r.instances()) {
                let Some(id) = i.instance_id() else {
                    return Err(l.parse_error(OP, region, "an instance without an id"));
                };
                out.push(Instance {
                    id: id.to_string(),
                    vpc_id: i.vpc_id().map(str::to_string),
                    state: i
                        .state()
                        .and_then(|s| s.name())
                        .map(|n| n.as_str().to_string()),
                    tags: tags(i.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}
