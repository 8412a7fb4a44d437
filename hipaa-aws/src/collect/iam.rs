//! IAM: account summary, password policy, credential report and authorization details.

use crate::clients::client;
use crate::scan::Scan;
use aws_sdk_iam::types::{EntityType, ReportStateType, SummaryKeyType};
use chrono::{DateTime, Utc};
use hipaa_core::evidence::{Unknown, UnknownReason};
use hipaa_core::services::iam::evidence::*;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const STAGE: &str = "iam";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<IamEvidence> {
    let client = client!(aws_sdk_iam, &scan.config);
    scan.ledger.plan(4, STAGE);
    let tick = || scan.ledger.tick(STAGE);
    let (summary, password_policy, credential_report, authorization) = tokio::join!(
        async {
            let r = summary(scan, &client).await;
            tick();
            r
        },
        async {
            let r = password_policy(scan, &client).await;
            tick();
            r
        },
        async {
            let r = credential_report(scan, &client).await;
            tick();
            r
        },
        async {
            let r = authorization(scan, &client).await;
            tick();
            r
        },
    );
    Some(IamEvidence {
        summary: summary.into(),
        password_policy: password_policy.into(),
        credential_report: credential_report.into(),
        authorization: authorization.into(),
    })
}

async fn summary(scan: &Scan<'_>, client: &aws_sdk_iam::Client) -> Result<AccountSummary, Unknown> {
    let out = scan
        .ledger
        .must(
            "iam:GetAccountSummary",
            "",
            client.get_account_summary().send(),
        )
        .await?;
    let map = out.summary_map();
    let get = |k: SummaryKeyType| map.and_then(|m| m.get(&k).copied());
    match (
        get(SummaryKeyType::AccountMfaEnabled),
        get(SummaryKeyType::AccountAccessKeysPresent),
    ) {
        (Some(mfa), Some(keys)) => Ok(AccountSummary {
            root_mfa_enabled: mfa > 0,
            root_access_keys_present: keys > 0,
        }),
        _ => Err(scan.ledger.fail(
            "iam:GetAccountSummary",
            "",
            (
                UnknownReason::ParseError,
                "AccountMFAEnabled or AccountAccessKeysPresent missing".into(),
            ),
        )),
    }
}

async fn password_policy(
    scan: &Scan<'_>,
    client: &aws_sdk_iam::Client,
) -> Result<Option<PasswordPolicy>, Unknown> {
    let out = scan
        .ledger
        .read(
            "iam:GetAccountPasswordPolicy",
            "",
            &["NoSuchEntity"],
            client.get_account_password_policy().send(),
        )
        .await?;
    let to_u32 = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0);
    Ok(out.and_then(|o| {
        o.password_policy().map(|p| PasswordPolicy {
            minimum_length: to_u32(p.minimum_password_length()).unwrap_or(0),
            require_uppercase: p.require_uppercase_characters(),
            require_lowercase: p.require_lowercase_characters(),
            require_numbers: p.require_numbers(),
            require_symbols: p.require_symbols(),
            max_age_days: to_u32(p.max_password_age()),
            reuse_prevention: to_u32(p.password_reuse_prevention()),
        })
    }))
}

async fn credential_report(
    scan: &Scan<'_>,
    client: &aws_sdk_iam::Client,
) -> Result<Vec<CredentialRow>, Unknown> {
    let l = &scan.ledger;
    // Generating the report is the one non-Get call the scanner makes; it changes nothing.
    let mut ready = false;
    // Poll with a short first wait (small accounts finish at once), backing off to 2 s (about a minute in all).
    let mut wait = Duration::from_millis(50);
    for _ in 0..40 {
        let out = l
            .must(
                "iam:GenerateCredentialReport",
                "",
                client.generate_credential_report().send(),
            )
            .await?;
        if out.state() == Some(&ReportStateType::Complete) {
            ready = true;
            break;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(2));
    }
    if !ready {
        return Err(l.fail(
            "iam:GenerateCredentialReport",
            "",
            (
                UnknownReason::Throttled,
                "the report did not complete in time".into(),
            ),
        ));
    }
    let out = l
        .must(
            "iam:GetCredentialReport",
            "",
            client.get_credential_report().send(),
        )
        .await?;
    let bytes = out
        .content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    parse_credential_report(&bytes).map_err(|m| {
        l.fail(
            "iam:GetCredentialReport",
            "",
            (UnknownReason::ParseError, m),
        )
    })
}

/// Parse the CSV credential report by header name (column order is not relied on).
pub(crate) fn parse_credential_report(bytes: &[u8]) -> Result<Vec<CredentialRow>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| format!("bad CSV header: {e}"))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("column `{name}` missing"))
    };
    let (user, arn, pw, mfa) = (
        col("user")?,
        col("arn")?,
        col("password_enabled")?,
        col("mfa_active")?,
    );
    let (created, pw_used, pw_changed) = (
        col("user_creation_time")?,
        col("password_last_used")?,
        col("password_last_changed")?,
    );
    let keys = [
        (
            1u8,
            col("access_key_1_active")?,
            col("access_key_1_last_rotated")?,
            col("access_key_1_last_used_date")?,
        ),
        (
            2u8,
            col("access_key_2_active")?,
            col("access_key_2_last_rotated")?,
            col("access_key_2_last_used_date")?,
        ),
    ];
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let field = |c: usize| rec.get(c).unwrap_or("").trim();
        let bool_of = |c: usize| -> Result<Option<bool>, String> {
            match field(c) {
                "true" | "TRUE" | "True" => Ok(Some(true)),
                "false" | "FALSE" | "False" => Ok(Some(false)),
                "not_supported" | "N/A" => Ok(None),
                other => Err(format!("row {}: `{other}` is not true or false", i + 2)),
            }
        };
        let date_of = |c: usize| -> Result<Option<DateTime<Utc>>, String> {
            match field(c) {
                "" | "N/A" | "no_information" | "not_supported" => Ok(None),
                d => DateTime::parse_from_rfc3339(d)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(|_| format!("row {}: `{d}` is not a date", i + 2)),
            }
        };
        let mut access_keys = Vec::new();
        for (slot, active, rotated, used) in keys {
            access_keys.push(AccessKeyInfo {
                slot,
                active: bool_of(active)?.unwrap_or(false),
                last_rotated: date_of(rotated)?,
                last_used: date_of(used)?,
            });
        }
        rows.push(CredentialRow {
            user: field(user).to_string(),
            arn: field(arn).to_string(),
            password_enabled: bool_of(pw)?,
            mfa_active: bool_of(mfa)?.unwrap_or(false),
            access_keys,
            password_dates: Some(PasswordDates {
                last_used: date_of(pw_used)?,
                last_changed: date_of(pw_changed)?,
                user_created: date_of(created)?,
            }),
        });
    }
    Ok(rows)
}

fn decode(doc: &str) -> String {
    if doc.trim_start().starts_with('{') {
        return doc.to_string();
    }
    percent_encoding::percent_decode_str(doc)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| doc.to_string())
}

fn attached(list: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<AttachedPolicy> {
    list.iter()
        .map(|a| AttachedPolicy {
            name: a.policy_name().unwrap_or_default().to_string(),
            arn: a.policy_arn().unwrap_or_default().to_string(),
        })
        .collect()
}

fn inline(list: &[aws_sdk_iam::types::PolicyDetail]) -> Vec<InlinePolicy> {
    list.iter()
        .map(|p| InlinePolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            document: decode(p.policy_document().unwrap_or_default()),
        })
        .collect()
}

async fn authorization(
    scan: &Scan<'_>,
    client: &aws_sdk_iam::Client,
) -> Result<AuthorizationDetails, Unknown> {
    let l = &scan.ledger;
    let mut pages = client
        .get_account_authorization_details()
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::Role)
        .filter(EntityType::LocalManagedPolicy)
        .into_paginator()
        .send();
    let mut d = AuthorizationDetails::default();
    while let Some(page) = l
        .page("iam:GetAccountAuthorizationDetails", "", pages.next())
        .await?
    {
        for u in page.user_detail_list() {
            d.users.push(Principal {
                name: u.user_name().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                path: u.path().unwrap_or("/").to_string(),
                attached: attached(u.attached_managed_policies()),
                inline: inline(u.user_policy_list()),
                groups: u.group_list().to_vec(),
                trust_policy: None,
            });
        }
        for g in page.group_detail_list() {
            d.groups.push(Principal {
                name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                path: g.path().unwrap_or("/").to_string(),
                attached: attached(g.attached_managed_policies()),
                inline: inline(g.group_policy_list()),
                groups: vec![],
                trust_policy: None,
            });
        }
        for r in page.role_detail_list() {
            let trust_policy = r.assume_role_policy_document().map(decode);
            if trust_policy.is_none() {
                // The rule needing it reports ERROR; the ledger says which read left it out.
                l.parse_error(
                    "iam:GetAccountAuthorizationDetails",
                    r.arn().unwrap_or_default(),
                    "a role without its trust policy",
                );
            }
            d.roles.push(Principal {
                name: r.role_name().unwrap_or_default().to_string(),
                arn: r.arn().unwrap_or_default().to_string(),
                path: r.path().unwrap_or("/").to_string(),
                attached: attached(r.attached_managed_policies()),
                inline: inline(r.role_policy_list()),
                groups: vec![],
                trust_policy,
            });
        }
        for p in page.policies() {
            let document = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .map(decode);
            let arn = p.arn().unwrap_or_default().to_string();
            // Some emulators omit PolicyName; the name is the ARN's last path segment.
            let name = p
                .policy_name()
                .map(str::to_string)
                .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or_default().to_string());
            d.policies.push(ManagedPolicy {
                name,
                arn,
                // No default stands in for a missing count: the rule treats it as unknown.
                attachment_count: p.attachment_count().and_then(|n| u32::try_from(n).ok()),
                document,
            });
        }
    }
    // AWS-managed policies: fetch only the ones actually attached, each once.
    let mut aws_attached: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for p in d.users.iter().chain(&d.groups).chain(&d.roles) {
        for a in p.attached.iter().filter(|a| a.is_aws_managed()) {
            aws_attached
                .entry(a.arn.clone())
                .or_insert_with(|| (a.name.clone(), 0))
                .1 += 1;
        }
    }
    let known: BTreeSet<String> = d.policies.iter().map(|p| p.arn.clone()).collect();
    let fetches = aws_attached
        .into_iter()
        .filter(|(arn, _)| !known.contains(arn))
        .map(|(arn, (name, count))| async move {
            let document = aws_managed_document(scan, client, &arn).await;
            ManagedPolicy {
                name,
                arn,
                attachment_count: Some(count),
                document,
            }
        });
    d.policies.extend(futures::future::join_all(fetches).await);
    d.users.sort_by(|a, b| a.name.cmp(&b.name));
    d.groups.sort_by(|a, b| a.name.cmp(&b.name));
    d.roles.sort_by(|a, b| a.name.cmp(&b.name));
    d.policies.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(d)
}

/// The default version's document of an AWS-managed policy; `None` when it could not be read
/// (the failure is in the ledger, and rules needing it report ERROR).
async fn aws_managed_document(
    scan: &Scan<'_>,
    client: &aws_sdk_iam::Client,
    arn: &str,
) -> Option<String> {
    let l = &scan.ledger;
    let policy = l
        .must(
            "iam:GetPolicy",
            arn,
            client.get_policy().policy_arn(arn).send(),
        )
        .await
        .ok()?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())?
        .to_string();
    let v = l
        .must(
            "iam:GetPolicyVersion",
            arn,
            client
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version)
                .send(),
        )
        .await
        .ok()?;
    v.policy_version().and_then(|v| v.document()).map(decode)
}

#[cfg(test)]
mod tests {
    use super::parse_credential_report;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn parses_root_and_users() {
        let csv = format!(
            "{HEADER}\n<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\nbob,arn:aws:iam::1:user/bob,2024-01-01T00:00:00+00:00,true,no_information,2024-01-01T00:00:00+00:00,N/A,false,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let rows = parse_credential_report(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].password_enabled, None);
        assert!(rows[0].mfa_active);
        assert_eq!(rows[1].password_enabled, Some(true));
        assert!(!rows[1].mfa_active);
        assert!(
            rows[1].access_keys[0].active
                && rows[1].access_keys[0].last_rotated.is_some()
                && rows[1].access_keys[0].last_used.is_none()
        );
        // `no_information`: never used as far as AWS recorded; the dates it was set remain.
        let dates = rows[1].password_dates.as_ref().unwrap();
        assert!(dates.last_used.is_none());
        assert!(dates.last_changed.is_some() && dates.user_created.is_some());
    }

    #[test]
    fn bad_reports_are_errors_not_panics() {
        assert!(parse_credential_report(b"user,arn\nx,y\n")
            .unwrap_err()
            .contains("password_enabled"));
        let csv = format!("{HEADER}\nbob,arn,2024,maybe,,,,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
        assert!(parse_credential_report(csv.as_bytes())
            .unwrap_err()
            .contains("maybe"));
        assert!(parse_credential_report(b"").is_err());
    }
}
