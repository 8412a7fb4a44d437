//! AWS Organizations evidence: the organization, its accounts, the scanned account's parents
//! and the service control policies.

use crate::evidence::Fact;
use serde::{Deserialize, Serialize};

/// What AWS Organizations says about the scanned account's organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationsEvidence {
    /// The organization; `None` when the account is not in one.
    pub organization: Fact<Option<Organization>>,
    /// Member accounts (readable from the management account or a delegated administrator).
    pub accounts: Fact<Vec<OrgAccount>>,
    /// The scanned account's parents, nearest first, ending with the root (`ou-…`, `r-…`).
    pub parents: Fact<Vec<String>>,
    /// Service control policies with their content and targets.
    pub scps: Fact<Vec<Scp>>,
}

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// Organization ARN.
    pub arn: String,
    /// The management account's id.
    pub management_account: String,
    /// `ALL` or `CONSOLIDATED_BILLING` (SCPs need `ALL`).
    pub feature_set: String,
}

/// A member account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAccount {
    /// Account id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, …
    pub status: String,
}

/// A service control policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scp {
    /// `p-…`.
    pub id: String,
    /// Policy name.
    pub name: String,
    /// Policy ARN.
    pub arn: String,
    /// Whether AWS manages it (`FullAWSAccess`).
    pub aws_managed: bool,
    /// The policy document.
    pub content: Fact<String>,
    /// Account, OU and root ids it is attached to.
    pub targets: Fact<Vec<String>>,
}

impl Scp {
    /// What it is attached to and its parsed document, or why it cannot be judged (either was
    /// not read, or the document does not parse).
    pub fn targets_and_document(
        &self,
    ) -> Result<(&[String], crate::aws::policy::PolicyDocument), crate::evidence::Unknown> {
        let targets = self.targets.get()?;
        let text = self.content.get()?;
        let doc = crate::aws::policy::PolicyDocument::parse(text).map_err(|e| {
            crate::evidence::Unknown::new(
                crate::evidence::UnknownReason::ParseError,
                "organizations:DescribePolicy",
                format!("{}: {e}", self.name),
            )
        })?;
        Ok((targets, doc))
    }
}

impl OrganizationsEvidence {
    /// Nothing read: what an account scan without an Organizations section stands on.
    pub fn not_collected() -> Self {
        OrganizationsEvidence {
            organization: crate::evidence::not_collected("AWS Organizations"),
            accounts: crate::evidence::not_collected("AWS Organizations"),
            parents: crate::evidence::not_collected("AWS Organizations"),
            scps: crate::evidence::not_collected("AWS Organizations"),
        }
    }
}

impl crate::evidence::Section for OrganizationsEvidence {}

/// The whole organization as the management account (or a delegated administrator) sees it:
/// what an organization scan reads once, before any member account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationView {
    /// The organization; `None` when the caller's account is not in one.
    pub organization: Fact<Option<Organization>>,
    /// The roots and OUs, each with its parent (none for a root).
    pub units: Fact<Vec<OrgUnit>>,
    /// Every account, with its status and the root or OU it sits in.
    pub accounts: Fact<Vec<MemberAccount>>,
    /// Every service control policy, with its document and its targets.
    pub scps: Fact<Vec<Scp>>,
}

/// A root (`r-…`) or organizational unit (`ou-…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// `r-…` or `ou-…`.
    pub id: String,
    /// Its name (`Root` for a root).
    pub name: String,
    /// The unit it sits in; `None` for a root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// An account of the organization and where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAccount {
    /// Account id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, …
    pub status: String,
    /// The root or OU it sits in; `None` when the tree could not place it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl MemberAccount {
    /// Whether the account can be scanned (suspended and closed accounts cannot).
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("ACTIVE")
    }
}

impl OrganizationView {
    /// Nothing read: an organization scan of named accounts (`--accounts`) has no view.
    pub fn not_read(why: &str) -> Self {
        let u = crate::evidence::Unknown::new(
            crate::evidence::UnknownReason::NotCollected,
            "organizations",
            why,
        );
        OrganizationView {
            organization: Fact::Unknown(u.clone()),
            units: Fact::Unknown(u.clone()),
            accounts: Fact::Unknown(u.clone()),
            scps: Fact::Unknown(u),
        }
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&OrgUnit> {
        self.units.known()?.iter().find(|u| u.id == id)
    }

    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&MemberAccount> {
        self.accounts.known()?.iter().find(|a| a.id == id)
    }

    /// The chain of units above an account or unit, nearest first, ending with the root (empty
    /// when the tree does not place it). A cycle in a malformed tree stops the walk.
    pub fn parents(&self, id: &str) -> Vec<String> {
        let mut chain: Vec<String> = Vec::new();
        let mut next = match self.account(id) {
            Some(a) => a.parent.clone(),
            None => self.unit(id).and_then(|u| u.parent.clone()),
        };
        while let Some(p) = next {
            if chain.contains(&p) {
                break;
            }
            next = self.unit(&p).and_then(|u| u.parent.clone());
            chain.push(p);
        }
        chain
    }

    /// What one account's own Organizations reads would show, from this view: member accounts
    /// cannot read their parents or the SCPs, the management account (or a delegated
    /// administrator) can, so an organization scan judges every account from the view.
    pub fn evidence_for(&self, account: &str) -> OrganizationsEvidence {
        let parents: Fact<Vec<String>> = match (&self.units, self.account(account)) {
            (Fact::Unknown(u), _) => Fact::Unknown(u.clone()),
            (Fact::Known(_), Some(a)) if a.parent.is_some() => Fact::Known(self.parents(account)),
            _ => Fact::Unknown(crate::evidence::Unknown::new(
                crate::evidence::UnknownReason::NotCollected,
                "organizations:ListAccountsForParent",
                format!("the OU tree does not place account `{account}`"),
            )),
        };
        let scps = match (&self.scps, &parents) {
            (Fact::Unknown(u), _) => Fact::Unknown(u.clone()),
            (Fact::Known(list), Fact::Known(p)) => {
                let mut levels = vec![account.to_string()];
                levels.extend(p.iter().cloned());
                Fact::Known(
                    list.iter()
                        .filter_map(|scp| {
                            let targets = match &scp.targets {
                                Fact::Known(t) => Fact::Known(
                                    t.iter().filter(|t| levels.contains(t)).cloned().collect::<Vec<_>>(),
                                ),
                                Fact::Unknown(u) => Fact::Unknown(u.clone()),
                            };
                            if targets.known().is_some_and(|t| t.is_empty()) {
                                return None;
                            }
                            Some(Scp {
                                targets,
                                ..scp.clone()
                            })
                        })
                        .collect(),
                )
            }
            (Fact::Known(_), Fact::Unknown(u)) => Fact::Unknown(u.clone()),
        };
        OrganizationsEvidence {
            organization: self.organization.clone(),
            accounts: match &self.accounts {
                Fact::Known(list) => Fact::Known(
                    list.iter()
                        .map(|a| OrgAccount {
                            id: a.id.clone(),
                            name: a.name.clone(),
                            status: a.status.clone(),
                        })
                        .collect(),
                ),
                Fact::Unknown(u) => Fact::Unknown(u.clone()),
            },
            parents,
            scps,
        }
    }

    /// The management account, when the organization is known.
    pub fn management_account(&self) -> Option<&str> {
        self.organization
            .known()
            .and_then(|o| o.as_ref())
            .map(|o| o.management_account.as_str())
    }
}
