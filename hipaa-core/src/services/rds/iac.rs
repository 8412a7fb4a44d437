//! RDS in infrastructure code: DB instances (`AWS::RDS::DBInstance`, `aws_db_instance`,
//! `aws_rds_cluster_instance`) and DB clusters (`AWS::RDS::DBCluster`, `aws_rds_cluster`), each
//! member tied to its cluster. What the code leaves unsaid is RDS's default for a new database:
//! one day of automated backups, storage not encrypted (unless restored from a snapshot or made a
//! replica, which decides it; encrypted without a key means the AWS-managed `aws/rds` key), one
//! Availability Zone, no deletion protection, no IAM authentication, no log exports, automatic
//! minor upgrades on, and for an instance given no subnet group the default VPC, whose internet
//! gateway makes it publicly accessible.

use super::evidence::{tls_parameter, DbParameter, ParameterGroupUse, RdsCluster, RdsInstance, RdsRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const INSTANCES: &[&str] = &["AWS::RDS::DBInstance", "aws_db_instance", "aws_rds_cluster_instance"];
const CLUSTERS: &[&str] = &["AWS::RDS::DBCluster", "aws_rds_cluster"];
const KEYS: &[&str] = &["AWS::KMS::Key", "aws_kms_key"];
const GROUPS: &[&str] = &["AWS::RDS::DBParameterGroup", "aws_db_parameter_group"];
const CLUSTER_GROUPS: &[&str] = &["AWS::RDS::DBClusterParameterGroup", "aws_rds_cluster_parameter_group"];

/// The RDS section from every DB instance and cluster of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, INSTANCES) && !any_of(sources, CLUSTERS) {
        return;
    }
    let section = by_region(
        sources,
        || RdsRegion {
            instances: Fact::Known(Vec::new()),
            clusters: Fact::Known(Vec::new()),
            parameter_groups: Default::default(),
            cluster_parameter_groups: Default::default(),
            // Manual snapshots are taken in the account, not declared in code.
            snapshots: Fact::Known(Vec::new()),
            cluster_snapshots: Fact::Known(Vec::new()),
        },
        |src, region| {
            for g in src.of(GROUPS).chain(src.of(CLUSTER_GROUPS)) {
                out.add(g, &src.arn(g));
            }
            let clusters: Vec<RdsCluster> = src.of(CLUSTERS).map(|r| cluster(src, r, out)).collect();
            let instances: Vec<RdsInstance> = src.of(INSTANCES).map(|r| instance(src, r, out)).collect();
            for c in &clusters {
                if let Some(g) = &c.parameter_group {
                    let params = group_params(src, &g.name, CLUSTER_GROUPS, &c.engine);
                    region.cluster_parameter_groups.entry(g.name.clone()).or_insert(params);
                }
            }
            for i in &instances {
                for g in i.parameter_groups.iter().flatten() {
                    let params = group_params(src, &g.name, GROUPS, &i.engine);
                    region.parameter_groups.entry(g.name.clone()).or_insert(params);
                }
            }
            if let Fact::Known(l) = &mut region.clusters {
                l.extend(clusters);
            }
            if let Fact::Known(l) = &mut region.instances {
                l.extend(instances);
            }
        },
    );
    out.services.rds = Some(section);
}

/// A property by its CloudFormation or Terraform name.
fn prop<'a>(src: &Source, r: &'a Res, cfn: &str, tf: &str) -> (&'a Val, String) {
    if src.is_cfn() {
        (r.props.get(cfn), cfn.to_string())
    } else {
        (r.props.get(tf), tf.to_string())
    }
}

/// A flag, with its default when the code does not set it.
fn flag(src: &Source, r: &Res, cfn: &str, tf: &str, default: bool) -> Result<bool, Unknown> {
    let (v, name) = prop(src, r, cfn, tf);
    v.boolean(&name).map(|b| b.unwrap_or(default))
}

/// Encryption and backup retention as the code sets them on a database (instance or cluster);
/// a restore from a snapshot or a replica of another database takes its encryption from there.
fn storage(src: &Source, r: &Res) -> (Result<bool, Unknown>, Result<i64, Unknown>) {
    let p = &r.props;
    let (v, en) = prop(src, r, "StorageEncrypted", "storage_encrypted");
    let copied = [
        "DBSnapshotIdentifier",
        "SourceDBInstanceIdentifier",
        "SnapshotIdentifier",
        "SourceDBClusterIdentifier",
        "snapshot_identifier",
        "replicate_source_db",
    ]
    .into_iter()
    .find(|k| !p.get(k).is_null());
    let encrypted = match (v.boolean(&en), copied) {
        (Ok(Some(true)), _) => Ok(true),
        (Ok(_), None) => Ok(false),
        (Ok(_), Some(from)) => Err(open(&en, format!("it is copied from `{from}`, whose encryption decides"))),
        (Err(u), _) => Err(u),
    };
    let (v, rn) = prop(src, r, "BackupRetentionPeriod", "backup_retention_period");
    let retention = v.int(&rn).map(|d| d.unwrap_or(1));
    (encrypted, retention)
}

/// The KMS key of encrypted storage: a key of the code by its stand-in ARN, a key outside by
/// the ARN written, the AWS-managed `aws/rds` key when none is named.
fn storage_key(src: &Source, r: &Res, encrypted: bool, out: &mut Converted) -> Result<Option<String>, Unknown> {
    if !encrypted {
        return Ok(None);
    }
    let name = if src.is_cfn() { "KmsKeyId" } else { "kms_key_id" };
    Ok(Some(match src.link(r, &[name], KEYS, |_| None) {
        Link::To(k) => src.arn(k),
        Link::Outside(_) => r.props.get(name).name(name)?.unwrap_or_default(),
        Link::None => out.aws_managed_key(src, "aws/rds"),
        Link::Open(u) => return Err(u),
    }))
}

/// Exported log types (none when the code exports none).
fn log_exports(src: &Source, r: &Res) -> Result<Vec<String>, Unknown> {
    let (v, name) = prop(src, r, "EnableCloudwatchLogsExports", "enabled_cloudwatch_logs_exports");
    let mut logs = Vec::new();
    for l in v.items(&name)? {
        if let Some(t) = l.text(&name)? {
            logs.push(t);
        }
    }
    Ok(logs)
}

/// The parameter group a database names: a group of the code by its id, a group outside by its
/// name, the engine's default group (`default.<family>`) when it names none. Open when which
/// group is unknown until apply.
fn parameter_group(src: &Source, r: &Res, out: &mut Converted, arn: &str, kinds: &[&str], cfn: &str, tf: &str) -> Option<ParameterGroupUse> {
    let path = if src.is_cfn() { cfn } else { tf };
    let name_of = |g: &Res| match g.props.get(if g.kind.contains("::") {
        if g.kind.ends_with("ClusterParameterGroup") { "DBClusterParameterGroupName" } else { "DBParameterGroupName" }
    } else {
        "name"
    }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    };
    let name = match src.link(r, &[path], kinds, name_of) {
        Link::To(g) => g.id.clone(),
        Link::Outside(n) => n,
        Link::None => format!("default.{}", family(src, r).unwrap_or_else(|| engine(src, r))),
        Link::Open(u) => {
            out.open(r, arn, &["rds.tls_enforced"], u);
            return None;
        }
    };
    // A database the code creates starts with its groups' values in effect.
    Some(ParameterGroupUse { name, status: Some("in-sync".into()) })
}

/// The parameter group family of a database's engine and version (`postgres16`,
/// `aurora-mysql8.0`), when the code fixes the version.
fn family(src: &Source, r: &Res) -> Option<String> {
    let engine = engine(src, r).to_ascii_lowercase();
    let (v, _) = prop(src, r, "EngineVersion", "engine_version");
    let version = v.text("EngineVersion").ok().flatten()?;
    let mut parts = version.split('.');
    let major = parts.next()?.to_string();
    let minor = parts.next().unwrap_or("0");
    Some(if engine.starts_with("postgres") || engine == "aurora-postgresql" {
        if major.parse::<u32>().ok()? >= 10 {
            format!("{engine}{major}")
        } else {
            format!("{engine}{major}.{minor}")
        }
    } else if engine == "aurora-mysql" {
        // Aurora MySQL versions read `8.0.mysql_aurora.3.05.2`.
        format!("{engine}{major}.{minor}")
    } else {
        format!("{engine}{major}.{minor}")
    })
}

/// The value an engine default group gives the TLS parameter of a family, where the RDS
/// documentation fixes it: PostgreSQL 15 and later force TLS, earlier versions, MySQL 5.7 and
/// 8.0, MariaDB, SQL Server and Aurora MySQL do not. `None` where it is not known here.
fn default_tls(family: &str) -> Option<&'static str> {
    let f = family.to_ascii_lowercase();
    if let Some(v) = f.strip_prefix("postgres") {
        let major: f64 = v.parse().ok()?;
        return Some(if major >= 15.0 { "1" } else { "0" });
    }
    if f.starts_with("aurora-mysql") || f.starts_with("mariadb") || f.starts_with("sqlserver") || f == "mysql5.7" || f == "mysql8.0" {
        return Some("0");
    }
    None
}

/// The TLS parameter of a group as the code sets it: a group of the code lists its
/// parameters and its family's defaults stand for the rest; an engine default group has its
/// family's defaults; a group outside the code is the live account's to say.
fn group_params(src: &Source, name: &str, kinds: &[&str], engine: &str) -> Fact<Vec<DbParameter>> {
    let Some((param, _)) = tls_parameter(engine) else {
        return Fact::Known(Vec::new());
    };
    let from_default = |family: &str, what: String| -> Fact<Vec<DbParameter>> {
        match default_tls(family) {
            Some(v) => Fact::Known(vec![DbParameter { name: param.into(), value: Some(v.into()), apply_type: None }]),
            None => Fact::Unknown(open(param, what)),
        }
    };
    if let Some(family) = name.strip_prefix("default.") {
        return from_default(family, format!("the engine default group `{name}` decides, and its value for this engine version is not fixed here"));
    }
    let Some(g) = src.of(kinds).find(|g| g.id == name) else {
        return Fact::Unknown(open(param, format!("the parameter group `{name}` is not defined in this code")));
    };
    let cfn = src.is_cfn();
    let set = (|| -> Result<Option<String>, Unknown> {
        if cfn {
            let params = g.props.get("Parameters");
            for (k, v) in params.entries("Parameters")? {
                if k == param {
                    return v.text(&format!("Parameters.{k}"));
                }
            }
        } else {
            for p in g.props.get("parameter").items("parameter")? {
                if p.get("name").text("parameter.name")?.as_deref() == Some(param) {
                    return p.get("value").text("parameter.value");
                }
            }
        }
        Ok(None)
    })();
    match set {
        Ok(Some(v)) => Fact::Known(vec![DbParameter { name: param.into(), value: Some(v), apply_type: None }]),
        Ok(None) => {
            let family = g.props.get(if cfn { "Family" } else { "family" }).text("Family").ok().flatten().unwrap_or_default();
            from_default(&family, format!("the group `{name}` does not set it, so its family `{family}` decides, whose default is not fixed here"))
        }
        Err(u) => Fact::Unknown(u),
    }
}

fn engine(src: &Source, r: &Res) -> String {
    let (v, name) = prop(src, r, "Engine", "engine");
    v.text(&name).ok().flatten().unwrap_or_default()
}

/// The members of a cluster: the instances of the code that name it.
fn members<'a>(src: &'a Source, cluster: &Res) -> Vec<&'a Res> {
    src.of(INSTANCES)
        .filter(|i| matches!(cluster_of(src, i), Some(Ok(c)) if c.id == cluster.id))
        .collect()
}

/// The cluster an instance belongs to, if it names one.
fn cluster_of<'a>(src: &'a Source, i: &Res) -> Option<Result<&'a Res, Unknown>> {
    let path = if src.is_cfn() { "DBClusterIdentifier" } else { "cluster_identifier" };
    let name_of = |c: &Res| match c.props.get(if c.kind == "AWS::RDS::DBCluster" { "DBClusterIdentifier" } else { "cluster_identifier" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    };
    match src.link(i, &[path], CLUSTERS, name_of) {
        Link::None => None,
        Link::To(c) => Some(Ok(c)),
        Link::Outside(n) => Some(Err(open(path, format!("its cluster `{n}` is not defined here")))),
        Link::Open(u) => Some(Err(u)),
    }
}

fn cluster(src: &Source, r: &Res, out: &mut Converted) -> RdsCluster {
    let arn = src.arn(r);
    out.add(r, &arn);
    let (encrypted, retention) = storage(src, r);
    let storage_encrypted = out.or_open(r, &arn, &["rds.storage_encrypted", "rds.cmk_encryption"], encrypted, false);
    let backup = out.or_open(r, &arn, &["rds.backup_retention"], retention, 0);
    let key = storage_key(src, r, storage_encrypted, out);
    let kms_key_id = out.or_open(r, &arn, &["rds.cmk_encryption"], key, None);
    let engine = engine(src, r);
    let members = members(src, r);
    // A Multi-AZ DB cluster (an instance class on the cluster) spans three zones; an Aurora
    // cluster spans more than one when it has more than one instance.
    let (class, _) = prop(src, r, "DBClusterInstanceClass", "db_cluster_instance_class");
    let multi_az = !class.is_null() || members.len() > 1;
    let deletion = flag(src, r, "DeletionProtection", "deletion_protection", false);
    let deletion_protection = out.or_open(r, &arn, &["rds.deletion_protection"], deletion.map(Some), Some(false));
    let iam = flag(src, r, "EnableIAMDatabaseAuthentication", "iam_database_authentication_enabled", false);
    let iam_auth = out.or_open(r, &arn, &["rds.iam_auth"], iam.map(Some), Some(false));
    let logs = log_exports(src, r);
    let log_exports = out.or_open(r, &arn, &["rds.log_exports"], logs.map(Some), Some(Vec::new()));
    // Only a Multi-AZ DB cluster carries these itself; Aurora sets them on each member.
    let (publicly_accessible, auto_minor_upgrade) = if class.is_null() {
        (None, None)
    } else {
        let public = flag(src, r, "PubliclyAccessible", "publicly_accessible", false);
        let minor = flag(src, r, "AutoMinorVersionUpgrade", "auto_minor_version_upgrade", true);
        (
            out.or_open(r, &arn, &["rds.not_public"], public.map(Some), Some(true)),
            out.or_open(r, &arn, &["rds.auto_minor_upgrade"], minor.map(Some), Some(false)),
        )
    };
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    let parameter_group = parameter_group(src, r, out, &arn, CLUSTER_GROUPS, "DBClusterParameterGroupName", "db_cluster_parameter_group_name");
    RdsCluster {
        id: r.id.clone(),
        arn,
        engine,
        backup_retention_days: i32::try_from(backup).unwrap_or(i32::MAX),
        storage_encrypted,
        kms_key_id,
        multi_az: Some(multi_az),
        deletion_protection,
        iam_auth,
        log_exports,
        publicly_accessible,
        auto_minor_upgrade,
        members: members.iter().map(|m| m.id.clone()).collect(),
        tags,
        parameter_group,
    }
}

fn instance(src: &Source, r: &Res, out: &mut Converted) -> RdsInstance {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cluster = cluster_of(src, r);
    // A member's storage, backups and keys are its cluster's, as `DescribeDBInstances` says.
    let (encrypted, retention, key_source) = match &cluster {
        None => {
            let (e, b) = storage(src, r);
            (e, b, r)
        }
        Some(Ok(c)) => {
            let (e, b) = storage(src, c);
            (e, b, *c)
        }
        Some(Err(u)) => (Err(u.clone()), Err(u.clone()), r),
    };
    let storage_encrypted = out.or_open(r, &arn, &["rds.storage_encrypted", "rds.cmk_encryption"], encrypted, false);
    let backup = out.or_open(r, &arn, &["rds.backup_retention"], retention, 0);
    let key = storage_key(src, key_source, storage_encrypted, out);
    let kms_key_id = out.or_open(r, &arn, &["rds.cmk_encryption"], key, None);
    let engine = match (&cluster, engine(src, r)) {
        (Some(Ok(c)), e) if e.is_empty() => engine(src, c),
        (_, e) => e,
    };
    let subnet_group = if src.is_cfn() { "DBSubnetGroupName" } else { "db_subnet_group_name" };
    let public = match flag(src, r, "PubliclyAccessible", "publicly_accessible", false) {
        // Terraform's provider sets false when the configuration does not.
        Ok(p) if !src.is_cfn() || !r.props.get("PubliclyAccessible").is_null() => Ok(p),
        Ok(_) if r.props.get(subnet_group).is_null() && cluster.is_none() => Ok(true),
        Ok(_) if cluster.is_some() => Ok(false),
        Ok(_) => Err(open(
            "PubliclyAccessible",
            "not set: RDS makes the instance public when its subnets' VPC has an internet gateway",
        )),
        Err(u) => Err(u),
    };
    let publicly_accessible = out.or_open(r, &arn, &["rds.not_public"], public.map(Some), Some(true));
    let multi = flag(src, r, "MultiAZ", "multi_az", false);
    let multi_az = out.or_open(r, &arn, &["rds.multi_az"], multi.map(Some), Some(false));
    let deletion = flag(src, r, "DeletionProtection", "deletion_protection", false);
    let deletion_protection = out.or_open(r, &arn, &["rds.deletion_protection"], deletion.map(Some), Some(false));
    let iam = flag(src, r, "EnableIAMDatabaseAuthentication", "iam_database_authentication_enabled", false);
    let iam_auth = out.or_open(r, &arn, &["rds.iam_auth"], iam.map(Some), Some(false));
    let minor = flag(src, r, "AutoMinorVersionUpgrade", "auto_minor_version_upgrade", true);
    let auto_minor_upgrade = out.or_open(r, &arn, &["rds.auto_minor_upgrade"], minor.map(Some), Some(false));
    let logs = log_exports(src, r);
    let log_exports = out.or_open(r, &arn, &["rds.log_exports"], logs.map(Some), Some(Vec::new()));
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    // A member's TLS setting is judged on its cluster's cluster parameter group.
    let parameter_groups = match &cluster {
        None => parameter_group(src, r, out, &arn, GROUPS, "DBParameterGroupName", "parameter_group_name").map(|g| vec![g]),
        Some(_) => None,
    };
    RdsInstance {
        id: r.id.clone(),
        arn,
        engine,
        backup_retention_days: i32::try_from(backup).unwrap_or(i32::MAX),
        storage_encrypted,
        vpc_id: None,
        tags,
        cluster_id: match &cluster {
            Some(Ok(c)) => Some(c.id.clone()),
            _ => None,
        },
        publicly_accessible,
        multi_az,
        deletion_protection,
        iam_auth,
        auto_minor_upgrade,
        kms_key_id,
        log_exports,
        parameter_groups,
    }
}
