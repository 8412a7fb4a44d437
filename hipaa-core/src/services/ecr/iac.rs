//! ECR in infrastructure code: `AWS::ECR::Repository` (with its `RepositoryPolicyText`) and
//! `AWS::ECR::RegistryScanningConfiguration`; Terraform's `aws_ecr_repository` with
//! `aws_ecr_repository_policy` and `aws_ecr_registry_scanning_configuration`. A repository the
//! code says nothing about has mutable tags, AES-256 encryption, scan on push off and no policy.
//! How the registry scans is the account's unless the code configures it, so without that
//! configuration `ecr.scan_on_push` is open. A repository is named as the code names it (the
//! registry's filters match names), else by its logical id or address.

use super::evidence::{EcrRegion, RegistryScanning, Repository, ScanningRule};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const REPOSITORIES: &[&str] = &["AWS::ECR::Repository", "aws_ecr_repository"];
const POLICIES: &[&str] = &["aws_ecr_repository_policy"];
const REGISTRY_SCANNING: &[&str] = &[
    "AWS::ECR::RegistryScanningConfiguration",
    "aws_ecr_registry_scanning_configuration",
];

/// The ECR section from every repository of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, REPOSITORIES) {
        return;
    }
    let section = by_region(
        sources,
        || EcrRegion {
            repositories: Fact::Known(Vec::new()),
            scanning: Fact::Known(RegistryScanning {
                scan_type: String::new(),
                rules: Vec::new(),
            }),
        },
        |src, region| {
            region.scanning = scanning(src).into();
            let list: Vec<Repository> = src
                .of(REPOSITORIES)
                .map(|r| repository(src, r, &region.scanning, out))
                .collect();
            if let Fact::Known(l) = &mut region.repositories {
                l.extend(list);
            }
        },
    );
    out.services.ecr = Some(section);
}

/// A nested block: CloudFormation's mapping, or the first of Terraform's block list.
fn block<'a>(v: &'a Val, path: &str) -> Result<&'a Val, Unknown> {
    Ok(match v {
        Val::List(_) => v.items(path)?.first().copied().unwrap_or(&Val::Null),
        other => other,
    })
}

/// The registry's scanning configuration, when the code sets it.
fn scanning(src: &Source) -> Result<RegistryScanning, Unknown> {
    let Some(r) = src.of(REGISTRY_SCANNING).last() else {
        return Err(open(
            "registry scanning configuration",
            "how the registry scans images is the account's setting, which this code does not configure",
        ));
    };
    let cfn = src.is_cfn();
    let p = &r.props;
    let scan_type = p
        .get(if cfn { "ScanType" } else { "scan_type" })
        .text("ScanType")?
        .unwrap_or_else(|| "BASIC".into());
    let mut rules = Vec::new();
    for rule in p.get(if cfn { "Rules" } else { "rule" }).items("Rules")? {
        let frequency = rule
            .get(if cfn { "ScanFrequency" } else { "scan_frequency" })
            .text("Rules.ScanFrequency")?
            .unwrap_or_default();
        let mut filters = Vec::new();
        for f in rule
            .get(if cfn { "RepositoryFilters" } else { "repository_filter" })
            .items("Rules.RepositoryFilters")?
        {
            if let Some(t) = f.get(if cfn { "Filter" } else { "filter" }).text("Rules.RepositoryFilters.Filter")? {
                filters.push(t);
            }
        }
        rules.push(ScanningRule { frequency, filters });
    }
    Ok(RegistryScanning { scan_type, rules })
}

fn policy(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    if src.is_cfn() {
        return r.props.get("RepositoryPolicyText").json_text("RepositoryPolicyText");
    }
    let name_of = |x: &Res| match x.props.get("name") {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    };
    match src.attached(r, POLICIES, &["repository"], REPOSITORIES, name_of)?.last() {
        Some(p) => p.props.get("policy").json_text("policy"),
        None => Ok(None),
    }
}

fn repository(src: &Source, r: &Res, scanning: &Fact<RegistryScanning>, out: &mut Converted) -> Repository {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    // Registry filters match the repository's name, so a name the code fixes is the evidence's
    // name (findings still point at the resource through its ARN); a name chosen at deploy
    // leaves the filters' verdict open.
    let name = match p.get(if cfn { "RepositoryName" } else { "name" }) {
        Val::Str(n) => n.clone(),
        other => {
            if let Fact::Known(s) = scanning {
                if s.rules.iter().any(|x| !x.filters.is_empty()) {
                    let why = other.why_open().unwrap_or_else(|| "the code gives no repository name, so CloudFormation chooses one at deploy".into());
                    out.open(r, &arn, &["ecr.scan_on_push"], open("RepositoryName", format!("the registry's scanning filters match repository names: {why}")));
                }
            }
            r.id.clone()
        }
    };
    let push = block(p.get(if cfn { "ImageScanningConfiguration" } else { "image_scanning_configuration" }), "ImageScanningConfiguration")
        .and_then(|b| b.get(if cfn { "ScanOnPush" } else { "scan_on_push" }).boolean("ImageScanningConfiguration.ScanOnPush"));
    let scan_on_push = out.or_open(r, &arn, &["ecr.scan_on_push"], push.map(|b| b.unwrap_or(false)), false);
    let m = if cfn { "ImageTagMutability" } else { "image_tag_mutability" };
    let mutability = p.get(m).text(m).map(|t| t.unwrap_or_else(|| "MUTABLE".into()));
    let tag_mutability = out.or_open(r, &arn, &["ecr.tag_immutability"], mutability, "MUTABLE".into());
    let enc = block(p.get(if cfn { "EncryptionConfiguration" } else { "encryption_configuration" }), "EncryptionConfiguration").and_then(|b| {
        let t = b.get(if cfn { "EncryptionType" } else { "encryption_type" }).text("EncryptionConfiguration.EncryptionType")?;
        let k = b.get(if cfn { "KmsKey" } else { "kms_key" }).name("EncryptionConfiguration.KmsKey")?;
        Ok((t.unwrap_or_else(|| "AES256".into()), k))
    });
    let (encryption_type, kms_key) = out.or_open(r, &arn, &["ecr.kms_encryption"], enc, ("AES256".into(), None));
    Repository {
        name,
        scan_on_push,
        tag_mutability,
        encryption_type,
        kms_key,
        tags: r.tags("Tags").into(),
        policy: policy(src, r).into(),
        arn,
    }
}
