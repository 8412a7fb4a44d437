//! AWS Secrets Manager rules: secrets rotate on schedule, are encrypted under a customer-managed
//! key, and no resource policy opens them to everyone.

use super::evidence::Secret;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "secretsmanager.rotation",
            f: rotation,
        },
        RuleFn {
            id: "secretsmanager.cmk_encryption",
            f: cmk_encryption,
        },
        RuleFn {
            id: "secretsmanager.not_public",
            f: not_public,
        },
    ]
}

fn each_secret(
    ctx: &Context<'_>,
    judge: impl Fn(&Secret) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(
        &ctx.snapshot.services.secretsmanager,
        "Secrets Manager",
        "Secrets Manager"
    ));
    each_listed(
        ctx,
        regions,
        "secrets",
        |r| &r.secrets,
        |region, s| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &s.tags);
            let res = Resource::regional(ctx, &s.arn, &s.name, "AwsSecretsManagerSecret", region, &phi);
            Outcome::from_result(res, phi, judge(s))
        },
    )
}

fn rotation(ctx: &Context<'_>) -> Vec<Outcome> {
    each_secret(ctx, |s| {
        if !s.rotation_enabled {
            return Ok(Verdict::fail(
                "automatic rotation is off: the same credential stays valid until someone changes it by hand",
            ));
        }
        let Some(last) = s.last_rotated else {
            return Ok(Verdict::fail(
                "rotation is on but the secret has never been rotated (is the rotation function failing?)",
            ));
        };
        let age = (ctx.now - last).num_days();
        match s.rotation_days {
            // One day of slack: rotation runs within the window after the interval ends.
            Some(days) if age > days + 1 => Ok(Verdict::fail(format!(
                "last rotated {age} days ago, longer than its {days}-day interval: rotation is failing"
            ))),
            Some(days) => Ok(Verdict::pass(format!(
                "rotates every {days} days, last {age} days ago"
            ))),
            None => Ok(Verdict::pass(format!(
                "rotates on a schedule, last {age} days ago"
            ))),
        }
    })
}

fn cmk_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_secret(ctx, |s| {
        Ok(match s.kms_key_id.as_deref() {
            None | Some("alias/aws/secretsmanager") => Verdict::fail(
                "encrypted with the AWS managed key aws/secretsmanager: its key policy cannot be narrowed and it cannot be shared or disabled",
            ),
            Some(k) => Verdict::pass(format!("encrypted with the customer-managed key `{k}`")),
        })
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_secret(ctx, |s| {
        let Some(text) = s.policy.get()? else {
            return Ok(Verdict::pass("no resource policy: only the account's IAM policies grant access"));
        };
        let doc = PolicyDocument::parse(text).map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "secretsmanager:GetResourcePolicy",
                format!("the resource policy does not parse: {}", e.message),
            )
        })?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("the resource policy grants nothing to everyone")
        } else {
            let labels: Vec<&str> = public.iter().map(|g| g.statement.as_str()).collect();
            Verdict::fail(format!(
                "the resource policy lets anyone read it (statement {})",
                labels.join(", ")
            ))
        })
    })
}
