//! RDS in infrastructure code: DB instances (`AWS::RDS::DBInstance`, `aws_db_instance`,
//! `aws_rds_cluster_instance`). An Aurora instance reports its cluster's encryption and backup
//! retention (`AWS::RDS::DBCluster`, `aws_rds_cluster`), as `DescribeDBInstances` does. What
//! the code leaves unsaid is RDS's default for a new database: one day of automated backups,
//! storage not encrypted (unless restored from a snapshot, which decides it).

use super::evidence::{RdsInstance, RdsRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const INSTANCES: &[&str] = &["AWS::RDS::DBInstance", "aws_db_instance", "aws_rds_cluster_instance"];
const CLUSTERS: &[&str] = &["AWS::RDS::DBCluster", "aws_rds_cluster"];

/// The RDS section from every DB instance of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, INSTANCES) {
        return;
    }
    let section = by_region(
        sources,
        || RdsRegion {
            instances: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<RdsInstance> = src.of(INSTANCES).map(|r| instance(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.instances {
                l.extend(list);
            }
        },
    );
    out.services.rds = Some(section);
}

/// Encryption and backup retention as the code sets them on a database (instance or cluster);
/// a restore from a snapshot or a replica of another database takes its encryption from there.
fn storage(r: &Res, cfn: bool) -> (Result<bool, Unknown>, Result<i64, Unknown>) {
    let p = &r.props;
    let k = |c: &str, t: &str| if cfn { p.get(c) } else { p.get(t) };
    let (en, rn) = if cfn { ("StorageEncrypted", "BackupRetentionPeriod") } else { ("storage_encrypted", "backup_retention_period") };
    let copied = ["DBSnapshotIdentifier", "SourceDBInstanceIdentifier", "SnapshotIdentifier", "SourceDBClusterIdentifier", "snapshot_identifier", "replicate_source_db"]
        .iter()
        .find(|k| !p.get(k).is_null());
    let flag = match k("StorageEncrypted", "storage_encrypted") {
        // Terraform computes an unset flag; the engine's default is unencrypted.
        Val::Open(_) if !cfn && !r.configured.contains("storage_encrypted") => Ok(None),
        v => v.boolean(en),
    };
    let encrypted = match (flag, copied) {
        (Ok(Some(true)), _) => Ok(true),
        (Ok(_), None) => Ok(false),
        (Ok(_), Some(from)) => Err(open(en, format!("it is copied from `{from}`, whose encryption decides"))),
        (Err(u), _) => Err(u),
    };
    let retention = match k("BackupRetentionPeriod", "backup_retention_period") {
        Val::Null => Ok(1),
        v if !cfn && !r.configured.contains("backup_retention_period") && matches!(v, Val::Open(_)) => Ok(1),
        v => v.int(rn).map(|d| d.unwrap_or(1)),
    };
    (encrypted, retention)
}

fn instance(src: &Source, r: &Res, out: &mut Converted) -> RdsInstance {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let k = |c: &str, t: &str| if cfn { p.get(c) } else { p.get(t) };
    let engine = k("Engine", "engine").text("Engine").ok().flatten().unwrap_or_default();
    let cluster_path = if cfn { "DBClusterIdentifier" } else { "cluster_identifier" };
    let cluster = match src.link(r, &[cluster_path], CLUSTERS, |c| match c.props.get(if cfn { "DBClusterIdentifier" } else { "cluster_identifier" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }) {
        Link::To(c) => Some(Ok(c)),
        Link::None => None,
        Link::Outside(n) => Some(Err(open(cluster_path, format!("its cluster `{n}` is not defined here")))),
        Link::Open(u) => Some(Err(u)),
    };
    let (encrypted, retention) = match &cluster {
        None => storage(r, cfn),
        Some(Ok(c)) => storage(c, cfn),
        Some(Err(u)) => (Err(u.clone()), Err(u.clone())),
    };
    let engine = match (&cluster, engine.is_empty()) {
        (Some(Ok(c)), true) => c.props.get(if cfn { "Engine" } else { "engine" }).text("Engine").ok().flatten().unwrap_or_default(),
        _ => engine,
    };
    let storage_encrypted = out.or_open(r, &arn, &["rds.storage_encrypted"], encrypted, false);
    let backup = out.or_open(r, &arn, &["rds.backup_retention"], retention, 0);
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    RdsInstance {
        id: r.id.clone(),
        arn,
        engine,
        backup_retention_days: i32::try_from(backup).unwrap_or(i32::MAX),
        storage_encrypted,
        vpc_id: None,
        tags,
    }
}
