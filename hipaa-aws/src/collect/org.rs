//! AWS Organizations: the organization, its accounts, the scanned account's parents and the
//! service control policies on them, read from the partition's global region.

use crate::clients::client_in;
use crate::regional::global_region;
use crate::scan::Scan;
use aws_sdk_organizations::types::{ParentType, PolicyType};
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Unknown, UnknownReason};
use hipaa_core::services::org::evidence::*;
use std::collections::BTreeMap;

const STAGE: &str = "organizations";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<OrganizationsEvidence> {
    // An organization scan read the whole organization once, from the management account.
    if let Some(given) = &scan.organization {
        return Some(given.as_ref().clone());
    }
    let client = client_in!(
        aws_sdk_organizations,
        &scan.config,
        global_region(&scan.partition)
    );
    Some(organizations(scan, &client, &scan.account).await)
}

fn not_collected<T>(op: &str, why: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(UnknownReason::NotCollected, op, why))
}

async fn organizations(
    scan: &Scan<'_>,
    client: &aws_sdk_organizations::Client,
    account: &Fact<String>,
) -> OrganizationsEvidence {
    let l = &scan.ledger;
    l.plan(1, STAGE);
    let org = l
        .read(
            "organizations:DescribeOrganization",
            "",
            &["AWSOrganizationsNotInUseException"],
            client.describe_organization().send(),
        )
        .await;
    l.tick(STAGE);
    let org: Result<Option<Organization>, Unknown> = org.and_then(|o| match o {
        None => Ok(None),
        // The SCP and BAA rules hinge on these fields: an answer without them is unreadable,
        // never an organization with an empty management account.
        Some(out) => match out
            .organization()
            .and_then(|o| Some((o, o.id()?, o.arn()?, o.master_account_id()?)))
        {
            Some((o, id, arn, management)) => Ok(Some(Organization {
                id: id.to_string(),
                arn: arn.to_string(),
                management_account: management.to_string(),
                feature_set: o
                    .feature_set()
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
            })),
            None => Err(l.fail(
                "organizations:DescribeOrganization",
                "",
                (
                    UnknownReason::ParseError,
                    "no organization id, ARN or management account in the answer".into(),
                ),
            )),
        },
    });
    match org {
        Err(u) => OrganizationsEvidence {
            organization: Fact::Unknown(u.clone()),
            accounts: Fact::Unknown(u.clone()),
            parents: Fact::Unknown(u.clone()),
            scps: Fact::Unknown(u),
        },
        // Not in an organization: there are no members, parents or SCPs (facts, not gaps).
        Ok(None) => OrganizationsEvidence {
            organization: Fact::Known(None),
            accounts: Fact::Known(Vec::new()),
            parents: Fact::Known(Vec::new()),
            scps: Fact::Known(Vec::new()),
        },
        Ok(Some(o)) => {
            let parents = async {
                match account.get() {
                    Ok(id) => parents(scan, client, id).await.into(),
                    Err(_) => not_collected(
                        "organizations:ListParents",
                        "the account id is unknown (sts:GetCallerIdentity failed)",
                    ),
                }
            };
            let (accounts, parents) = tokio::join!(accounts(scan, client), parents);
            let scps = match (account.get(), &parents) {
                (Ok(id), Fact::Known(p)) => {
                    let mut levels = vec![id.clone()];
                    levels.extend(p.iter().cloned());
                    scps(scan, client, &levels).await.into()
                }
                (_, Fact::Unknown(u)) => Fact::Unknown(u.clone()),
                (Err(u), _) => Fact::Unknown(u),
            };
            OrganizationsEvidence {
                organization: Fact::Known(Some(o)),
                accounts: accounts.into(),
                parents,
                scps,
            }
        }
    }
}

async fn accounts(
    scan: &Scan<'_>,
    client: &aws_sdk_organizations::Client,
) -> Result<Vec<OrgAccount>, Unknown> {
    let mut pages = client.list_accounts().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = scan
        .ledger
        .page("organizations:ListAccounts", "", pages.next())
        .await?
    {
        for a in page.accounts() {
            out.push(OrgAccount {
                id: a.id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                status: a
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// The chain of parents from the account up to the root (at most 6 levels deep in AWS).
async fn parents(
    scan: &Scan<'_>,
    client: &aws_sdk_organizations::Client,
    account: &str,
) -> Result<Vec<String>, Unknown> {
    let mut chain = Vec::new();
    let mut child = account.to_string();
    for _ in 0..8 {
        let out = scan
            .ledger
            .must(
                "organizations:ListParents",
                &child,
                client.list_parents().child_id(&child).send(),
            )
            .await?;
        let Some(p) = out.parents().first() else {
            return Err(scan.ledger.fail(
                "organizations:ListParents",
                &child,
                (UnknownReason::ParseError, "no parent in the answer".into()),
            ));
        };
        let id = p.id().unwrap_or_default().to_string();
        chain.push(id.clone());
        if p.r#type() == Some(&ParentType::Root) || id.starts_with("r-") {
            return Ok(chain);
        }
        child = id;
    }
    Err(scan.ledger.fail(
        "organizations:ListParents",
        account,
        (UnknownReason::ParseError, "no root within 8 levels".into()),
    ))
}

/// An SCP attached to one target: id, name, ARN, AWS-managed.
type Attached = (String, String, String, bool);

/// The SCPs attached to the account and each of its parents, with their documents.
async fn scps(
    scan: &Scan<'_>,
    client: &aws_sdk_organizations::Client,
    levels: &[String],
) -> Result<Vec<Scp>, Unknown> {
    let l = &scan.ledger;
    l.plan(levels.len() as u64, STAGE);
    let attached: Vec<Result<Vec<Attached>, Unknown>> = stream::iter(levels.to_vec())
        .map(|target| async move {
            let mut pages = client
                .list_policies_for_target()
                .target_id(&target)
                .filter(PolicyType::ServiceControlPolicy)
                .into_paginator()
                .send();
            let mut out = Vec::new();
            while let Some(page) = l
                .page("organizations:ListPoliciesForTarget", &target, pages.next())
                .await?
            {
                for p in page.policies() {
                    out.push((
                        p.id().unwrap_or_default().to_string(),
                        p.name().unwrap_or_default().to_string(),
                        p.arn().unwrap_or_default().to_string(),
                        p.aws_managed(),
                    ));
                }
            }
            l.tick(STAGE);
            Ok(out)
        })
        .buffered(4)
        .collect()
        .await;
    // policy id -> (name, arn, aws managed, targets among the levels)
    let mut by_id: BTreeMap<String, (String, String, bool, Vec<String>)> = BTreeMap::new();
    for (level, r) in levels.iter().zip(attached) {
        for (id, name, arn, managed) in r? {
            by_id
                .entry(id)
                .or_insert_with(|| (name, arn, managed, Vec::new()))
                .3
                .push(level.clone());
        }
    }
    l.plan(by_id.len() as u64, STAGE);
    let out = stream::iter(by_id)
        .map(|(id, (name, arn, aws_managed, targets))| async move {
            let content = l
                .must(
                    "organizations:DescribePolicy",
                    &id,
                    client.describe_policy().policy_id(&id).send(),
                )
                .await
                .and_then(|o| {
                    o.policy()
                        .and_then(|p| p.content())
                        .map(str::to_string)
                        .ok_or_else(|| {
                            l.fail(
                                "organizations:DescribePolicy",
                                &id,
                                (UnknownReason::ParseError, "no policy content".into()),
                            )
                        })
                });
            l.tick(STAGE);
            Scp {
                id,
                name,
                arn,
                aws_managed,
                content: content.into(),
                targets: Fact::Known(targets),
            }
        })
        .buffered(8)
        .collect()
        .await;
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Recorded responses: "not in an organization" is an error answer that must become a fact.
    use super::*;
    use crate::collect::mocks::{json_error, mocked, scan};
    use crate::ledger::Ledger;
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    #[tokio::test]
    async fn not_in_an_organization_is_a_fact_and_a_denied_read_is_not() {
        let none =
            mock!(aws_sdk_organizations::Client::describe_organization).then_http_response(|| {
                json_error(
                    400,
                    "AWSOrganizationsNotInUseException",
                    "Your account is not a member of an organization.",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked!(aws_sdk_organizations, &none);
        let s = scan(Ledger::new(4, &NoProgress));
        let ev = organizations(&s, &client, &Fact::Known("123456789012".into())).await;
        assert_eq!(ev.organization, Fact::Known(None));
        assert_eq!(ev.scps, Fact::Known(vec![]));
        assert!(s.ledger.log().failures.is_empty());

        let denied = mock!(aws_sdk_organizations::Client::describe_organization)
            .then_http_response(|| {
                json_error(
                    400,
                    "AccessDeniedException",
                    "You don't have permissions to access this resource.",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked!(aws_sdk_organizations, &denied);
        let s = scan(Ledger::new(4, &NoProgress));
        let ev = organizations(&s, &client, &Fact::Known("123456789012".into())).await;
        for unknown in [
            ev.organization.is_unknown(),
            ev.accounts.is_unknown(),
            ev.parents.is_unknown(),
            ev.scps.is_unknown(),
        ] {
            assert!(unknown);
        }
        assert_eq!(
            ev.organization.get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );
    }
}
