//! AWS WAF (WAFv2): web ACLs of REGIONAL scope in every scanned region, and those of CLOUDFRONT
//! scope once per account in the partition's global region; each one's rules and default action
//! (`GetWebACL`), logging (`GetLoggingConfiguration`, whose "no such item" means logging is off)
//! and tags. Without the `transit` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::services::wafv2::evidence::Wafv2Evidence;

#[cfg(not(feature = "transit"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Wafv2Evidence> {
    None
}

#[cfg(feature = "transit")]
pub(crate) use with_transit::collect;

#[cfg(feature = "transit")]
mod with_transit {
    use super::*;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region, global_region};
    use aws_sdk_wafv2::types::Scope;
    use aws_sdk_wafv2::Client;
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Tags, Unknown};
    use hipaa_core::services::wafv2::evidence::{AclDefinition, Wafv2Region, WebAcl};

    const STAGE: &str = "wafv2";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Wafv2Evidence> {
        let l = &scan.ledger;
        let regional = each_region(scan, |region| async move {
            l.plan(1, STAGE);
            let client = client_in!(aws_sdk_wafv2, &scan.config, region);
            let acls = l
                .ticked(STAGE, web_acls(l, &client, Scope::Regional, &region))
                .await;
            Wafv2Region {
                web_acls: acls.into(),
            }
        });
        let cloudfront = async {
            l.plan(1, STAGE);
            let region = global_region(&scan.partition);
            let client = client_in!(aws_sdk_wafv2, &scan.config, region);
            l.ticked(STAGE, web_acls(l, &client, Scope::Cloudfront, region))
                .await
        };
        let (regional, cloudfront) = tokio::join!(regional, cloudfront);
        Some(Wafv2Evidence {
            regional,
            cloudfront: cloudfront.into(),
        })
    }

    pub(super) async fn web_acls(
        l: &Ledger<'_>,
        client: &Client,
        scope: Scope,
        region: &str,
    ) -> Result<Vec<WebAcl>, Unknown> {
        const OP: &str = "wafv2:ListWebACLs";
        let label = format!("{region} {}", scope.as_str());
        let pages = l
            .token_pages(
                OP,
                &label,
                |marker| {
                    client
                        .list_web_acls()
                        .scope(scope.clone())
                        .set_next_marker(marker)
                        .send()
                },
                |o| o.next_marker(),
            )
            .await?;
        let mut listed = Vec::new();
        for a in pages.iter().flat_map(|p| p.web_acls()) {
            let (Some(arn), Some(name), Some(id)) = (a.arn(), a.name(), a.id()) else {
                return Err(l.parse_error(OP, &label, "a web ACL without its ARN, name or id"));
            };
            listed.push((arn.to_string(), name.to_string(), id.to_string()));
        }
        let scope = &scope;
        let mut out: Vec<WebAcl> = stream::iter(listed)
            .map(|(arn, name, id)| async move {
                let (definition, logging, tags) = tokio::join!(
                    definition(l, client, scope, &name, &id, &arn),
                    logging(l, client, &arn),
                    tags(l, client, &arn),
                );
                WebAcl {
                    arn,
                    name,
                    id,
                    tags: tags.into(),
                    definition: definition.into(),
                    logging: logging.into(),
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.arn.cmp(&b.arn));
        Ok(out)
    }

    async fn definition(
        l: &Ledger<'_>,
        client: &Client,
        scope: &Scope,
        name: &str,
        id: &str,
        arn: &str,
    ) -> Result<AclDefinition, Unknown> {
        const OP: &str = "wafv2:GetWebACL";
        let o = l
            .must(
                OP,
                arn,
                client
                    .get_web_acl()
                    .scope(scope.clone())
                    .name(name)
                    .id(id)
                    .send(),
            )
            .await?;
        let Some(acl) = o.web_acl() else {
            return Err(l.parse_error(OP, arn, "the answer has no web ACL"));
        };
        let default_action = match acl.default_action() {
            Some(d) if d.block().is_some() => "block",
            Some(d) if d.allow().is_some() => "allow",
            _ => return Err(l.parse_error(OP, arn, "the web ACL has no default action")),
        };
        let rules = acl
            .pre_process_firewall_manager_rule_groups()
            .iter()
            .map(|g| g.name().to_string())
            .chain(acl.rules().iter().map(|r| r.name().to_string()))
            .chain(
                acl.post_process_firewall_manager_rule_groups()
                    .iter()
                    .map(|g| g.name().to_string()),
            )
            .collect();
        Ok(AclDefinition {
            rules,
            default_action: default_action.to_string(),
        })
    }

    async fn logging(
        l: &Ledger<'_>,
        client: &Client,
        arn: &str,
    ) -> Result<Option<String>, Unknown> {
        const OP: &str = "wafv2:GetLoggingConfiguration";
        let o = l
            .read(
                OP,
                arn,
                &["WAFNonexistentItemException"],
                client.get_logging_configuration().resource_arn(arn).send(),
            )
            .await?;
        let Some(o) = o else {
            return Ok(None);
        };
        let Some(config) = o.logging_configuration() else {
            return Ok(None);
        };
        match config.log_destination_configs().first() {
            Some(dest) => Ok(Some(dest.clone())),
            None => Err(l.parse_error(OP, arn, "a logging configuration without a destination")),
        }
    }

    async fn tags(l: &Ledger<'_>, client: &Client, arn: &str) -> Result<Tags, Unknown> {
        const OP: &str = "wafv2:ListTagsForResource";
        let pages = l
            .token_pages(
                OP,
                arn,
                |marker| {
                    client
                        .list_tags_for_resource()
                        .resource_arn(arn)
                        .set_next_marker(marker)
                        .send()
                },
                |o| o.next_marker(),
            )
            .await?;
        Ok(pages
            .iter()
            .filter_map(|p| p.tag_info_for_resource())
            .flat_map(|t| t.tag_list())
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect())
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: logging that is off ("no such item" is a fact), and a denied
        //! definition read.
        use super::*;
        use crate::collect::mocks::{json_error, mocked_rules};
        use aws_sdk_wafv2::operation::list_tags_for_resource::ListTagsForResourceOutput;
        use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
        use aws_sdk_wafv2::types::WebAclSummary;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::{Fact, UnknownReason};
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn logging_off_is_known_and_a_denied_definition_stays_unknown() {
            let list = mock!(Client::list_web_acls).then_output(|| {
                ListWebAcLsOutput::builder()
                    .web_acls(
                        WebAclSummary::builder()
                            .arn("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/1")
                            .name("edge")
                            .id("1")
                            .build(),
                    )
                    .build()
            });
            let get = mock!(Client::get_web_acl).then_http_response(|| {
                json_error(
                    400,
                    "AccessDeniedException",
                    "denied",
                    "application/x-amz-json-1.1",
                )
            });
            let logging = mock!(Client::get_logging_configuration).then_http_response(|| {
                json_error(
                    400,
                    "WAFNonexistentItemException",
                    "none",
                    "application/x-amz-json-1.1",
                )
            });
            let tags = mock!(Client::list_tags_for_resource)
                .then_output(|| ListTagsForResourceOutput::builder().build());
            let client = mocked_rules!(aws_sdk_wafv2, [&list, &get, &logging, &tags]);
            let l = Ledger::new(4, &NoProgress);
            let got = web_acls(&l, &client, Scope::Regional, "us-east-1")
                .await
                .unwrap();
            assert_eq!(got[0].logging, Fact::Known(None));
            assert_eq!(
                got[0].definition.clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
            assert_eq!(got[0].tags, Fact::Known(Tags::new()));
        }
    }
}
