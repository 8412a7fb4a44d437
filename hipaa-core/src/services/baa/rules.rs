//! BAA rule: every account that may hold ePHI is covered by an active AWS BAA, shown by AWS
//! Artifact or, where Artifact cannot show it, recorded in the scope file.

use super::evidence::{Agreement, Artifact};
use crate::evidence::Unknown;
use crate::rules::{Context, Outcome, PhiMark, RuleFn, Verdict};
use crate::scope::{BaaAttestation, BaaStatus};
use crate::services::org::evidence::OrganizationsEvidence;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "baa.account_covered",
        f: account_covered,
    }]
}

/// What the rule reads: Artifact's agreements and the organization, each possibly never read.
struct Evidence<'a> {
    artifact: &'a Artifact,
    orgs: &'a OrganizationsEvidence,
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
fn scanned_account(ctx: &Context<'_>, ev: &Evidence<'_>, id: &str) -> Result<Verdict, Unknown> {
    let org_arn = ev
        .orgs
        .organization
        .known()
        .and_then(|o| o.as_ref())
        .map(|o| o.arn.clone());
    let artifact: Result<Option<&Agreement>, Unknown> = ev.artifact.agreements.get().map(|list| {
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
fn other_account(ctx: &Context<'_>, ev: &Evidence<'_>, id: &str) -> Result<Verdict, Unknown> {
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
    let org_baas: Vec<&Agreement> = ev
        .artifact
        .agreements
        .get()?
        .iter()
        .filter(|a| a.is_baa() && a.is_active() && a.organization_arn.is_some())
        .collect();
    if org_baas.is_empty() {
        return Ok(cannot_see());
    }
    let orgs = ev.orgs;
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
    // Infrastructure code says nothing about agreements: the BAA is judged on the account.
    if ctx.snapshot.provenance.is_template() {
        return ctx.absent("AWS Artifact");
    }
    let (no_artifact, no_orgs) = (Artifact::not_collected(), OrganizationsEvidence::not_collected());
    let ev = Evidence {
        artifact: ctx.snapshot.services.baa.as_ref().unwrap_or(&no_artifact),
        orgs: ctx.snapshot.services.org.as_ref().unwrap_or(&no_orgs),
    };
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
                _ => scanned_account(ctx, &ev, id),
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
            other_account(ctx, &ev, &a.id),
        ));
    }
    out
}
