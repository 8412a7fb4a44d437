//! AWS Backup rule tests, and the compliant plan and vault other tests start from.

use super::evidence::*;
use super::rules::selects;
use crate::evidence::{Fact, Snapshot, Tags, UnknownReason};
use crate::services::dynamodb::evidence::DynamoTable;
use crate::services::efs::evidence::FileSystem;
use crate::services::kms::evidence::KeyManager;
use crate::services::rds::evidence::RdsInstance;
use crate::services::scope::tests::tagged;
use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status::{self, *};

fn region(s: &mut Snapshot) -> &mut BackupRegion {
    at(&mut s.services.backup, "us-east-1")
}

fn plan(s: &mut Snapshot) -> &mut BackupPlan {
    &mut known(&mut region(s).plans)[0]
}

fn rule(s: &mut Snapshot) -> &mut BackupRule {
    &mut known(&mut plan(s).rules)[0]
}

fn selection(s: &mut Snapshot) -> &mut BackupSelection {
    &mut known(&mut plan(s).selections)[0]
}

fn vault(s: &mut Snapshot) -> &mut BackupVault {
    &mut known(&mut region(s).vaults)[0]
}

fn table(s: &mut Snapshot) -> &mut DynamoTable {
    &mut known(&mut at(&mut s.services.dynamodb, "us-east-1").tables)[0]
}

fn rds(s: &mut Snapshot) -> &mut RdsInstance {
    &mut known(&mut at(&mut s.services.rds, "us-east-1").instances)[0]
}

fn efs(s: &mut Snapshot) -> &mut FileSystem {
    &mut known(&mut at(&mut s.services.efs, "us-east-1").file_systems)[0]
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:us-east-1:{ACCOUNT}:{resource}")
}

/// A second region's backup set-up and data stores, as the old per-region group held them.
struct West {
    backup: BackupRegion,
    tables: Fact<Vec<DynamoTable>>,
    rds: Fact<Vec<RdsInstance>>,
    efs: Fact<Vec<FileSystem>>,
}

fn backup_region(region: &str) -> West {
    West {
        backup: region_fixture(region),
        tables: crate::services::dynamodb::tests::tables(region),
        rds: crate::services::rds::tests::instances(region),
        efs: crate::services::efs::tests::file_systems(region),
    }
}

fn add_region(s: &mut Snapshot, w: West) {
    let name = "us-west-2";
    sect(&mut s.services.backup).insert(name, w.backup);
    sect(&mut s.services.dynamodb).insert(
        name,
        crate::services::dynamodb::evidence::DynamoDbRegion { tables: w.tables },
    );
    sect(&mut s.services.rds).insert(
        name,
        crate::services::rds::evidence::RdsRegion::new(w.rds, Fact::Known(vec![])),
    );
    sect(&mut s.services.efs).insert(
        name,
        crate::services::efs::evidence::EfsRegion {
            file_systems: w.efs,
        },
    );
}

#[test]
fn selection_by_resource_tag_and_exclusion() {
    let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
    let phi = phi_tags();
    let none = Tags::new();
    let sel = |resources: &[&str], not: &[&str], tags: &[(&str, &str)]| BackupSelection {
        id: "s".into(),
        name: "s".into(),
        resources: resources.iter().map(|x| x.to_string()).collect(),
        not_resources: not.iter().map(|x| x.to_string()).collect(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        conditions: vec![],
    };
    assert!(selects(&sel(&["*"], &[], &[]), t, &none));
    assert!(selects(&sel(&[t], &[], &[]), t, &none));
    assert!(selects(&sel(&[], &[], &[("DataClass", "PHI")]), t, &phi));
    assert!(!selects(&sel(&[], &[], &[("DataClass", "PHI")]), t, &none));
    // Tag values compare exactly.
    assert!(!selects(&sel(&[], &[], &[("DataClass", "phi")]), t, &phi));
    assert!(!selects(&sel(&[], &[], &[("Class", "PHI")]), t, &phi));
    assert!(!selects(&sel(&["*"], &["*:table/pat*"], &[]), t, &none));
    assert!(!selects(&sel(&[], &[t], &[("DataClass", "PHI")]), t, &phi));
    assert!(selects(&sel(&["*"], &["*:table/visits"], &[]), t, &none));
    assert!(!selects(&sel(&[], &[], &[]), t, &phi));
}

#[test]
fn every_condition_must_hold_for_a_picked_resource() {
    let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
    let mut tags = phi_tags();
    tags.insert("team".into(), "ehr-core".into());
    let cond = |op, k: &str, v: &str| TagCondition {
        op,
        key: k.into(),
        value: v.into(),
    };
    let sel = |resources: &[&str], conditions: Vec<TagCondition>| BackupSelection {
        id: "s".into(),
        name: "s".into(),
        resources: resources.iter().map(|x| x.to_string()).collect(),
        not_resources: vec![],
        tags: vec![],
        conditions,
    };
    let phi = || cond(TagOp::Equals, "DataClass", "PHI");
    assert!(selects(&sel(&["*"], vec![phi()]), t, &tags));
    // AND: both must hold.
    let both = vec![phi(), cond(TagOp::Equals, "backup", "yes")];
    assert!(!selects(&sel(&["*"], both), t, &tags));
    assert!(selects(
        &sel(&["*"], vec![phi(), cond(TagOp::Like, "team", "ehr-*")]),
        t,
        &tags
    ));
    assert!(!selects(
        &sel(&["*"], vec![cond(TagOp::NotLike, "team", "ehr-*")]),
        t,
        &tags
    ));
    // Negative operators hold when the tag is absent.
    assert!(selects(
        &sel(&["*"], vec![cond(TagOp::NotEquals, "env", "dev")]),
        t,
        &tags
    ));
    assert!(selects(
        &sel(&["*"], vec![cond(TagOp::NotLike, "env", "d*")]),
        t,
        &tags
    ));
    // Conditions narrow; they never pick a resource the resources or tags did not.
    assert!(!selects(&sel(&["arn:aws:rds:*"], vec![phi()]), t, &tags));
}

// --- backup.plan_exists --------------------------------------------------------------

#[test]
fn plan_exists() {
    let id = "backup.plan_exists";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.id, format!("{ACCOUNT}/us-east-1"));
    assert_eq!(o.resource.kind, "AwsAccountRegion");
    assert_eq!(o.resource.region.as_deref(), Some("us-east-1"));

    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = Fact::Known(vec![]);
    assert!(only(&s, id, Fail).message.contains("no AWS Backup plan"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = None;
    assert!(only(&s, id, Fail).message.contains("only on demand"));

    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = denied("backup:ListBackupPlans");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    plan(&mut s).rules = denied("backup:GetBackupPlan");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    s.services.backup = None;
    only(&s, id, Error);
}

#[test]
fn a_scanned_region_without_evidence_is_an_error() {
    let mut s = snapshot_with(vec![]);
    s.regions.push("eu-west-1".into());
    assert_eq!(statuses(&s, "backup.plan_exists"), vec![Pass, Error]);
    assert_eq!(statuses(&s, "backup.vault_lock"), vec![Pass, Error]);
    let e = &outcomes(&s, "backup.vault_lock")[1];
    assert_eq!(e.resource.id, format!("{ACCOUNT}/eu-west-1"));
    assert_eq!(
        e.unknown.as_ref().map(|u| u.reason),
        Some(UnknownReason::NotCollected)
    );
}

#[test]
fn one_region_per_finding_and_known_empty_regions_are_silent() {
    let mut s = snapshot_with(vec![]);
    let mut west = backup_region("us-west-2");
    west.tables = Fact::Known(vec![]);
    add_region(&mut s, west);
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, "backup.plan_exists"), vec![Pass, Pass]);
    assert_eq!(statuses(&s, "dynamodb.pitr"), vec![Pass]);
    at(&mut s.services.dynamodb, "us-east-1").tables = denied("dynamodb:ListTables");
    assert_eq!(statuses(&s, "dynamodb.pitr"), vec![Error]);
}

// --- backup.plan_frequency_retention --------------------------------------------------

#[test]
fn frequency_and_retention() {
    let id = "backup.plan_frequency_retention";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsBackupBackupPlan");
    assert_eq!(o.resource.name.as_deref(), Some("phi-daily"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = Some("cron(0 5 ? * SUN *)".into());
    let m = only(&s, id, Fail).message;
    assert!(m.contains("7 days between backups"), "{m}");

    let mut s = snapshot_with(vec![]);
    rule(&mut s).delete_after_days = Some(7);
    let m = only(&s, id, Fail).message;
    assert!(m.contains("after 7 days"), "{m}");

    let mut s = snapshot_with(vec![]);
    rule(&mut s).delete_after_days = None;
    only(&s, id, Pass);

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = Some("rate(12 hours)".into());
    only(&s, id, Pass);

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = Some("cron(0 5 ? * * 2026)".into());
    assert!(only(&s, id, Fail).message.contains("only in the years"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = None;
    assert!(only(&s, id, Fail).message.contains("only on demand"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = Some("every day at five".into());
    let o = only(&s, id, Error);
    assert_eq!(o.unknown.map(|u| u.reason), Some(UnknownReason::ParseError));

    let mut s = snapshot_with(vec![]);
    plan(&mut s).rules = denied("backup:GetBackupPlan");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = Fact::Known(vec![]);
    only(&s, id, NotApplicable);

    let mut s = snapshot_with(vec![]);
    let mut scope = Scope::default();
    scope.thresholds.backup_retention_min_days = 90;
    assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
    scope.thresholds.backup_retention_min_days = 35;
    scope.thresholds.backup_max_interval_hours = 12;
    assert_eq!(statuses_in(&s, id, &scope), vec![Fail]);
    rule(&mut s).schedule = Some("cron(0 */6 ? * * *)".into());
    assert_eq!(statuses_in(&s, id, &scope), vec![Pass]);
}

#[test]
fn one_good_rule_is_enough_and_a_bad_extra_rule_does_not_fail_the_plan() {
    let id = "backup.plan_frequency_retention";
    let monthly = BackupRule {
        name: "monthly".into(),
        schedule: Some("cron(0 5 1 * ? *)".into()),
        vault: "phi-vault".into(),
        delete_after_days: Some(365),
        copy_to: vec![],
    };
    let mut s = snapshot_with(vec![]);
    known(&mut plan(&mut s).rules).insert(0, monthly.clone());
    only(&s, id, Pass);

    // Unreadable extra rule: the good rule still decides.
    let mut s = snapshot_with(vec![]);
    let mut odd = monthly.clone();
    odd.schedule = Some("whenever".into());
    known(&mut plan(&mut s).rules).push(odd.clone());
    only(&s, id, Pass);

    // No good rule and one unreadable: cannot tell.
    rule(&mut s).delete_after_days = Some(3);
    only(&s, id, Error);

    // Daily kept 7 days plus monthly kept a year: no single rule gives both.
    let mut s = snapshot_with(vec![]);
    rule(&mut s).delete_after_days = Some(7);
    known(&mut plan(&mut s).rules).push(monthly);
    let m = only(&s, id, Fail).message;
    assert!(m.contains("`daily`") && m.contains("`monthly`"), "{m}");
}

// --- backup.plan_cross_region_copy ----------------------------------------------------

#[test]
fn cross_region_copy() {
    let id = "backup.plan_cross_region_copy";
    assert!(only(&snapshot_with(vec![]), id, Pass)
        .message
        .contains("us-west-2"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).copy_to = vec![format!(
        "arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:second"
    )];
    assert!(only(&s, id, Fail).message.contains("only within us-east-1"));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).copy_to = vec![];
    only(&s, id, Fail);

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = None;
    only(&s, id, Fail);

    let mut s = snapshot_with(vec![]);
    rule(&mut s).copy_to = vec!["phi-vault-dr".into()];
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    plan(&mut s).rules = denied("backup:GetBackupPlan");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = denied("backup:ListBackupPlans");
    only(&s, id, Error);
}

// --- backup.vault_cmk -----------------------------------------------------------------

#[test]
fn vault_cmk() {
    let id = "backup.vault_cmk";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsBackupBackupVault");
    assert_eq!(o.resource.id, "phi-vault");

    let mut s = snapshot_with(vec![]);
    if let Fact::Known(m) = &mut known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].metadata {
        m.manager = KeyManager::Aws;
    }
    assert!(only(&s, id, Fail).message.contains("AWS-managed"));

    let mut s = snapshot_with(vec![]);
    vault(&mut s).encryption_key_arn = None;
    only(&s, id, Fail);

    // Matched by key id and by alias, not only by the full ARN.
    let mut s = snapshot_with(vec![]);
    known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].arn =
        "arn:aws:kms:us-east-1:111122223333:key/k1 ".into();
    only(&s, id, Pass);
    vault(&mut s).encryption_key_arn = Some(arn("kms", "alias/k1"));
    only(&s, id, Pass);

    let mut s = snapshot_with(vec![]);
    vault(&mut s).encryption_key_arn = Some(arn("kms", "key/k9"));
    let o = only(&s, id, Error);
    assert!(o.message.contains("not among the scanned"), "{}", o.message);

    let mut s = snapshot_with(vec![]);
    vault(&mut s).encryption_key_arn = Some("arn:aws:kms:us-east-1:444455556666:key/k1".into());
    assert!(only(&s, id, Error).message.contains("444455556666"));

    let mut s = snapshot_with(vec![]);
    vault(&mut s).encryption_key_arn = Some(format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/k1"));
    assert!(only(&s, id, Error).message.contains("not scanned"));

    let mut s = snapshot_with(vec![]);
    at(&mut s.services.kms, "us-east-1").keys = denied("kms:ListKeys");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    known(&mut at(&mut s.services.kms, "us-east-1").keys)[0].metadata = denied("kms:DescribeKey");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    region(&mut s).vaults = denied("backup:ListBackupVaults");
    only(&s, id, Error);

    let mut s = snapshot_with(vec![]);
    region(&mut s).vaults = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

// --- backup.vault_lock ----------------------------------------------------------------

#[test]
fn vault_lock() {
    let id = "backup.vault_lock";
    assert!(only(&snapshot_with(vec![]), id, Pass)
        .message
        .contains("35 days"));
    let mut s = snapshot_with(vec![]);
    vault(&mut s).locked = false;
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    region(&mut s).vaults = denied("backup:ListBackupVaults");
    only(&s, id, Error);
}

// --- backup.phi_resources_covered -----------------------------------------------------

const COVERED: &str = "backup.phi_resources_covered";

#[test]
fn phi_resources_are_covered_once_each() {
    let s = snapshot_with(vec![]);
    assert_eq!(
        by_id(&s, COVERED),
        vec![
            ("patients".to_string(), Pass),
            ("fs-1".to_string(), Pass),
            ("ehr".to_string(), Pass),
            ("phi-bucket".to_string(), Pass),
        ]
    );
    let kinds: Vec<String> = outcomes(&s, COVERED)
        .into_iter()
        .map(|o| o.resource.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            "AwsDynamoDbTable",
            "AwsEfsFileSystem",
            "AwsRdsDbInstance",
            "AwsS3Bucket"
        ]
    );
}

#[test]
fn a_resource_type_not_opted_in_is_not_backed_up() {
    let mut s = snapshot_with(vec![]);
    if let Fact::Known(m) = &mut region(&mut s).opt_in {
        m.insert("S3".into(), false);
    }
    assert_eq!(
        by_id(&s, COVERED),
        vec![
            ("patients".to_string(), Pass),
            ("fs-1".to_string(), Pass),
            ("ehr".to_string(), Pass),
            ("phi-bucket".to_string(), Fail),
        ]
    );
    // A type the settings do not mention, or settings that could not be read: unknown.
    if let Fact::Known(m) = &mut region(&mut s).opt_in {
        m.remove("S3");
    }
    assert_eq!(by_id(&s, COVERED)[3].1, Error);
    region(&mut s).opt_in = denied("backup:DescribeRegionSettings");
    assert_eq!(statuses(&s, COVERED), vec![Error; 4]);
}

#[test]
fn uncovered_phi_resources_fail() {
    let mut s = snapshot_with(vec![]);
    selection(&mut s).tags = vec![];
    assert_eq!(statuses(&s, COVERED), vec![Fail; 4]);

    selection(&mut s).resources = vec!["arn:aws:dynamodb:*:*:table/*".into()];
    assert_eq!(
        by_id(&s, COVERED),
        vec![
            ("patients".to_string(), Pass),
            ("fs-1".to_string(), Fail),
            ("ehr".to_string(), Fail),
            ("phi-bucket".to_string(), Fail),
        ]
    );

    let mut s = snapshot_with(vec![]);
    selection(&mut s).not_resources = vec![arn("rds", "db:*")];
    assert_eq!(by_id(&s, COVERED)[2], ("ehr".to_string(), Fail));

    let mut s = snapshot_with(vec![]);
    rule(&mut s).schedule = None;
    let o = &outcomes(&s, COVERED)[0];
    assert_eq!(o.status, Fail);
    assert!(o.message.contains("no scheduled rule"), "{}", o.message);

    // A plan in another region does not protect us-east-1 resources.
    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = Fact::Known(vec![]);
    let west = backup_region("us-west-2");
    let mut west = west;
    west.tables = Fact::Known(vec![]);
    west.rds = Fact::Known(vec![]);
    west.efs = Fact::Known(vec![]);
    add_region(&mut s, west);
    assert_eq!(statuses(&s, COVERED), vec![Fail; 4]);
}

#[test]
fn unknown_selections_or_plans_are_errors() {
    let mut s = snapshot_with(vec![]);
    plan(&mut s).selections = denied("backup:ListBackupSelections");
    assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

    let mut s = snapshot_with(vec![]);
    region(&mut s).plans = denied("backup:ListBackupPlans");
    assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

    let mut s = snapshot_with(vec![]);
    plan(&mut s).rules = denied("backup:GetBackupPlan");
    assert_eq!(statuses(&s, COVERED), vec![Error; 4]);

    // A second plan that covers everything decides despite the first one's unknown.
    let mut s = snapshot_with(vec![]);
    let good = plan(&mut s).clone();
    plan(&mut s).selections = denied("backup:ListBackupSelections");
    known(&mut region(&mut s).plans).push(good);
    assert_eq!(statuses(&s, COVERED), vec![Pass; 4]);

    let mut s = snapshot_with(vec![]);
    s.services.backup = None;
    assert_eq!(statuses(&s, COVERED), vec![Error]);
}

#[test]
fn unknown_inventory_or_tags_are_errors() {
    let mut s = snapshot_with(vec![]);
    s.services.scope = None;
    // The bucket is only known from the inventory; the data stores still get judged.
    assert_eq!(statuses(&s, COVERED), vec![Error, Pass, Pass, Pass]);

    let mut s = snapshot_with(vec![]);
    at(&mut s.services.scope, "us-east-1").resources = denied("tag:GetResources");
    let o = outcomes(&s, COVERED);
    assert_eq!(o[0].status, Error);
    assert_eq!(o[0].resource.id, format!("{ACCOUNT}/us-east-1"));
    assert_eq!(o.len(), 4);

    // Table tags unreadable, but the inventory lists the table with its tags.
    let mut s = snapshot_with(vec![]);
    table(&mut s).tags = denied("dynamodb:ListTagsOfResource");
    assert_eq!(statuses(&s, COVERED), vec![Pass; 4]);

    // ... and when the inventory does not list it, whether it holds PHI is unknown.
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![]);
    let o = outcomes(&s, COVERED);
    let statuses: Vec<Status> = o.iter().map(|o| o.status).collect();
    assert_eq!(statuses, vec![Error, Pass, Pass]);
    assert_eq!(o[0].resource.id, "patients");
}

#[test]
fn only_backup_capable_phi_resources_count() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![
        tagged(&arn("ec2", "security-group/sg-1"), "PHI"),
        tagged(&arn("rds", "pg:custom"), "PHI"),
        tagged(&arn("dynamodb", "table/patients/stream/2026"), "PHI"),
        tagged(&arn("ec2", "volume/vol-1"), "PHI"),
        tagged(&arn("fsx", "file-system/fs-9"), "PHI"),
        tagged(&arn("ec2", "volume/vol-2"), "Public"),
    ]);
    let ids: Vec<String> = by_id(&s, COVERED).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["patients", "vol-1", "fs-1", "fs-9", "ehr"]);
}

#[test]
fn redshift_clusters_count_and_stores_aws_backup_cannot_protect_do_not() {
    // The fixture's ElastiCache group and OpenSearch domain are PHI-tagged, but AWS Backup has
    // no resource type for them: never reported as uncovered, from their sections or from the
    // tagged inventory.
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![
        tagged(&arn("elasticache", "replicationgroup:ehr-sessions"), "PHI"),
        tagged(&arn("elasticache", "cluster:ehr-sessions-001"), "PHI"),
        tagged(&arn("es", "domain/ehr-search"), "PHI"),
    ]);
    let ids: Vec<String> = by_id(&s, COVERED).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["patients", "fs-1", "ehr"]);
    // A PHI Redshift cluster is judged, under the Redshift opt-in (off in a new account).
    let mut s = snapshot_with(vec![]);
    known(&mut at(&mut s.services.redshift, "us-east-1").clusters)[0].tags = phi_tags();
    let warehouse = |s: &Snapshot| {
        outcomes(s, COVERED)
            .into_iter()
            .find(|o| o.resource.id == "claims-warehouse")
            .map(|o| (o.resource.kind, o.status))
    };
    assert_eq!(warehouse(&s), Some(("AwsRedshiftCluster".into(), Error)));
    if let Fact::Known(m) = &mut region(&mut s).opt_in {
        m.insert("Redshift".into(), false);
    }
    assert_eq!(warehouse(&s), Some(("AwsRedshiftCluster".into(), Fail)));
    if let Fact::Known(m) = &mut region(&mut s).opt_in {
        m.insert("Redshift".into(), true);
    }
    assert_eq!(warehouse(&s), Some(("AwsRedshiftCluster".into(), Pass)));
    selection(&mut s).tags = vec![];
    assert_eq!(warehouse(&s), Some(("AwsRedshiftCluster".into(), Fail)));
}

#[test]
fn aurora_instances_are_left_to_their_cluster() {
    let mut s = snapshot_with(vec![]);
    rds(&mut s).engine = "aurora-postgresql".into();
    selection(&mut s).tags = vec![];
    selection(&mut s).resources = vec![arn("rds", "cluster:*")];
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![
        tagged(&arn("rds", "db:ehr"), "PHI"),
        tagged(&arn("rds", "cluster:ehr"), "PHI"),
    ]);
    assert_eq!(
        by_id(&s, COVERED),
        vec![
            ("patients".to_string(), Fail),
            ("fs-1".to_string(), Fail),
            ("ehr".to_string(), Pass),
        ]
    );
    let o = &outcomes(&s, COVERED)[2];
    assert_eq!(o.resource.kind, "AwsRdsDbCluster");
}

#[test]
fn an_instance_named_only_by_the_inventory_is_error_when_rds_could_not_be_listed() {
    // The RDS listing failed: the inventory's `db:claims-1` may be an Aurora member, which a
    // tag selection would otherwise credit as covered on its own (the fault suite found it).
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.rds, "us-east-1").instances = denied("rds:DescribeDBInstances");
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![tagged(
        &arn("rds", "db:claims-1"),
        "PHI",
    )]);
    let all = outcomes(&s, COVERED);
    let Some(o) = all.iter().find(|o| o.resource.id == "claims-1") else {
        panic!("no finding for the instance: {all:?}")
    };
    assert_eq!(o.status, Error);
    assert!(o.message.contains("rds:DescribeDBInstances"), "{}", o.message);
}

#[test]
fn a_failed_store_listing_is_error_for_its_region() {
    // A store the tagged inventory does not name (moto's tagging API leaves out Redshift
    // clusters) would otherwise vanish when its service's listing fails: the fault suite found it.
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.dynamodb, "us-east-1").tables = denied("dynamodb:ListTables");
    let all = outcomes(&s, COVERED);
    let Some(o) = all
        .iter()
        .find(|o| o.resource.kind == "AwsAccountRegion" && o.status == Error)
    else {
        panic!("no region ERROR for the failed listing: {all:?}")
    };
    assert!(o.message.contains("dynamodb:ListTables"), "{}", o.message);
}

#[test]
fn no_phi_resources_is_not_applicable() {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.scope, "us-east-1").resources = Fact::Known(vec![]);
    table(&mut s).tags = Fact::Known(Tags::new());
    rds(&mut s).tags = Tags::new();
    efs(&mut s).tags = Tags::new();
    assert_eq!(statuses(&s, COVERED), vec![NotApplicable]);
}

#[test]
fn bucket_region_comes_from_s3_evidence() {
    let mut b = bucket("phi-bucket");
    b.region = Fact::Known("us-west-2".into());
    let s = snapshot_with(vec![b]);
    // No plan in us-west-2 evidence at all: not collected, so ERROR rather than FAIL.
    let all = outcomes(&s, COVERED);
    let Some(o) = all.iter().find(|o| o.resource.id == "phi-bucket") else {
        panic!("no finding for the bucket: {all:?}")
    };
    assert_eq!(o.status, Error);
    assert_eq!(o.resource.region.as_deref(), Some("us-west-2"));
}

#[test]
fn a_bucket_whose_region_is_unknown_is_an_error_not_judged_elsewhere() {
    // Its location could not be read: the inventory's region is not the bucket's, so no plan
    // there may be credited (or blamed) for it.
    let mut b = bucket("phi-bucket");
    b.region = denied("s3:GetBucketLocation");
    let s = snapshot_with(vec![b]);
    let all = outcomes(&s, COVERED);
    let Some(o) = all.iter().find(|o| o.resource.id == "phi-bucket") else {
        panic!("no finding for the bucket: {all:?}")
    };
    assert_eq!(o.status, Error);
    assert_eq!(o.resource.region, None);
    assert_eq!(o.unknown.as_ref().map(|u| u.operation.as_str()), Some("s3:GetBucketLocation"));

    // The bucket listing failed: the tagged bucket is ERROR with the listing's reason.
    let mut s = snapshot_with(vec![bucket("phi-bucket")]);
    if let Some(s3) = s.services.s3.as_mut() {
        s3.buckets = denied("s3:ListBuckets");
    }
    let all = outcomes(&s, COVERED);
    let Some(o) = all.iter().find(|o| o.resource.id == "phi-bucket") else {
        panic!("no finding for the bucket: {all:?}")
    };
    assert_eq!(o.status, Error);
    assert_eq!(o.unknown.as_ref().map(|u| u.operation.as_str()), Some("s3:ListBuckets"));
}

#[test]
fn a_selected_bucket_without_versioning_is_not_covered() {
    let id = "backup.phi_resources_covered";
    let status_of = |v: Fact<crate::services::s3::evidence::Versioning>| {
        let mut b = bucket("phi-bucket");
        b.versioning = v;
        let s = snapshot_with(vec![b]);
        outcomes(&s, id)
            .into_iter()
            .find(|o| o.resource.arn == "arn:aws:s3:::phi-bucket")
            .map(|o| o.status)
    };
    assert_eq!(status_of(Fact::Known(crate::services::s3::evidence::Versioning::Enabled)), Some(Pass));
    assert_eq!(status_of(Fact::Known(crate::services::s3::evidence::Versioning::Suspended)), Some(Fail));
    assert_eq!(status_of(denied("s3:GetBucketcrate::services::s3::evidence::Versioning")), Some(Error));
}

/// One region's compliant AWS Backup set-up: a daily plan selecting PHI-tagged resources,
/// copied to us-west-2, into a locked vault under a customer-managed key.
pub fn region_fixture(region: &str) -> BackupRegion {
    BackupRegion {
        plans: Fact::Known(vec![BackupPlan {
            id: "plan-1".into(),
            arn: format!("arn:aws:backup:{region}:{ACCOUNT}:backup-plan:plan-1"),
            name: "phi-daily".into(),
            rules: Fact::Known(vec![BackupRule {
                name: "daily".into(),
                schedule: Some("cron(0 5 ? * * *)".into()),
                vault: "phi-vault".into(),
                delete_after_days: Some(35),
                copy_to: vec![format!(
                    "arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:phi-vault-dr"
                )],
            }]),
            selections: Fact::Known(vec![BackupSelection {
                id: "sel-1".into(),
                name: "phi-tagged".into(),
                resources: vec![],
                not_resources: vec![],
                tags: vec![("DataClass".into(), "PHI".into())],
                conditions: vec![],
            }]),
        }]),
        vaults: Fact::Known(vec![BackupVault {
            name: "phi-vault".into(),
            arn: format!("arn:aws:backup:{region}:{ACCOUNT}:backup-vault:phi-vault"),
            encryption_key_arn: Some(format!("arn:aws:kms:{region}:{ACCOUNT}:key/k1")),
            locked: true,
            min_retention_days: Some(35),
        }]),
        opt_in: Fact::Known(
            ["DynamoDB", "RDS", "EFS", "EBS", "EC2", "S3", "Aurora"]
                .into_iter()
                .map(|t| (t.to_string(), true))
                .collect(),
        ),
        restore_testing: Fact::Known(vec![restore_plan(region)]),
    }
}

/// A weekly restore testing plan whose newest job restored an EBS snapshot two days ago.
pub fn restore_plan(region: &str) -> RestoreTestingPlan {
    RestoreTestingPlan {
        name: "phi_weekly".into(),
        arn: format!("arn:aws:backup:{region}:{ACCOUNT}:restore-testing-plan:phi_weekly-1a2b"),
        schedule: Some("cron(0 5 ? * SUN *)".into()),
        last_execution: days_ago(2),
        last_job: Fact::Known(Some(RestoreJob {
            id: "restore-1".into(),
            status: Some("COMPLETED".into()),
            status_message: None,
            created: days_ago(2),
            completed: days_ago(2),
            resource_type: Some("EBS".into()),
            validation: Some("SUCCESSFUL".into()),
            validation_message: None,
        })),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<BackupRegion> {
    [("us-east-1".to_string(), region_fixture("us-east-1"))]
        .into_iter()
        .collect()
}

const RESTORE: &str = "backup.restore_testing";

fn restore(s: &mut Snapshot) -> &mut RestoreTestingPlan {
    &mut known(&mut region(s).restore_testing)[0]
}

fn job(s: &mut Snapshot) -> &mut RestoreJob {
    match known(&mut restore(s).last_job) {
        Some(j) => j,
        None => panic!("the fixture plan has a job"),
    }
}

#[test]
fn restore_testing_passes_on_a_recent_successful_restore() {
    let s = base();
    let o = only(&s, RESTORE, Pass);
    assert!(o.message.contains("restore-1") && o.message.contains("validation succeeded"), "{}", o.message);
    assert_eq!(o.resource.kind, "AwsBackupRestoreTestingPlan");
}

#[test]
fn restore_testing_fails_without_a_plan_a_job_a_success_or_a_recent_test() {
    let mut s = base();
    region(&mut s).restore_testing = Fact::Known(vec![]);
    assert!(only(&s, RESTORE, Fail).message.contains("no restore testing plan"));

    let mut s = base();
    restore(&mut s).last_job = Fact::Known(None);
    assert!(only(&s, RESTORE, Fail).message.contains("no restore job"));

    let mut s = base();
    job(&mut s).status = Some("FAILED".into());
    job(&mut s).status_message = Some("IAM role cannot create the volume".into());
    assert!(only(&s, RESTORE, Fail).message.contains("failed: IAM role"));

    let mut s = base();
    job(&mut s).validation = Some("FAILED".into());
    assert!(only(&s, RESTORE, Fail).message.contains("validation failed"));

    let mut s = base();
    job(&mut s).status = Some("RUNNING".into());
    job(&mut s).completed = None;
    assert!(only(&s, RESTORE, Fail).message.contains("has not finished"));

    // Weekly schedule: a test 20 days old is late (twice the gap is 14 days).
    let mut s = base();
    job(&mut s).completed = days_ago(20);
    let m = only(&s, RESTORE, Fail).message.clone();
    assert!(m.contains("20 days ago") && m.contains("7 days"), "{m}");
    let mut s = base();
    job(&mut s).completed = days_ago(13);
    only(&s, RESTORE, Pass);
}

#[test]
fn restore_testing_is_error_when_it_cannot_be_read_and_skips_regions_without_backups() {
    let mut s = base();
    region(&mut s).restore_testing = denied("backup:ListRestoreTestingPlans");
    let o = only(&s, RESTORE, Error);
    assert_eq!(o.unknown.as_ref().map(|u| u.reason), Some(UnknownReason::AccessDenied));

    let mut s = base();
    restore(&mut s).last_job = denied("backup:ListRestoreJobs");
    only(&s, RESTORE, Error);

    let mut s = base();
    restore(&mut s).schedule = Some("cron(bogus)".into());
    only(&s, RESTORE, Error);

    let mut s = base();
    job(&mut s).status = Some("MYSTERY".into());
    only(&s, RESTORE, Error);

    // No restore testing plan and the backup plans could not be listed: not a known failure.
    let mut s = base();
    region(&mut s).restore_testing = Fact::Known(vec![]);
    region(&mut s).plans = denied("backup:ListBackupPlans");
    only(&s, RESTORE, Error);

    // Nothing backed up by AWS Backup anywhere: not applicable.
    let mut s = base();
    region(&mut s).restore_testing = Fact::Known(vec![]);
    region(&mut s).plans = Fact::Known(vec![]);
    assert_eq!(statuses(&s, RESTORE), vec![NotApplicable]);

    // A snapshot from before restore testing was read: ERROR, never PASS.
    let json = base().to_json().replace("\"restore_testing\"", "\"ignored_field\"");
    let old = Snapshot::from_json(&json, "old.json").unwrap();
    let o = only(&old, RESTORE, Error);
    assert_eq!(o.unknown.as_ref().map(|u| u.reason), Some(UnknownReason::NotCollected));
}
