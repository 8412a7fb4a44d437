//! IAM rules: root account, password policy, MFA, access keys and administrator grants.

use super::evidence::{AuthorizationDetails, CredentialRow, IamEvidence, Principal};
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Fact, Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use chrono::{DateTime, Utc};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "iam.root_mfa",
            f: root_mfa,
        },
        RuleFn {
            id: "iam.root_access_keys",
            f: root_access_keys,
        },
        RuleFn {
            id: "iam.password_policy",
            f: password_policy,
        },
        RuleFn {
            id: "iam.user_console_mfa",
            f: user_console_mfa,
        },
        RuleFn {
            id: "iam.access_key_rotation",
            f: access_key_rotation,
        },
        RuleFn {
            id: "iam.access_key_unused",
            f: access_key_unused,
        },
        RuleFn {
            id: "iam.customer_policy_admin",
            f: customer_policy_admin,
        },
        RuleFn {
            id: "iam.inline_policy_admin",
            f: inline_policy_admin,
        },
        RuleFn {
            id: "iam.aws_managed_admin_attached",
            f: aws_managed_admin_attached,
        },
        RuleFn {
            id: "iam.user_no_direct_policies",
            f: user_no_direct_policies,
        },
        RuleFn {
            id: "iam.role_trust_not_public",
            f: role_trust_not_public,
        },
        RuleFn {
            id: "iam.no_passrole_wildcard",
            f: no_passrole_wildcard,
        },
        RuleFn {
            id: "iam.single_active_access_key",
            f: single_active_access_key,
        },
        RuleFn {
            id: "iam.unused_console_access",
            f: unused_console_access,
        },
    ]
}

/// AWS-managed policies known to grant full administrator access, for when AWS omits the document.
/// The IAM section, or the outcomes that stand for its absence.
fn iam<'a>(ctx: &Context<'a>) -> Result<&'a IamEvidence, Vec<Outcome>> {
    ctx.global(&ctx.snapshot.services.iam, "IAM")
}

const AWS_ADMIN_POLICIES: &[&str] = &["AdministratorAccess"];

fn root_mfa(ctx: &Context<'_>) -> Vec<Outcome> {
    let iam = section!(iam(ctx));
    let r = iam.summary.get().map(|s| {
        if s.root_mfa_enabled {
            Verdict::pass("the root user has an MFA device")
        } else {
            Verdict::fail("the root user has no MFA device")
        }
    });
    vec![Outcome::account(ctx, r)]
}

fn root_access_keys(ctx: &Context<'_>) -> Vec<Outcome> {
    let iam = section!(iam(ctx));
    let r = iam.summary.get().map(|s| {
        if s.root_access_keys_present {
            Verdict::fail("the root user has access keys")
        } else {
            Verdict::pass("the root user has no access keys")
        }
    });
    vec![Outcome::account(ctx, r)]
}

fn password_policy(ctx: &Context<'_>) -> Vec<Outcome> {
    let iam = section!(iam(ctx));
    let t = &ctx.scope.thresholds;
    let r = iam.password_policy.get().map(|p| {
        let Some(p) = p else {
            return Verdict::fail("the account has no password policy (AWS defaults allow short, never-expiring passwords)");
        };
        let mut weak = Vec::new();
        if p.minimum_length < t.password_min_length {
            weak.push(format!("minimum length {} < {}", p.minimum_length, t.password_min_length));
        }
        for (on, what) in [
            (p.require_uppercase, "upper-case letters"),
            (p.require_lowercase, "lower-case letters"),
            (p.require_numbers, "numbers"),
            (p.require_symbols, "symbols"),
        ] {
            if !on {
                weak.push(format!("{what} not required"));
            }
        }
        match p.max_age_days {
            None => weak.push("passwords never expire".into()),
            Some(d) if d > t.password_max_age_days => weak.push(format!("maximum age {d} days > {}", t.password_max_age_days)),
            Some(_) => {}
        }
        match p.reuse_prevention {
            Some(n) if n >= t.password_reuse_prevention => {}
            n => weak.push(format!("reuse prevention {} < {}", n.unwrap_or(0), t.password_reuse_prevention)),
        }
        if weak.is_empty() {
            Verdict::pass("the password policy meets every threshold")
        } else {
            Verdict::fail(format!("the password policy is weak: {}", weak.join("; ")))
        }
    });
    vec![Outcome::account(ctx, r)]
}

fn user_resource(ctx: &Context<'_>, name: &str, arn: &str) -> Resource {
    Resource {
        arn: arn.into(),
        id: name.into(),
        kind: "AwsIamUser".into(),
        account: ctx.account_id(),
        region: None,
        name: None,
        phi: None,
    }
}

/// Apply `judge` to the credential-report rows it selects (root's row excluded).
fn each_report_user(
    ctx: &Context<'_>,
    what: &str,
    select: impl Fn(&CredentialRow) -> bool,
    judge: impl Fn(&CredentialRow) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let iam = section!(iam(ctx));
    let rows = match iam.credential_report.get() {
        Ok(r) => r,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    let out: Vec<Outcome> = rows
        .iter()
        .filter(|r| r.user != "<root_account>" && select(r))
        .map(|r| {
            Outcome::from_result(
                user_resource(ctx, &r.user, &r.arn),
                PhiMark::Account,
                judge(r),
            )
        })
        .collect();
    if out.is_empty() {
        return none_found(ctx, what);
    }
    out
}

fn user_console_mfa(ctx: &Context<'_>) -> Vec<Outcome> {
    each_report_user(
        ctx,
        "IAM users with a console password",
        |r| r.password_enabled == Some(true),
        |r| {
            Ok(if r.mfa_active {
                Verdict::pass("console password with an active MFA device")
            } else {
                Verdict::fail("console password without MFA")
            })
        },
    )
}

fn age_days(now: DateTime<Utc>, t: DateTime<Utc>) -> i64 {
    (now - t).num_days()
}

fn access_key_rotation(ctx: &Context<'_>) -> Vec<Outcome> {
    let max = i64::from(ctx.scope.thresholds.access_key_max_age_days);
    each_report_user(
        ctx,
        "IAM users with active access keys",
        |r| r.access_keys.iter().any(|k| k.active),
        |r| {
            let mut old = Vec::new();
            for k in r.access_keys.iter().filter(|k| k.active) {
                let Some(rotated) = k.last_rotated else {
                    return Err(Unknown::new(
                        UnknownReason::ParseError,
                        "iam:GetCredentialReport",
                        format!("access key {} has no rotation date", k.slot),
                    ));
                };
                let age = age_days(ctx.now, rotated);
                if age > max {
                    old.push(format!("key {} is {age} days old", k.slot));
                }
            }
            Ok(if old.is_empty() {
                Verdict::pass(format!("every active access key is at most {max} days old"))
            } else {
                Verdict::fail(format!("{} (limit {max})", old.join(", ")))
            })
        },
    )
}

fn access_key_unused(ctx: &Context<'_>) -> Vec<Outcome> {
    let limit = i64::from(ctx.scope.thresholds.access_key_unused_days);
    each_report_user(
        ctx,
        "IAM users with active access keys",
        |r| r.access_keys.iter().any(|k| k.active),
        |r| {
            let mut unused = Vec::new();
            for k in r.access_keys.iter().filter(|k| k.active) {
                match (k.last_used, k.last_rotated) {
                    (Some(used), _) if age_days(ctx.now, used) > limit => unused.push(format!(
                        "key {} last used {} days ago",
                        k.slot,
                        age_days(ctx.now, used)
                    )),
                    (None, Some(created)) if age_days(ctx.now, created) > limit => {
                        unused.push(format!(
                            "key {} never used in {} days",
                            k.slot,
                            age_days(ctx.now, created)
                        ))
                    }
                    (None, None) => {
                        return Err(Unknown::new(
                            UnknownReason::ParseError,
                            "iam:GetCredentialReport",
                            format!("access key {} has no dates", k.slot),
                        ))
                    }
                    _ => {}
                }
            }
            Ok(if unused.is_empty() {
                Verdict::pass(format!(
                    "every active access key was used (or created) within {limit} days"
                ))
            } else {
                Verdict::fail(unused.join(", "))
            })
        },
    )
}

fn principal_resource(ctx: &Context<'_>, p: &Principal, kind: &str) -> Resource {
    Resource {
        arn: p.arn.clone(),
        id: p.name.clone(),
        kind: kind.into(),
        account: ctx.account_id(),
        region: None,
        name: None,
        phi: None,
    }
}

/// Every user, group and role with its resource kind; service-linked roles are AWS's and skipped.
fn principals(auth: &AuthorizationDetails) -> impl Iterator<Item = (&Principal, &'static str)> {
    auth.users
        .iter()
        .map(|p| (p, "AwsIamUser"))
        .chain(auth.groups.iter().map(|p| (p, "AwsIamGroup")))
        .chain(
            auth.roles
                .iter()
                .filter(|r| !r.path.starts_with("/aws-service-role/"))
                .map(|p| (p, "AwsIamRole")),
        )
}

fn with_authorization(
    ctx: &Context<'_>,
    f: impl FnOnce(&AuthorizationDetails) -> Vec<Outcome>,
) -> Vec<Outcome> {
    let iam = section!(iam(ctx));
    match &iam.authorization {
        Fact::Known(a) => f(a),
        Fact::Unknown(u) => vec![Outcome::error(
            ctx.account_resource(),
            PhiMark::Account,
            u.clone(),
        )],
    }
}

fn parse_doc(text: &str, op: &str) -> Result<PolicyDocument, Unknown> {
    PolicyDocument::parse(text)
        .map_err(|e| Unknown::new(UnknownReason::ParseError, op, e.to_string()))
}

fn customer_policy_admin(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        let out: Vec<Outcome> = auth
            .policies
            .iter()
            .filter(|p| !p.is_aws_managed() && p.attachment_count != Some(0))
            .map(|p| {
                let res = Resource {
                    arn: p.arn.clone(),
                    id: p.name.clone(),
                    kind: "AwsIamPolicy".into(),
                    account: ctx.account_id(),
                    region: None,
                    name: None,
                    phi: None,
                };
                let r = (|| {
                    let text = p.document.as_deref().ok_or_else(|| {
                        Unknown::new(
                            UnknownReason::NotCollected,
                            "iam:GetAccountAuthorizationDetails",
                            "the default policy version was not returned",
                        )
                    })?;
                    let doc = parse_doc(text, "iam:GetAccountAuthorizationDetails")?;
                    Ok(if doc.grants_full_admin() {
                        let Some(n) = p.attachment_count else {
                            // An admin policy that may or may not be attached: cannot tell.
                            return Err(Unknown::new(
                                UnknownReason::ParseError,
                                "iam:GetAccountAuthorizationDetails",
                                "the policy grants full administrator access but its attachment count was not returned",
                            ));
                        };
                        Verdict::fail(format!("attached to {n} principal(s) and allows every action on every resource"))
                    } else {
                        Verdict::pass("does not grant full administrator access")
                    })
                })();
                Outcome::from_result(res, PhiMark::Account, r)
            })
            .collect();
        if out.is_empty() {
            return none_found(ctx, "attached customer-managed policies");
        }
        out
    })
}

fn inline_policy_admin(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        let out: Vec<Outcome> = principals(auth)
            .filter(|(p, _)| !p.inline.is_empty())
            .map(|(p, kind)| {
                let r = (|| {
                    let mut admin = Vec::new();
                    for pol in &p.inline {
                        if parse_doc(&pol.document, "iam:GetAccountAuthorizationDetails")?
                            .grants_full_admin()
                        {
                            admin.push(format!("`{}`", pol.name));
                        }
                    }
                    Ok(if admin.is_empty() {
                        Verdict::pass("no inline policy grants full administrator access")
                    } else {
                        Verdict::fail(format!(
                            "inline policy {} allows every action on every resource",
                            admin.join(", ")
                        ))
                    })
                })();
                Outcome::from_result(principal_resource(ctx, p, kind), PhiMark::Account, r)
            })
            .collect();
        if out.is_empty() {
            return none_found(ctx, "principals with inline policies");
        }
        out
    })
}

fn aws_managed_admin_attached(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        let out: Vec<Outcome> = principals(auth)
            .map(|(p, kind)| {
                let r = (|| {
                    let mut admin = Vec::new();
                    for a in p.attached.iter().filter(|a| a.is_aws_managed()) {
                        let doc = auth
                            .policies
                            .iter()
                            .find(|m| m.arn == a.arn)
                            .and_then(|m| m.document.as_deref());
                        let is_admin = match doc {
                            Some(text) => parse_doc(text, "iam:GetAccountAuthorizationDetails")?
                                .grants_full_admin(),
                            None if AWS_ADMIN_POLICIES.contains(&a.name.as_str()) => true,
                            None => {
                                return Err(Unknown::new(
                                    UnknownReason::NotCollected,
                                    "iam:GetAccountAuthorizationDetails",
                                    format!(
                                        "no document for attached AWS-managed policy `{}`",
                                        a.name
                                    ),
                                ))
                            }
                        };
                        if is_admin {
                            admin.push(format!("`{}`", a.name));
                        }
                    }
                    Ok(if admin.is_empty() {
                        Verdict::pass("no AWS-managed administrator policy is attached")
                    } else {
                        Verdict::fail(format!("AWS-managed {} is attached", admin.join(", ")))
                    })
                })();
                Outcome::from_result(principal_resource(ctx, p, kind), PhiMark::Account, r)
            })
            .collect();
        if out.is_empty() {
            return none_found(ctx, "IAM users, groups or roles");
        }
        out
    })
}

fn user_no_direct_policies(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        if auth.users.is_empty() {
            return none_found(ctx, "IAM users");
        }
        auth.users
            .iter()
            .map(|u| {
                let mut direct: Vec<String> = u
                    .attached
                    .iter()
                    .map(|a| format!("`{}` (managed)", a.name))
                    .collect();
                direct.extend(u.inline.iter().map(|i| format!("`{}` (inline)", i.name)));
                let v = if direct.is_empty() {
                    Verdict::pass("permissions come from groups or roles only")
                } else {
                    Verdict::fail(format!("policies attached directly: {}", direct.join(", ")))
                };
                Outcome::from_result(
                    principal_resource(ctx, u, "AwsIamUser"),
                    PhiMark::Account,
                    Ok(v),
                )
            })
            .collect()
    })
}

const AUTH_OP: &str = "iam:GetAccountAuthorizationDetails";

fn role_trust_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        let out: Vec<Outcome> = principals(auth)
            .filter(|(_, kind)| *kind == "AwsIamRole")
            .map(|(p, kind)| {
                let r = (|| {
                    let text = p.trust_policy.as_deref().ok_or_else(|| {
                        Unknown::new(
                            UnknownReason::NotCollected,
                            AUTH_OP,
                            "the role's trust policy was not returned",
                        )
                    })?;
                    let public = parse_doc(text, AUTH_OP)?.public_statements();
                    Ok(if public.is_empty() {
                        Verdict::pass("the trust policy lets only named principals, or callers a condition pins down, assume the role")
                    } else {
                        let which: Vec<String> =
                            public.iter().map(|g| format!("`{}`", g.statement)).collect();
                        Verdict::fail(format!(
                            "the trust policy lets any AWS principal assume the role without a restricting condition (statement {})",
                            which.join(", ")
                        ))
                    })
                })();
                Outcome::from_result(principal_resource(ctx, p, kind), PhiMark::Account, r)
            })
            .collect();
        if out.is_empty() {
            return none_found(ctx, "IAM roles");
        }
        out
    })
}

/// The policies a principal holds (attached managed, then inline) with their documents.
fn held_policies(
    auth: &AuthorizationDetails,
    p: &Principal,
) -> Result<Vec<(String, PolicyDocument)>, Unknown> {
    let mut out = Vec::new();
    for a in &p.attached {
        let doc = auth
            .policies
            .iter()
            .find(|m| m.arn == a.arn)
            .and_then(|m| m.document.as_deref());
        match doc {
            Some(text) => out.push((format!("`{}`", a.name), parse_doc(text, AUTH_OP)?)),
            None if a.is_aws_managed() && AWS_ADMIN_POLICIES.contains(&a.name.as_str()) => {
                out.push((
                    format!("`{}`", a.name),
                    parse_doc(
                        r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                        AUTH_OP,
                    )?,
                ))
            }
            None => {
                return Err(Unknown::new(
                    UnknownReason::NotCollected,
                    AUTH_OP,
                    format!("no document for attached policy `{}`", a.name),
                ))
            }
        }
    }
    for i in &p.inline {
        out.push((
            format!("`{}` (inline)", i.name),
            parse_doc(&i.document, AUTH_OP)?,
        ));
    }
    Ok(out)
}

fn no_passrole_wildcard(ctx: &Context<'_>) -> Vec<Outcome> {
    with_authorization(ctx, |auth| {
        let out: Vec<Outcome> = principals(auth)
            .map(|(p, kind)| {
                let r = held_policies(auth, p).map(|held| {
                    let wide: Vec<String> = held
                        .iter()
                        .filter(|(_, doc)| !doc.pass_role_on_every_role().is_empty())
                        .map(|(name, _)| name.clone())
                        .collect();
                    if wide.is_empty() {
                        Verdict::pass("no policy it holds allows `iam:PassRole` on every role")
                    } else {
                        Verdict::fail(format!(
                            "{} allows `iam:PassRole` on `*`, so it can hand any role to a service",
                            wide.join(", ")
                        ))
                    }
                });
                Outcome::from_result(principal_resource(ctx, p, kind), PhiMark::Account, r)
            })
            .collect();
        if out.is_empty() {
            return none_found(ctx, "IAM users, groups or roles");
        }
        out
    })
}

fn single_active_access_key(ctx: &Context<'_>) -> Vec<Outcome> {
    each_report_user(
        ctx,
        "IAM users with active access keys",
        |r| r.access_keys.iter().any(|k| k.active),
        |r| {
            let active: Vec<String> = r
                .access_keys
                .iter()
                .filter(|k| k.active)
                .map(|k| k.slot.to_string())
                .collect();
            Ok(if active.len() > 1 {
                Verdict::fail(format!(
                    "{} active access keys (slots {})",
                    active.len(),
                    active.join(" and ")
                ))
            } else {
                Verdict::pass("one active access key")
            })
        },
    )
}

fn unused_console_access(ctx: &Context<'_>) -> Vec<Outcome> {
    let limit = i64::from(ctx.scope.thresholds.console_unused_days);
    each_report_user(
        ctx,
        "IAM users with a console password",
        |r| r.password_enabled == Some(true),
        |r| {
            let dates = r.password_dates.as_ref().ok_or_else(|| {
                Unknown::new(
                    UnknownReason::NotCollected,
                    "iam:GetCredentialReport",
                    "the password dates of the credential report were not recorded",
                )
            })?;
            if let Some(used) = dates.last_used {
                let age = age_days(ctx.now, used);
                return Ok(if age > limit {
                    Verdict::fail(format!(
                        "console password last used {age} days ago (limit {limit})"
                    ))
                } else {
                    Verdict::pass(format!("console password used {age} days ago"))
                });
            }
            // Never used (or not since AWS began recording): judge by when it was set.
            let Some(set) = dates.last_changed.or(dates.user_created) else {
                return Err(Unknown::new(
                    UnknownReason::ParseError,
                    "iam:GetCredentialReport",
                    "a console password with no use, change or creation date",
                ));
            };
            let age = age_days(ctx.now, set);
            Ok(if age > limit {
                Verdict::fail(format!(
                    "console password never used in the {age} days since it was set (limit {limit})"
                ))
            } else {
                Verdict::pass(format!(
                    "console password not used yet, set {age} days ago (limit {limit})"
                ))
            })
        },
    )
}
