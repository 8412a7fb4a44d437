//! BAA rule tests, and the account's agreement other tests start from.

use super::evidence::*;
use crate::testkit::*;
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
    sect(&mut s.services.baa).agreements = denied("artifact:ListCustomerAgreements");
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
    sect(&mut org.services.baa).agreements = crate::Fact::Known(vec![a]);
    assert_eq!(statuses(&org, ID), vec![Pass]);
}

#[test]
fn terminated_or_other_agreements_do_not_count() {
    let mut s = snapshot_with(vec![]);
    let mut ended = baa_agreement();
    ended.state = "CUSTOMER_TERMINATED".into();
    let mut nda = baa_agreement();
    nda.name = "AWS Nondisclosure Agreement".into();
    sect(&mut s.services.baa).agreements = crate::Fact::Known(vec![ended, nda]);
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
    sect(&mut s.services.baa).agreements = crate::Fact::Known(vec![a]);
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
    sect(&mut blind.services.baa).agreements = denied("artifact:ListCustomerAgreements");
    assert_eq!(statuses_in(&blind, ID, &two), vec![Error, Error]);
    let mut blind = s.clone();
    sect(&mut blind.services.org).accounts = denied("organizations:ListAccounts");
    assert_eq!(statuses_in(&blind, ID, &two), vec![Pass, Error]);
    two.accounts[1].baa = BaaStatus::NotSigned;
    assert_eq!(
        statuses_in(&snapshot_with(vec![]), ID, &two),
        vec![Pass, Fail]
    );
}

pub fn baa_agreement() -> Agreement {
    Agreement {
        id: "customer-agreement-aaaaaaaaaaaaaaaa".into(),
        name: "AWS Business Associate Addendum".into(),
        arn: format!(
            "arn:aws:artifact::{ACCOUNT}:customer-agreement/customer-agreement-aaaaaaaaaaaaaaaa"
        ),
        state: "ACTIVE".into(),
        kind: "DEFAULT".into(),
        account: Some(ACCOUNT.into()),
        organization_arn: None,
        effective_start: days_ago(300),
        effective_end: None,
    }
}

/// The compliant section: the account's BAA is active.
pub fn fixture() -> Artifact {
    Artifact {
        agreements: crate::evidence::Fact::Known(vec![baa_agreement()]),
    }
}
