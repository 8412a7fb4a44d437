//! The organization other tests start from: a member account in `ou-phi` under an SCP that
//! denies everything outside a few eligible services.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;

/// An SCP that denies everything outside `prefixes`.
pub fn deny_outside(prefixes: &[&str]) -> String {
    let list: Vec<String> = prefixes.iter().map(|p| format!("\"{p}:*\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyIneligible","Effect":"Deny","NotAction":[{}],"Resource":"*"}}]}}"#,
        list.join(",")
    )
}

pub fn scp(id: &str, content: &str, targets: &[&str]) -> Scp {
    Scp {
        id: id.into(),
        name: id.into(),
        arn: format!(
            "arn:aws:organizations::{MANAGEMENT}:policy/o-test/service_control_policy/{id}"
        ),
        aws_managed: id == "p-FullAWSAccess",
        content: Fact::Known(content.into()),
        targets: Fact::Known(targets.iter().map(|t| t.to_string()).collect()),
    }
}

/// The compliant section.
pub fn fixture() -> OrganizationsEvidence {
    OrganizationsEvidence {
        organization: Fact::Known(Some(Organization {
            id: "o-test".into(),
            arn: format!("arn:aws:organizations::{MANAGEMENT}:organization/o-test"),
            management_account: MANAGEMENT.into(),
            feature_set: "ALL".into(),
        })),
        accounts: Fact::Known(vec![
            OrgAccount {
                id: MANAGEMENT.into(),
                name: "management".into(),
                status: "ACTIVE".into(),
            },
            OrgAccount {
                id: ACCOUNT.into(),
                name: "phi".into(),
                status: "ACTIVE".into(),
            },
        ]),
        parents: Fact::Known(vec!["ou-phi".into(), "r-root".into()]),
        scps: Fact::Known(vec![
            scp(
                "p-FullAWSAccess",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                &["r-root"],
            ),
            scp(
                "p-eligible",
                &deny_outside(&["s3", "kms", "iam", "sts", "dynamodb", "cloudtrail"]),
                &["ou-phi"],
            ),
        ]),
    }
}

// --- the organization controls ------------------------------------------------------------

use crate::organization::{
    AccountEntry, AccountScan, Discovery, Judgement, NotScanned, OrgContext,
    OrganizationSection, Posture,
};
use crate::rules::Outcome;
use crate::scope::{AccountScope, BaaStatus, Scope};
use crate::vocabulary::Status::{self, *};

pub const PHI_A: &str = "111111111111";
pub const PHI_B: &str = "222222222222";
pub const DEV: &str = "333333333333";

/// A judgement with this status (ERROR ones name an access-denied read).
pub fn judged(status: Status) -> Judgement {
    Judgement {
        status,
        message: format!("judged {}", status.label()),
        reason: (status == Error).then_some(crate::UnknownReason::AccessDenied),
        operation: (status == Error).then(|| "guardduty:ListDetectors".to_string()),
    }
}

/// An account with everything on and a BAA; `phi` says whether PHI-tagged resources were found.
pub fn posture(phi: bool) -> Posture {
    Posture {
        holds_phi: Fact::Known(phi),
        baa: judged(Pass),
        organization_baa: Fact::Known(None),
        cloudtrail: judged(Pass),
        organization_trail: Fact::Known(None),
        guardduty: judged(Pass),
        securityhub: judged(Pass),
        config: judged(Pass),
    }
}

/// The organization: management account at the root, `ou-phi` (eligible-only SCP) with PHI_A,
/// `ou-dev` (no SCP) with PHI_B and DEV.
pub fn view() -> OrganizationView {
    let unit = |id: &str, name: &str, parent: Option<&str>| OrgUnit {
        id: id.into(),
        name: name.into(),
        parent: parent.map(str::to_string),
    };
    let member = |id: &str, name: &str, parent: &str| MemberAccount {
        id: id.into(),
        name: name.into(),
        status: "ACTIVE".into(),
        parent: Some(parent.into()),
    };
    let f = fixture();
    OrganizationView {
        organization: f.organization,
        units: Fact::Known(vec![
            unit("r-root", "Root", None),
            unit("ou-phi", "phi", Some("r-root")),
            unit("ou-dev", "dev", Some("r-root")),
        ]),
        accounts: Fact::Known(vec![
            member(MANAGEMENT, "management", "r-root"),
            member(PHI_A, "phi-a", "ou-phi"),
            member(PHI_B, "phi-b", "ou-dev"),
            member(DEV, "dev", "ou-dev"),
        ]),
        scps: f.scps,
    }
}

/// A scanned account with this posture, placed as `view()` places it.
pub fn scanned(id: &str, p: Posture) -> AccountEntry {
    let v = view();
    AccountEntry {
        id: id.into(),
        name: v.account(id).map(|a| a.name.clone()),
        status: Some("ACTIVE".into()),
        parents: v.parents(id),
        scan: AccountScan::Scanned {
            taken_at: now(),
            via: "caller credentials".into(),
            regions: vec!["us-east-1".into()],
            reads_attempted: 10,
            failed_reads: vec![],
            posture: Box::new(p),
            network_map: None,
        },
    }
}

/// The compliant organization: only PHI_A holds ePHI, everything is on everywhere.
pub fn section() -> OrganizationSection {
    OrganizationSection {
        discovery: Discovery::Organization,
        partition: "aws".into(),
        caller: Some(MANAGEMENT.into()),
        role_name: "OrganizationAccountAccessRole".into(),
        view: view(),
        view_taken_at: now(),
        view_reads: Default::default(),
        accounts: vec![
            scanned(MANAGEMENT, posture(false)),
            scanned(PHI_A, posture(true)),
            scanned(PHI_B, posture(false)),
            scanned(DEV, posture(false)),
        ],
        shards: vec![],
    }
}

pub fn run(org: &OrganizationSection, id: &str, scope: &Scope) -> Vec<Outcome> {
    let rules = super::rules::organization_rules();
    let rule = rules.iter().find(|r| r.id == id).expect("an organization rule");
    (rule.f)(&OrgContext {
        org,
        scope,
        now: now(),
    })
}

fn statuses_of(org: &OrganizationSection, id: &str) -> Vec<(String, Status)> {
    run(org, id, &Scope::default())
        .into_iter()
        .map(|o| (o.resource.id, o.status))
        .collect()
}

fn message(org: &OrganizationSection, id: &str) -> (Status, String) {
    let o = run(org, id, &Scope::default());
    assert_eq!(o.len(), 1, "{id}: {o:?}");
    (o[0].status, o[0].message.clone())
}

fn posture_of<'a>(org: &'a mut OrganizationSection, id: &str) -> &'a mut Posture {
    match org.accounts.iter_mut().find(|e| e.id == id).map(|e| &mut e.scan) {
        Some(AccountScan::Scanned { posture, .. }) => posture,
        _ => panic!("{id} is not scanned"),
    }
}

fn unreachable(org: &mut OrganizationSection, id: &str) {
    let e = org.accounts.iter_mut().find(|e| e.id == id).unwrap();
    e.scan = AccountScan::Unreachable {
        taken_at: now(),
        role_arn: format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole"),
        reason: crate::UnknownReason::AccessDenied,
        detail: "AccessDenied: not authorized to perform sts:AssumeRole".into(),
    };
}

#[test]
fn account_scanned_passes_errs_on_an_unreachable_role_and_skips_inactive_accounts() {
    let mut org = section();
    assert!(statuses_of(&org, "org.account_scanned").iter().all(|(_, s)| *s == Pass));
    unreachable(&mut org, DEV);
    let o = run(&org, "org.account_scanned", &Scope::default());
    let dev = o.iter().find(|o| o.resource.id == DEV).unwrap();
    assert_eq!(dev.status, Error);
    assert!(
        dev.message.contains("role `arn:aws:iam::333333333333:role/OrganizationAccountAccessRole`")
            && dev.message.contains("AccessDenied"),
        "{}",
        dev.message
    );
    assert_eq!(dev.unknown.as_ref().map(|u| u.reason), Some(crate::UnknownReason::AccessDenied));
    org.accounts[2].scan = AccountScan::NotScanned { why: NotScanned::Inactive };
    org.accounts[2].status = Some("SUSPENDED".into());
    org.accounts[0].scan = AccountScan::NotScanned { why: NotScanned::Excluded };
    let got = statuses_of(&org, "org.account_scanned");
    assert!(got.contains(&(PHI_B.into(), NotApplicable)), "{got:?}");
    assert!(!got.iter().any(|(id, _)| id == MANAGEMENT), "{got:?}");
    // Another shard's account is not known here.
    org.accounts[1].scan = AccountScan::NotScanned { why: NotScanned::OtherShard };
    assert!(statuses_of(&org, "org.account_scanned").contains(&(PHI_A.into(), Error)));
}

#[test]
fn baa_covers_every_phi_account() {
    let id = "org.baa_covers_phi_accounts";
    let mut org = section();
    assert_eq!(statuses_of(&org, id), vec![(PHI_A.into(), Pass)]);
    // PHI found in an account without a BAA.
    *posture_of(&mut org, PHI_B) = Posture {
        baa: judged(Fail),
        ..posture(true)
    };
    assert!(statuses_of(&org, id).contains(&(PHI_B.into(), Fail)));
    // An organization BAA the management account shows covers every active member.
    posture_of(&mut org, MANAGEMENT).organization_baa =
        Fact::Known(Some("AWS Business Associate Addendum of o-test".into()));
    assert!(statuses_of(&org, id).contains(&(PHI_B.into(), Pass)));
    // An unreachable account may hold ePHI: ERROR, unless the scope file records its BAA.
    let mut org = section();
    unreachable(&mut org, DEV);
    assert!(statuses_of(&org, id).contains(&(DEV.into(), Error)));
    let scope = Scope {
        accounts: vec![AccountScope {
            id: DEV.into(),
            name: None,
            baa: BaaStatus::Signed,
            holds_phi: true,
            baa_reference: None,
        }],
        ..Scope::default()
    };
    let o = run(&org, id, &scope);
    assert!(o.iter().any(|o| o.resource.id == DEV && o.status == Pass));
    // The scope file says the account holds no ePHI: not judged; none at all: NOT_APPLICABLE.
    let mut org = section();
    *posture_of(&mut org, PHI_A) = posture(false);
    assert_eq!(statuses_of(&org, id), vec![("o-test".into(), NotApplicable)]);
}

#[test]
fn each_service_must_be_on_in_every_account() {
    for (id, set) in [
        ("org.guardduty_all_accounts", (|p: &mut Posture, j| p.guardduty = j) as fn(&mut Posture, Judgement)),
        ("org.securityhub_all_accounts", |p, j| p.securityhub = j),
        ("org.config_all_accounts", |p, j| p.config = j),
        ("org.cloudtrail_all_accounts", |p, j| p.cloudtrail = j),
    ] {
        let mut org = section();
        assert_eq!(message(&org, id).0, Pass, "{id}");
        set(posture_of(&mut org, DEV), judged(Error));
        let (status, m) = message(&org, id);
        assert_eq!(status, Error, "{id}: {m}");
        assert!(m.contains("dev (333333333333)"), "{id}: {m}");
        set(posture_of(&mut org, PHI_B), judged(Fail));
        let (status, m) = message(&org, id);
        assert_eq!(status, Fail, "{id}: {m}");
        assert!(m.contains("phi-b (222222222222)") && m.contains("1 of 4"), "{id}: {m}");
        unreachable(&mut org, PHI_B);
        assert_eq!(message(&org, id).0, Error, "{id}");
    }
}

#[test]
fn an_organization_trail_of_the_management_account_covers_every_account() {
    let id = "org.cloudtrail_all_accounts";
    let mut org = section();
    posture_of(&mut org, DEV).cloudtrail = judged(Fail);
    assert_eq!(message(&org, id).0, Fail);
    posture_of(&mut org, MANAGEMENT).organization_trail =
        Fact::Known(Some(format!("arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org")));
    let (status, m) = message(&org, id);
    assert_eq!(status, Pass, "{m}");
    assert!(m.contains("trail/org"), "{m}");
    // A member's organization trail is not the management account's.
    let mut org = section();
    posture_of(&mut org, DEV).cloudtrail = judged(Fail);
    posture_of(&mut org, PHI_A).organization_trail =
        Fact::Known(Some(format!("arn:aws:cloudtrail:us-east-1:{PHI_A}:trail/org")));
    assert_eq!(message(&org, id).0, Fail);
}

#[test]
fn the_eligible_services_scp_must_cover_every_ou_with_phi_accounts() {
    let id = "org.scp_on_phi_ous";
    let mut org = section();
    assert_eq!(statuses_of(&org, id), vec![("ou-phi".into(), Pass)]);
    *posture_of(&mut org, PHI_B) = posture(true);
    let o = run(&org, id, &Scope::default());
    let dev = o.iter().find(|o| o.resource.id == "ou-dev").unwrap();
    assert_eq!(dev.status, Fail);
    assert!(dev.message.contains("phi-b (222222222222)"), "{}", dev.message);
    assert_eq!(dev.resource.kind, "AwsOrganizationalUnit");
    assert_eq!(dev.resource.name.as_deref(), Some("dev"));
    // An SCP on the root covers every OU.
    let mut org = section();
    *posture_of(&mut org, PHI_B) = posture(true);
    if let Fact::Known(scps) = &mut org.view.scps {
        scps[1].targets = Fact::Known(vec!["r-root".into()]);
    }
    assert!(statuses_of(&org, id).iter().all(|(_, s)| *s == Pass));
    // Unreadable policies, or an OU whose only PHI account could not be read: ERROR.
    let mut org = section();
    org.view.scps = denied("organizations:ListPolicies");
    assert_eq!(message(&org, id).0, Error);
    let mut org = section();
    posture_of(&mut org, DEV).holds_phi = denied("tag:GetResources");
    assert!(statuses_of(&org, id).contains(&("ou-dev".into(), Error)));
    // ePHI in the management account: SCPs never apply there.
    let mut org = section();
    *posture_of(&mut org, MANAGEMENT) = posture(true);
    assert!(statuses_of(&org, id).contains(&(MANAGEMENT.into(), Fail)));
    // Named accounts: no OU tree to judge.
    let mut org = section();
    org.discovery = Discovery::Named;
    assert_eq!(message(&org, id).0, NotApplicable);
}

#[test]
fn a_member_is_judged_from_the_management_accounts_view() {
    let v = view();
    let e = v.evidence_for(PHI_A);
    assert_eq!(e.parents, Fact::Known(vec!["ou-phi".to_string(), "r-root".to_string()]));
    let scps = e.scps.get().unwrap();
    assert_eq!(scps.len(), 2);
    assert!(scps.iter().all(|s| s.targets.known().is_some_and(|t| !t.is_empty())));
    // DEV's OU has no policy of its own: only the root's applies to it.
    let dev = v.evidence_for(DEV);
    assert_eq!(dev.scps.get().unwrap().len(), 1);
    // The account's own scope control reads it as it would its own reads.
    let mut s = snapshot_with(vec![]);
    s.account = Fact::Known(PHI_A.into());
    s.services.org = Some(e);
    assert_eq!(statuses(&s, "scope.scp_eligible_services"), vec![Pass]);
    s.account = Fact::Known(DEV.into());
    s.services.org = Some(dev);
    assert_eq!(statuses(&s, "scope.scp_eligible_services"), vec![Fail]);
    // An account the tree does not place: its parents, and so its SCPs, are unknown.
    assert!(v.evidence_for("444444444444").parents.is_unknown());
    assert!(v.evidence_for("444444444444").scps.is_unknown());
}
