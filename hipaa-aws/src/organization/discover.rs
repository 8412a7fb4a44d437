//! The organization as the management account (or a delegated administrator) sees it: every
//! account from `ListAccounts`, the tree of roots and OUs with the accounts in each, and every
//! service control policy with its targets. Read once, before any member account.

use crate::clients::client_in;
use crate::ledger::Ledger;
use crate::regional::global_region;
use aws_sdk_organizations::types::PolicyType;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Unknown, UnknownReason};
use hipaa_core::services::org::evidence::{
    MemberAccount, OrgUnit, Organization, OrganizationView, Scp,
};
use std::collections::BTreeMap;

const STAGE: &str = "organization";

/// Read the view. A failed read leaves its part unknown (the organization controls are then
/// ERROR); only the account list is needed to scan at all.
pub(crate) async fn view(
    config: &aws_types::SdkConfig,
    partition: &str,
    l: &Ledger<'_>,
) -> OrganizationView {
    let client = client_in!(aws_sdk_organizations, config, global_region(partition));
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
    let organization: Fact<Option<Organization>> = match org {
        Err(u) => Fact::Unknown(u),
        Ok(None) => Fact::Known(None),
        Ok(Some(out)) => match out
            .organization()
            .and_then(|o| Some((o, o.id()?, o.arn()?, o.master_account_id()?)))
        {
            Some((o, id, arn, management)) => Fact::Known(Some(Organization {
                id: id.to_string(),
                arn: arn.to_string(),
                management_account: management.to_string(),
                feature_set: o
                    .feature_set()
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
            })),
            None => Fact::Unknown(l.parse_error(
                "organizations:DescribeOrganization",
                "",
                "no organization id, ARN or management account in the answer",
            )),
        },
    };
    if let Fact::Known(None) = organization {
        let none = || {
            Fact::Unknown(Unknown::new(
                UnknownReason::NotCollected,
                "organizations:DescribeOrganization",
                "the caller's account is not in an AWS Organization",
            ))
        };
        return OrganizationView {
            organization,
            units: Fact::Known(Vec::new()),
            accounts: none(),
            scps: Fact::Known(Vec::new()),
        };
    }
    let (accounts, tree, scps) =
        tokio::join!(accounts(&client, l), tree(&client, l), scps(&client, l));
    let accounts = match (accounts, tree) {
        (Err(u), tree) => (Fact::Unknown(u), tree.map(|(units, _)| units)),
        (Ok(list), Err(u)) => {
            // Accounts without their place in the tree: scannable, not judged by OU.
            (Fact::Known(list), Err(u))
        }
        (Ok(mut list), Ok((units, placed))) => {
            for a in &mut list {
                a.parent = placed.get(&a.id).cloned();
            }
            (Fact::Known(list), Ok(units))
        }
    };
    OrganizationView {
        organization,
        units: accounts.1.into(),
        accounts: accounts.0,
        scps: scps.into(),
    }
}

/// Every account of the organization, with its status.
async fn accounts(
    client: &aws_sdk_organizations::Client,
    l: &Ledger<'_>,
) -> Result<Vec<MemberAccount>, Unknown> {
    const OP: &str = "organizations:ListAccounts";
    let mut pages = client.list_accounts().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, "", pages.next()).await? {
        for a in page.accounts() {
            let Some(id) = a.id() else {
                return Err(l.parse_error(OP, "", "an account without an id"));
            };
            out.push(MemberAccount {
                id: id.to_string(),
                name: a.name().unwrap_or_default().to_string(),
                // An account without a status is not known to be ACTIVE: never scanned as one.
                status: a
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| "UNKNOWN".into()),
                parent: None,
            });
        }
    }
    Ok(out)
}

/// One unit's id, the OUs under it and the ids of the accounts in it.
type Children = (String, Vec<OrgUnit>, Vec<String>);

/// The roots and OUs, and the unit each account sits in, walked from the roots.
async fn tree(
    client: &aws_sdk_organizations::Client,
    l: &Ledger<'_>,
) -> Result<(Vec<OrgUnit>, BTreeMap<String, String>), Unknown> {
    let mut units = Vec::new();
    let mut pages = client.list_roots().into_paginator().send();
    while let Some(page) = l.page("organizations:ListRoots", "", pages.next()).await? {
        for r in page.roots() {
            let Some(id) = r.id() else {
                return Err(l.parse_error("organizations:ListRoots", "", "a root without an id"));
            };
            units.push(OrgUnit {
                id: id.to_string(),
                name: r.name().unwrap_or("Root").to_string(),
                parent: None,
            });
        }
    }
    let mut placed = BTreeMap::new();
    let mut next: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    // AWS allows five levels of OUs under a root; stop well past that on a malformed answer.
    for _ in 0..10 {
        if next.is_empty() {
            break;
        }
        l.plan(next.len() as u64, STAGE);
        let level: Vec<Result<Children, Unknown>> = stream::iter(next.clone())
            .map(|parent| async move {
                let r = children(client, l, &parent).await;
                l.tick(STAGE);
                r.map(|(u, a)| (parent, u, a))
            })
            .buffered(4)
            .collect()
            .await;
        next.clear();
        for r in level {
            let (parent, kids, accounts) = r?;
            for a in accounts {
                placed.insert(a, parent.clone());
            }
            next.extend(kids.iter().map(|k| k.id.clone()));
            units.extend(kids);
        }
    }
    if !next.is_empty() {
        return Err(l.parse_error(
            "organizations:ListOrganizationalUnitsForParent",
            "",
            "the OU tree is deeper than 10 levels",
        ));
    }
    Ok((units, placed))
}

/// The OUs and accounts directly under one root or OU.
async fn children(
    client: &aws_sdk_organizations::Client,
    l: &Ledger<'_>,
    parent: &str,
) -> Result<(Vec<OrgUnit>, Vec<String>), Unknown> {
    const OUS: &str = "organizations:ListOrganizationalUnitsForParent";
    const ACCOUNTS: &str = "organizations:ListAccountsForParent";
    let mut units = Vec::new();
    let mut pages = client
        .list_organizational_units_for_parent()
        .parent_id(parent)
        .into_paginator()
        .send();
    while let Some(page) = l.page(OUS, parent, pages.next()).await? {
        for u in page.organizational_units() {
            let Some(id) = u.id() else {
                return Err(l.parse_error(OUS, parent, "an OU without an id"));
            };
            units.push(OrgUnit {
                id: id.to_string(),
                name: u.name().unwrap_or_default().to_string(),
                parent: Some(parent.to_string()),
            });
        }
    }
    let mut accounts = Vec::new();
    let mut pages = client
        .list_accounts_for_parent()
        .parent_id(parent)
        .into_paginator()
        .send();
    while let Some(page) = l.page(ACCOUNTS, parent, pages.next()).await? {
        for a in page.accounts() {
            let Some(id) = a.id() else {
                return Err(l.parse_error(ACCOUNTS, parent, "an account without an id"));
            };
            accounts.push(id.to_string());
        }
    }
    Ok((units, accounts))
}

/// Every service control policy, with its document and the roots, OUs and accounts it is
/// attached to.
async fn scps(client: &aws_sdk_organizations::Client, l: &Ledger<'_>) -> Result<Vec<Scp>, Unknown> {
    const OP: &str = "organizations:ListPolicies";
    let mut pages = client
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = l.page(OP, "", pages.next()).await? {
        for p in page.policies() {
            let Some(id) = p.id() else {
                return Err(l.parse_error(OP, "", "a policy without an id"));
            };
            listed.push((
                id.to_string(),
                p.name().unwrap_or_default().to_string(),
                p.arn().unwrap_or_default().to_string(),
                p.aws_managed(),
            ));
        }
    }
    l.plan(listed.len() as u64, STAGE);
    Ok(stream::iter(listed)
        .map(|(id, name, arn, aws_managed)| async move {
            let (content, targets) = tokio::join!(content(client, l, &id), targets(client, l, &id));
            l.tick(STAGE);
            Scp {
                id,
                name,
                arn,
                aws_managed,
                content: content.into(),
                targets: targets.into(),
            }
        })
        .buffered(8)
        .collect()
        .await)
}

async fn content(
    client: &aws_sdk_organizations::Client,
    l: &Ledger<'_>,
    id: &str,
) -> Result<String, Unknown> {
    const OP: &str = "organizations:DescribePolicy";
    let out = l
        .must(OP, id, client.describe_policy().policy_id(id).send())
        .await?;
    out.policy()
        .and_then(|p| p.content())
        .map(str::to_string)
        .ok_or_else(|| l.parse_error(OP, id, "no policy content"))
}

async fn targets(
    client: &aws_sdk_organizations::Client,
    l: &Ledger<'_>,
    id: &str,
) -> Result<Vec<String>, Unknown> {
    const OP: &str = "organizations:ListTargetsForPolicy";
    let mut pages = client
        .list_targets_for_policy()
        .policy_id(id)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, id, pages.next()).await? {
        for t in page.targets() {
            let Some(target) = t.target_id() else {
                return Err(l.parse_error(OP, id, "a target without an id"));
            };
            out.push(target.to_string());
        }
    }
    Ok(out)
}
