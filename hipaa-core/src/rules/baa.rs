//! BAA scope rule: the scanned account must be covered by a signed BAA in the scope file.

use super::{Context, Outcome, RuleFn, Verdict};
use crate::scope::BaaStatus;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "baa.account_covered",
        f: account_covered,
    }]
}

fn account_covered(ctx: &Context<'_>) -> Vec<Outcome> {
    let r = ctx.snapshot.account.get().map(|id| match ctx.scope.account(id) {
        Some(a) if !a.holds_phi => Verdict::not_applicable("the scope file says this account holds no ePHI"),
        Some(a) => match a.baa {
            BaaStatus::Signed => Verdict::pass(match &a.baa_reference {
                Some(r) => format!("the scope file records a signed BAA ({r})"),
                None => "the scope file records a signed BAA".into(),
            }),
            BaaStatus::NotSigned => Verdict::fail("the scope file records that no BAA covers this account"),
            BaaStatus::Unknown => Verdict::manual("BAA status is unknown: confirm in AWS Artifact and record it in the scope file"),
        },
        None if ctx.scope.accounts.is_empty() => {
            Verdict::manual("no scope file lists this account: confirm the BAA in AWS Artifact and record it in the scope file")
        }
        None => Verdict::fail("the account is not listed in the scope file, so no BAA is recorded for it"),
    });
    vec![Outcome::account(ctx, r)]
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::scope::{AccountScope, BaaStatus, Scope};
    use crate::vocabulary::Status::*;

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

    #[test]
    fn baa_status_from_scope() {
        let s = snapshot_with(vec![]);
        assert_eq!(
            statuses_in(&s, "baa.account_covered", &scope(BaaStatus::Signed)),
            vec![Pass]
        );
        assert_eq!(
            statuses_in(&s, "baa.account_covered", &scope(BaaStatus::NotSigned)),
            vec![Fail]
        );
        assert_eq!(
            statuses_in(&s, "baa.account_covered", &scope(BaaStatus::Unknown)),
            vec![Manual]
        );
        assert_eq!(statuses(&s, "baa.account_covered"), vec![Manual]);
        let mut other = scope(BaaStatus::Signed);
        other.accounts[0].id = "999999999999".into();
        assert_eq!(statuses_in(&s, "baa.account_covered", &other), vec![Fail]);
        let mut unknown = snapshot_with(vec![]);
        unknown.account = denied("sts:GetCallerIdentity");
        assert_eq!(
            statuses_in(&unknown, "baa.account_covered", &scope(BaaStatus::Signed)),
            vec![Error]
        );
    }
}
