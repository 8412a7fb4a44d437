//! KMS: keys per region; details (rotation, policy, tags) only for customer-managed keys.

use crate::clients::client_in;
use crate::regional::{each_region, to_chrono};
use crate::scan::Scan;
use aws_sdk_kms::types::{KeyManagerType, KeyState};
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::Regional;
use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
use hipaa_core::services::kms::evidence::*;
use std::collections::HashMap;

const STAGE: &str = "kms";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<KmsRegion>> {
    Some(each_region(scan, |r| region(scan, r)).await)
}

async fn region(scan: &Scan<'_>, region: String) -> KmsRegion {
    let l = &scan.ledger;
    scan.ledger.plan(1, STAGE);
    let client = client_in!(aws_sdk_kms, &scan.config, &region);
    let (keys, aliases) = tokio::join!(
        list_keys(scan, &client, &region),
        list_aliases(scan, &client, &region)
    );
    l.tick(STAGE);
    let keys = match keys {
        Err(u) => {
            return KmsRegion {
                keys: Fact::Unknown(u),
            }
        }
        Ok(k) => k,
    };
    l.plan(keys.len() as u64, STAGE);
    let aliases = aliases.map(|a| {
        let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
        for (name, target) in a {
            by_key.entry(target).or_default().push(name);
        }
        by_key
    });
    let mut out: Vec<KmsKey> = stream::iter(keys)
        .map(|(id, arn)| key(scan, &client, &region, id, arn, &aliases))
        .buffer_unordered(16)
        .collect()
        .await;
    out.sort_by(|a, b| a.id.cmp(&b.id));
    KmsRegion {
        keys: Fact::Known(out),
    }
}

async fn list_keys(
    scan: &Scan<'_>,
    client: &aws_sdk_kms::Client,
    region: &str,
) -> Result<Vec<(String, String)>, Unknown> {
    let mut pages = client.list_keys().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = scan
        .ledger
        .page("kms:ListKeys", region, pages.next())
        .await?
    {
        for k in page.keys() {
            if let (Some(id), Some(arn)) = (k.key_id(), k.key_arn()) {
                out.push((id.to_string(), arn.to_string()));
            }
        }
    }
    Ok(out)
}

async fn list_aliases(
    scan: &Scan<'_>,
    client: &aws_sdk_kms::Client,
    region: &str,
) -> Result<Vec<(String, String)>, Unknown> {
    let mut pages = client.list_aliases().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = scan
        .ledger
        .page("kms:ListAliases", region, pages.next())
        .await?
    {
        for a in page.aliases() {
            if let (Some(name), Some(target)) = (a.alias_name(), a.target_key_id()) {
                out.push((name.to_string(), target.to_string()));
            }
        }
    }
    Ok(out)
}

fn skipped<T>(op: &str, why: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(UnknownReason::NotCollected, op, why))
}

async fn key(
    scan: &Scan<'_>,
    client: &aws_sdk_kms::Client,
    region: &str,
    id: String,
    arn: String,
    aliases: &Result<HashMap<String, Vec<String>>, Unknown>,
) -> KmsKey {
    let l = &scan.ledger;
    let described = l
        .must(
            "kms:DescribeKey",
            &id,
            client.describe_key().key_id(&id).send(),
        )
        .await;
    let metadata: Fact<KeyMetadata> = Fact::from(described.and_then(|o| {
        let m = o.key_metadata().ok_or_else(|| {
            l.fail(
                "kms:DescribeKey",
                &id,
                (UnknownReason::ParseError, "no key metadata".into()),
            )
        })?;
        Ok(KeyMetadata {
            manager: match m.key_manager() {
                Some(KeyManagerType::Aws) => KeyManager::Aws,
                _ => KeyManager::Customer,
            },
            state: m
                .key_state()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "Unknown".into()),
            spec: m
                .key_spec()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into()),
            origin: m
                .origin()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "AWS_KMS".into()),
            description: m.description().unwrap_or_default().to_string(),
            deletion_date: m.deletion_date().and_then(to_chrono),
        })
    }));
    let aliases = match aliases {
        Ok(map) => Fact::Known(map.get(&id).cloned().unwrap_or_default()),
        Err(u) => Fact::Unknown(u.clone()),
    };
    let customer = matches!(&metadata, Fact::Known(m) if m.manager == KeyManager::Customer);
    let (rotation_enabled, policy, tags) = if customer {
        let enabled_symmetric = matches!(&metadata, Fact::Known(m)
            if m.state == KeyState::Enabled.as_str() && m.spec == "SYMMETRIC_DEFAULT" && m.origin == "AWS_KMS");
        let rotation = async {
            if !enabled_symmetric {
                return skipped(
                    "kms:GetKeyRotationStatus",
                    "rotation does not apply in this key state or spec",
                );
            }
            let r = l
                .read(
                    "kms:GetKeyRotationStatus",
                    &id,
                    &["UnsupportedOperationException"],
                    client.get_key_rotation_status().key_id(&id).send(),
                )
                .await;
            Fact::from(r.map(|o| o.map(|o| o.key_rotation_enabled())))
        };
        let policy = async {
            let r = l
                .must(
                    "kms:GetKeyPolicy",
                    &id,
                    client
                        .get_key_policy()
                        .key_id(&id)
                        .policy_name("default")
                        .send(),
                )
                .await;
            Fact::from(r.and_then(|o| {
                o.policy().map(str::to_string).ok_or_else(|| {
                    l.fail(
                        "kms:GetKeyPolicy",
                        &id,
                        (UnknownReason::ParseError, "empty policy".into()),
                    )
                })
            }))
        };
        let tags = async {
            let r = l
                .must(
                    "kms:ListResourceTags",
                    &id,
                    client.list_resource_tags().key_id(&id).send(),
                )
                .await;
            Fact::from(r.map(|o| {
                o.tags()
                    .iter()
                    .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
                    .collect::<Tags>()
            }))
        };
        tokio::join!(rotation, policy, tags)
    } else {
        let why = "not needed for AWS-managed keys or keys that could not be described";
        (
            skipped("kms:GetKeyRotationStatus", why),
            skipped("kms:GetKeyPolicy", why),
            skipped("kms:ListResourceTags", why),
        )
    };
    l.tick(STAGE);
    KmsKey {
        id,
        arn,
        region: region.to_string(),
        aliases,
        metadata,
        rotation_enabled,
        policy,
        tags,
    }
}
