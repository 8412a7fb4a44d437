//! Redshift in infrastructure code: `AWS::Redshift::Cluster` (with `LoggingProperties`) and
//! `AWS::Redshift::ClusterParameterGroup`; Terraform's `aws_redshift_cluster` (its `logging`
//! block), `aws_redshift_logging` and `aws_redshift_parameter_group`. A cluster the code does not
//! make public is not (the API's default); whether an unsaid `Encrypted` means encrypted, and
//! what an engine default parameter group sets `require_ssl` to, changed with Redshift's 2025
//! security defaults, so both stay open when the code is silent.

use super::evidence::{AuditLogging, RedshiftCluster, RedshiftRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};
use crate::services::rds::evidence::{DbParameter, ParameterGroupUse};

const CLUSTERS: &[&str] = &["AWS::Redshift::Cluster", "aws_redshift_cluster"];
const GROUPS: &[&str] = &["AWS::Redshift::ClusterParameterGroup", "aws_redshift_parameter_group"];

/// The Redshift section from every cluster of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, CLUSTERS) {
        return;
    }
    let section = by_region(
        sources,
        || RedshiftRegion {
            clusters: Fact::Known(Vec::new()),
            parameter_groups: Default::default(),
        },
        |src, region| {
            for g in src.of(GROUPS) {
                out.add(g, &src.arn(g));
            }
            let list: Vec<RedshiftCluster> = src.of(CLUSTERS).map(|r| cluster(src, r, out)).collect();
            for c in &list {
                for g in &c.parameter_groups {
                    region.parameter_groups.entry(g.name.clone()).or_insert_with(|| group_params(src, &g.name));
                }
            }
            if let Fact::Known(l) = &mut region.clusters {
                l.extend(list);
            }
        },
    );
    out.services.redshift = Some(section);
}

fn k(cfn: bool, c: &'static str, t: &'static str) -> &'static str {
    if cfn {
        c
    } else {
        t
    }
}

/// `require_ssl` as a group of the code sets it (Redshift's default, false, when it does not).
fn group_params(src: &Source, name: &str) -> Fact<Vec<DbParameter>> {
    if name.starts_with("default.") {
        return Fact::Unknown(open("require_ssl", format!("the engine default group `{name}` decides, whose value for new clusters changed in 2025")));
    }
    let Some(g) = src.of(GROUPS).find(|g| g.id == name) else {
        return Fact::Unknown(open("require_ssl", format!("the parameter group `{name}` is not defined in this code")));
    };
    let cfn = src.is_cfn();
    let read = (|| -> Result<String, Unknown> {
        for p in g.props.get(k(cfn, "Parameters", "parameter")).items("Parameters")? {
            if p.get(k(cfn, "ParameterName", "name")).text("Parameters.ParameterName")?.as_deref() == Some("require_ssl") {
                return Ok(p.get(k(cfn, "ParameterValue", "value")).text("Parameters.ParameterValue")?.unwrap_or_default());
            }
        }
        Ok("false".into())
    })();
    read.map(|v| vec![DbParameter { name: "require_ssl".into(), value: Some(v), apply_type: None }]).into()
}

fn logging(src: &Source, r: &Res) -> Result<AuditLogging, Unknown> {
    let cfn = src.is_cfn();
    let texts = |v: &Val, path: &str| -> Result<Vec<String>, Unknown> {
        let mut out = Vec::new();
        for x in v.items(path)? {
            if let Some(t) = x.text(path)? {
                out.push(t);
            }
        }
        Ok(out)
    };
    let from = |l: &Val, cfn: bool, enabled: bool| -> Result<AuditLogging, Unknown> {
        let bucket = l.get(k(cfn, "BucketName", "bucket_name")).name("BucketName")?;
        let destination = l.get(k(cfn, "LogDestinationType", "log_destination_type")).text("LogDestinationType")?;
        Ok(AuditLogging {
            enabled,
            destination: destination.or_else(|| bucket.as_ref().map(|_| "s3".into())),
            bucket,
            log_exports: texts(l.get(k(cfn, "LogExports", "log_exports")), "LogExports")?,
        })
    };
    let off = AuditLogging { enabled: false, destination: None, bucket: None, log_exports: Vec::new() };
    if cfn {
        return match r.props.get("LoggingProperties") {
            Val::Null => Ok(off),
            l => from(l, true, true),
        };
    }
    let found = src.attached(r, &["aws_redshift_logging"], &["cluster_identifier"], CLUSTERS, |c| match c.props.get("cluster_identifier") {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    })?;
    if let Some(l) = found.last() {
        return from(&l.props, false, true);
    }
    match r.props.get("logging").items("logging")?.first() {
        Some(l) if l.get("enable").boolean("logging.enable")? == Some(true) => from(l, false, true),
        _ => Ok(off),
    }
}

fn cluster(src: &Source, r: &Res, out: &mut Converted) -> RedshiftCluster {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let enc = p.get(k(cfn, "Encrypted", "encrypted")).boolean("Encrypted").and_then(|e| {
        e.ok_or_else(|| open("Encrypted", "not set: whether Redshift encrypts a new cluster by default depends on when it is created"))
    });
    let encrypted = out.or_open(r, &arn, &["redshift.encrypted"], enc, false);
    let key = p.get(k(cfn, "KmsKeyId", "kms_key_id")).name("KmsKeyId");
    let kms_key_id = out.or_open(r, &arn, &["redshift.encrypted"], key, None);
    let public = p.get(k(cfn, "PubliclyAccessible", "publicly_accessible")).boolean("PubliclyAccessible");
    let publicly_accessible = out.or_open(r, &arn, &["redshift.not_public"], public.map(|x| Some(x.unwrap_or(false))), Some(true));
    let path = k(cfn, "ClusterParameterGroupName", "cluster_parameter_group_name");
    let name_of = |g: &Res| match g.props.get(if g.kind.contains("::") { "ParameterGroupName" } else { "name" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    };
    let parameter_groups = match src.link(r, &[path], GROUPS, name_of) {
        Link::To(g) => vec![g.id.clone()],
        Link::Outside(n) => vec![n],
        Link::None => vec!["default.redshift-1.0".into()],
        Link::Open(u) => {
            out.open(r, &arn, &["redshift.require_ssl"], u);
            vec!["(unknown until apply)".into()]
        }
    }
    .into_iter()
    .map(|name| ParameterGroupUse { name, status: Some("in-sync".into()) })
    .collect();
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    RedshiftCluster {
        id: r.id.clone(),
        encrypted,
        kms_key_id,
        publicly_accessible,
        parameter_groups,
        tags,
        logging: logging(src, r).into(),
        arn,
    }
}
