//! IAM rule tests, and the compliant account other tests start from.

use super::evidence::*;
use crate::testkit::*;
use crate::evidence::Fact;
use crate::vocabulary::Status::*;

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const SERVICE_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
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

fn first_role(i: &mut AuthorizationDetails) -> &mut Principal {
    &mut i.roles[0]
}

#[test]
fn role_trust_not_public() {
    let id = "iam.role_trust_not_public";
    assert_eq!(statuses(&base(), id), vec![Pass]);
    let open = r#"{"Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    let s = auth(|a| first_role(a).trust_policy = Some(open.into()));
    let m = messages(&s, id);
    assert_eq!(m[0].0, Fail);
    assert!(m[0].1.contains("`Anyone`"), "{}", m[0].1);
    // An external id is a shared string, not a restriction on the caller.
    let external = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}"#;
    let s = auth(|a| first_role(a).trust_policy = Some(external.into()));
    assert_eq!(statuses(&s, id), vec![Fail]);
    let org = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;
    let s = auth(|a| first_role(a).trust_policy = Some(org.into()));
    assert_eq!(statuses(&s, id), vec![Pass]);
    // A trust policy the answer left out, or one that does not parse: ERROR.
    let s = auth(|a| first_role(a).trust_policy = None);
    assert_eq!(statuses(&s, id), vec![Error]);
    let s = auth(|a| first_role(a).trust_policy = Some("{not json".into()));
    assert_eq!(statuses(&s, id), vec![Error]);
    // Service-linked roles are AWS's.
    let s = auth(|a| {
        first_role(a).path = "/aws-service-role/".into();
        first_role(a).trust_policy = Some(open.into());
    });
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
    let s = snap(|i| i.authorization = denied("iam:GetAccountAuthorizationDetails"));
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn no_passrole_wildcard() {
    let id = "iam.no_passrole_wildcard";
    // alice and app hold nothing.
    assert_eq!(statuses(&base(), id), vec![Pass, Pass]);
    let pass_any = r#"{"Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}]}"#;
    let pass_one = r#"{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app"}]}"#;
    let s = auth(|a| {
        first_role(a).inline = vec![InlinePolicy {
            name: "deploy".into(),
            document: pass_any.into(),
        }]
    });
    let m = messages(&s, id);
    assert_eq!(m[1].0, Fail);
    assert!(m[1].1.contains("`deploy` (inline)"), "{}", m[1].1);
    let s = auth(|a| {
        first_role(a).inline = vec![InlinePolicy {
            name: "deploy".into(),
            document: pass_one.into(),
        }]
    });
    assert_eq!(statuses(&s, id), vec![Pass, Pass]);
    // A managed policy, through its document; every role of the account is `*` too.
    let s = auth(|a| {
        a.users[0].attached = vec![AttachedPolicy {
            name: "Deployer".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/Deployer"),
        }];
        a.policies = vec![ManagedPolicy {
            name: "Deployer".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/Deployer"),
            attachment_count: Some(1),
            document: Some(
                r#"{"Statement":[{"Effect":"Allow","Action":"iam:Pass*","Resource":"arn:aws:iam::*:role/*"}]}"#.into(),
            ),
        }];
    });
    assert_eq!(statuses(&s, id), vec![Fail, Pass]);
    // AdministratorAccess without its document is known to allow everything.
    let s = auth(|a| {
        a.users[0].attached = vec![AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        }]
    });
    assert_eq!(statuses(&s, id), vec![Fail, Pass]);
    // Another attached policy without its document: ERROR for that principal.
    let s = auth(|a| {
        a.users[0].attached = vec![AttachedPolicy {
            name: "ReadOnlyAccess".into(),
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
        }]
    });
    assert_eq!(statuses(&s, id), vec![Error, Pass]);
    let s = auth(|a| {
        a.users.clear();
        a.roles.clear();
    });
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
    let s = snap(|i| i.authorization = denied("iam:GetAccountAuthorizationDetails"));
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn single_active_access_key() {
    let id = "iam.single_active_access_key";
    assert_eq!(statuses(&base(), id), vec![Pass]);
    let two = snap(|i| {
        if let Fact::Known(rows) = &mut i.credential_report {
            rows[0].access_keys.push(AccessKeyInfo {
                slot: 2,
                active: true,
                last_rotated: days_ago(5),
                last_used: None,
            });
        }
    });
    let m = messages(&two, id);
    assert_eq!(m, vec![(Fail, "2 active access keys (slots 1 and 2)".to_string())]);
    let none = snap(|i| {
        if let Fact::Known(rows) = &mut i.credential_report {
            rows[0].access_keys[0].active = false;
        }
    });
    assert_eq!(statuses(&none, id), vec![NotApplicable]);
    let s = snap(|i| i.credential_report = denied("iam:GetCredentialReport"));
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn unused_console_access() {
    let id = "iam.unused_console_access";
    let with_dates = |d: Option<PasswordDates>| {
        snap(|i| {
            if let Fact::Known(rows) = &mut i.credential_report {
                rows[0].password_dates = d;
            }
        })
    };
    assert_eq!(statuses(&base(), id), vec![Pass]);
    let stale = with_dates(Some(PasswordDates {
        last_used: days_ago(120),
        last_changed: days_ago(400),
        user_created: days_ago(400),
    }));
    assert_eq!(
        messages(&stale, id),
        vec![(Fail, "console password last used 120 days ago (limit 90)".to_string())]
    );
    // Never used: judged by when the password was set.
    let never_old = with_dates(Some(PasswordDates {
        last_used: None,
        last_changed: days_ago(200),
        user_created: days_ago(200),
    }));
    assert_eq!(statuses(&never_old, id), vec![Fail]);
    let never_new = with_dates(Some(PasswordDates {
        last_used: None,
        last_changed: days_ago(2),
        user_created: days_ago(200),
    }));
    assert_eq!(statuses(&never_new, id), vec![Pass]);
    // The threshold comes from the scope.
    let mut scope = crate::scope::Scope::default();
    scope.thresholds.console_unused_days = 365;
    assert_eq!(statuses_in(&stale, id, &scope), vec![Pass]);
    // No dates at all, or a snapshot without them: ERROR.
    let undated = with_dates(Some(PasswordDates {
        last_used: None,
        last_changed: None,
        user_created: None,
    }));
    assert_eq!(statuses(&undated, id), vec![Error]);
    assert_eq!(statuses(&with_dates(None), id), vec![Error]);
    let no_console = snap(|i| {
        if let Fact::Known(rows) = &mut i.credential_report {
            rows[0].password_enabled = Some(false);
        }
    });
    assert_eq!(statuses(&no_console, id), vec![NotApplicable]);
    let s = snap(|i| i.credential_report = denied("iam:GetCredentialReport"));
    assert_eq!(statuses(&s, id), vec![Error]);
}

pub fn user(name: &str) -> Principal {
    Principal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        path: "/".into(),
        attached: vec![],
        inline: vec![],
        groups: vec!["staff".into()],
        trust_policy: None,
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
        trust_policy: Some(SERVICE_TRUST.into()),
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
        password_dates: Some(PasswordDates {
            last_used: days_ago(3),
            last_changed: days_ago(40),
            user_created: days_ago(400),
        }),
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
