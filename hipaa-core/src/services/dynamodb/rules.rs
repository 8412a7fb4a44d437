//! Amazon DynamoDB rules: point-in-time recovery, customer-managed keys and deletion
//! protection of tables.

use super::evidence::{DynamoTable, TableKey};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::services::kms::evidence::KeyManager;
use crate::services::kms::rules::find_key;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "dynamodb.pitr",
            f: pitr,
        },
        RuleFn {
            id: "dynamodb.cmk_encryption",
            f: cmk_encryption,
        },
        RuleFn {
            id: "dynamodb.deletion_protection",
            f: deletion_protection,
        },
    ]
}

const DESCRIBE: &str = "dynamodb:DescribeTable";

fn each_table(
    ctx: &Context<'_>,
    judge: impl Fn(&DynamoTable) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.dynamodb, "DynamoDB", "DynamoDB"));
    each_listed(
        ctx,
        regions,
        "DynamoDB tables",
        |r| &r.tables,
        |region, t| {
            let phi = PhiMark::of(&ctx.scope.phi, &t.tags);
            let res = Resource::regional(ctx, &t.arn, &t.name, "AwsDynamoDbTable", region, &phi);
            Outcome::from_result(res, phi, judge(t))
        },
    )
}

fn not_recorded(what: &str) -> Unknown {
    Unknown::new(
        UnknownReason::NotCollected,
        DESCRIBE,
        format!("the table description does not give {what}"),
    )
}

fn cmk_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_table(ctx, |t| match t.encryption.as_ref().ok_or_else(|| not_recorded("its encryption"))? {
        TableKey::AwsOwned => Ok(Verdict::fail(
            "encrypted with the AWS-owned key: it is not in your account, no key policy or CloudTrail record shows who decrypts",
        )),
        TableKey::Kms(arn) => {
            let k = find_key(ctx, arn, DESCRIBE)?;
            Ok(match k.metadata.get()?.manager {
                KeyManager::Customer => Verdict::pass(format!(
                    "encrypted with the customer-managed key `{}`",
                    k.display_name()
                )),
                KeyManager::Aws => Verdict::fail(format!(
                    "encrypted with the AWS-managed key `{}`, whose policy you cannot restrict",
                    k.display_name()
                )),
            })
        }
    })
}

fn deletion_protection(ctx: &Context<'_>) -> Vec<Outcome> {
    each_table(ctx, |t| {
        Ok(
            if t.deletion_protection.ok_or_else(|| not_recorded("deletion protection"))? {
                Verdict::pass("deletion protection is on")
            } else {
                Verdict::fail("deletion protection is off: one DeleteTable call removes the table and its point-in-time recovery window")
            },
        )
    })
}

fn pitr(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.dynamodb, "DynamoDB", "DynamoDB"));
    each_listed(
        ctx,
        regions,
        "DynamoDB tables",
        |r| &r.tables,
        |region, t| {
            let phi = PhiMark::of(&ctx.scope.phi, &t.tags);
            let res = Resource::regional(ctx, &t.arn, &t.name, "AwsDynamoDbTable", region, &phi);
            let r = t.pitr.get().map(|on| {
                if *on {
                    Verdict::pass("point-in-time recovery is on")
                } else {
                    Verdict::fail(
                        "point-in-time recovery is off: the table cannot be restored to a chosen moment",
                    )
                }
            });
            Outcome::from_result(res, phi, r)
        },
    )
}
