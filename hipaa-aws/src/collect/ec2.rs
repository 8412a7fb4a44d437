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
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::ec2::evidence::{
        AclEntry, EbsSnapshot, Image, Instance, IpRule, NetworkAcl, SecurityGroup, Volume,
    };
    use std::collections::{BTreeMap, BTreeSet};

    const STAGE: &str = "ec2";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<Ec2Region>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(7, STAGE);
                let client = client_in!(aws_sdk_ec2, &scan.config, region);
                let (instances, groups, by_default, volumes, acls, snapshots, images) = tokio::join!(
                    l.ticked(STAGE, instances(l, &client, &region)),
                    l.ticked(STAGE, groups_and_prefix_lists(l, &client, &region)),
                    l.ticked(STAGE, encryption_by_default(l, &client, &region)),
                    l.ticked(STAGE, volumes(l, &client, &region)),
                    l.ticked(STAGE, network_acls(l, &client, &region)),
                    l.ticked(STAGE, snapshots(l, &client, &region)),
                    l.ticked(STAGE, images(l, &client, &region)),
                );
                let (groups, prefix_lists) = groups;
                Ec2Region {
                    instances: instances.into(),
                    security_groups: groups.into(),
                    prefix_lists,
                    ebs_encryption_by_default: by_default.into(),
                    volumes: volumes.into(),
                    network_acls: acls.into(),
                    snapshots: snapshots.into(),
                    images: images.into(),
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
                    public_ip: i.public_ip_address().map(str::to_string),
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
                // The name is how the default group is known: without it, `default_sg_closed`
                // could not tell, so the listing is not trusted.
                let Some(name) = g.group_name() else {
                    return Err(l.parse_error(OP, id, "a security group without a name"));
                };
                out.push(SecurityGroup {
                    id: id.to_string(),
                    name: name.to_string(),
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

    /// The security groups, then the entries of every managed prefix list their inbound rules
    /// name (one read per list, bounded like every other fan-out).
    async fn groups_and_prefix_lists(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> (
        Result<Vec<SecurityGroup>, Unknown>,
        BTreeMap<String, Fact<Vec<String>>>,
    ) {
        let groups = security_groups(l, client, region).await;
        let ids: BTreeSet<String> = groups
            .iter()
            .flatten()
            .flat_map(|g| g.ingress.iter())
            .flat_map(|r| r.prefix_lists.iter().cloned())
            .collect();
        let lists = stream::iter(ids)
            .map(|id| async move {
                let entries = prefix_list_entries(l, client, &id).await;
                (id, entries.into())
            })
            .buffer_unordered(8)
            .collect()
            .await;
        (groups, lists)
    }

    async fn prefix_list_entries(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        id: &str,
    ) -> Result<Vec<String>, Unknown> {
        const OP: &str = "ec2:GetManagedPrefixListEntries";
        let mut pages = client
            .get_managed_prefix_list_entries()
            .prefix_list_id(id)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, id, pages.next()).await? {
            for e in page.entries() {
                let Some(cidr) = e.cidr() else {
                    return Err(l.parse_error(OP, id, "a prefix list entry without its CIDR"));
                };
                out.push(cidr.to_string());
            }
        }
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

    async fn network_acls(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<NetworkAcl>, Unknown> {
        const OP: &str = "ec2:DescribeNetworkAcls";
        let mut pages = client.describe_network_acls().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for a in page.network_acls() {
                let Some(id) = a.network_acl_id() else {
                    return Err(l.parse_error(OP, region, "a network ACL without an id"));
                };
                let mut entries = Vec::new();
                for e in a.entries() {
                    // Without its number, action or direction an entry cannot be placed: an
                    // outbound deny read as inbound could hide an inbound allow.
                    let (Some(n), Some(action), Some(egress)) =
                        (e.rule_number(), e.rule_action(), e.egress())
                    else {
                        return Err(l.parse_error(
                            OP,
                            id,
                            "an ACL entry without a number, action or direction",
                        ));
                    };
                    entries.push(AclEntry {
                        rule_number: n,
                        egress,
                        protocol: e.protocol().unwrap_or("-1").to_string(),
                        allow: action.as_str() == "allow",
                        cidr: e.cidr_block().map(str::to_string),
                        ipv6_cidr: e.ipv6_cidr_block().map(str::to_string),
                        from_port: e.port_range().and_then(|p| p.from()),
                        to_port: e.port_range().and_then(|p| p.to()),
                    });
                }
                out.push(NetworkAcl {
                    id: id.to_string(),
                    vpc_id: a.vpc_id().map(str::to_string),
                    is_default: a.is_default().unwrap_or(false),
                    tags: tags(a.tags()),
                    entries,
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The account's own snapshots, each with its create-volume permission (one call each).
    async fn snapshots(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<EbsSnapshot>, Unknown> {
        const OP: &str = "ec2:DescribeSnapshots";
        const ATTR: &str = "ec2:DescribeSnapshotAttribute";
        let mut pages = client
            .describe_snapshots()
            .owner_ids("self")
            .into_paginator()
            .send();
        let mut listed = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for s in page.snapshots() {
                let Some(id) = s.snapshot_id() else {
                    return Err(l.parse_error(OP, region, "a snapshot without an id"));
                };
                let Some(encrypted) = s.encrypted() else {
                    return Err(l.parse_error(OP, id, "the snapshot's encryption is not given"));
                };
                listed.push((
                    id.to_string(),
                    s.volume_id().map(str::to_string),
                    encrypted,
                    tags(s.tags()),
                ));
            }
        }
        // One attribute read per snapshot, bounded like every other fan-out.
        let mut out: Vec<EbsSnapshot> = stream::iter(listed)
            .map(|(id, volume_id, encrypted, tags)| async move {
                let public = l
                    .must(
                        ATTR,
                        &id,
                        client
                            .describe_snapshot_attribute()
                            .snapshot_id(&id)
                            .attribute(
                                aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission,
                            )
                            .send(),
                    )
                    .await
                    .map(|a| {
                        a.create_volume_permissions()
                            .iter()
                            .any(|p| p.group().map(|g| g.as_str()) == Some("all"))
                    });
                EbsSnapshot {
                    id,
                    volume_id,
                    encrypted,
                    tags,
                    public: public.into(),
                }
            })
            .buffer_unordered(16)
            .collect()
            .await;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn images(
        l: &Ledger<'_>,
        client: &aws_sdk_ec2::Client,
        region: &str,
    ) -> Result<Vec<Image>, Unknown> {
        const OP: &str = "ec2:DescribeImages";
        let mut pages = client
            .describe_images()
            .owners("self")
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for i in page.images() {
                let Some(id) = i.image_id() else {
                    return Err(l.parse_error(OP, region, "an image without an id"));
                };
                let Some(public) = i.public() else {
                    return Err(l.parse_error(OP, id, "the image's visibility is not given"));
                };
                out.push(Image {
                    id: id.to_string(),
                    name: i.name().map(str::to_string),
                    public,
                    tags: tags(i.tags()),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        //! Recorded responses: a security group without its name (moto always names one).
        use super::*;
        use crate::collect::mocks::mocked;
        use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
        use aws_sdk_ec2::types::SecurityGroup as Ec2Group;
        use aws_smithy_mocks::mock;
        use hipaa_core::evidence::UnknownReason;
        use hipaa_core::NoProgress;

        #[tokio::test]
        async fn prefix_lists_named_by_inbound_rules_are_read_and_a_denied_one_stays_unknown() {
            use aws_sdk_ec2::operation::get_managed_prefix_list_entries::GetManagedPrefixListEntriesOutput;
            use aws_sdk_ec2::types::{IpPermission, PrefixListEntry, PrefixListId};
            let groups = mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| {
                DescribeSecurityGroupsOutput::builder()
                    .security_groups(
                        Ec2Group::builder()
                            .group_id("sg-1")
                            .group_name("app")
                            .ip_permissions(
                                IpPermission::builder()
                                    .ip_protocol("tcp")
                                    .from_port(22)
                                    .to_port(22)
                                    .prefix_list_ids(
                                        PrefixListId::builder().prefix_list_id("pl-open").build(),
                                    )
                                    .prefix_list_ids(
                                        PrefixListId::builder().prefix_list_id("pl-secret").build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            });
            let open = mock!(aws_sdk_ec2::Client::get_managed_prefix_list_entries)
                .match_requests(|r| r.prefix_list_id() == Some("pl-open"))
                .then_output(|| {
                    GetManagedPrefixListEntriesOutput::builder()
                        .entries(PrefixListEntry::builder().cidr("0.0.0.0/0").build())
                        .build()
                });
            let secret = mock!(aws_sdk_ec2::Client::get_managed_prefix_list_entries)
                .match_requests(|r| r.prefix_list_id() == Some("pl-secret"))
                .then_http_response(|| {
                    crate::collect::mocks::ec2_error("UnauthorizedOperation", "no")
                });
            let client =
                crate::collect::mocks::mocked_rules!(aws_sdk_ec2, [&groups, &open, &secret]);
            let l = Ledger::new(4, &NoProgress);
            let (groups, lists) = groups_and_prefix_lists(&l, &client, "us-east-1").await;
            assert_eq!(groups.unwrap().len(), 1);
            assert_eq!(lists["pl-open"], Fact::Known(vec!["0.0.0.0/0".to_string()]));
            assert_eq!(
                lists["pl-secret"].clone().get().unwrap_err().reason,
                UnknownReason::AccessDenied
            );
        }

        #[tokio::test]
        async fn a_security_group_without_its_name_is_a_parse_error() {
            let rule = mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| {
                DescribeSecurityGroupsOutput::builder()
                    .security_groups(Ec2Group::builder().group_id("sg-1").vpc_id("vpc-1").build())
                    .build()
            });
            let l = Ledger::new(4, &NoProgress);
            let u = security_groups(&l, &mocked!(aws_sdk_ec2, &rule), "us-east-1")
                .await
                .unwrap_err();
            assert_eq!(u.reason, UnknownReason::ParseError);
            assert!(u.detail.contains("without a name"), "{}", u.detail);
        }
    }
}
