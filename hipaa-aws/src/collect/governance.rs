//! Governance: AWS Artifact agreements, AWS Organizations (membership, accounts, the SCPs on the
//! account and its parents) and the Resource Groups Tagging API inventory.

use super::{to_chrono, Scan};
use aws_sdk_organizations::types::{ParentType, PolicyType};
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::governance::*;
use hipaa_core::evidence::{Fact, Tags, Unknown, UnknownReason};
use std::collections::BTreeMap;

const STAGE: &str = "governance";

/// What this collector returns to the snapshot.
pub(crate) struct Governance {
    pub agreements: Fact<Vec<Agreement>>,
    pub organizations: OrganizationsEvidence,
    pub inventory: Fact<Vec<TaggedInventory>>,
}

/// Artifact and Organizations are global services answered in us-east-1 (aws-us-gov-west-1 and
/// cn-northwest-1 in the other partitions).
fn global_region(partition: &str) -> &'static str {
    match partition {
        "aws-us-gov" => "us-gov-west-1",
        "aws-cn" => "cn-northwest-1",
        _ => "us-east-1",
    }
}

pub(crate) async fn collect(
    scan: &Scan<'_>,
    account: &Fact<String>,
    partition: &str,
) -> Governance {
    let region = aws_config::Region::new(global_region(partition));
    let artifact = aws_sdk_artifact::Client::from_conf(
        aws_sdk_artifact::config::Builder::from(&scan.config)
            .region(region.clone())
            .build(),
    );
    let orgs = aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(&scan.config)
            .region(region)
            .build(),
    );
    let (agreements, organizations, inventory) = tokio::join!(
        agreements(scan, &artifact),
        organizations(scan, &orgs, account),
        inventory(scan)
    );
    Governance {
        agreements,
        organizations,
        inventory,
    }
}

pub(crate) async fn agreements(
    scan: &Scan<'_>,
    client: &aws_sdk_artifact::Client,
) -> Fact<Vec<Agreement>> {
    let l = &scan.ledger;
    l.plan(1, STAGE);
    let mut pages = client.list_customer_agreements().into_paginator().send();
    let mut out = Vec::new();
    let r: Result<(), Unknown> = async {
        while let Some(page) = l
            .page("artifact:ListCustomerAgreements", "", pages.next())
            .await?
        {
            for a in page.customer_agreements() {
                out.push(Agreement {
                    id: a.id().unwrap_or_default().to_string(),
                    name: a.name().unwrap_or_default().to_string(),
                    arn: a.arn().unwrap_or_default().to_string(),
                    state: a
                        .state()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    kind: a
                        .r#type()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    account: a.aws_account_id().map(str::to_string),
                    organization_arn: a.organization_arn().map(str::to_string),
                    effective_start: a.effective_start().and_then(to_chrono),
                    effective_end: a.effective_end().and_then(to_chrono),
                });
            }
        }
        Ok(())
    }
    .await;
    l.tick(STAGE);
    r.map(|()| out).into()
}

fn not_collected<T>(op: &str, why: &str) -> Fact<T> {
    Fact::Unknown(Unknown::new(UnknownReason::NotCollected, op, why))
}

pub(crate) async fn organizations(
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

async fn inventory(scan: &Scan<'_>) -> Fact<Vec<TaggedInventory>> {
    let out = stream::iter(scan.regions.clone())
        .map(|region| async move {
            let l = &scan.ledger;
            l.plan(1, STAGE);
            let client = aws_sdk_resourcegroupstagging::Client::from_conf(
                aws_sdk_resourcegroupstagging::config::Builder::from(&scan.config)
                    .region(aws_config::Region::new(region.clone()))
                    .build(),
            );
            let mut pages = client
                .get_resources()
                .resources_per_page(100)
                .into_paginator()
                .send();
            let mut list = Vec::new();
            let r: Result<(), Unknown> = async {
                while let Some(page) = l.page("tag:GetResources", &region, pages.next()).await? {
                    for m in page.resource_tag_mapping_list() {
                        // An entry without its ARN could be the PHI resource: the region is unknown.
                        let Some(arn) = m.resource_arn() else {
                            return Err(l.fail(
                                "tag:GetResources",
                                &region,
                                (
                                    UnknownReason::ParseError,
                                    "a resource without an ARN".into(),
                                ),
                            ));
                        };
                        list.push(TaggedResource {
                            arn: arn.to_string(),
                            tags: m
                                .tags()
                                .iter()
                                .map(|t| (t.key().to_string(), t.value().to_string()))
                                .collect::<Tags>(),
                        });
                    }
                }
                Ok(())
            }
            .await;
            l.tick(STAGE);
            list.sort_by(|a, b| a.arn.cmp(&b.arn));
            TaggedInventory {
                region,
                resources: r.map(|()| list).into(),
            }
        })
        .buffered(4)
        .collect()
        .await;
    Fact::Known(out)
}

#[cfg(test)]
mod tests {
    //! Recorded responses: AWS Artifact has no moto implementation outside tests/fixture/moto_ext.py,
    //! and "not in an organization" is an error answer that must become a fact.
    use super::*;
    use crate::ledger::Ledger;
    use aws_smithy_mocks::{mock, MockResponseInterceptor, RuleMode};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use hipaa_core::NoProgress;

    use crate::collect::mocks::sdk_config;

    /// A client of `$sdk` whose only answer is `$rule`.
    macro_rules! mocked {
        ($sdk:ident, $rule:expr) => {
            $sdk::Client::from_conf(
                $sdk::config::Builder::from(&sdk_config())
                    .interceptor(
                        MockResponseInterceptor::new()
                            .rule_mode(RuleMode::MatchAny)
                            .with_rule($rule),
                    )
                    .build(),
            )
        };
    }

    fn scan(ledger: Ledger<'_>) -> Scan<'_> {
        Scan {
            config: sdk_config(),
            regions: vec!["us-east-1".into()],
            local_endpoint: None,
            ledger,
        }
    }

    fn error(status: u16, code: &str, message: &str, json_type: &str) -> HttpResponse {
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        let mut r = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        r.headers_mut()
            .insert("content-type", json_type.to_string());
        r.headers_mut().insert("x-amzn-errortype", code.to_string());
        r
    }

    #[tokio::test]
    async fn artifact_agreements_are_read_and_a_denied_read_stays_unknown() {
        use aws_sdk_artifact::operation::list_customer_agreements::ListCustomerAgreementsOutput;
        use aws_sdk_artifact::types::{
            AgreementType, CustomerAgreementState, CustomerAgreementSummary,
        };
        let listed = mock!(aws_sdk_artifact::Client::list_customer_agreements).then_output(|| {
            ListCustomerAgreementsOutput::builder()
                .customer_agreements(
                    CustomerAgreementSummary::builder()
                        .id("customer-agreement-aaaaaaaaaaaaaaaa")
                        .name("AWS Business Associate Addendum")
                        .arn("arn:aws:artifact::123456789012:customer-agreement/customer-agreement-aaaaaaaaaaaaaaaa")
                        .aws_account_id("123456789012")
                        .state(CustomerAgreementState::Active)
                        .r#type(AgreementType::Default)
                        .effective_start(aws_smithy_types::DateTime::from_secs(1_768_435_200))
                        .build(),
                )
                .build()
                .unwrap()
        });
        let client = mocked!(aws_sdk_artifact, &listed);
        let s = scan(Ledger::new(4, &NoProgress));
        let got = agreements(&s, &client).await;
        let list = got.get().unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].is_baa() && list[0].is_active());
        assert_eq!(list[0].account.as_deref(), Some("123456789012"));
        assert_eq!(
            list[0]
                .effective_start
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2026-01-15")
        );

        let denied =
            mock!(aws_sdk_artifact::Client::list_customer_agreements).then_http_response(|| {
                error(
                    403,
                    "AccessDeniedException",
                    "not authorized to perform artifact:ListCustomerAgreements",
                    "application/json",
                )
            });
        let client = mocked!(aws_sdk_artifact, &denied);
        let s = scan(Ledger::new(4, &NoProgress));
        let u = agreements(&s, &client).await.get().unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(u.operation, "artifact:ListCustomerAgreements");
        assert_eq!(s.ledger.log().failures.len(), 1);
    }

    #[tokio::test]
    async fn not_in_an_organization_is_a_fact_and_a_denied_read_is_not() {
        let none =
            mock!(aws_sdk_organizations::Client::describe_organization).then_http_response(|| {
                error(
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
                error(
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
