//! Amazon DynamoDB rules: point-in-time recovery of tables.

use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "dynamodb.pitr",
        f: pitr,
    }]
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
