//! Scope from infrastructure code: every resource the code tags, as the Resource Groups Tagging
//! API would list it after deploy, so the PHI-tag, eligible-service and classification
//! controls judge the code too.

use super::evidence::{TaggedResource, TaggingRegion};
use crate::evidence::Fact;
use crate::iac::by_region;
use crate::iac::source::{Converted, Source};

/// The tagged inventory: every resource of the code with tags.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if sources.iter().all(|s| s.resources.is_empty()) {
        return;
    }
    let section = by_region(
        sources,
        || TaggingRegion {
            resources: Fact::Known(Vec::new()),
        },
        |src, region| {
            let mut list = Vec::new();
            // The Resource Groups Tagging API does not list IAM principals and policies.
            for r in src.resources.iter().filter(|r| !r.kind.starts_with("AWS::IAM::") && !r.kind.starts_with("aws_iam_")) {
                let cfn_key = if r.kind == "AWS::EFS::FileSystem" { "FileSystemTags" } else { "Tags" };
                if !r.has_tags(cfn_key) {
                    continue;
                }
                let arn = src.arn(r);
                match r.tags(cfn_key) {
                    Ok(tags) if tags.is_empty() => {}
                    Ok(tags) => list.push(TaggedResource { arn, tags }),
                    Err(u) => out.open(r, &arn, &["*"], u),
                }
            }
            if let Fact::Known(l) = &mut region.resources {
                l.extend(list);
            }
        },
    );
    out.services.scope = Some(section);
}
