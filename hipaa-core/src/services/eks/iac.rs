//! EKS in infrastructure code: `AWS::EKS::Cluster` and Terraform's `aws_eks_cluster`. What the
//! code leaves unsaid is EKS's default for a new cluster: a public endpoint open to `0.0.0.0/0`,
//! no private endpoint, no envelope encryption with a key of yours, no control-plane logs. A
//! cluster given no version gets the default version of the day it is created, which the code
//! cannot say.

use super::evidence::{Cluster, ClusterDetail, EksRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const CLUSTERS: &[&str] = &["AWS::EKS::Cluster", "aws_eks_cluster"];

/// The EKS section from every cluster of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, CLUSTERS) {
        return;
    }
    let section = by_region(
        sources,
        || EksRegion {
            clusters: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Cluster> = src.of(CLUSTERS).map(|r| cluster(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.clusters {
                l.extend(list);
            }
        },
    );
    out.services.eks = Some(section);
}

/// A nested block: CloudFormation's mapping, or the first of Terraform's block list.
fn block<'a>(v: &'a Val, path: &str) -> Result<&'a Val, Unknown> {
    Ok(match v {
        Val::List(_) => v.items(path)?.first().copied().unwrap_or(&Val::Null),
        other => other,
    })
}

fn texts(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for x in v.items(path)? {
        if let Some(t) = x.text(path)? {
            out.push(t);
        }
    }
    Ok(out)
}

fn cluster(src: &Source, r: &Res, out: &mut Converted) -> Cluster {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let k = |c: &'static str, t: &'static str| if cfn { c } else { t };
    let vpc = block(p.get(k("ResourcesVpcConfig", "vpc_config")), "ResourcesVpcConfig");
    let endpoint = vpc.and_then(|v| {
        let public = v.get(k("EndpointPublicAccess", "endpoint_public_access")).boolean("EndpointPublicAccess")?.unwrap_or(true);
        let private = v.get(k("EndpointPrivateAccess", "endpoint_private_access")).boolean("EndpointPrivateAccess")?.unwrap_or(false);
        let c = v.get(k("PublicAccessCidrs", "public_access_cidrs"));
        let mut cidrs = if !public || c.is_computed_default() { Vec::new() } else { texts(c, "PublicAccessCidrs")? };
        if cidrs.is_empty() && public {
            cidrs.push("0.0.0.0/0".into());
        }
        Ok((public, private, cidrs))
    });
    let (endpoint_public_access, endpoint_private_access, public_access_cidrs) =
        out.or_open(r, &arn, &["eks.private_endpoint"], endpoint, (true, false, vec!["0.0.0.0/0".into()]));
    let key = (|| -> Result<Option<String>, Unknown> {
        for e in p.get(k("EncryptionConfig", "encryption_config")).items("EncryptionConfig")? {
            let resources = texts(e.get(k("Resources", "resources")), "EncryptionConfig.Resources")?;
            if !resources.iter().any(|x| x == "secrets") {
                continue;
            }
            let provider = block(e.get(k("Provider", "provider")), "EncryptionConfig.Provider")?;
            return provider.get(k("KeyArn", "key_arn")).name("EncryptionConfig.Provider.KeyArn");
        }
        Ok(None)
    })();
    let secrets_key_arn = out.or_open(r, &arn, &["eks.secrets_encryption"], key, None);
    let logs = if cfn {
        (|| {
            let mut out = Vec::new();
            for t in p.at(&["Logging", "ClusterLogging", "EnabledTypes"]).items("Logging.ClusterLogging.EnabledTypes")? {
                if let Some(x) = t.get("Type").text("Logging.ClusterLogging.EnabledTypes.Type")? {
                    out.push(x);
                }
            }
            Ok(out)
        })()
    } else {
        texts(p.get("enabled_cluster_log_types"), "enabled_cluster_log_types")
    };
    let enabled_log_types = out.or_open(r, &arn, &["eks.control_plane_logging"], logs, Vec::new());
    let v = k("Version", "version");
    let version = p.get(v).text(v).and_then(|x| {
        x.ok_or_else(|| open(v, "not set: EKS gives a new cluster the default version of the day it is created"))
    });
    let version = out.or_open(r, &arn, &["eks.supported_version"], version, String::new());
    Cluster {
        name: r.id.clone(),
        tags: r.tags("Tags").into(),
        detail: Fact::Known(ClusterDetail {
            version,
            endpoint_public_access,
            endpoint_private_access,
            public_access_cidrs,
            secrets_key_arn,
            enabled_log_types,
        }),
        arn,
    }
}
