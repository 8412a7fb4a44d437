//! Amazon RDS: DB instances and DB clusters with their settings, the TLS parameters of the
//! parameter groups they use (each group read once), and manual snapshots with who may restore
//! them, per region. No database is connected to.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region};
use crate::scan::Scan;
use aws_sdk_rds::types::Filter;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Regional, Unknown};
use hipaa_core::services::rds::evidence::{
    tls_parameter, DbParameter, ParameterGroupUse, RdsCluster, RdsInstance, RdsRegion, RdsSnapshot,
};
use std::collections::{BTreeMap, BTreeSet};

const STAGE: &str = "rds";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<RdsRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            l.plan(4, STAGE);
            let c = client_in!(aws_sdk_rds, &scan.config, region);
            let (instances, clusters, snapshots, cluster_snapshots) = tokio::join!(
                l.ticked(STAGE, rds_instances(l, &c, &region)),
                l.ticked(STAGE, rds_clusters(l, &c, &region)),
                l.ticked(STAGE, db_snapshots(l, &c, &region)),
                l.ticked(STAGE, cluster_snapshots(l, &c, &region)),
            );
            let (groups, cluster_groups) = groups_in_use(&instances, &clusters);
            let (parameter_groups, cluster_parameter_groups) = tokio::join!(
                parameter_groups(l, &c, &region, groups, Kind::Instance),
                parameter_groups(l, &c, &region, cluster_groups, Kind::Cluster),
            );
            RdsRegion {
                instances: instances.into(),
                clusters: clusters.into(),
                parameter_groups,
                cluster_parameter_groups,
                snapshots: snapshots.into(),
                cluster_snapshots: cluster_snapshots.into(),
            }
        })
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// RDS

async fn rds_instances(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsInstance>, Unknown> {
    const OP: &str = "rds:DescribeDBInstances";
    let mut pages = client.describe_db_instances().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for i in page.db_instances() {
            // Both settings are always in a real answer; without them there is nothing to judge.
            let (Some(id), Some(arn), Some(retention), Some(encrypted)) = (
                i.db_instance_identifier(),
                i.db_instance_arn(),
                i.backup_retention_period(),
                i.storage_encrypted(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "an instance without identifier, ARN, backup retention or storage encryption",
                ));
            };
            out.push(RdsInstance {
                id: id.to_string(),
                arn: arn.to_string(),
                engine: i.engine().unwrap_or_default().to_string(),
                backup_retention_days: retention,
                storage_encrypted: encrypted,
                vpc_id: i
                    .db_subnet_group()
                    .and_then(|g| g.vpc_id())
                    .filter(|v| !v.is_empty())
                    .map(str::to_string),
                tags: tags(i.tag_list()),
                cluster_id: i.db_cluster_identifier().map(str::to_string),
                publicly_accessible: i.publicly_accessible(),
                multi_az: i.multi_az(),
                deletion_protection: i.deletion_protection(),
                iam_auth: i.iam_database_authentication_enabled(),
                auto_minor_upgrade: i.auto_minor_version_upgrade(),
                kms_key_id: i.kms_key_id().map(str::to_string),
                // AWS leaves the list out when nothing is exported.
                log_exports: Some(strings(i.enabled_cloudwatch_logs_exports())),
                parameter_groups: Some(
                    i.db_parameter_groups()
                        .iter()
                        .filter_map(|g| {
                            Some(ParameterGroupUse {
                                name: g.db_parameter_group_name()?.to_string(),
                                status: g.parameter_apply_status().map(str::to_string),
                            })
                        })
                        .collect(),
                ),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn tags(list: &[aws_sdk_rds::types::Tag]) -> hipaa_core::evidence::Tags {
    list.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
        .collect()
}

fn strings(list: &[String]) -> Vec<String> {
    let mut v = list.to_vec();
    v.sort();
    v
}

async fn rds_clusters(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsCluster>, Unknown> {
    const OP: &str = "rds:DescribeDBClusters";
    let mut pages = client.describe_db_clusters().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for c in page.db_clusters() {
            let (Some(id), Some(arn), Some(retention), Some(encrypted)) = (
                c.db_cluster_identifier(),
                c.db_cluster_arn(),
                c.backup_retention_period(),
                c.storage_encrypted(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "a cluster without identifier, ARN, backup retention or storage encryption",
                ));
            };
            let mut members: Vec<String> = c
                .db_cluster_members()
                .iter()
                .filter_map(|m| m.db_instance_identifier().map(str::to_string))
                .collect();
            members.sort();
            // A member waiting for a reboot has not applied the group yet.
            let statuses: Vec<&str> = c
                .db_cluster_members()
                .iter()
                .filter_map(|m| m.db_cluster_parameter_group_status())
                .collect();
            let status = statuses
                .iter()
                .find(|s| **s == "pending-reboot")
                .or(statuses.first())
                .map(|s| s.to_string());
            out.push(RdsCluster {
                id: id.to_string(),
                arn: arn.to_string(),
                engine: c.engine().unwrap_or_default().to_string(),
                backup_retention_days: retention,
                storage_encrypted: encrypted,
                kms_key_id: c.kms_key_id().map(str::to_string),
                multi_az: c.multi_az(),
                deletion_protection: c.deletion_protection(),
                iam_auth: c.iam_database_authentication_enabled(),
                log_exports: Some(strings(c.enabled_cloudwatch_logs_exports())),
                publicly_accessible: c.publicly_accessible(),
                auto_minor_upgrade: c.auto_minor_version_upgrade(),
                members,
                tags: tags(c.tag_list()),
                parameter_group: c
                    .db_cluster_parameter_group()
                    .map(|name| ParameterGroupUse {
                        name: name.to_string(),
                        status,
                    }),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parameter groups

/// Which API reads a group.
#[derive(Clone, Copy)]
enum Kind {
    Instance,
    Cluster,
}

/// The groups whose TLS parameter a control reads, with the parameter names each needs: the DB
/// parameter groups of instances judged on their own, and the cluster parameter groups.
#[allow(clippy::type_complexity)]
fn groups_in_use(
    instances: &Result<Vec<RdsInstance>, Unknown>,
    clusters: &Result<Vec<RdsCluster>, Unknown>,
) -> (
    BTreeMap<String, BTreeSet<&'static str>>,
    BTreeMap<String, BTreeSet<&'static str>>,
) {
    let mut groups: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let mut cluster_groups: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let listed = |id: &str| match clusters {
        Ok(cs) => cs.iter().any(|c| c.id == id),
        // The cluster's ERROR stands for its members.
        Err(_) => true,
    };
    for i in instances.iter().flatten() {
        if i.cluster_id.as_deref().is_some_and(listed) {
            continue;
        }
        let Some((param, _)) = tls_parameter(&i.engine) else {
            continue;
        };
        for g in i.parameter_groups.iter().flatten() {
            groups.entry(g.name.clone()).or_default().insert(param);
        }
    }
    for c in clusters.iter().flatten() {
        let (Some((param, _)), Some(g)) = (tls_parameter(&c.engine), &c.parameter_group) else {
            continue;
        };
        cluster_groups
            .entry(g.name.clone())
            .or_default()
            .insert(param);
    }
    (groups, cluster_groups)
}

/// Read each group once, asking only for the parameters it needs.
async fn parameter_groups(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
    groups: BTreeMap<String, BTreeSet<&'static str>>,
    kind: Kind,
) -> BTreeMap<String, Fact<Vec<DbParameter>>> {
    l.plan(groups.len() as u64, STAGE);
    let groups: Vec<(String, Vec<String>)> = groups
        .into_iter()
        .map(|(name, params)| (name, params.into_iter().map(str::to_string).collect()))
        .collect();
    stream::iter(groups)
        .map(
            |(name, params)| async move { read_group(l, client, region, name, params, kind).await },
        )
        .buffer_unordered(8)
        .collect()
        .await
}

async fn read_group(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
    name: String,
    params: Vec<String>,
    kind: Kind,
) -> (String, Fact<Vec<DbParameter>>) {
    let read = match kind {
        Kind::Instance => db_parameters(l, client, region, &name, &params).await,
        Kind::Cluster => cluster_parameters(l, client, region, &name, &params).await,
    };
    l.tick(STAGE);
    (name, read.into())
}

fn name_filter(params: &[String]) -> Filter {
    Filter::builder()
        .name("parameter-name")
        .set_values(Some(params.to_vec()))
        .build()
}

/// Keep the parameters asked for (a server that ignores the filter returns them all), with
/// their values: these are TLS switches, not secrets.
fn keep(out: &mut Vec<DbParameter>, params: &[String], list: &[aws_sdk_rds::types::Parameter]) {
    for p in list {
        if let Some(name) = p.parameter_name().filter(|n| params.iter().any(|x| x == n)) {
            out.push(DbParameter {
                name: name.to_string(),
                value: p.parameter_value().map(str::to_string),
                apply_type: p.apply_type().map(str::to_string),
            });
        }
    }
}

async fn db_parameters(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
    group: &str,
    params: &[String],
) -> Result<Vec<DbParameter>, Unknown> {
    const OP: &str = "rds:DescribeDBParameters";
    let resource = format!("{region}/{group}");
    let mut pages = client
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .filters(name_filter(params))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, &resource, pages.next()).await? {
        keep(&mut out, params, page.parameters());
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn cluster_parameters(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
    group: &str,
    params: &[String],
) -> Result<Vec<DbParameter>, Unknown> {
    const OP: &str = "rds:DescribeDBClusterParameters";
    let resource = format!("{region}/{group}");
    let mut pages = client
        .describe_db_cluster_parameters()
        .db_cluster_parameter_group_name(group)
        .filters(name_filter(params))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, &resource, pages.next()).await? {
        keep(&mut out, params, page.parameters());
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/// A listed snapshot before its `restore` attribute is read.
fn listed_snapshot(
    id: Option<&str>,
    arn: Option<&str>,
    source: Option<&str>,
    encrypted: Option<bool>,
    kms_key_id: Option<&str>,
    tag_list: &[aws_sdk_rds::types::Tag],
) -> Option<RdsSnapshot> {
    Some(RdsSnapshot {
        id: id?.to_string(),
        arn: arn?.to_string(),
        source: source.map(str::to_string),
        encrypted: encrypted?,
        kms_key_id: kms_key_id.map(str::to_string),
        tags: tags(tag_list),
        restore: Fact::Known(Vec::new()),
    })
}

/// The accounts in a `restore` attribute, from an attributes answer.
fn restore_accounts<'a>(
    attributes: impl Iterator<Item = (Option<&'a str>, &'a [String])>,
) -> Option<Vec<String>> {
    let mut found = None;
    for (name, values) in attributes {
        if name == Some("restore") {
            let mut v = values.to_vec();
            v.sort();
            found = Some(v);
        }
    }
    found
}

async fn db_snapshots(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsSnapshot>, Unknown> {
    const OP: &str = "rds:DescribeDBSnapshots";
    const ATTRIBUTES: &str = "rds:DescribeDBSnapshotAttributes";
    let mut pages = client
        .describe_db_snapshots()
        .snapshot_type("manual")
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for s in page.db_snapshots() {
            let Some(snap) = listed_snapshot(
                s.db_snapshot_identifier(),
                s.db_snapshot_arn(),
                s.db_instance_identifier(),
                s.encrypted(),
                s.kms_key_id(),
                s.tag_list(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "a snapshot without identifier, ARN or encryption",
                ));
            };
            listed.push(snap);
        }
    }
    l.plan(listed.len() as u64, STAGE);
    let mut out: Vec<RdsSnapshot> = stream::iter(listed)
        .map(|mut s| async move {
            let r = l
                .must(
                    ATTRIBUTES,
                    &s.arn,
                    client
                        .describe_db_snapshot_attributes()
                        .db_snapshot_identifier(&s.id)
                        .send(),
                )
                .await;
            s.restore = r
                .and_then(|o| {
                    let attrs = o.db_snapshot_attributes_result().map(|r| {
                        r.db_snapshot_attributes()
                            .iter()
                            .map(|a| (a.attribute_name(), a.attribute_values()))
                    });
                    attrs.and_then(restore_accounts).ok_or_else(|| {
                        l.parse_error(
                            ATTRIBUTES,
                            &s.arn,
                            "an answer without the `restore` attribute",
                        )
                    })
                })
                .into();
            l.tick(STAGE);
            s
        })
        .buffer_unordered(8)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

async fn cluster_snapshots(
    l: &Ledger<'_>,
    client: &aws_sdk_rds::Client,
    region: &str,
) -> Result<Vec<RdsSnapshot>, Unknown> {
    const OP: &str = "rds:DescribeDBClusterSnapshots";
    const ATTRIBUTES: &str = "rds:DescribeDBClusterSnapshotAttributes";
    let mut pages = client
        .describe_db_cluster_snapshots()
        .snapshot_type("manual")
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for s in page.db_cluster_snapshots() {
            let Some(snap) = listed_snapshot(
                s.db_cluster_snapshot_identifier(),
                s.db_cluster_snapshot_arn(),
                s.db_cluster_identifier(),
                s.storage_encrypted(),
                s.kms_key_id(),
                s.tag_list(),
            ) else {
                return Err(l.parse_error(
                    OP,
                    region,
                    "a cluster snapshot without identifier, ARN or encryption",
                ));
            };
            listed.push(snap);
        }
    }
    l.plan(listed.len() as u64, STAGE);
    let mut out: Vec<RdsSnapshot> = stream::iter(listed)
        .map(|mut s| async move {
            let r = l
                .must(
                    ATTRIBUTES,
                    &s.arn,
                    client
                        .describe_db_cluster_snapshot_attributes()
                        .db_cluster_snapshot_identifier(&s.id)
                        .send(),
                )
                .await;
            s.restore = r
                .and_then(|o| {
                    let attrs = o.db_cluster_snapshot_attributes_result().map(|r| {
                        r.db_cluster_snapshot_attributes()
                            .iter()
                            .map(|a| (a.attribute_name(), a.attribute_values()))
                    });
                    attrs.and_then(restore_accounts).ok_or_else(|| {
                        l.parse_error(
                            ATTRIBUTES,
                            &s.arn,
                            "an answer without the `restore` attribute",
                        )
                    })
                })
                .into();
            l.tick(STAGE);
            s
        })
        .buffer_unordered(8)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Recorded responses: the parameter-name filter and what is kept of a group, a denied
    //! group read, and the `restore` attribute of a public snapshot (or an answer without it).
    use super::*;
    use crate::collect::mocks::mocked_rules;
    use aws_sdk_rds::operation::describe_db_parameters::{
        DescribeDBParametersError, DescribeDbParametersOutput,
    };
    use aws_sdk_rds::operation::describe_db_snapshot_attributes::DescribeDbSnapshotAttributesOutput;
    use aws_sdk_rds::operation::describe_db_snapshots::DescribeDbSnapshotsOutput;
    use aws_sdk_rds::types::{
        DbSnapshot, DbSnapshotAttribute, DbSnapshotAttributesResult, Parameter,
    };
    use aws_smithy_mocks::mock;
    use aws_smithy_types::error::ErrorMetadata;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    fn instance(id: &str, engine: &str, cluster: Option<&str>, group: &str) -> RdsInstance {
        RdsInstance {
            id: id.into(),
            arn: format!("arn:aws:rds:us-east-1:123456789012:db:{id}"),
            engine: engine.into(),
            backup_retention_days: 7,
            storage_encrypted: true,
            vpc_id: None,
            tags: Default::default(),
            cluster_id: cluster.map(str::to_string),
            publicly_accessible: Some(false),
            multi_az: Some(true),
            deletion_protection: Some(true),
            iam_auth: Some(true),
            auto_minor_upgrade: Some(true),
            kms_key_id: None,
            log_exports: Some(vec![]),
            parameter_groups: Some(vec![ParameterGroupUse {
                name: group.into(),
                status: None,
            }]),
        }
    }

    #[test]
    fn only_groups_a_control_reads_are_read() {
        let instances = Ok(vec![
            instance("pg", "postgres", None, "pg-tls"),
            instance("my", "mysql", None, "shared"),
            instance("maria", "mariadb", None, "shared"),
            instance("ora", "oracle-ee", None, "ora-group"),
            instance(
                "aurora-1",
                "aurora-postgresql",
                Some("claims"),
                "member-group",
            ),
            instance("orphan", "postgres", Some("gone"), "orphan-group"),
        ]);
        let clusters = Ok(vec![RdsCluster {
            id: "claims".into(),
            arn: "arn:aws:rds:us-east-1:123456789012:cluster:claims".into(),
            engine: "aurora-postgresql".into(),
            backup_retention_days: 7,
            storage_encrypted: true,
            kms_key_id: None,
            multi_az: Some(true),
            deletion_protection: Some(true),
            iam_auth: Some(true),
            log_exports: Some(vec![]),
            publicly_accessible: None,
            auto_minor_upgrade: None,
            members: vec!["aurora-1".into()],
            tags: Default::default(),
            parameter_group: Some(ParameterGroupUse {
                name: "claims-tls".into(),
                status: None,
            }),
        }]);
        let (groups, cluster_groups) = groups_in_use(&instances, &clusters);
        let names: Vec<&str> = groups.keys().map(String::as_str).collect();
        assert_eq!(names, ["orphan-group", "pg-tls", "shared"]);
        assert_eq!(
            groups["shared"].iter().copied().collect::<Vec<_>>(),
            ["require_secure_transport"]
        );
        assert_eq!(cluster_groups.keys().collect::<Vec<_>>(), ["claims-tls"]);
        // Clusters unreadable: their members are not judged, so their groups are not read.
        let (groups, cluster_groups) = groups_in_use(
            &instances,
            &Err(Unknown::new(UnknownReason::AccessDenied, "x", "y")),
        );
        assert!(!groups.contains_key("orphan-group") && !groups.contains_key("member-group"));
        assert!(cluster_groups.is_empty());
    }

    #[tokio::test]
    async fn a_group_is_read_with_a_name_filter_and_only_the_tls_parameter_is_kept() {
        let params = mock!(aws_sdk_rds::Client::describe_db_parameters)
            .match_requests(|r| {
                r.db_parameter_group_name() == Some("pg-tls")
                    && r.filters().iter().any(|f| {
                        f.name() == Some("parameter-name") && f.values() == ["rds.force_ssl"]
                    })
            })
            .then_output(|| {
                DescribeDbParametersOutput::builder()
                    .parameters(
                        Parameter::builder()
                            .parameter_name("rds.force_ssl")
                            .parameter_value("1")
                            .apply_type("dynamic")
                            .build(),
                    )
                    .parameters(
                        Parameter::builder()
                            .parameter_name("password_encryption")
                            .parameter_value("scram-sha-256")
                            .build(),
                    )
                    .build()
            });
        let client = mocked_rules!(aws_sdk_rds, [&params]);
        let l = Ledger::new(4, &NoProgress);
        let groups = [("pg-tls".to_string(), BTreeSet::from(["rds.force_ssl"]))].into();
        let got = parameter_groups(&l, &client, "us-east-1", groups, Kind::Instance).await;
        let read = got["pg-tls"].known().cloned().unwrap_or_default();
        assert_eq!(
            read,
            vec![DbParameter {
                name: "rds.force_ssl".into(),
                value: Some("1".into()),
                apply_type: Some("dynamic".into()),
            }]
        );
        assert_eq!(l.log().calls["rds:DescribeDBParameters"], 1);

        let denied = mock!(aws_sdk_rds::Client::describe_db_parameters).then_error(|| {
            DescribeDBParametersError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("no")
                    .build(),
            )
        });
        let client = mocked_rules!(aws_sdk_rds, [&denied]);
        let l = Ledger::new(4, &NoProgress);
        let groups = [("pg-tls".to_string(), BTreeSet::from(["rds.force_ssl"]))].into();
        let got = parameter_groups(&l, &client, "us-east-1", groups, Kind::Instance).await;
        let u = got["pg-tls"].get().unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(l.log().failures[0].resource, "us-east-1/pg-tls");
    }

    fn listing() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_rds::Client::describe_db_snapshots)
            .match_requests(|r| r.snapshot_type() == Some("manual"))
            .then_output(|| {
                DescribeDbSnapshotsOutput::builder()
                    .db_snapshots(
                        DbSnapshot::builder()
                            .db_snapshot_identifier("export")
                            .db_snapshot_arn("arn:aws:rds:us-east-1:123456789012:snapshot:export")
                            .db_instance_identifier("ehr")
                            .encrypted(false)
                            .build(),
                    )
                    .build()
            })
    }

    #[tokio::test]
    async fn a_public_snapshot_and_an_answer_without_the_restore_attribute() {
        let attrs = mock!(aws_sdk_rds::Client::describe_db_snapshot_attributes).then_output(|| {
            DescribeDbSnapshotAttributesOutput::builder()
                .db_snapshot_attributes_result(
                    DbSnapshotAttributesResult::builder()
                        .db_snapshot_identifier("export")
                        .db_snapshot_attributes(
                            DbSnapshotAttribute::builder()
                                .attribute_name("restore")
                                .attribute_values("all")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let client = mocked_rules!(aws_sdk_rds, [&listing(), &attrs]);
        let l = Ledger::new(4, &NoProgress);
        let got = db_snapshots(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got.len(), 1);
        assert!(!got[0].encrypted);
        assert_eq!(got[0].source.as_deref(), Some("ehr"));
        assert_eq!(got[0].restore.known(), Some(&vec!["all".to_string()]));

        let empty = mock!(aws_sdk_rds::Client::describe_db_snapshot_attributes)
            .then_output(|| DescribeDbSnapshotAttributesOutput::builder().build());
        let client = mocked_rules!(aws_sdk_rds, [&listing(), &empty]);
        let l = Ledger::new(4, &NoProgress);
        let got = db_snapshots(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(
            got[0].restore.clone().get().unwrap_err().reason,
            UnknownReason::ParseError
        );
    }
}
