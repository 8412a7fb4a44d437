//! EFS in infrastructure code: `AWS::EFS::FileSystem` (with its `BackupPolicy`) and Terraform's
//! `aws_efs_file_system` with `aws_efs_backup_policy`; the file-system policy from
//! `FileSystemPolicy` or `aws_efs_file_system_policy`. A file system the code does not encrypt
//! or back up is not encrypted or backed up, as the EFS API creates it.

use super::evidence::{EfsRegion, FileSystem};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::{any_of, by_region};

const FILE_SYSTEMS: &[&str] = &["AWS::EFS::FileSystem", "aws_efs_file_system"];

/// The EFS section from every file system of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, FILE_SYSTEMS) {
        return;
    }
    let section = by_region(
        sources,
        || EfsRegion {
            file_systems: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<FileSystem> = src.of(FILE_SYSTEMS).map(|r| file_system(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.file_systems {
                l.extend(list);
            }
        },
    );
    out.services.efs = Some(section);
}

/// The file-system policy: CloudFormation's `FileSystemPolicy`, or Terraform's separate
/// `aws_efs_file_system_policy` tied to the file system (a policy that names a file system
/// known only at apply may be this one's, so it leaves the policy open).
fn policy(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    if src.is_cfn() {
        return r.props.get("FileSystemPolicy").json_text("FileSystemPolicy");
    }
    let mut open = None;
    for p in src.of(&["aws_efs_file_system_policy"]) {
        match src.link(p, &["file_system_id"], FILE_SYSTEMS, |_| None) {
            Link::To(fs) if fs.id == r.id => return p.props.get("policy").json_text("policy"),
            Link::Open(u) => open = Some(u),
            _ => {}
        }
    }
    open.map_or(Ok(None), Err)
}

fn file_system(src: &Source, r: &Res, out: &mut Converted) -> FileSystem {
    let arn = src.arn(r);
    out.add(r, &arn);
    let p = &r.props;
    let cfn = src.is_cfn();
    let en = if cfn { "Encrypted" } else { "encrypted" };
    let encrypted = out.or_open(r, &arn, &["efs.encrypted"], p.get(en).boolean(en).map(|b| b.unwrap_or(false)), false);
    let backup_enabled = if cfn {
        p.at(&["BackupPolicy", "Status"]).text("BackupPolicy.Status").map(|s| s.as_deref() == Some("ENABLED"))
    } else {
        let mut found = Ok(false);
        for b in src.of(&["aws_efs_backup_policy"]) {
            match src.link(b, &["file_system_id"], FILE_SYSTEMS, |_| None) {
                Link::To(fs) if fs.id == r.id => {
                    found = b.props.get("backup_policy").items("backup_policy").and_then(|items| match items.first() {
                        Some(x) => x.get("status").text("backup_policy.status").map(|s| s.as_deref() == Some("ENABLED")),
                        None => Ok(false),
                    });
                    break;
                }
                Link::Open(u) => found = Err(u),
                _ => {}
            }
        }
        found
    };
    let tags = out.or_open(r, &arn, &["*"], r.tags("FileSystemTags"), Default::default());
    FileSystem {
        id: r.id.clone(),
        arn,
        encrypted,
        backup_enabled: backup_enabled.into(),
        tags,
        policy: policy(src, r).into(),
    }
}
