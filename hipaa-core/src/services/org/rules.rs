//! AWS Organizations rules. They judge the whole organization once, from the management
//! account's view and every account's posture ([`OrgContext`]), so only an organization scan
//! runs them (`check = "organization"` in the catalog); an account scan has none.

use super::evidence::Scp;
use crate::aws::policy::PolicyDocument;
use crate::eligible::EligibleServices;
use crate::evidence::{Fact, Unknown, UnknownReason};
use crate::organization::{
    AccountEntry, AccountScan, Discovery, Judgement, NotScanned, OrgContext, Posture,
};
use crate::rules::{Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::scope::BaaStatus;
use crate::scp::{allow_only_eligible, deny_outside_eligible};
use crate::vocabulary::Status;
use std::collections::BTreeMap;

/// Account rules: none (see [`organization_rules`]).
pub(crate) fn rules() -> Vec<RuleFn> {
    Vec::new()
}

/// A built-in organization rule: an id and a plain function over the whole organization.
pub(crate) struct OrgRuleFn {
    pub id: &'static str,
    pub f: fn(&OrgContext<'_>) -> Vec<Outcome>,
}

/// Every organization rule, by control id.
pub(crate) fn organization_rules() -> Vec<OrgRuleFn> {
    vec![
        OrgRuleFn {
            id: "org.account_scanned",
            f: account_scanned,
        },
        OrgRuleFn {
            id: "org.baa_covers_phi_accounts",
            f: baa_covers_phi_accounts,
        },
        OrgRuleFn {
            id: "org.cloudtrail_all_accounts",
            f: cloudtrail_all_accounts,
        },
        OrgRuleFn {
            id: "org.guardduty_all_accounts",
            f: guardduty_all_accounts,
        },
        OrgRuleFn {
            id: "org.securityhub_all_accounts",
            f: securityhub_all_accounts,
        },
        OrgRuleFn {
            id: "org.config_all_accounts",
            f: config_all_accounts,
        },
        OrgRuleFn {
            id: "org.scp_on_phi_ous",
            f: scp_on_phi_ous,
        },
    ]
}

/// How many accounts a message names before it says "and N more".
const NAMED: usize = 20;

fn names(list: &[String]) -> String {
    let mut out = list.iter().take(NAMED).cloned().collect::<Vec<_>>().join("; ");
    if list.len() > NAMED {
        out.push_str(&format!("; and {} more", list.len() - NAMED));
    }
    out
}

fn whole(ctx: &OrgContext<'_>) -> Resource {
    crate::organization::organization_resource(ctx.org)
}

fn whole_outcome(ctx: &OrgContext<'_>, r: Result<Verdict, Unknown>) -> Outcome {
    Outcome::from_result(whole(ctx), PhiMark::Account, r)
}

/// An account as a resource of the organization.
fn account_resource(ctx: &OrgContext<'_>, e: &AccountEntry) -> Resource {
    Resource {
        arn: format!("arn:{}:iam::{}:root", ctx.org.partition, e.id),
        id: e.id.clone(),
        kind: "AwsAccount".into(),
        account: e.id.clone(),
        region: None,
        name: e.name.clone(),
        phi: None,
    }
}

/// The accounts the organization controls judge: scanned, unreachable, or another shard's.
fn in_scope<'a>(ctx: &OrgContext<'a>) -> Vec<&'a AccountEntry> {
    ctx.org.accounts.iter().filter(|e| e.in_scope()).collect()
}

fn account_scanned(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    let out: Vec<Outcome> = ctx
        .org
        .accounts
        .iter()
        .filter_map(|e| {
            let r = match &e.scan {
                AccountScan::Scanned { via, .. } => Ok(Verdict::pass(format!(
                    "scanned with {via}"
                ))),
                AccountScan::Unreachable {
                    role_arn,
                    reason,
                    detail,
                    ..
                } => Err(Unknown::new(
                    *reason,
                    "sts:AssumeRole",
                    format!("role `{role_arn}` could not be assumed, so nothing in the account was read: {detail}"),
                )),
                AccountScan::NotScanned {
                    why: NotScanned::Inactive,
                } => Ok(Verdict::not_applicable(format!(
                    "the account is {} in AWS Organizations: only ACTIVE accounts can be scanned",
                    e.status.as_deref().unwrap_or("not active")
                ))),
                AccountScan::NotScanned {
                    why: NotScanned::OtherShard,
                } => Err(Unknown::new(
                    UnknownReason::NotCollected,
                    "organization scan",
                    "another shard scans this account: merge the shards' reports (`hipaa merge`) for its results",
                )),
                // Left out on purpose: out of scope, like an excluded resource.
                AccountScan::NotScanned { .. } => return None,
            };
            Some(Outcome::from_result(account_resource(ctx, e), PhiMark::Account, r))
        })
        .collect();
    if out.is_empty() {
        return vec![whole_outcome(
            ctx,
            Ok(Verdict::not_applicable("no account was in scope")),
        )];
    }
    out
}

/// Whether an account may hold ePHI: the scope file says so, or PHI-tagged resources were found.
enum Phi {
    Yes(&'static str),
    No,
    Maybe(Unknown),
}

fn phi(ctx: &OrgContext<'_>, e: &AccountEntry, p: &Posture) -> Phi {
    if let Some(a) = ctx.scope.account(&e.id) {
        return if a.holds_phi {
            Phi::Yes("the scope file lists it as holding ePHI")
        } else {
            Phi::No
        };
    }
    match &p.holds_phi {
        Fact::Known(true) => Phi::Yes("PHI-tagged resources were found in it"),
        Fact::Known(false) => Phi::No,
        Fact::Unknown(u) => Phi::Maybe(u.clone()),
    }
}

/// Whether a BAA covers an account, and the evidence.
enum Cover {
    Yes(String),
    No(String),
    Unknown(Unknown),
}

/// An active organization BAA some account's AWS Artifact shows (the management account's, as
/// a rule), or why none could be seen.
fn organization_baa(ctx: &OrgContext<'_>) -> Result<Option<String>, Unknown> {
    let mut unknown = None;
    for e in &ctx.org.accounts {
        if let AccountScan::Scanned { posture, .. } = &e.scan {
            match &posture.organization_baa {
                Fact::Known(Some(b)) => return Ok(Some(b.clone())),
                Fact::Known(None) => {}
                Fact::Unknown(u) => {
                    unknown.get_or_insert(u.clone());
                }
            }
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(None),
    }
}

fn cover(
    ctx: &OrgContext<'_>,
    e: &AccountEntry,
    p: &Posture,
    org_baa: &Result<Option<String>, Unknown>,
) -> Cover {
    if let Some(b) = ctx
        .scope
        .baa
        .iter()
        .find(|b| b.accounts.iter().any(|a| a == &e.id))
    {
        return Cover::Yes(format!(
            "the scope file records a signed {} effective {}, archived at {}",
            b.kind.label(),
            b.effective,
            b.archived_at
        ));
    }
    let recorded = ctx.scope.account(&e.id).map(|a| a.baa);
    if recorded == Some(BaaStatus::Signed) {
        return Cover::Yes("the scope file records a signed BAA".into());
    }
    if p.baa.status == Status::Pass {
        return Cover::Yes(p.baa.message.clone());
    }
    let member = ctx.org.discovery == Discovery::Organization
        && e.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("ACTIVE"));
    if let (Ok(Some(b)), true) = (org_baa, member) {
        return Cover::Yes(format!("the organization BAA ({b}) covers every member"));
    }
    if recorded == Some(BaaStatus::NotSigned) {
        return Cover::No("the scope file records that no BAA covers it".into());
    }
    if p.baa.status == Status::Fail {
        return Cover::No(p.baa.message.clone());
    }
    match &p.baa.reason {
        Some(_) if p.baa.status == Status::Error => Cover::Unknown(p.baa.failed_read()),
        _ => Cover::Unknown(match org_baa {
            Err(u) => u.clone(),
            Ok(_) => Unknown::new(
                UnknownReason::NotCollected,
                "baa.account_covered",
                p.baa.message.clone(),
            ),
        }),
    }
}

fn baa_covers_phi_accounts(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    let org_baa = organization_baa(ctx);
    let mut out = Vec::new();
    for e in in_scope(ctx) {
        let p = e.posture();
        let r = match (phi(ctx, e, &p), cover(ctx, e, &p, &org_baa)) {
            (Phi::No, _) => continue,
            (Phi::Yes(why), Cover::Yes(how)) => Ok(Verdict::pass(format!("{why}; {how}"))),
            (Phi::Maybe(_), Cover::Yes(how)) => Ok(Verdict::pass(format!(
                "whether it holds ePHI could not be read, but a BAA covers it: {how}"
            ))),
            (Phi::Yes(why), Cover::No(how)) => Ok(Verdict::fail(format!(
                "{why}, but no BAA covers it: {how}"
            ))),
            (Phi::Yes(why), Cover::Unknown(u)) => Err(Unknown::new(
                u.reason,
                u.operation,
                format!("{why}; whether a BAA covers it could not be read: {}", u.detail),
            )),
            (Phi::Maybe(u), Cover::No(how)) => Err(Unknown::new(
                u.reason,
                u.operation,
                format!(
                    "no BAA covers it ({how}), and whether it holds ePHI could not be read: {}",
                    u.detail
                ),
            )),
            (Phi::Maybe(u), Cover::Unknown(_)) => Err(Unknown::new(
                u.reason,
                u.operation,
                format!(
                    "neither whether it holds ePHI nor its BAA could be read: {}",
                    u.detail
                ),
            )),
        };
        out.push(Outcome::from_result(
            account_resource(ctx, e),
            PhiMark::Account,
            r,
        ));
    }
    if out.is_empty() {
        return vec![whole_outcome(
            ctx,
            Ok(Verdict::not_applicable(
                "no account holds ePHI, by the scope file or by PHI-tagged resources",
            )),
        )];
    }
    out
}

/// One service on in every account in scope: FAIL naming the accounts where it is off, else
/// ERROR naming those that could not be read, else PASS.
fn in_every_account(
    ctx: &OrgContext<'_>,
    what: &str,
    pick: fn(&Posture) -> &Judgement,
) -> Result<Verdict, Unknown> {
    let accounts = in_scope(ctx);
    if accounts.is_empty() {
        return Ok(Verdict::not_applicable("no account was in scope"));
    }
    let mut off = Vec::new();
    let mut unknown = Vec::new();
    let mut first: Option<Unknown> = None;
    let mut on = 0usize;
    for e in &accounts {
        let p = e.posture();
        let j = pick(&p);
        match j.status {
            Status::Fail => off.push(format!("{}: {}", e.label(), j.message)),
            Status::Error => {
                unknown.push(e.label());
                first.get_or_insert_with(|| j.failed_read());
            }
            _ => on += 1,
        }
    }
    let total = accounts.len();
    if !off.is_empty() {
        let mut m = format!(
            "{what} is off in {} of {total} accounts: {}",
            off.len(),
            names(&off)
        );
        if !unknown.is_empty() {
            m.push_str(&format!(
                " (and could not be read in {}: {})",
                unknown.len(),
                names(&unknown)
            ));
        }
        return Ok(Verdict::fail(m));
    }
    if let Some(u) = first {
        return Err(Unknown::new(
            u.reason,
            u.operation,
            format!(
                "{what} could not be read in {} of {total} accounts ({}): {}",
                unknown.len(),
                names(&unknown),
                u.detail
            ),
        ));
    }
    Ok(Verdict::pass(format!("{what} is on in all {on} accounts")))
}

fn cloudtrail_all_accounts(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    // An organization trail of the management account records every member, in every region.
    if ctx.org.discovery == Discovery::Organization {
        let management = ctx.org.view.management_account();
        for e in &ctx.org.accounts {
            let AccountScan::Scanned { posture, .. } = &e.scan else {
                continue;
            };
            if let (Fact::Known(Some(arn)), Some(m)) = (&posture.organization_trail, management) {
                if m == e.id {
                    return vec![whole_outcome(
                        ctx,
                        Ok(Verdict::pass(format!(
                            "organization trail `{arn}` of the management account is logging: it records every member account in every region"
                        ))),
                    )];
                }
            }
        }
    }
    vec![whole_outcome(
        ctx,
        in_every_account(ctx, "a trail recording every region", |p| {
            &p.cloudtrail
        }),
    )]
}

fn guardduty_all_accounts(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    vec![whole_outcome(
        ctx,
        in_every_account(ctx, "GuardDuty (in every scanned region)", |p| {
            &p.guardduty
        }),
    )]
}

fn securityhub_all_accounts(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    vec![whole_outcome(
        ctx,
        in_every_account(ctx, "Security Hub (in every scanned region)", |p| {
            &p.securityhub
        }),
    )]
}

fn config_all_accounts(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    vec![whole_outcome(
        ctx,
        in_every_account(ctx, "AWS Config recording (in every scanned region)", |p| {
            &p.config
        }),
    )]
}

/// A root or OU as a resource.
fn unit_resource(ctx: &OrgContext<'_>, id: &str) -> Resource {
    let view = &ctx.org.view;
    let (org_id, management) = view
        .organization
        .known()
        .and_then(|o| o.as_ref())
        .map(|o| (o.id.clone(), o.management_account.clone()))
        .unwrap_or_default();
    let kind = if id.starts_with("r-") { "root" } else { "ou" };
    Resource {
        arn: format!(
            "arn:{}:organizations::{management}:{kind}/{org_id}/{id}",
            ctx.org.partition
        ),
        id: id.to_string(),
        kind: "AwsOrganizationalUnit".into(),
        account: management,
        region: None,
        name: view.unit(id).map(|u| u.name.clone()),
        phi: None,
    }
}

fn eligible() -> Result<&'static EligibleServices, Unknown> {
    EligibleServices::bundled().map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            "eligible-services list",
            e.to_string(),
        )
    })
}

/// Whether an SCP on the unit or above it keeps its accounts to eligible services.
fn unit_guarded(
    ctx: &OrgContext<'_>,
    unit: &str,
    scps: &[Scp],
    list: &EligibleServices,
) -> Result<Option<String>, Unknown> {
    let mut levels = vec![unit.to_string()];
    levels.extend(ctx.org.view.parents(unit));
    let mut unknown: Option<Unknown> = None;
    let mut by_level: BTreeMap<&str, Vec<(&Scp, PolicyDocument)>> = BTreeMap::new();
    for scp in scps {
        let (targets, doc) = match scp.targets_and_document() {
            Ok(x) => x,
            Err(u) => {
                unknown.get_or_insert(u);
                continue;
            }
        };
        for level in levels.iter().filter(|l| targets.contains(l)) {
            by_level.entry(level).or_default().push((scp, doc.clone()));
        }
    }
    for level in &levels {
        let Some(docs) = by_level.get(level.as_str()) else {
            continue;
        };
        let at = if level == unit {
            "on it".to_string()
        } else {
            format!("on `{level}` above it")
        };
        for (scp, doc) in docs {
            if let Some(stmt) = deny_outside_eligible(doc, list) {
                return Ok(Some(format!(
                    "SCP `{}` (statement {stmt}) {at} denies every service outside the {}",
                    scp.name,
                    list.label()
                )));
            }
        }
        let parsed: Vec<PolicyDocument> = docs.iter().map(|(_, d)| d.clone()).collect();
        if allow_only_eligible(&parsed, list) {
            return Ok(Some(format!(
                "the SCPs {at} allow only services on the {}",
                list.label()
            )));
        }
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(None),
    }
}

fn scp_on_phi_ous(ctx: &OrgContext<'_>) -> Vec<Outcome> {
    if ctx.org.discovery == Discovery::Named {
        return vec![whole_outcome(
            ctx,
            Ok(Verdict::not_applicable(
                "the accounts were named (`--accounts`), so the OU tree was not read; each account's own scope.scp_eligible_services judges its SCPs",
            )),
        )];
    }
    let view = &ctx.org.view;
    type Setup<'a> = Result<(String, &'a Vec<Scp>, &'static EligibleServices), Verdict>;
    let setup = (|| -> Result<Setup<'_>, Unknown> {
        let org = match view.organization.get()? {
            Some(o) => o,
            None => return Ok(Err(Verdict::fail(
                "the caller's account is not in an AWS Organization, so no service control policy can keep accounts to HIPAA-eligible services",
            ))),
        };
        if !org.feature_set.eq_ignore_ascii_case("ALL") {
            return Ok(Err(Verdict::fail(format!(
                "the organization runs with feature set {}, which has no service control policies",
                org.feature_set
            ))));
        }
        view.units.get()?;
        Ok(Ok((org.management_account.clone(), view.scps.get()?, eligible()?)))
    })();
    let (management, scps, list) = match setup {
        Err(u) => return vec![whole_outcome(ctx, Err(u))],
        Ok(Err(v)) => return vec![whole_outcome(ctx, Ok(v))],
        Ok(Ok(s)) => s,
    };
    // The ePHI accounts (certain or possible) of each unit they sit in.
    let mut by_unit: BTreeMap<String, Vec<(String, Option<Unknown>)>> = BTreeMap::new();
    let mut out = Vec::new();
    for e in in_scope(ctx) {
        let p = e.posture();
        let maybe = match phi(ctx, e, &p) {
            Phi::No => continue,
            Phi::Yes(_) => None,
            Phi::Maybe(u) => Some(u),
        };
        if e.id == management {
            let r = match maybe {
                None => Ok(Verdict::fail(
                    "the management account holds ePHI, and service control policies never apply to it: keep ePHI in member accounts",
                )),
                Some(u) => Err(Unknown::new(
                    u.reason,
                    u.operation,
                    format!("service control policies never apply to the management account, and whether it holds ePHI could not be read: {}", u.detail),
                )),
            };
            out.push(Outcome::from_result(account_resource(ctx, e), PhiMark::Account, r));
            continue;
        }
        match e.parents.first() {
            Some(unit) => by_unit
                .entry(unit.clone())
                .or_default()
                .push((e.label(), maybe)),
            None => out.push(Outcome::from_result(
                account_resource(ctx, e),
                PhiMark::Account,
                Err(Unknown::new(
                    UnknownReason::NotCollected,
                    "organizations:ListAccountsForParent",
                    "the OU tree does not place this account",
                )),
            )),
        }
    }
    for (unit, accounts) in &by_unit {
        let certain: Vec<String> = accounts
            .iter()
            .filter(|(_, m)| m.is_none())
            .map(|(l, _)| l.clone())
            .collect();
        let r = match unit_guarded(ctx, unit, scps, list) {
            Ok(Some(how)) => Ok(Verdict::pass(format!(
                "holds ePHI accounts ({}); {how}",
                names(&accounts.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>())
            ))),
            Ok(None) if !certain.is_empty() => Ok(Verdict::fail(format!(
                "holds ePHI accounts ({}), but no SCP on it or above it denies services outside the {}; generate one with `hipaa scp`",
                names(&certain),
                list.label()
            ))),
            Ok(None) => {
                let u = accounts
                    .iter()
                    .find_map(|(_, m)| m.clone())
                    .unwrap_or_else(|| Unknown::new(UnknownReason::NotCollected, "organization scan", "no account could be read"));
                Err(Unknown::new(
                    u.reason,
                    u.operation,
                    format!("no SCP on it or above it denies services outside the eligible list, and whether its accounts hold ePHI could not be read: {}", u.detail),
                ))
            }
            Err(u) => Err(u),
        };
        out.push(Outcome::from_result(
            unit_resource(ctx, unit),
            PhiMark::Account,
            r,
        ));
    }
    if out.is_empty() {
        return vec![whole_outcome(
            ctx,
            Ok(Verdict::not_applicable(
                "no account holds ePHI, by the scope file or by PHI-tagged resources",
            )),
        )];
    }
    out
}
