//! KMS in infrastructure code: `AWS::KMS::Key` and `AWS::KMS::Alias`; Terraform's `aws_kms_key`,
//! `aws_kms_external_key` and `aws_kms_alias`. A key the code creates is customer-managed; what
//! the code leaves unsaid is what KMS gives a new key (enabled, symmetric, rotation off, the
//! default key policy that gives the account root `kms:*`).

use super::evidence::{KeyManager, KeyMetadata, KmsKey, KmsRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::{any_of, by_region};

const KEYS: &[&str] = &["AWS::KMS::Key", "aws_kms_key", "aws_kms_external_key"];
const ALIASES: &[&str] = &["AWS::KMS::Alias", "aws_kms_alias"];

/// The policy KMS gives a key created without one.
fn default_policy(partition: &str, account: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:{partition}:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*"
        }]
    })
    .to_string()
}

/// The KMS section from every key of the code, and the AWS-managed keys other services use.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, KEYS) && out.aws_keys.is_empty() {
        return;
    }
    let mut section = by_region(
        sources,
        || KmsRegion {
            keys: Fact::Known(Vec::new()),
        },
        |src, region| {
            let mut keys = Vec::new();
            for r in src.of(KEYS) {
                keys.push(key(src, r, out));
            }
            if let Fact::Known(list) = &mut region.keys {
                list.extend(keys);
            }
        },
    );
    for (region, alias, arn) in out.aws_keys.clone() {
        if let Some(KmsRegion {
            keys: Fact::Known(list),
        }) = section.get_mut(&region)
        {
            if !list.iter().any(|k| k.arn == arn) {
                list.push(aws_managed(&region, &alias, &arn));
            }
        }
    }
    out.services.kms = Some(section);
}

/// An AWS-managed key (`aws/rds`): AWS creates it on first use and rotates it; the controls
/// of customer-managed keys pass it by, and the ones that name a key see whose it is.
fn aws_managed(region: &str, alias: &str, arn: &str) -> KmsKey {
    KmsKey {
        id: arn.rsplit('/').next().unwrap_or(alias).to_string(),
        arn: arn.to_string(),
        region: region.to_string(),
        aliases: Fact::Known(vec![format!("alias/{alias}")]),
        metadata: Fact::Known(KeyMetadata {
            manager: KeyManager::Aws,
            state: "Enabled".into(),
            spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            description: format!("the AWS-managed key {alias}"),
            deletion_date: None,
        }),
        rotation_enabled: Fact::Known(Some(true)),
        policy: Fact::Known("{\"Version\":\"2012-10-17\",\"Statement\":[]}".into()),
        tags: Fact::Known(Default::default()),
    }
}

fn key(src: &Source, r: &Res, out: &mut Converted) -> KmsKey {
    let arn = src.arn(r);
    out.add(r, &arn);
    let p = &r.props;
    let cfn = src.is_cfn();
    let k = |c: &str, t: &str| if cfn { p.get(c) } else { p.get(t) };
    let metadata = (|| -> Result<KeyMetadata, Unknown> {
        let enabled = k("Enabled", "is_enabled").boolean("Enabled")?.unwrap_or(true);
        let spec = k("KeySpec", "customer_master_key_spec")
            .text("KeySpec")?
            .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
        let origin = if r.kind == "aws_kms_external_key" {
            "EXTERNAL".to_string()
        } else {
            p.get("Origin").text("Origin")?.unwrap_or_else(|| "AWS_KMS".into())
        };
        Ok(KeyMetadata {
            manager: KeyManager::Customer,
            state: if enabled {
                "Enabled".into()
            } else {
                "Disabled".into()
            },
            spec,
            origin,
            description: k("Description", "description").name("Description")?.unwrap_or_default(),
            deletion_date: None,
        })
    })();
    let rotation = (|| -> Result<Option<bool>, Unknown> {
        let m = metadata.as_ref().map_err(Clone::clone)?;
        if m.spec != "SYMMETRIC_DEFAULT" || m.origin != "AWS_KMS" {
            return Ok(None);
        }
        Ok(Some(k("EnableKeyRotation", "enable_key_rotation").boolean("EnableKeyRotation")?.unwrap_or(false)))
    })();
    let policy = {
        let v = k("KeyPolicy", "policy");
        let set = cfn || r.configured.contains("policy");
        if v.is_null() || !set {
            Ok(default_policy(&src.partition, &src.account))
        } else {
            v.json_text(if cfn { "KeyPolicy" } else { "policy" })
                .map(|t| t.unwrap_or_else(|| default_policy(&src.partition, &src.account)))
        }
    };
    let mut aliases = Vec::new();
    let mut alias_unknown = None;
    for a in src.of(ALIASES) {
        let target = if cfn { "TargetKeyId" } else { "target_key_id" };
        match src.link(a, &[target], KEYS, |_| None) {
            Link::To(key) if key.id == r.id => {
                let name = if cfn { a.props.get("AliasName") } else { a.props.get("name") };
                match name.name("AliasName") {
                    Ok(Some(n)) => aliases.push(n),
                    Ok(None) => {}
                    Err(u) => alias_unknown = Some(u),
                }
            }
            Link::Open(u) => alias_unknown = Some(u),
            _ => {}
        }
    }
    let tags = r.tags("Tags");
    KmsKey {
        id: r.id.clone(),
        arn,
        region: src.region.clone(),
        aliases: match alias_unknown {
            Some(u) if aliases.is_empty() => Fact::Unknown(u),
            _ => Fact::Known(aliases),
        },
        metadata: metadata.into(),
        rotation_enabled: rotation.into(),
        policy: policy.into(),
        tags: tags.into(),
    }
}
