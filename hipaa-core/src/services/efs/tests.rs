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

/// The compliant file systems of one region: `fs-1`, PHI-tagged, encrypted, backed up.
pub fn file_systems(region: &str) -> Fact<Vec<FileSystem>> {
    Fact::Known(vec![FileSystem {
        id: "fs-1".into(),
        arn: format!("arn:aws:elasticfilesystem:{region}:{ACCOUNT}:file-system/fs-1"),
        encrypted: true,
        backup_enabled: Fact::Known(true),
        tags: phi_tags(),
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
