//! Amazon EC2, per region: instances (placement, tags, metadata options), security groups and
//! their rules, EBS volumes and the encryption-by-default setting. No instance or volume data is
//! read. Without the `ec2` feature nothing is read and the section is absent.

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
    use hipaa_core::services::ec2::evidence::{Instance, IpRule, SecurityGroup, Volume};

    const STAGE: &str = "ec2";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Ec2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(4, STAGE);
                let client = client_in!(aws_sdk_ec2, &scan.config, region);
                let (instances, groups, by_default, volumes) = tokio::join!(
                    l.ticked(STAGE, instances(l, &client, &region)),
                    l.ticked(STAGE, security_groups(l, &client, &region)),
                    l.ticked(STAGE, encryption_by_default(l, &client, &region)),
                    l.ticked(STAGE, volumes(l, &client, &region)),
                );
                Ec2Region {
                    instances: instances.into(),
                    security_groups: groups.into(),
                    ebs_encryption_by_default: by_default.into(),
                    volumes: volumes.into(),
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
                    http_tokens: i
                        .metadata_options()
                        .and_then(|m| m.http_tokens())
                        .map(|t| t.as_str().to_string()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    fn ip_rules(list: &[aws_sdk_ec2::types::IpPermission]) -> Vec<IpRule> {
        list.iter()
            .map(|p| IpRule {
                protocol: p.ip_protocol().unwrap_or("-1").to_string(),
                from_port: p.from_port(),
                to_port: p.to_port(),
                ipv4: p
                    .ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string))
                    .collect(),
                ipv6: p
                    .ipv6_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ipv6().map(str::to_string))
                    .collect(),
                prefix_lists: p
                    .prefix_list_ids()
                    .iter()
                    .filter_map(|r| r.prefix_list_id().map(str::to_string))
                    .collect(),
                groups: p
                    .user_id_group_pairs()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_string))
                    .collect(),
            })
            .collect()
    }

    async fn security_groups(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<SecurityGroup>, Unknown> {
        const OP: &str = "ec2:DescribeSecurityGroups";
        let mut pages = client.describe_security_groups().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for g in page.security_groups() {
                let Some(id) = g.group_id() else {
                    return Err(l.parse_error(OP, region, "a security group without an id"));
                };
                out.push(SecurityGroup {
                    id: id.to_string(),
                    name: g.group_name().unwrap_or_default().to_string(),
                    vpc_id: g.vpc_id().map(str::to_string),
                    owner: g.owner_id().map(str::to_string),
                    tags: tags(g.tags()),
                    ingress: ip_rules(g.ip_permissions()),
                    egress: ip_rules(g.ip_permissions_egress()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn encryption_by_default(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<bool, Unknown> {
        const OP: &str = "ec2:GetEbsEncryptionByDefault";
        let out = l
            .must(OP, region, client.get_ebs_encryption_by_default().send())
            .await?;
        out.ebs_encryption_by_default()
            .ok_or_else(|| l.parse_error(OP, region, "the answer has no EbsEncryptionByDefault"))
    }

    async fn volumes(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Volume>, Unknown> {
        const OP: &str = "ec2:DescribeVolumes";
        let mut pages = client.describe_volumes().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for v in page.volumes() {
                let Some(id) = v.volume_id() else {
                    return Err(l.parse_error(OP, region, "a volume without an id"));
                };
                // An answer that leaves out `encrypted` says nothing: not "unencrypted".
                let Some(encrypted) = v.encrypted() else {
                    return Err(l.parse_error(OP, id, "the volume's encryption is not given"));
                };
                out.push(Volume {
                    id: id.to_string(),
                    encrypted,
                    kms_key_id: v.kms_key_id().map(str::to_string),
                    state: v.state().map(|s| s.as_str().to_string()),
                    attached_to: v
                        .attachments()
                        .iter()
                        .filter_map(|a| a.instance_id().map(str::to_string))
                        .collect(),
                    tags: tags(v.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}
