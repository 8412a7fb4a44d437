//! IAM rule tests, and the compliant account other tests start from.

use super::evidence::*;
use crate::testkit::*;
use crate::evidence::Fact;
use crate::vocabulary::Status::*;

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

fn snap(f: impl FnOnce(&mut IamEvidence)) -> crate::evidence::Snapshot {
    let mut s = snapshot_with(vec![]);
    f(sect(&mut s.services.iam));
    s
}

fn auth(f: impl FnOnce(&mut AuthorizationDetails)) -> crate::evidence::Snapshot {
    snap(|i| {
        if let Fact::Known(a) = &mut i.authorization {
            f(a)
        }
    })
}

#[test]
fn root_mfa_and_keys() {
    let s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, "iam.root_mfa"), vec![Pass]);
    assert_eq!(statuses(&s, "iam.root_access_keys"), vec![Pass]);
    let s = snap(|i| {
        i.summary = Fact::Known(AccountSummary {
            root_mfa_enabled: false,
            root_access_keys_present: true,
        })
    });
    assert_eq!(statuses(&s, "iam.root_mfa"), vec![Fail]);
    assert_eq!(statuses(&s, "iam.root_access_keys"), vec![Fail]);
    let s = snap(|i| i.summary = denied("iam:GetAccountSummary"));
    assert_eq!(statuses(&s, "iam.root_mfa"), vec![Error]);
    assert_eq!(statuses(&s, "iam.root_access_keys"), vec![Error]);
}

#[test]
fn password_policy() {
    assert_eq!(
        statuses(&snapshot_with(vec![]), "iam.password_policy"),
        vec![Pass]
    );
    assert_eq!(
        statuses(
            &snap(|i| i.password_policy = Fact::Known(None)),
            "iam.password_policy"
        ),
        vec![Fail]
    );
    let weak = snap(|i| {
        if let Fact::Known(Some(p)) = &mut i.password_policy {
            p.minimum_length = 8;
        }
    });
    assert_eq!(statuses(&weak, "iam.password_policy"), vec![Fail]);
    assert_eq!(
        statuses(
            &snap(|i| i.password_policy = denied("iam:GetAccountPasswordPolicy")),
            "iam.password_policy"
        ),
        vec![Error]
    );
}

#[test]
fn console_mfa() {
    assert_eq!(
        statuses(&snapshot_with(vec![]), "iam.user_console_mfa"),
        vec![Pass]
    );
    let mut bob = cred_row("bob");
    bob.mfa_active = false;
    let mut svc = cred_row("svc");
    svc.password_enabled = Some(false);
    svc.mfa_active = false;
    let s = snap(|i| i.credential_report = Fact::Known(vec![cred_row("alice"), bob, svc]));
    assert_eq!(statuses(&s, "iam.user_console_mfa"), vec![Pass, Fail]);
    assert_eq!(
        statuses(
            &snap(|i| i.credential_report = denied("iam:GetCredentialReport")),
            "iam.user_console_mfa"
        ),
        vec![Error]
    );
    assert_eq!(
        statuses(
            &snap(|i| i.credential_report = Fact::Known(vec![])),
            "iam.user_console_mfa"
        ),
        vec![NotApplicable]
    );
}

#[test]
fn key_rotation_and_use() {
    assert_eq!(
        statuses(&snapshot_with(vec![]), "iam.access_key_rotation"),
        vec![Pass]
    );
    assert_eq!(
        statuses(&snapshot_with(vec![]), "iam.access_key_unused"),
        vec![Pass]
    );
    let mut old = cred_row("old");
    old.access_keys[0].last_rotated = days_ago(200);
    old.access_keys[0].last_used = days_ago(120);
    let s = snap(|i| i.credential_report = Fact::Known(vec![old.clone()]));
    assert_eq!(statuses(&s, "iam.access_key_rotation"), vec![Fail]);
    assert_eq!(statuses(&s, "iam.access_key_unused"), vec![Fail]);
    old.access_keys[0].last_used = None;
    let s = snap(|i| i.credential_report = Fact::Known(vec![old.clone()]));
    assert_eq!(statuses(&s, "iam.access_key_unused"), vec![Fail]);
    old.access_keys[0].last_rotated = None;
    let s = snap(|i| i.credential_report = Fact::Known(vec![old.clone()]));
    assert_eq!(statuses(&s, "iam.access_key_rotation"), vec![Error]);
    assert_eq!(statuses(&s, "iam.access_key_unused"), vec![Error]);
    let s = snap(|i| i.credential_report = denied("iam:GetCredentialReport"));
    assert_eq!(statuses(&s, "iam.access_key_rotation"), vec![Error]);
    assert_eq!(statuses(&s, "iam.access_key_unused"), vec![Error]);
}

fn managed(name: &str, doc: Option<&str>, count: u32) -> ManagedPolicy {
    ManagedPolicy {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
        attachment_count: Some(count),
        document: doc.map(str::to_string),
    }
}

#[test]
fn customer_policy_admin() {
    let s = auth(|a| {
        a.policies = vec![
            managed("Read", Some(READ), 1),
            managed("Unused", Some(ADMIN), 0),
        ]
    });
    assert_eq!(statuses(&s, "iam.customer_policy_admin"), vec![Pass]);
    let s = auth(|a| a.policies = vec![managed("Admin", Some(ADMIN), 2)]);
    assert_eq!(statuses(&s, "iam.customer_policy_admin"), vec![Fail]);
    let s = auth(|a| {
        a.policies = vec![managed("Broken", Some("{"), 2), managed("Missing", None, 1)]
    });
    assert_eq!(
        statuses(&s, "iam.customer_policy_admin"),
        vec![Error, Error]
    );
    let s = snap(|i| i.authorization = denied("iam:GetAccountAuthorizationDetails"));
    assert_eq!(statuses(&s, "iam.customer_policy_admin"), vec![Error]);
}

#[test]
fn inline_policy_admin() {
    let s = auth(|a| {
        a.roles[0].inline = vec![InlinePolicy {
            name: "read".into(),
            document: READ.into(),
        }]
    });
    assert_eq!(statuses(&s, "iam.inline_policy_admin"), vec![Pass]);
    let s = auth(|a| {
        a.roles[0].inline = vec![InlinePolicy {
            name: "all".into(),
            document: ADMIN.into(),
        }]
    });
    assert_eq!(statuses(&s, "iam.inline_policy_admin"), vec![Fail]);
    let s = auth(|a| {
        a.roles[0].inline = vec![InlinePolicy {
            name: "bad".into(),
            document: "nope".into(),
        }]
    });
    assert_eq!(statuses(&s, "iam.inline_policy_admin"), vec![Error]);
}

#[test]
fn aws_managed_admin() {
    let s = snapshot_with(vec![]);
    assert_eq!(
        statuses(&s, "iam.aws_managed_admin_attached"),
        vec![Pass, Pass]
    );
    let admin = AttachedPolicy {
        name: "AdministratorAccess".into(),
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
    };
    let s = auth(|a| a.users[0].attached = vec![admin.clone()]);
    assert_eq!(
        statuses(&s, "iam.aws_managed_admin_attached"),
        vec![Fail, Pass]
    );
    let other = AttachedPolicy {
        name: "SomethingNew".into(),
        arn: "arn:aws:iam::aws:policy/SomethingNew".into(),
    };
    let s = auth(|a| a.users[0].attached = vec![other]);
    assert_eq!(
        statuses(&s, "iam.aws_managed_admin_attached"),
        vec![Error, Pass]
    );
}

#[test]
fn direct_policies() {
    assert_eq!(
        statuses(&snapshot_with(vec![]), "iam.user_no_direct_policies"),
        vec![Pass]
    );
    let s = auth(|a| {
        a.users[0].inline = vec![InlinePolicy {
            name: "x".into(),
            document: READ.into(),
        }]
    });
    assert_eq!(statuses(&s, "iam.user_no_direct_policies"), vec![Fail]);
    let s = snap(|i| i.authorization = denied("iam:GetAccountAuthorizationDetails"));
    assert_eq!(statuses(&s, "iam.user_no_direct_policies"), vec![Error]);
}

pub fn user(name: &str) -> Principal {
    Principal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        path: "/".into(),
        attached: vec![],
        inline: vec![],
        groups: vec!["staff".into()],
    }
}

pub fn role(name: &str) -> Principal {
    Principal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        path: "/".into(),
        attached: vec![],
        inline: vec![],
        groups: vec![],
    }
}

pub fn cred_row(name: &str) -> CredentialRow {
    CredentialRow {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        password_enabled: Some(true),
        mfa_active: true,
        access_keys: vec![AccessKeyInfo {
            slot: 1,
            active: true,
            last_rotated: days_ago(10),
            last_used: days_ago(1),
        }],
    }
}

/// The compliant section: root with MFA, a strong password policy, user `alice`, role `app`.
pub fn fixture() -> IamEvidence {
    IamEvidence {
        summary: Fact::Known(AccountSummary {
            root_mfa_enabled: true,
            root_access_keys_present: false,
        }),
        password_policy: Fact::Known(Some(PasswordPolicy {
            minimum_length: 14,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            max_age_days: Some(90),
            reuse_prevention: Some(24),
        })),
        credential_report: Fact::Known(vec![cred_row("alice")]),
        authorization: Fact::Known(AuthorizationDetails {
            users: vec![user("alice")],
            groups: vec![],
            roles: vec![role("app")],
            policies: vec![],
        }),
    }
}
