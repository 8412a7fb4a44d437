//! BAA rule: every account that may hold ePHI is covered by an active AWS BAA, shown by AWS
//! Artifact or, where Artifact cannot show it, recorded in the scope file.

use super::{Context, Outcome, PhiMark, RuleFn, Verdict};
use crate::evidence::governance::Agreement;
use crate::evidence::Unknown;
use crate::scope::{BaaAttestation, BaaStatus};

pub(super) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "baa.account_covered",
        f: account_covered,
    }]
}

fn since(a: &Agreement) -> String {
    a.effective_start
        .map(|d| format!(", effective {}", d.date_naive()))
        .unwrap_or_default()
}

/// What the scope file records for an account: a `[[baa]]` entry, or `baa = "signed"`.
fn attested(ctx: &Context<'_>, id: &str) -> Option<String> {
    let entry = ctx
        .scope
        .baa
        .iter()
        .find(|b| b.accounts.iter().any(|a| a == id))
        .map(|b: &BaaAttestation| {
            format!(
                "the scope file records a signed {} effective {}, archived at {}",
                b.kind.label(),
                b.effective,
                b.archived_at
            )
        });
    entry.or_else(|| match ctx.scope.account(id) {
        Some(a) if a.baa == BaaStatus::Signed => Some(match &a.baa_reference {
            Some(r) => format!("the scope file records a signed BAA ({r})"),
            None => "the scope file records a signed BAA".into(),
        }),
        _ => None,
    })
}

/// FAIL when the scope file says outright that no BAA covers the account.
fn recorded_unsigned(ctx: &Context<'_>, id: &str) -> Option<Verdict> {
    ctx.scope
        .account(id)
        .is_some_and(|a| a.baa == BaaStatus::NotSigned)
        .then(|| Verdict::fail("the scope file records that no BAA covers this account"))
}

/// The scanned account: Artifact first, the scope file's record as the fallback.
fn scanned_account(ctx: &Context<'_>, id: &str) -> Result<Verdict, Unknown> {
    let org_arn = ctx
        .snapshot
        .organizations
        .organization
        .known()
        .and_then(|o| o.as_ref())
        .map(|o| o.arn.clone());
    let artifact: Result<Option<&Agreement>, Unknown> = ctx.snapshot.agreements.get().map(|list| {
        list.iter().find(|a| {
            a.is_baa()
                && a.is_active()
                && (a.account.as_deref() == Some(id)
                        || (a.organization_arn.is_some() && a.organization_arn == org_arn)
                        // Artifact lists only agreements that apply to the caller.
                        || (a.account.is_none() && a.organization_arn.is_some()))
        })
    });
    if let Ok(Some(a)) = &artifact {
        let scope = if a.organization_arn.is_some() && a.account.as_deref() != Some(id) {
            "organization agreement"
        } else {
            "account agreement"
        };
        return Ok(Verdict::pass(format!(
            "AWS Artifact shows the {} active ({scope}{})",
            a.name,
            since(a)
        )));
    }
    if let Some(record) = attested(ctx, id) {
        let artifact_note = match &artifact {
            Err(u) => format!("AWS Artifact could not be read ({u}); "),
            _ => "no active BAA is visible in AWS Artifact (a negotiated BAA does not appear there); ".into(),
        };
        return Ok(Verdict::pass(format!("{artifact_note}{record}")));
    }
    if let Some(v) = recorded_unsigned(ctx, id) {
        return Ok(v);
    }
    artifact?;
    Ok(Verdict::fail(
        "no active BAA in AWS Artifact and none recorded in the scope file: accept the AWS BAA before storing ePHI",
    ))
}

/// Another account named in the scope: covered by an organization BAA it belongs to, or attested.
/// An unreadable Artifact or Organizations answer is ERROR: read, it could have shown the BAA.
fn other_account(ctx: &Context<'_>, id: &str) -> Result<Verdict, Unknown> {
    if let Some(record) = attested(ctx, id) {
        return Ok(Verdict::pass(record));
    }
    if let Some(v) = recorded_unsigned(ctx, id) {
        return Ok(v);
    }
    let cannot_see = || {
        Verdict::manual(
            "this scan cannot see this account's agreements: scan the account itself, or record its BAA in a [[baa]] entry of the scope file",
        )
    };
    let org_baas: Vec<&Agreement> = ctx
        .snapshot
        .agreements
        .get()?
        .iter()
        .filter(|a| a.is_baa() && a.is_active() && a.organization_arn.is_some())
        .collect();
    if org_baas.is_empty() {
        return Ok(cannot_see());
    }
    let orgs = &ctx.snapshot.organizations;
    let Some(org) = orgs.organization.get()? else {
        return Ok(cannot_see());
    };
    let Some(a) = org_baas
        .iter()
        .find(|a| a.organization_arn.as_deref() == Some(org.arn.as_str()))
    else {
        return Ok(cannot_see());
    };
    let member = orgs
        .accounts
        .get()?
        .iter()
        .any(|m| m.id == id && m.status.eq_ignore_ascii_case("ACTIVE"));
    Ok(if member {
        Verdict::pass(format!(
            "a member of {} whose {} is active in AWS Artifact{}",
            org.id,
            a.name,
            since(a)
        ))
    } else {
        cannot_see()
    })
}

fn account_covered(ctx: &Context<'_>) -> Vec<Outcome> {
    let scanned = ctx.snapshot.account.known().cloned();
    let mut out = vec![Outcome::account(
        ctx,
        ctx.snapshot
            .account
            .get()
            .and_then(|id| match ctx.scope.account(id) {
                Some(a) if !a.holds_phi => Ok(Verdict::not_applicable(
                    "the scope file says this account holds no ePHI",
                )),
                _ => scanned_account(ctx, id),
            }),
    )];
    // Without the scanned account's id, any scope account might be this one: the ERROR above
    // stands for all of them rather than a PASS from the scope file alone.
    let Some(scanned) = scanned else { return out };
    for a in &ctx.scope.accounts {
        if a.id == scanned || !a.holds_phi {
            continue;
        }
        let mut res = ctx.account_resource();
        res.arn = format!("arn:{}:iam::{}:root", ctx.snapshot.partition, a.id);
        res.id = a.id.clone();
        res.account = a.id.clone();
        res.name = a.name.clone();
        out.push(Outcome::from_result(
            res,
            PhiMark::Account,
            other_account(ctx, &a.id),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::scope::{AccountScope, BaaAttestation, BaaKind, BaaStatus, Scope};
    use crate::vocabulary::Status::*;

    const ID: &str = "baa.account_covered";

    fn scope(baa: BaaStatus) -> Scope {
        Scope {
            accounts: vec![AccountScope {
                id: ACCOUNT.into(),
                name: None,
                baa,
                holds_phi: true,
                baa_reference: None,
            }],
            ..Scope::default()
        }
    }

    fn no_artifact() -> crate::Snapshot {
        let mut s = snapshot_with(vec![]);
        s.agreements = denied("artifact:ListCustomerAgreements");
        s
    }

    #[test]
    fn artifact_shows_the_baa() {
        let s = snapshot_with(vec![]);
        assert_eq!(statuses(&s, ID), vec![Pass]);
        // Artifact evidence wins over a stale scope record.
        assert_eq!(
            statuses_in(&s, ID, &scope(BaaStatus::NotSigned)),
            vec![Pass]
        );
        // An organization agreement covers a member account.
        let mut org = snapshot_with(vec![]);
        let mut a = baa_agreement();
        a.account = None;
        a.organization_arn = Some(format!(
            "arn:aws:organizations::{MANAGEMENT}:organization/o-test"
        ));
        org.agreements = crate::Fact::Known(vec![a]);
        assert_eq!(statuses(&org, ID), vec![Pass]);
    }

    #[test]
    fn terminated_or_other_agreements_do_not_count() {
        let mut s = snapshot_with(vec![]);
        let mut ended = baa_agreement();
        ended.state = "CUSTOMER_TERMINATED".into();
        let mut nda = baa_agreement();
        nda.name = "AWS Nondisclosure Agreement".into();
        s.agreements = crate::Fact::Known(vec![ended, nda]);
        assert_eq!(statuses(&s, ID), vec![Fail]);
        assert_eq!(statuses_in(&s, ID, &scope(BaaStatus::Signed)), vec![Pass]);
    }

    #[test]
    fn unreadable_artifact_falls_back_to_the_scope_file() {
        let s = no_artifact();
        assert_eq!(statuses(&s, ID), vec![Error]);
        assert_eq!(statuses_in(&s, ID, &scope(BaaStatus::Unknown)), vec![Error]);
        assert_eq!(statuses_in(&s, ID, &scope(BaaStatus::Signed)), vec![Pass]);
        assert_eq!(
            statuses_in(&s, ID, &scope(BaaStatus::NotSigned)),
            vec![Fail]
        );
        let attested = Scope {
            baa: vec![BaaAttestation {
                kind: BaaKind::Custom,
                effective: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
                accounts: vec![ACCOUNT.into()],
                archived_at: "legal/baa.pdf".into(),
                recorded_by: None,
            }],
            ..Scope::default()
        };
        assert_eq!(statuses_in(&s, ID, &attested), vec![Pass]);
        let mut no_id = no_artifact();
        no_id.account = denied("sts:GetCallerIdentity");
        assert_eq!(
            statuses_in(&no_id, ID, &scope(BaaStatus::Signed)),
            vec![Error]
        );
    }

    #[test]
    fn accounts_without_phi_and_other_accounts() {
        let mut sc = scope(BaaStatus::Unknown);
        sc.accounts[0].holds_phi = false;
        assert_eq!(statuses_in(&no_artifact(), ID, &sc), vec![NotApplicable]);
        // Another PHI account in the scope: covered by the organization BAA when it is a member.
        let mut s = snapshot_with(vec![]);
        let mut a = baa_agreement();
        a.organization_arn = Some(format!(
            "arn:aws:organizations::{MANAGEMENT}:organization/o-test"
        ));
        s.agreements = crate::Fact::Known(vec![a]);
        let mut two = scope(BaaStatus::Unknown);
        two.accounts.push(AccountScope {
            id: MANAGEMENT.into(),
            name: None,
            baa: BaaStatus::Unknown,
            holds_phi: true,
            baa_reference: None,
        });
        assert_eq!(statuses_in(&s, ID, &two), vec![Pass, Pass]);
        // Without an organization BAA this scan cannot tell.
        assert_eq!(
            statuses_in(&snapshot_with(vec![]), ID, &two),
            vec![Pass, Manual]
        );
        // Unreadable Artifact, or an organization BAA whose membership cannot be read: ERROR.
        let mut blind = s.clone();
        blind.agreements = denied("artifact:ListCustomerAgreements");
        assert_eq!(statuses_in(&blind, ID, &two), vec![Error, Error]);
        let mut blind = s.clone();
        blind.organizations.accounts = denied("organizations:ListAccounts");
        assert_eq!(statuses_in(&blind, ID, &two), vec![Pass, Error]);
        two.accounts[1].baa = BaaStatus::NotSigned;
        assert_eq!(
            statuses_in(&snapshot_with(vec![]), ID, &two),
            vec![Pass, Fail]
        );
    }
}
