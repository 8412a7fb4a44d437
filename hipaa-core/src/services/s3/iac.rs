//! S3 in infrastructure code: `AWS::S3::Bucket` (with its inline configuration) and
//! `AWS::S3::BucketPolicy`; Terraform's `aws_s3_bucket` and the resources that configure a
//! bucket separately (encryption, versioning, logging, Block Public Access, policy, Object Lock,
//! ACL, replication), tied to their bucket by reference, name, or `count`/`for_each` key.
//!
//! What a bucket gets when the code says nothing is what AWS gives a new bucket: SSE-S3
//! encryption (applied to every bucket since January 2023), no versioning, no logging, no
//! replication, no policy, a private ACL. Block Public Access that the code does not configure
//! counts as not configured (the code has to carry the guardrail itself), and the account-wide
//! setting is the live account's, so it counts as not configured here either.

use super::evidence::{
    AclGrant, Bucket, BucketEncryption, LoggingTarget, PublicAccessBlock, Replication,
    ReplicationRule, S3Evidence, Versioning,
};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Dialect, Link, Res, Source};
use crate::iac::value::Val;

const CFN_BUCKET: &str = "AWS::S3::Bucket";
const TF_BUCKET: &str = "aws_s3_bucket";
const BUCKETS: &[&str] = &[CFN_BUCKET, TF_BUCKET];

/// A bucket's name when the code fixes it, for links by literal name.
fn bucket_name(r: &Res) -> Option<String> {
    let key = if r.kind == CFN_BUCKET { "BucketName" } else { "bucket" };
    match r.props.get(key) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// The S3 section from every bucket of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    let mut buckets = Vec::new();
    let mut account_pab: Fact<Option<PublicAccessBlock>> = Fact::Known(None);
    let mut any = false;
    for src in sources {
        for r in src.of(&["aws_s3_account_public_access_block"]) {
            any = true;
            account_pab = pab_tf(&r.props).map(Some).into();
        }
        for r in src.of(BUCKETS) {
            any = true;
            buckets.push(bucket(src, r, out));
        }
    }
    if any {
        out.services.s3 = Some(S3Evidence {
            buckets: Fact::Known(buckets),
            account_public_access_block: account_pab,
        });
    }
}

/// The settings other resources give one bucket: found, none, or unknown because a resource
/// configures a bucket that is known only at apply.
enum Setting<'a> {
    None,
    Found(&'a Res),
    Open(Unknown),
}

/// The resource of `kinds` that configures `bucket`.
fn setting<'a>(src: &'a Source, bucket: &Res, kinds: &[&str], path: &[&str]) -> Setting<'a> {
    let mut open_one = None;
    for r in src.of(kinds) {
        match src.link(r, path, BUCKETS, bucket_name) {
            Link::To(b) if b.id == bucket.id => return Setting::Found(r),
            Link::Open(u) => {
                open_one.get_or_insert(Unknown {
                    detail: format!(
                        "`{}` configures a bucket known only at apply, which may be this one ({})",
                        r.id, u.detail
                    ),
                    ..u
                });
            }
            _ => {}
        }
    }
    match open_one {
        Some(u) => Setting::Open(u),
        None => Setting::None,
    }
}

fn bucket(src: &Source, r: &Res, out: &mut Converted) -> Bucket {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.dialect == Dialect::CloudFormation;
    let tags = r.tags("Tags");
    let b = Bucket {
        name: r.id.clone(),
        arn: arn.clone(),
        region: Fact::Known(src.region.clone()),
        tags: tags.into(),
        encryption: Fact::Known(BucketEncryption::SseS3),
        public_access_block: Fact::Known(None),
        policy: Fact::Known(None),
        acl: Fact::Known(owner_only()),
        versioning: Fact::Known(Versioning::NeverEnabled),
        object_lock: Fact::Known(false),
        logging: Fact::Known(None),
        replication: Fact::Known(None),
    };
    if cfn {
        cfn_bucket(src, r, b)
    } else {
        tf_bucket(src, r, b)
    }
}

fn owner_only() -> Vec<AclGrant> {
    vec![AclGrant {
        grantee_type: "CanonicalUser".into(),
        uri: None,
        id: Some("owner".into()),
        permission: "FULL_CONTROL".into(),
    }]
}

/// The grants of a canned ACL.
fn canned(acl: &str) -> Vec<AclGrant> {
    let group = |who: &str, perm: &str| AclGrant {
        grantee_type: "Group".into(),
        uri: Some(format!("http://acs.amazonaws.com/groups/{who}")),
        id: None,
        permission: perm.into(),
    };
    let mut g = owner_only();
    match acl.to_ascii_lowercase().replace('-', "").as_str() {
        "publicread" => g.push(group("global/AllUsers", "READ")),
        "publicreadwrite" => {
            g.push(group("global/AllUsers", "READ"));
            g.push(group("global/AllUsers", "WRITE"));
        }
        "authenticatedread" => g.push(group("global/AuthenticatedUsers", "READ")),
        "logdeliverywrite" => {
            g.push(group("s3/LogDelivery", "WRITE"));
            g.push(group("s3/LogDelivery", "READ_ACP"));
        }
        _ => {}
    }
    g
}

fn encryption(algorithm: Option<String>, key: Option<String>) -> BucketEncryption {
    match algorithm.as_deref() {
        Some("aws:kms") => BucketEncryption::SseKms { key },
        Some("aws:kms:dsse") => BucketEncryption::DsseKms { key },
        // AES256, or nothing said: S3 encrypts every object with SSE-S3 at least.
        _ => BucketEncryption::SseS3,
    }
}

fn pab(p: &Val, keys: [&str; 4], path: &str) -> Result<PublicAccessBlock, Unknown> {
    let read = |k: &str| -> Result<bool, Unknown> { Ok(p.get(k).boolean(&format!("{path}.{k}"))?.unwrap_or(false)) };
    Ok(PublicAccessBlock {
        block_public_acls: read(keys[0])?,
        ignore_public_acls: read(keys[1])?,
        block_public_policy: read(keys[2])?,
        restrict_public_buckets: read(keys[3])?,
    })
}

fn pab_tf(p: &Val) -> Result<PublicAccessBlock, Unknown> {
    pab(
        p,
        ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"],
        "public_access_block",
    )
}

/// A logging target bucket's name as the evidence names buckets (the logical id or address of a
/// bucket of the code, else the name as written).
fn target_name(src: &Source, r: &Res, path: &[&str]) -> Result<Option<String>, Unknown> {
    Ok(match src.link(r, path, BUCKETS, bucket_name) {
        Link::None => None,
        Link::To(b) => Some(b.id.clone()),
        Link::Outside(name) => Some(name),
        Link::Open(u) => return Err(u),
    })
}

fn cfn_bucket(src: &Source, r: &Res, mut b: Bucket) -> Bucket {
    let p = &r.props;
    b.encryption = (|| {
        let rules = p.at(&["BucketEncryption", "ServerSideEncryptionConfiguration"]);
        let items = rules.items("BucketEncryption")?;
        let Some(rule) = items.first() else {
            return Ok(BucketEncryption::SseS3);
        };
        let d = rule.get("ServerSideEncryptionByDefault");
        Ok(encryption(
            d.get("SSEAlgorithm").text("BucketEncryption.SSEAlgorithm")?,
            d.get("KMSMasterKeyID").name("BucketEncryption.KMSMasterKeyID")?,
        ))
    })()
    .into();
    let cfg = p.get("PublicAccessBlockConfiguration");
    b.public_access_block = match cfg {
        Val::Null => Ok(None),
        c => pab(
            c,
            ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"],
            "PublicAccessBlockConfiguration",
        )
        .map(Some),
    }
    .into();
    b.acl = p
        .get("AccessControl")
        .text("AccessControl")
        .map(|a| a.map_or_else(owner_only, |a| canned(&a)))
        .into();
    b.versioning = p
        .at(&["VersioningConfiguration", "Status"])
        .text("VersioningConfiguration.Status")
        .map(|s| versioning(s.as_deref()))
        .into();
    b.object_lock = (|| {
        let flag = p.get("ObjectLockEnabled").boolean("ObjectLockEnabled")?;
        let cfg = p
            .at(&["ObjectLockConfiguration", "ObjectLockEnabled"])
            .text("ObjectLockConfiguration.ObjectLockEnabled")?;
        Ok(flag.unwrap_or(false) || cfg.as_deref() == Some("Enabled"))
    })()
    .into();
    b.logging = match p.get("LoggingConfiguration") {
        Val::Null => Ok(None),
        cfg => (|| {
            let prefix = cfg.get("LogFilePrefix").name("LoggingConfiguration.LogFilePrefix")?.unwrap_or_default();
            // Without a destination, CloudFormation delivers the logs to the bucket itself.
            let bucket = target_name(src, r, &["LoggingConfiguration", "DestinationBucketName"])?.unwrap_or_else(|| r.id.clone());
            Ok(Some(LoggingTarget { bucket, prefix }))
        })(),
    }
    .into();
    b.replication = match p.get("ReplicationConfiguration") {
        Val::Null => Ok(None),
        cfg => (|| {
            let mut rules = Vec::new();
            for rule in cfg.get("Rules").items("ReplicationConfiguration.Rules")? {
                rules.push(ReplicationRule {
                    id: rule.get("Id").name("ReplicationConfiguration.Rules.Id")?,
                    enabled: rule.get("Status").text("ReplicationConfiguration.Rules.Status")?.as_deref() == Some("Enabled"),
                    destination: rule.at(&["Destination", "Bucket"]).name("ReplicationConfiguration.Rules.Destination.Bucket")?.unwrap_or_default(),
                });
            }
            Ok(Some(Replication { rules }))
        })(),
    }
    .into();
    b.policy = match setting(src, r, &["AWS::S3::BucketPolicy"], &["Bucket"]) {
        Setting::None => Ok(None),
        Setting::Found(pol) => pol.props.get("PolicyDocument").json_text("PolicyDocument"),
        Setting::Open(u) => Err(u),
    }
    .into();
    b
}

fn versioning(status: Option<&str>) -> Versioning {
    match status {
        Some("Enabled") => Versioning::Enabled,
        Some("Suspended") => Versioning::Suspended,
        _ => Versioning::NeverEnabled,
    }
}

/// A setting from the first block of a Terraform block list (`rule[0]`).
fn first<'v>(v: &'v Val, path: &str) -> Result<&'v Val, Unknown> {
    Ok(v.items(path)?.into_iter().next().unwrap_or(&crate::iac::value::NULL))
}

fn tf_bucket(src: &Source, r: &Res, mut b: Bucket) -> Bucket {
    let p = &r.props;
    // The bucket's own (deprecated) inline blocks count only where the configuration sets them;
    // otherwise the provider computes them from the separate resources.
    let inline = |k: &str| r.configured.contains(k);
    let separate = |kinds: &[&str]| setting(src, r, kinds, &["bucket"]);

    b.encryption = match separate(&["aws_s3_bucket_server_side_encryption_configuration"]) {
        Setting::Found(e) => (|| {
            let rule = first(e.props.get("rule"), "rule")?;
            let d = first(rule.get("apply_server_side_encryption_by_default"), "rule.apply_server_side_encryption_by_default")?;
            Ok(encryption(
                d.get("sse_algorithm").text("rule.apply_server_side_encryption_by_default.sse_algorithm")?,
                d.get("kms_master_key_id").name("rule.apply_server_side_encryption_by_default.kms_master_key_id")?,
            ))
        })(),
        Setting::Open(u) => Err(u),
        Setting::None if inline("server_side_encryption_configuration") => (|| {
            let c = first(p.get("server_side_encryption_configuration"), "server_side_encryption_configuration")?;
            let rule = first(c.get("rule"), "server_side_encryption_configuration.rule")?;
            let d = first(rule.get("apply_server_side_encryption_by_default"), "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default")?;
            Ok(encryption(d.get("sse_algorithm").text("sse_algorithm")?, d.get("kms_master_key_id").name("kms_master_key_id")?))
        })(),
        Setting::None => Ok(BucketEncryption::SseS3),
    }
    .into();

    b.public_access_block = match separate(&["aws_s3_bucket_public_access_block"]) {
        Setting::Found(x) => pab_tf(&x.props).map(Some),
        Setting::Open(u) => Err(u),
        Setting::None => Ok(None),
    }
    .into();

    b.policy = match separate(&["aws_s3_bucket_policy"]) {
        Setting::Found(x) => x.props.get("policy").json_text("policy"),
        Setting::Open(u) => Err(u),
        Setting::None if inline("policy") => p.get("policy").json_text("policy"),
        Setting::None => Ok(None),
    }
    .into();

    b.acl = match separate(&["aws_s3_bucket_acl"]) {
        Setting::Found(x) => (|| {
            if let Some(a) = x.props.get("acl").text("acl")? {
                return Ok(canned(&a));
            }
            let mut grants = owner_only();
            let policy = first(x.props.get("access_control_policy"), "access_control_policy")?;
            for g in policy.get("grant").items("access_control_policy.grant")? {
                let who = first(g.get("grantee"), "access_control_policy.grant.grantee")?;
                grants.push(AclGrant {
                    grantee_type: who.get("type").text("grantee.type")?.unwrap_or_default(),
                    uri: who.get("uri").text("grantee.uri")?.filter(|u| !u.is_empty()),
                    id: who.get("id").text("grantee.id")?.filter(|u| !u.is_empty()),
                    permission: g.get("permission").text("grant.permission")?.unwrap_or_default(),
                });
            }
            Ok(grants)
        })(),
        Setting::Open(u) => Err(u),
        Setting::None if inline("acl") => p.get("acl").text("acl").map(|a| a.map_or_else(owner_only, |a| canned(&a))),
        Setting::None => Ok(owner_only()),
    }
    .into();

    b.versioning = match separate(&["aws_s3_bucket_versioning"]) {
        Setting::Found(x) => first(x.props.get("versioning_configuration"), "versioning_configuration")
            .and_then(|c| c.get("status").text("versioning_configuration.status"))
            .map(|s| versioning(s.as_deref())),
        Setting::Open(u) => Err(u),
        Setting::None if inline("versioning") => first(p.get("versioning"), "versioning")
            .and_then(|c| c.get("enabled").boolean("versioning.enabled"))
            .map(|on| if on == Some(true) { Versioning::Enabled } else { Versioning::NeverEnabled }),
        Setting::None => Ok(Versioning::NeverEnabled),
    }
    .into();

    b.object_lock = (|| {
        if p.get("object_lock_enabled").boolean("object_lock_enabled")? == Some(true) {
            return Ok(true);
        }
        match separate(&["aws_s3_bucket_object_lock_configuration"]) {
            Setting::Found(x) => Ok(x
                .props
                .get("object_lock_enabled")
                .text("object_lock_enabled")?
                .is_none_or(|s| s == "Enabled")),
            Setting::Open(u) => Err(u),
            Setting::None => Ok(false),
        }
    })()
    .into();

    b.logging = match separate(&["aws_s3_bucket_logging"]) {
        Setting::Found(x) => (|| {
            let bucket = target_name(src, x, &["target_bucket"])?.unwrap_or_default();
            let prefix = x.props.get("target_prefix").name("target_prefix")?.unwrap_or_default();
            Ok(Some(LoggingTarget { bucket, prefix }))
        })(),
        Setting::Open(u) => Err(u),
        Setting::None if inline("logging") => (|| {
            let l = first(p.get("logging"), "logging")?;
            Ok(match l.get("target_bucket").name("logging.target_bucket")? {
                Some(bucket) => Some(LoggingTarget { bucket, prefix: l.get("target_prefix").name("logging.target_prefix")?.unwrap_or_default() }),
                None => None,
            })
        })(),
        Setting::None => Ok(None),
    }
    .into();

    b.replication = match separate(&["aws_s3_bucket_replication_configuration"]) {
        Setting::Found(x) => (|| {
            let mut rules = Vec::new();
            for rule in x.props.get("rule").items("rule")? {
                let dest = first(rule.get("destination"), "rule.destination")?;
                rules.push(ReplicationRule {
                    id: rule.get("id").name("rule.id")?,
                    enabled: rule.get("status").text("rule.status")?.as_deref() == Some("Enabled"),
                    destination: dest.get("bucket").name("rule.destination.bucket")?.unwrap_or_default(),
                });
            }
            Ok(Some(Replication { rules }))
        })(),
        Setting::Open(u) => Err(u),
        Setting::None => Ok(None),
    }
    .into();
    b
}
