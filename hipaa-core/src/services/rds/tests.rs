//! RDS rule tests, and the compliant database other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot, Tags};
use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn rds(s: &mut Snapshot) -> &mut RdsInstance {
    &mut known(&mut at(&mut s.services.rds, "us-east-1").instances)[0]
}

#[test]
fn rds_retention() {
    let id = "rds.backup_retention";
    assert!(only(&snapshot_with(vec![]), id, Pass)
        .message
        .contains("14 days"));
    let mut s = snapshot_with(vec![]);
    rds(&mut s).backup_retention_days = 0;
    assert!(only(&s, id, Fail).message.contains("off"));
    rds(&mut s).backup_retention_days = 3;
    assert!(only(&s, id, Fail).message.contains("fewer than 7"));
    rds(&mut s).backup_retention_days = 7;
    only(&s, id, Pass);
    let mut scope = Scope::default();
    scope.thresholds.rds_backup_retention_min_days = 30;
    assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    only(&s, id, Error);
}

#[test]
fn rds_storage_encrypted() {
    let id = "rds.storage_encrypted";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsRdsDbInstance");
    let mut s = snapshot_with(vec![]);
    rds(&mut s).storage_encrypted = false;
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

const CMK: &str = "rds.cmk_encryption";
const PUBLIC: &str = "rds.not_public";
const MULTI_AZ: &str = "rds.multi_az";
const DELETION: &str = "rds.deletion_protection";
const LOGS: &str = "rds.log_exports";
const IAM: &str = "rds.iam_auth";
const MINOR: &str = "rds.auto_minor_upgrade";
const NEW: [&str; 7] = [CMK, PUBLIC, MULTI_AZ, DELETION, LOGS, IAM, MINOR];

fn clusters(s: &mut Snapshot) -> &mut Vec<RdsCluster> {
    known(&mut at(&mut s.services.rds, "us-east-1").clusters)
}

/// The fixture with `ehr` turned into the only member of the compliant Aurora cluster `ehr-aurora`.
fn with_cluster() -> Snapshot {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).cluster_id = Some("ehr-aurora".into());
    rds(&mut s).engine = "aurora-postgresql".into();
    clusters(&mut s).push(cluster());
    s
}

#[test]
fn the_compliant_instance_passes_every_new_control() {
    let s = snapshot_with(vec![]);
    for id in NEW {
        let o = only(&s, id, Pass);
        assert_eq!(o.resource.kind, "AwsRdsDbInstance", "{id}");
    }
    assert!(only(&s, CMK, Pass).message.contains("customer-managed key `alias/k1`"));
    assert!(only(&s, LOGS, Pass).message.contains("postgresql"));
}

#[test]
fn each_setting_off_fails() {
    type Edit = fn(&mut RdsInstance);
    let cases: [(&str, Edit, &str); 7] = [
        (PUBLIC, |i| i.publicly_accessible = Some(true), "publicly accessible"),
        (MULTI_AZ, |i| i.multi_az = Some(false), "one Availability Zone"),
        (DELETION, |i| i.deletion_protection = Some(false), "off"),
        (LOGS, |i| i.log_exports = Some(vec![]), "no logs"),
        (IAM, |i| i.iam_auth = Some(false), "long-lived"),
        (MINOR, |i| i.auto_minor_upgrade = Some(false), "off"),
        (CMK, |i| i.storage_encrypted = false, "not encrypted"),
    ];
    for (id, edit, words) in cases {
        let mut s = snapshot_with(vec![]);
        edit(rds(&mut s));
        let o = only(&s, id, Fail);
        assert!(o.message.contains(words), "{id}: {}", o.message);
    }
}

#[test]
fn a_setting_the_description_left_out_is_error() {
    type Edit = fn(&mut RdsInstance);
    let cases: [(&str, Edit); 7] = [
        (PUBLIC, |i| i.publicly_accessible = None),
        (MULTI_AZ, |i| i.multi_az = None),
        (DELETION, |i| i.deletion_protection = None),
        (LOGS, |i| i.log_exports = None),
        (IAM, |i| i.iam_auth = None),
        (MINOR, |i| i.auto_minor_upgrade = None),
        (CMK, |i| i.kms_key_id = None),
    ];
    for (id, edit) in cases {
        let mut s = snapshot_with(vec![]);
        edit(rds(&mut s));
        only(&s, id, Error);
    }
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    for id in NEW {
        only(&s, id, Error);
    }
}

#[test]
fn the_aws_managed_key_fails_and_an_unscanned_key_is_error() {
    let mut s = snapshot_with(vec![]);
    known(&mut known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].metadata).manager =
        crate::services::kms::evidence::KeyManager::Aws;
    assert!(only(&s, CMK, Fail).message.contains("AWS-managed"));
    let mut s = snapshot_with(vec![]);
    rds(&mut s).kms_key_id = Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/elsewhere"));
    only(&s, CMK, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = denied("kms:ListKeys");
    only(&s, CMK, Error);
}

#[test]
fn engines_without_iam_authentication_are_not_applicable() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).engine = "sqlserver-se".into();
    rds(&mut s).iam_auth = Some(false);
    assert!(only(&s, IAM, NotApplicable).message.contains("sqlserver-se"));
}

#[test]
fn a_cluster_is_judged_once_with_its_members() {
    let s = with_cluster();
    for id in NEW.into_iter().chain(["rds.storage_encrypted", "rds.backup_retention"]) {
        let o = only(&s, id, Pass);
        assert_eq!(o.resource.kind, "AwsRdsDbCluster", "{id}");
        assert_eq!(o.resource.id, "ehr-aurora");
    }
    // Aurora keeps public access and minor upgrades on each member.
    let mut s = with_cluster();
    rds(&mut s).publicly_accessible = Some(true);
    assert!(only(&s, PUBLIC, Fail).message.contains("member ehr is publicly"));
    rds(&mut s).publicly_accessible = None;
    only(&s, PUBLIC, Error);
    let mut s = with_cluster();
    rds(&mut s).auto_minor_upgrade = Some(false);
    assert!(only(&s, MINOR, Fail).message.contains("member ehr"));
    // Cluster-level settings come from the cluster, not its members.
    let mut s = with_cluster();
    clusters(&mut s)[0].deletion_protection = Some(false);
    clusters(&mut s)[0].storage_encrypted = false;
    only(&s, DELETION, Fail);
    only(&s, "rds.storage_encrypted", Fail);
    // A Multi-AZ DB cluster says for itself.
    let mut s = with_cluster();
    clusters(&mut s)[0].publicly_accessible = Some(true);
    only(&s, PUBLIC, Fail);
}

#[test]
fn unreadable_listings_and_orphans() {
    // Clusters unreadable: one ERROR for the region; the member is not judged alone.
    let mut s = with_cluster();
    at(&mut s.services.rds, "us-east-1").clusters = denied("rds:DescribeDBClusters");
    assert_eq!(statuses(&s, PUBLIC), vec![Error]);
    // Instances unreadable: the region's ERROR, and the cluster's member-based controls ERROR.
    let mut s = with_cluster();
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    assert_eq!(statuses(&s, PUBLIC), vec![Error, Error]);
    assert_eq!(statuses(&s, DELETION), vec![Error, Pass]);
    // A member whose cluster is not listed is judged on its own, never dropped.
    let mut s = snapshot_with(vec![]);
    rds(&mut s).cluster_id = Some("gone".into());
    assert_eq!(only(&s, PUBLIC, Pass).resource.id, "ehr");
    // An older snapshot without clusters: ERROR, not a silent pass over them.
    let json = serde_json::to_value(at(&mut snapshot_with(vec![]).services.rds, "us-east-1").clone());
    let mut json = json.unwrap_or_default();
    if let Some(o) = json.as_object_mut() {
        o.remove("clusters");
    }
    let back: RdsRegion = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert!(back.clusters.get().is_err());
}

#[test]
fn phi_only_scope_leaves_untagged_stores_out() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).tags = Tags::new();
    let o = only(&s, "rds.storage_encrypted", Pass);
    assert_eq!(o.phi, crate::rules::PhiMark::NotTagged);
}

const TLS: &str = "rds.tls_enforced";
const SNAP_PUBLIC: &str = "rds.snapshot_not_public";
const SNAP_ENCRYPTED: &str = "rds.snapshot_encrypted";

fn region(s: &mut Snapshot) -> &mut RdsRegion {
    at(&mut s.services.rds, "us-east-1")
}

fn group<'a>(s: &'a mut Snapshot, name: &str) -> &'a mut Fact<Vec<DbParameter>> {
    match region(s).parameter_groups.get_mut(name) {
        Some(g) => g,
        None => panic!("no group `{name}`"),
    }
}

#[test]
fn tls_is_judged_from_the_parameter_group() {
    let o = only(&snapshot_with(vec![]), TLS, Pass);
    assert!(o.message.contains("`ehr-tls` sets `rds.force_ssl` = 1"), "{}", o.message);
    // Off, unset, or the parameter absent from the answer: FAIL.
    let mut s = snapshot_with(vec![]);
    *group(&mut s, "ehr-tls") = force_ssl("0");
    assert!(only(&s, TLS, Fail).message.contains("= 0"));
    *group(&mut s, "ehr-tls") = Fact::Known(vec![DbParameter {
        name: "rds.force_ssl".into(),
        value: None,
        apply_type: None,
    }]);
    assert!(only(&s, TLS, Fail).message.contains("unset"));
    *group(&mut s, "ehr-tls") = Fact::Known(vec![]);
    only(&s, TLS, Fail);
    // An engine default group that does not force TLS says it cannot be changed.
    let mut s = snapshot_with(vec![]);
    rds(&mut s).parameter_groups = Some(vec![ParameterGroupUse {
        name: "default.postgres14".into(),
        status: Some("in-sync".into()),
    }]);
    region(&mut s)
        .parameter_groups
        .insert("default.postgres14".into(), force_ssl("0"));
    assert!(only(&s, TLS, Fail).message.contains("engine default group"));
    // A default group that does force it (PostgreSQL 15 and later) passes.
    region(&mut s)
        .parameter_groups
        .insert("default.postgres14".into(), force_ssl("1"));
    only(&s, TLS, Pass);
}

#[test]
fn tls_for_mysql_and_sqlserver_and_engines_without_the_parameter() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).engine = "mysql".into();
    *group(&mut s, "ehr-tls") = Fact::Known(vec![DbParameter {
        name: "require_secure_transport".into(),
        value: Some("ON".into()),
        apply_type: Some("dynamic".into()),
    }]);
    assert!(only(&s, TLS, Pass).message.contains("require_secure_transport"));
    // The PostgreSQL parameter means nothing to MySQL.
    *group(&mut s, "ehr-tls") = force_ssl("1");
    only(&s, TLS, Fail);
    let mut s = snapshot_with(vec![]);
    rds(&mut s).engine = "sqlserver-se".into();
    only(&s, TLS, Pass);
    rds(&mut s).engine = "oracle-ee".into();
    assert!(only(&s, TLS, NotApplicable).message.contains("oracle-ee"));
}

#[test]
fn a_static_setting_waiting_for_a_reboot_is_not_in_effect() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).engine = "sqlserver-se".into();
    *group(&mut s, "ehr-tls") = Fact::Known(vec![DbParameter {
        name: "rds.force_ssl".into(),
        value: Some("1".into()),
        apply_type: Some("static".into()),
    }]);
    only(&s, TLS, Pass);
    if let Some(g) = rds(&mut s).parameter_groups.as_mut() {
        g[0].status = Some("pending-reboot".into());
    }
    assert!(only(&s, TLS, Fail).message.contains("pending-reboot"));
}

#[test]
fn an_unread_group_is_error() {
    let mut s = snapshot_with(vec![]);
    *group(&mut s, "ehr-tls") = denied("rds:DescribeDBParameters");
    assert!(only(&s, TLS, Error).message.contains("rds:DescribeDBParameters"));
    let mut s = snapshot_with(vec![]);
    region(&mut s).parameter_groups.clear();
    assert!(only(&s, TLS, Error).message.contains("was not read"));
    let mut s = snapshot_with(vec![]);
    rds(&mut s).parameter_groups = None;
    only(&s, TLS, Error);
    let mut s = snapshot_with(vec![]);
    rds(&mut s).parameter_groups = Some(vec![]);
    only(&s, TLS, Error);
    let mut s = snapshot_with(vec![]);
    region(&mut s).instances = denied("rds:DescribeDBInstances");
    only(&s, TLS, Error);
}

#[test]
fn every_group_of_an_instance_must_force_tls() {
    let mut s = snapshot_with(vec![]);
    if let Some(g) = rds(&mut s).parameter_groups.as_mut() {
        g.push(ParameterGroupUse {
            name: "extra".into(),
            status: None,
        });
    }
    region(&mut s).parameter_groups.insert("extra".into(), force_ssl("0"));
    assert!(only(&s, TLS, Fail).message.contains("`extra`"));
    region(&mut s).parameter_groups.insert("extra".into(), force_ssl("1"));
    only(&s, TLS, Pass);
}

#[test]
fn a_cluster_reads_its_cluster_parameter_group() {
    let s = with_cluster();
    let o = only(&s, TLS, Pass);
    assert_eq!(o.resource.kind, "AwsRdsDbCluster");
    assert!(o.message.contains("cluster parameter group `ehr-aurora-tls`"));
    let mut s = with_cluster();
    region(&mut s)
        .cluster_parameter_groups
        .insert("ehr-aurora-tls".into(), force_ssl("0"));
    only(&s, TLS, Fail);
    let mut s = with_cluster();
    region(&mut s)
        .cluster_parameter_groups
        .insert("ehr-aurora-tls".into(), denied("rds:DescribeDBClusterParameters"));
    only(&s, TLS, Error);
    let mut s = with_cluster();
    clusters(&mut s)[0].parameter_group = None;
    only(&s, TLS, Error);
}

fn snaps(s: &mut Snapshot) -> &mut Vec<RdsSnapshot> {
    known(&mut region(s).snapshots)
}

#[test]
fn snapshots_public_or_unencrypted_fail() {
    let s = snapshot_with(vec![]);
    let o = only(&s, SNAP_PUBLIC, Pass);
    assert_eq!(o.resource.kind, "AwsRdsDbSnapshot");
    // Untagged, but taken from a PHI database.
    assert_eq!(o.phi, crate::rules::PhiMark::Tagged);
    only(&s, SNAP_ENCRYPTED, Pass);
    let mut s = snapshot_with(vec![]);
    snaps(&mut s)[0].restore = Fact::Known(vec!["444455556666".into()]);
    assert!(only(&s, SNAP_PUBLIC, Pass).message.contains("444455556666"));
    snaps(&mut s)[0].restore = Fact::Known(vec!["444455556666".into(), "all".into()]);
    assert!(only(&s, SNAP_PUBLIC, Fail).message.contains("`all`"));
    snaps(&mut s)[0].restore = denied("rds:DescribeDBSnapshotAttributes");
    only(&s, SNAP_PUBLIC, Error);
    let mut s = snapshot_with(vec![]);
    snaps(&mut s)[0].encrypted = false;
    only(&s, SNAP_ENCRYPTED, Fail);
    // Cluster snapshots are judged alike.
    let mut s = snapshot_with(vec![]);
    let mut c = snapshot();
    c.id = "claims-final".into();
    c.arn = format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster-snapshot:claims-final");
    c.source = Some("gone".into());
    c.encrypted = false;
    region(&mut s).cluster_snapshots = Fact::Known(vec![c]);
    let o = outcomes(&s, SNAP_ENCRYPTED);
    assert_eq!(o.len(), 2);
    assert_eq!(o[1].resource.kind, "AwsRdsDbClusterSnapshot");
    assert_eq!(o[1].status, Fail);
    assert_eq!(o[1].phi, crate::rules::PhiMark::NotTagged);
}

#[test]
fn snapshot_listings_unread_none_or_never_recorded() {
    let mut s = snapshot_with(vec![]);
    region(&mut s).snapshots = denied("rds:DescribeDBSnapshots");
    assert_eq!(statuses(&s, SNAP_PUBLIC), vec![Error]);
    let mut s = snapshot_with(vec![]);
    region(&mut s).snapshots = Fact::Known(vec![]);
    only(&s, SNAP_ENCRYPTED, NotApplicable);
    // A region without evidence, and a snapshot from before snapshots were collected.
    let mut s = snapshot_with(vec![]);
    s.regions.push("us-west-2".into());
    assert!(statuses(&s, SNAP_PUBLIC).contains(&Error));
    let old = RdsRegion::new(instances("us-east-1"), Fact::Known(vec![]));
    let mut s = snapshot_with(vec![]);
    *region(&mut s) = old;
    assert_eq!(statuses(&s, SNAP_PUBLIC), vec![Error, Error]);
    only(&s, TLS, Error);
}

/// The compliant instances of one region: `ehr`, PHI-tagged PostgreSQL, encrypted with the
/// customer-managed key `k1`, backed up, private, Multi-AZ, protected, logging, IAM sign-in.
pub fn instances(region: &str) -> Fact<Vec<RdsInstance>> {
    Fact::Known(vec![RdsInstance {
        id: "ehr".into(),
        arn: format!("arn:aws:rds:{region}:{ACCOUNT}:db:ehr"),
        engine: "postgres".into(),
        backup_retention_days: 14,
        storage_encrypted: true,
        vpc_id: Some("vpc-phi".into()),
        tags: phi_tags(),
        cluster_id: None,
        publicly_accessible: Some(false),
        multi_az: Some(true),
        deletion_protection: Some(true),
        iam_auth: Some(true),
        auto_minor_upgrade: Some(true),
        kms_key_id: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
        log_exports: Some(vec!["postgresql".into()]),
        parameter_groups: Some(vec![ParameterGroupUse {
            name: "ehr-tls".into(),
            status: Some("in-sync".into()),
        }]),
    }])
}

/// A compliant Aurora PostgreSQL cluster `ehr-aurora` whose only member is `ehr`.
pub fn cluster() -> RdsCluster {
    RdsCluster {
        id: "ehr-aurora".into(),
        arn: format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster:ehr-aurora"),
        engine: "aurora-postgresql".into(),
        backup_retention_days: 14,
        storage_encrypted: true,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        multi_az: Some(true),
        deletion_protection: Some(true),
        iam_auth: Some(true),
        log_exports: Some(vec!["postgresql".into()]),
        publicly_accessible: None,
        auto_minor_upgrade: None,
        members: vec!["ehr".into()],
        tags: phi_tags(),
        parameter_group: Some(ParameterGroupUse {
            name: "ehr-aurora-tls".into(),
            status: Some("in-sync".into()),
        }),
    }
}

/// A group's TLS parameter as read: `rds.force_ssl` = `value`, dynamic.
pub fn force_ssl(value: &str) -> Fact<Vec<DbParameter>> {
    Fact::Known(vec![DbParameter {
        name: "rds.force_ssl".into(),
        value: Some(value.into()),
        apply_type: Some("dynamic".into()),
    }])
}

/// The manual snapshot `ehr-before-upgrade` of `ehr`: encrypted, shared with no one, untagged.
pub fn snapshot() -> RdsSnapshot {
    RdsSnapshot {
        id: "ehr-before-upgrade".into(),
        arn: format!("arn:aws:rds:us-east-1:{ACCOUNT}:snapshot:ehr-before-upgrade"),
        source: Some("ehr".into()),
        encrypted: true,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        tags: Tags::new(),
        restore: Fact::Known(vec![]),
    }
}

/// The compliant section in us-east-1 (no clusters; the group of `ehr-aurora` is read).
pub fn fixture() -> crate::evidence::Regional<RdsRegion> {
    [(
        "us-east-1".to_string(),
        RdsRegion {
            instances: instances("us-east-1"),
            clusters: Fact::Known(vec![]),
            parameter_groups: [("ehr-tls".to_string(), force_ssl("1"))].into_iter().collect(),
            cluster_parameter_groups: [("ehr-aurora-tls".to_string(), force_ssl("1"))]
                .into_iter()
                .collect(),
            snapshots: Fact::Known(vec![snapshot()]),
            cluster_snapshots: Fact::Known(vec![]),
        },
    )]
    .into_iter()
    .collect()
}
