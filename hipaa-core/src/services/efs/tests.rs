//! EFS rule tests, and the compliant file system other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn efs(s: &mut Snapshot) -> &mut FileSystem {
    &mut known(&mut at(&mut s.services.efs, "us-east-1").file_systems)[0]
}

#[test]
fn efs_backup_policy() {
    let id = "efs.backup_policy";
    only(&snapshot_with(vec![]), id, Pass);
    let mut s = snapshot_with(vec![]);
    efs(&mut s).backup_enabled = Fact::Known(false);
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    efs(&mut s).backup_enabled = denied("elasticfilesystem:DescribeBackupPolicy");
    only(&s, id, Error);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.efs, "us-east-1").file_systems = denied("elasticfilesystem:DescribeFileSystems");
    only(&s, id, Error);
}

#[test]
fn efs_encrypted() {
    let id = "efs.encrypted";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert_eq!(o.resource.kind, "AwsEfsFileSystem");
    let mut s = snapshot_with(vec![]);
    efs(&mut s).encrypted = false;
    only(&s, id, Fail);
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.efs, "us-east-1").file_systems = denied("elasticfilesystem:DescribeFileSystems");
    only(&s, id, Error);
}

#[test]
fn efs_tls_only() {
    let id = "efs.tls_only";
    let o = only(&snapshot_with(vec![]), id, Pass);
    assert!(o.message.contains("aws:SecureTransport = false"), "{}", o.message);
    // No policy (DescribeFileSystemPolicy's PolicyNotFound) is a fact: TLS is not enforced.
    let mut s = snapshot_with(vec![]);
    efs(&mut s).policy = Fact::Known(None);
    assert!(only(&s, id, Fail).message.contains("no policy"));
    efs(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}]}"#.into(),
    ));
    assert!(only(&s, id, Fail).message.contains("does not deny"));
    // Denying plain-NFS mounts is enough.
    efs(&mut s).policy = Fact::Known(Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"elasticfilesystem:ClientMount","Condition":{"Bool":{"aws:SecureTransport":false}}}]}"#.into(),
    ));
    only(&s, id, Pass);
    efs(&mut s).policy = Fact::Known(Some("{not json".into()));
    assert!(only(&s, id, Error).message.contains("does not parse"));
    efs(&mut s).policy = denied("elasticfilesystem:DescribeFileSystemPolicy");
    only(&s, id, Error);
    // Encryption and backups do not depend on the policy.
    only(&s, "efs.encrypted", Pass);
    at(&mut s.services.efs, "us-east-1").file_systems = Fact::Known(vec![]);
    only(&s, id, NotApplicable);
}

#[test]
fn a_snapshot_without_file_system_policies_is_an_error_for_tls_only() {
    let mut s = snapshot_with(vec![]);
    let mut v = serde_json::to_value(&*efs(&mut s)).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("policy");
    }
    *efs(&mut s) = serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"));
    only(&s, "efs.tls_only", Error);
    only(&s, "efs.encrypted", Pass);
}

/// The compliant file systems of one region: `fs-1`, PHI-tagged, encrypted, backed up, with a
/// policy that denies access without TLS.
pub fn file_systems(region: &str) -> Fact<Vec<FileSystem>> {
    Fact::Known(vec![FileSystem {
        id: "fs-1".into(),
        arn: format!("arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/fs-1"),
        encrypted: true,
        backup_enabled: Fact::Known(true),
        tags: phi_tags(),
        policy: Fact::Known(Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TlsOnly","Effect":"Deny","Principal":{{"AWS":"*"}},"Action":"*","Resource":"arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/fs-1","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
        ))),
    }])
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<EfsRegion> {
    [(
        "us-east-1".to_string(),
        EfsRegion {
            file_systems: file_systems("us-east-1"),
        },
    )]
    .into_iter()
    .collect()
}
