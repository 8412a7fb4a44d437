//! S3: buckets and their configuration, each read from the bucket's own region.

use crate::clients::{builder, client};
use crate::scan::Scan;
use aws_sdk_s3::types::{
    BucketVersioningStatus, ObjectLockEnabled, ReplicationRuleStatus, ServerSideEncryption,
};
use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture, Params, ResolveEndpoint};
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
use hipaa_core::services::s3::evidence::*;
use std::collections::HashMap;
use std::sync::Mutex;

const STAGE: &str = "s3";

/// S3 clients per region, built once each from the shared config.
struct Clients<'a> {
    scan: &'a Scan<'a>,
    by_region: Mutex<HashMap<String, aws_sdk_s3::Client>>,
}

impl Clients<'_> {
    fn get(&self, region: &str) -> aws_sdk_s3::Client {
        if let Ok(mut m) = self.by_region.lock() {
            return m
                .entry(region.to_string())
                .or_insert_with(|| {
                    let mut b = builder!(aws_sdk_s3, &self.scan.config)
                        .region(aws_sdk_s3::config::Region::new(region.to_string()));
                    if self.scan.local_endpoint.is_some() {
                        b = b.force_path_style(true);
                    }
                    aws_sdk_s3::Client::from_conf(b.build())
                })
                .clone();
        }
        client!(aws_sdk_s3, &self.scan.config)
    }
}

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<S3Evidence> {
    let (account, partition) = (&scan.account, scan.partition.as_str());
    let clients = Clients {
        scan,
        by_region: Mutex::new(HashMap::new()),
    };
    scan.ledger.plan(2, STAGE);
    let home = scan
        .config
        .region()
        .map(|r| r.as_ref().to_string())
        .unwrap_or_else(|| "us-east-1".into());
    let home_client = clients.get(&home);
    let (buckets, account_pab) = tokio::join!(
        list_buckets(scan, &home_client),
        account_public_access_block(scan, account)
    );
    scan.ledger.tick(STAGE);
    scan.ledger.tick(STAGE);
    let buckets = match buckets {
        Err(u) => Fact::Unknown(u),
        Ok(list) => {
            scan.ledger.plan(list.len() as u64, STAGE);
            let concurrency = 16usize;
            let mut out: Vec<Bucket> = stream::iter(list)
                .map(|(name, region)| bucket(scan, &clients, partition, name, region))
                .buffer_unordered(concurrency)
                .collect()
                .await;
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Fact::Known(out)
        }
    };
    Some(S3Evidence {
        buckets,
        account_public_access_block: account_pab,
    })
}

async fn list_buckets(
    scan: &Scan<'_>,
    client: &aws_sdk_s3::Client,
) -> Result<Vec<(String, Option<String>)>, Unknown> {
    let mut pages = client.list_buckets().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = scan.ledger.page("s3:ListBuckets", "", pages.next()).await? {
        for b in page.buckets() {
            if let Some(name) = b.name() {
                out.push((name.to_string(), b.bucket_region().map(str::to_string)));
            }
        }
    }
    Ok(out)
}

/// Resolves S3 Control to the configured local endpoint as is (the SDK would prefix the account id to the host).
#[derive(Debug)]
struct FixedEndpoint(String);

impl ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(&'a self, _: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0.clone()).build()))
    }
}

async fn account_public_access_block(
    scan: &Scan<'_>,
    account: &Fact<String>,
) -> Fact<Option<PublicAccessBlock>> {
    let Fact::Known(account) = account else {
        return Fact::Unknown(Unknown::new(
            UnknownReason::NotCollected,
            "s3control:GetPublicAccessBlock",
            "the account id is unknown",
        ));
    };
    let mut b = builder!(aws_sdk_s3control, &scan.config);
    if let Some(url) = &scan.local_endpoint {
        b = b.endpoint_resolver(FixedEndpoint(url.clone()));
    }
    let client = aws_sdk_s3control::Client::from_conf(b.build());
    let r = scan
        .ledger
        .read(
            "s3control:GetPublicAccessBlock",
            account,
            &["NoSuchPublicAccessBlockConfiguration"],
            client.get_public_access_block().account_id(account).send(),
        )
        .await;
    Fact::from(r.map(|o| o.and_then(|o| o.public_access_block_configuration().map(pab_control))))
}

fn pab(c: &aws_sdk_s3::types::PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: c.block_public_acls().unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
        block_public_policy: c.block_public_policy().unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
    }
}

fn pab_control(c: &aws_sdk_s3control::types::PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: c.block_public_acls().unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
        block_public_policy: c.block_public_policy().unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
    }
}

async fn bucket(
    scan: &Scan<'_>,
    clients: &Clients<'_>,
    partition: &str,
    name: String,
    listed_region: Option<String>,
) -> Bucket {
    let l = &scan.ledger;
    let region: Fact<String> = match listed_region {
        Some(r) => Fact::Known(r),
        None => {
            let client = clients.get("us-east-1");
            let r = l
                .must(
                    "s3:GetBucketLocation",
                    &name,
                    client.get_bucket_location().bucket(&name).send(),
                )
                .await;
            Fact::from(r.map(
                |o| match o.location_constraint().map(|c| c.as_str().to_string()) {
                    None => "us-east-1".to_string(),
                    Some(c) if c.is_empty() => "us-east-1".to_string(),
                    Some(c) if c == "EU" => "eu-west-1".to_string(),
                    Some(c) => c,
                },
            ))
        }
    };
    let client = clients.get(region.known().map(String::as_str).unwrap_or("us-east-1"));
    let n = name.as_str();
    let (tags, enc, pab_r, policy, acl, ver, lock, logging, repl) = tokio::join!(
        l.read(
            "s3:GetBucketTagging",
            n,
            &["NoSuchTagSet"],
            client.get_bucket_tagging().bucket(n).send()
        ),
        l.read(
            "s3:GetBucketEncryption",
            n,
            &["ServerSideEncryptionConfigurationNotFoundError"],
            client.get_bucket_encryption().bucket(n).send()
        ),
        l.read(
            "s3:GetPublicAccessBlock",
            n,
            &["NoSuchPublicAccessBlockConfiguration"],
            client.get_public_access_block().bucket(n).send()
        ),
        l.read(
            "s3:GetBucketPolicy",
            n,
            &["NoSuchBucketPolicy"],
            client.get_bucket_policy().bucket(n).send()
        ),
        l.must(
            "s3:GetBucketAcl",
            n,
            client.get_bucket_acl().bucket(n).send()
        ),
        l.must("s3:GetBucketVersioning", n, versioning(scan, &client, n)),
        l.read(
            "s3:GetObjectLockConfiguration",
            n,
            &["ObjectLockConfigurationNotFoundError"],
            client.get_object_lock_configuration().bucket(n).send()
        ),
        l.must(
            "s3:GetBucketLogging",
            n,
            client.get_bucket_logging().bucket(n).send()
        ),
        l.read(
            "s3:GetBucketReplication",
            n,
            &["ReplicationConfigurationNotFoundError"],
            client.get_bucket_replication().bucket(n).send()
        ),
    );
    l.tick(STAGE);
    let tags = tags.map(|o| {
        o.map(|o| {
            o.tag_set()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect::<Tags>()
        })
        .unwrap_or_default()
    });
    let encryption = enc.and_then(|o| {
        let Some(o) = o else {
            return Ok(BucketEncryption::None);
        };
        let rule = o.server_side_encryption_configuration().and_then(|c| {
            c.rules()
                .iter()
                .find_map(|r| r.apply_server_side_encryption_by_default())
        });
        Ok(match rule {
            None => BucketEncryption::None,
            Some(d) => {
                let key = d.kms_master_key_id().map(str::to_string);
                match d.sse_algorithm() {
                    ServerSideEncryption::Aes256 => BucketEncryption::SseS3,
                    ServerSideEncryption::AwsKms => BucketEncryption::SseKms { key },
                    ServerSideEncryption::AwsKmsDsse => BucketEncryption::DsseKms { key },
                    other => {
                        return Err(l.fail(
                            "s3:GetBucketEncryption",
                            n,
                            (
                                UnknownReason::ParseError,
                                format!("unknown algorithm `{}`", other.as_str()),
                            ),
                        ))
                    }
                }
            }
        })
    });
    let public_access_block =
        pab_r.map(|o| o.and_then(|o| o.public_access_block_configuration().map(pab)));
    // The policy is the raw body of the answer, not a field of a parsed document: a body cut
    // short would reach the policy analysis as a broken policy, so it is a failed read here.
    let policy = match policy.map(|o| o.and_then(|o| o.policy().map(str::to_string))) {
        Ok(Some(text)) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(_) => Ok(Some(text)),
            Err(e) => Err(l.parse_error(
                "s3:GetBucketPolicy",
                n,
                format!("the bucket policy is not a JSON document: {e}"),
            )),
        },
        other => other,
    };
    let acl = acl.map(|o| {
        o.grants()
            .iter()
            .filter_map(|g| {
                let grantee = g.grantee()?;
                Some(AclGrant {
                    grantee_type: grantee.r#type().as_str().to_string(),
                    uri: grantee.uri().map(str::to_string),
                    id: grantee.id().map(str::to_string),
                    permission: g
                        .permission()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_default(),
                })
            })
            .collect()
    });
    let versioning = ver.map(|status| match status {
        Some(BucketVersioningStatus::Enabled) => Versioning::Enabled,
        Some(BucketVersioningStatus::Suspended) => Versioning::Suspended,
        _ => Versioning::NeverEnabled,
    });
    let object_lock = lock.map(|o| {
        o.and_then(|o| {
            o.object_lock_configuration()
                .and_then(|c| c.object_lock_enabled().cloned())
        })
        .is_some_and(|e| e == ObjectLockEnabled::Enabled)
    });
    let logging = logging.map(|o| {
        o.logging_enabled().map(|le| LoggingTarget {
            bucket: le.target_bucket().to_string(),
            prefix: le.target_prefix().to_string(),
        })
    });
    let replication = repl.map(|o| {
        o.and_then(|o| {
            o.replication_configuration().map(|c| Replication {
                rules: c
                    .rules()
                    .iter()
                    .map(|r| ReplicationRule {
                        id: r.id().map(str::to_string),
                        enabled: *r.status() == ReplicationRuleStatus::Enabled,
                        destination: r
                            .destination()
                            .map(|d| d.bucket().to_string())
                            .unwrap_or_default(),
                    })
                    .collect(),
            })
        })
    });
    Bucket {
        arn: format!("arn:{partition}:s3:::{name}"),
        name,
        region,
        tags: tags.into(),
        encryption: encryption.into(),
        public_access_block: public_access_block.into(),
        policy: policy.into(),
        acl: acl.into(),
        versioning: versioning.into(),
        object_lock: object_lock.into(),
        logging: logging.into(),
        replication: replication.into(),
    }
}

type VersioningResult = Result<
    Option<BucketVersioningStatus>,
    aws_smithy_runtime_api::client::result::SdkError<
        aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningError,
        aws_smithy_runtime_api::http::Response,
    >,
>;

/// `GetBucketVersioning`, tolerating one emulator quirk: with an endpoint override, moto answers
/// with the root element `GetBucketVersioningResponse` (S3 uses `VersioningConfiguration`), which the
/// SDK rejects. The status is then read from the raw body; against AWS the SDK's answer is used as is.
async fn versioning(
    scan: &Scan<'_>,
    client: &aws_sdk_s3::Client,
    bucket: &str,
) -> VersioningResult {
    match client.get_bucket_versioning().bucket(bucket).send().await {
        Ok(o) => Ok(o.status().cloned()),
        Err(aws_smithy_runtime_api::client::result::SdkError::ServiceError(se))
            if scan.local_endpoint.is_some() =>
        {
            match se.raw().body().bytes().and_then(emulator_versioning_status) {
                Some(status) => Ok(status),
                None => Err(aws_smithy_runtime_api::client::result::SdkError::ServiceError(se)),
            }
        }
        Err(e) => Err(e),
    }
}

/// The status inside a `<GetBucketVersioningResponse>` body; `None` when the body is anything else.
fn emulator_versioning_status(body: &[u8]) -> Option<Option<BucketVersioningStatus>> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("<GetBucketVersioningResponse") {
        return None;
    }
    let status = text
        .split("<Status>")
        .nth(1)
        .and_then(|rest| rest.split("</Status>").next());
    Some(match status {
        None => None,
        Some("Enabled") => Some(BucketVersioningStatus::Enabled),
        Some("Suspended") => Some(BucketVersioningStatus::Suspended),
        Some(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_versioning_bodies() {
        let ns = r#"<?xml version="1.0"?><GetBucketVersioningResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
        assert_eq!(
            emulator_versioning_status(format!("{ns}/>").as_bytes()),
            Some(None)
        );
        assert_eq!(
            emulator_versioning_status(
                format!("{ns}><Status>Enabled</Status></GetBucketVersioningResponse>").as_bytes()
            ),
            Some(Some(BucketVersioningStatus::Enabled))
        );
        assert_eq!(
            emulator_versioning_status(
                format!("{ns}><Status>Suspended</Status></GetBucketVersioningResponse>").as_bytes()
            ),
            Some(Some(BucketVersioningStatus::Suspended))
        );
        assert_eq!(
            emulator_versioning_status(
                format!("{ns}><Status>Weird</Status></GetBucketVersioningResponse>").as_bytes()
            ),
            None
        );
        assert_eq!(
            emulator_versioning_status(b"<Error><Code>AccessDenied</Code></Error>"),
            None
        );
    }
}
