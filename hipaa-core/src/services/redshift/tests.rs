//! Redshift rule tests, and the compliant cluster other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::services::rds::evidence::{DbParameter, ParameterGroupUse};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ENCRYPTED: &str = "redshift.encrypted";
const SSL: &str = "redshift.require_ssl";
const PUBLIC: &str = "redshift.not_public";
const LOGGING: &str = "redshift.audit_logging";
const ALL: [&str; 4] = [ENCRYPTED, SSL, PUBLIC, LOGGING];

fn region(s: &mut Snapshot) -> &mut RedshiftRegion {
    at(&mut s.services.redshift, "us-east-1")
}

fn cluster(s: &mut Snapshot) -> &mut RedshiftCluster {
    &mut known(&mut region(s).clusters)[0]
}

#[test]
fn the_compliant_cluster_passes_every_control() {
    let s = base();
    for id in ALL {
        let o = only(&s, id, Pass);
        assert_eq!(o.resource.kind, "AwsRedshiftCluster", "{id}");
        assert_eq!(o.resource.id, "claims-warehouse");
        assert_eq!(o.phi, crate::rules::PhiMark::NotTagged);
    }
    assert!(only(&s, SSL, Pass).message.contains("`require_ssl` = true"));
    assert!(only(&s, LOGGING, Pass).message.contains("CloudWatch Logs"));
}

#[test]
fn each_setting_off_fails() {
    let mut s = base();
    cluster(&mut s).encrypted = false;
    only(&s, ENCRYPTED, Fail);
    let mut s = base();
    cluster(&mut s).publicly_accessible = Some(true);
    assert!(only(&s, PUBLIC, Fail).message.contains("publicly accessible"));
    let mut s = base();
    cluster(&mut s).logging = Fact::Known(AuditLogging {
        enabled: false,
        destination: None,
        bucket: None,
        log_exports: vec![],
    });
    assert!(only(&s, LOGGING, Fail).message.contains("off"));
    let mut s = base();
    region(&mut s)
        .parameter_groups
        .insert("require-tls".into(), require_ssl("false"));
    only(&s, SSL, Fail);
}

#[test]
fn the_default_parameter_group_fails_and_a_pending_reboot_is_not_in_effect() {
    let mut s = base();
    cluster(&mut s).parameter_groups = vec![ParameterGroupUse {
        name: "default.redshift-1.0".into(),
        status: Some("in-sync".into()),
    }];
    region(&mut s)
        .parameter_groups
        .insert("default.redshift-1.0".into(), require_ssl("false"));
    assert!(only(&s, SSL, Fail).message.contains("engine default group"));
    let mut s = base();
    cluster(&mut s).parameter_groups[0].status = Some("pending-reboot".into());
    assert!(only(&s, SSL, Fail).message.contains("pending-reboot"));
}

#[test]
fn what_could_not_be_read_is_error() {
    let mut s = base();
    region(&mut s).clusters = denied("redshift:DescribeClusters");
    for id in ALL {
        only(&s, id, Error);
    }
    let mut s = base();
    region(&mut s)
        .parameter_groups
        .insert("require-tls".into(), denied("redshift:DescribeClusterParameters"));
    only(&s, SSL, Error);
    let mut s = base();
    region(&mut s).parameter_groups.clear();
    assert!(only(&s, SSL, Error).message.contains("was not read"));
    let mut s = base();
    cluster(&mut s).parameter_groups.clear();
    only(&s, SSL, Error);
    let mut s = base();
    cluster(&mut s).publicly_accessible = None;
    only(&s, PUBLIC, Error);
    let mut s = base();
    cluster(&mut s).logging = denied("redshift:DescribeLoggingStatus");
    only(&s, LOGGING, Error);
    // A scanned region without evidence, and no section at all.
    let mut s = base();
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, ENCRYPTED), vec![Pass, Error]);
    let mut s = base();
    s.services.redshift = None;
    only(&s, ENCRYPTED, Error);
}

#[test]
fn no_cluster_is_not_applicable() {
    let mut s = base();
    region(&mut s).clusters = Fact::Known(vec![]);
    for id in ALL {
        only(&s, id, NotApplicable);
    }
}

#[test]
fn every_parameter_group_of_a_cluster_must_force_tls() {
    let mut s = base();
    cluster(&mut s).parameter_groups.push(ParameterGroupUse {
        name: "other".into(),
        status: None,
    });
    region(&mut s).parameter_groups.insert("other".into(), require_ssl("false"));
    assert!(only(&s, SSL, Fail).message.contains("`other`"));
    region(&mut s).parameter_groups.insert("other".into(), require_ssl("true"));
    only(&s, SSL, Pass);
}

/// A parameter group's `require_ssl` as read (static, as Redshift reports it).
pub fn require_ssl(value: &str) -> Fact<Vec<DbParameter>> {
    Fact::Known(vec![DbParameter {
        name: "require_ssl".into(),
        value: Some(value.into()),
        apply_type: Some("static".into()),
    }])
}

/// The compliant cluster `claims-warehouse`: encrypted under `k1`, private, TLS required by the
/// group `require-tls`, audit logs to CloudWatch Logs. Classified `DataClass=Analytics` rather
/// than PHI, so the backup tests' PHI inventory stays as it is; the PHI case is tested there.
pub fn warehouse() -> RedshiftCluster {
    RedshiftCluster {
        id: "claims-warehouse".into(),
        arn: format!("arn:aws:redshift:us-east-1:{ACCOUNT}:cluster:claims-warehouse"),
        encrypted: true,
        kms_key_id: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")),
        publicly_accessible: Some(false),
        parameter_groups: vec![ParameterGroupUse {
            name: "require-tls".into(),
            status: Some("in-sync".into()),
        }],
        tags: [("DataClass".to_string(), "Analytics".to_string())].into_iter().collect(),
        logging: Fact::Known(AuditLogging {
            enabled: true,
            destination: Some("cloudwatch".into()),
            bucket: None,
            log_exports: vec!["connectionlog".into(), "userlog".into(), "useractivitylog".into()],
        }),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<RedshiftRegion> {
    [(
        "us-east-1".to_string(),
        RedshiftRegion {
            clusters: Fact::Known(vec![warehouse()]),
            parameter_groups: [("require-tls".to_string(), require_ssl("true"))]
                .into_iter()
                .collect(),
        },
    )]
    .into_iter()
    .collect()
}
